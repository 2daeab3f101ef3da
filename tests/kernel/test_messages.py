"""Validation messages reach people in French, for every error type pydantic can raise, never as a pattern."""

import typing
from datetime import date
from typing import Annotated, Literal

import pytest
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
    ValidationError,
    field_validator,
)
from pydantic_core.core_schema import ErrorType

from fne_kernel.errors import field_errors
from fne_kernel.messages import FRENCH, french_message


def test_every_pydantic_error_type_has_a_french_message() -> None:
    missing = set(typing.get_args(ErrorType)) - set(FRENCH)
    assert missing == set()


class Place(BaseModel):
    model_config = ConfigDict(extra="forbid")
    nom: str
    code_postal: Annotated[str, StringConstraints(pattern=r"^\d{5}$")]
    siret: Annotated[str, StringConstraints(pattern=r"^[0-9A-Z]{9,14}$")] | None = None
    places: Annotated[int, Field(ge=1)] = 1
    mode: Literal["public", "mediator"] = "public"
    ouverture: date | None = None
    site: HttpUrl | None = None
    tags: list[str] = []
    telephone: str | None = None

    @field_validator("telephone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value and not value.startswith("0"):
            raise ValueError("numéro de téléphone attendu au format 0X XX XX XX XX")
        return value


def reasons(payload: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        Place.model_validate(payload)
    return {entry["field"]: entry["reason"] for entry in field_errors(caught.value.errors(), location="body")}


def test_field_errors_read_in_french() -> None:
    found = reasons(
        {
            "code_postal": "731",
            "siret": "abc",
            "places": 0,
            "mode": "autre",
            "ouverture": "hier",
            "site": "pas une adresse",
            "tags": "x",
            "telephone": "+1 555",
            "inconnu": 1,
        }
    )
    assert found == {
        "nom": "champ obligatoire",
        "code_postal": "5 chiffres attendus",
        "siret": "format non reconnu",
        "places": "la valeur doit être supérieure ou égale à 1",
        "mode": "valeur non prévue",
        "ouverture": "date attendue (AAAA-MM-JJ)",
        "site": "adresse web invalide (ex. https://exemple.fr)",
        "tags": "liste attendue",
        "telephone": "numéro de téléphone attendu au format 0X XX XX XX XX",
        "inconnu": "champ inconnu : retirez-le",
    }


def test_a_whole_body_of_the_wrong_type_is_explained() -> None:
    assert reasons("texte") == {"": "objet attendu (liste de champs entre accolades)"}


def test_allowed_values_are_listed_in_french() -> None:
    with pytest.raises(ValidationError) as caught:
        Place.model_validate({"nom": "x", "code_postal": "73000", "mode": "autre"})
    (entry,) = field_errors(caught.value.errors())
    assert entry["allowed"] == "'public' ou 'mediator'"


@pytest.mark.parametrize(
    "message",
    [
        "value is not a valid email address: An email address must have an @-sign.",
        "Value error, invalid thing",
    ],
)
def test_english_messages_of_libraries_are_not_passed_on(message: str) -> None:
    reason = french_message({"type": "value_error", "msg": message})
    assert reason in ("adresse électronique invalide", "valeur invalide")


def test_no_message_shows_a_pattern_or_english_words() -> None:
    for template in FRENCH.values():
        assert "should" not in template and "\\d" not in template and "^" not in template
