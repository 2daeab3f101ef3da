"""Field types the network's features share (French messages: they reach people through the web app)."""

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, StringConstraints

EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}")
PHONE = re.compile(r"\+?[0-9 .()-]{6,25}")


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("précisez le fuseau horaire (ex. 2026-12-31T18:00:00+01:00)")
    return value.astimezone(UTC)


def _email(value: str) -> str:
    if not EMAIL.fullmatch(value):
        raise ValueError("adresse électronique invalide")
    return value.lower()


def _phone(value: str) -> str:
    if not PHONE.fullmatch(value) or sum(char.isdigit() for char in value) < 6:
        raise ValueError("numéro de téléphone invalide")
    return value


AwareDateTime = Annotated[datetime, AfterValidator(_aware)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Address = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
CommuneCode = Annotated[str, StringConstraints(pattern=r"^([013-9]\d|2[AB1-9])\d{3}$")]
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254), AfterValidator(_email)]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=30), AfterValidator(_phone)]


def utc_now() -> datetime:
    return datetime.now(UTC)
