"""Beneficiary codes become pseudonyms here and are never stored: a keyed hash (HMAC-SHA-256) with a secret
that lives outside the database, so the table alone cannot be reversed by hashing every plausible code."""

import hashlib
import hmac
import re

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/-]{2,63}$")
# A code is an identifier of the mediator's own filing, never contact details: these shapes are refused.
_EMAIL = re.compile(r"@")
_PHONE = re.compile(r"^(\+33|0033|0)[1-9](\D?\d{2}){4}$")


def normalised(code: str) -> str:
    return re.sub(r"[\s._/-]", "", code).upper()


def refusal(code: str) -> str | None:
    """Why a beneficiary code is refused, or None."""
    if not CODE_PATTERN.fullmatch(code):
        return "3 à 64 caractères : lettres, chiffres, espace, . _ / -"
    if _EMAIL.search(code) or _PHONE.fullmatch(code.strip()):
        return "un code bénéficiaire n'est ni une adresse ni un numéro de téléphone"
    return None


def pseudonym(key: bytes, code: str) -> str:
    return hmac.new(key, normalised(code).encode(), hashlib.sha256).hexdigest()
