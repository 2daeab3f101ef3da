import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from fne_directory.permanences.schemas import PlacePermanenceOut
from fne_directory.places import hours
from fne_directory.places.quality import Freshness
from fne_directory.places.vocabulary import (
    FormationLabel,
    Frais,
    Itinerance,
    ModaliteAcces,
    ModaliteAccompagnement,
    PriseEnCharge,
    Programme,
    Public,
    Service,
    Typologie,
)
from fne_kernel.pagination import Page

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=250)]
EMAIL = re.compile(r"^[^@\s|]+@[^@\s|]+\.[^@\s|]+$")
URL = re.compile(r"^https?://[^\s|]+$", re.IGNORECASE)
# The standard's pattern: +33 and the overseas codes, then 6 to 9 digits.
PHONE = re.compile(r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)\d{6,9}$")
# Metropolitan France with Corsica, then each overseas département and collectivity: (south, west, north,
# east).
FRANCE_BOXES = (
    (41.3, -5.3, 51.2, 9.7),
    (15.8, -61.9, 16.6, -60.9),
    (14.3, -61.3, 14.9, -60.8),
    (2.1, -54.7, 5.8, -51.6),
    (-21.4, 55.2, -20.8, 55.9),
    (-13.1, 44.9, -12.6, 45.4),
    (46.7, -56.5, 47.2, -56.1),
    (17.8, -63.2, 18.2, -62.7),
    (-22.8, 163.5, -19.5, 168.2),
    (-27.7, -154.8, -7.8, -134.4),
    (-14.4, -178.3, -13.2, -176.1),
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def check_pivot(value: str) -> str:
    """SIRET (14 digits) or SIREN (9) with their checksum; RNA (W and 9 characters) for associations."""
    value = value.replace(" ", "")
    if re.fullmatch(r"W[0-9A-Z]{9}", value):
        return value
    if not re.fullmatch(r"\d{9}|\d{14}", value):
        raise ValueError("SIRET (14 chiffres), SIREN (9 chiffres) ou RNA (W suivi de 9 caractères) attendu")
    # La Poste's establishments are numbered outside the Luhn rule: their digits sum to a multiple of 5.
    if value.startswith("356000000") and len(value) == 14:
        if sum(int(d) for d in value) % 5:
            raise ValueError("SIRET de La Poste invalide")
        return value
    if not luhn_valid(value):
        raise ValueError("numéro SIRET/SIREN invalide (clé de contrôle)")
    return value


def normalise_phone(value: str) -> str:
    """Accepts the usual French writings (04 79 60 20 00, 04.79…, +33 4 79…) and stores the standard's
    form."""
    compact = re.sub(r"[\s.\-()]", "", value)
    if re.fullmatch(r"0[1-9]\d{8}", compact):
        compact = "+33" + compact[1:]
    elif compact.startswith("0033"):
        compact = "+" + compact[2:]
    if not PHONE.fullmatch(compact):
        raise ValueError("numéro de téléphone attendu au format +33XXXXXXXXX (ou 0X XX XX XX XX)")
    return compact


def check_email(value: str) -> str:
    value = value.strip()
    if not EMAIL.fullmatch(value):
        raise ValueError(f"adresse électronique invalide : {value}")
    return value.lower()


def check_url(value: str) -> str:
    value = value.strip()
    if not URL.fullmatch(value):
        raise ValueError(f"URL http(s) attendue : {value}")
    return value


def check_hours(value: str) -> str:
    try:
        return hours.validate(value.strip())
    except hours.InvalidOpeningHours as exc:
        raise ValueError(str(exc)) from exc


def split_multi(value: Any) -> Any:
    """Multi-valued fields also accept the standard's `|`-separated string."""
    if isinstance(value, str):
        return [part.strip() for part in value.split("|") if part.strip()]
    return value


def unique(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def MultiValue(item: Any) -> Any:
    return Annotated[list[item], BeforeValidator(split_multi), AfterValidator(unique)]


Email = Annotated[str, AfterValidator(check_email)]
Url = Annotated[str, StringConstraints(max_length=500), AfterValidator(check_url)]


class PlaceInput(BaseModel):
    """A place as a coordinator or a partner platform writes it (the national standard's fields)."""

    model_config = ConfigDict(extra="forbid")

    pivot: Annotated[str, AfterValidator(check_pivot)] | None = None
    nom: Text
    adresse: Text
    complement_adresse: Text | None = None
    commune: Text | None = Field(None, description="Déduite du code INSEE si absente")
    code_postal: Annotated[str, StringConstraints(pattern=r"^\d{5}$")]
    code_insee: Annotated[str, StringConstraints(pattern=r"^([013-9]\d|2[AB1-9])\d{3}$")] | None = Field(
        None, description="Déduit du code postal et du nom de commune si absent"
    )
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = Field(None, validate_default=True)
    typologie: MultiValue(Typologie) = []
    telephone: Annotated[str, AfterValidator(normalise_phone)] | None = None
    courriels: MultiValue(Email) = []
    site_web: MultiValue(Url) = []
    horaires: Annotated[str, StringConstraints(max_length=2000), AfterValidator(check_hours)] | None = Field(
        None, description="Horaires au format OpenStreetMap opening_hours, ex. « Mo-Fr 09:00-12:00; PH off »"
    )
    presentation_resume: Annotated[str, StringConstraints(strip_whitespace=True, max_length=280)] | None = (
        None
    )
    presentation_detail: Annotated[str, StringConstraints(strip_whitespace=True, max_length=10000)] | None = (
        None
    )
    source: Text | None = None
    itinerance: MultiValue(Itinerance) = []
    structure_parente: Text | None = None
    date_maj: date | None = Field(
        None, description="Date de mise à jour des informations ; aujourd'hui si absente"
    )
    services: MultiValue(Service) = []
    publics_specifiquement_adresses: MultiValue(Public) = []
    prise_en_charge_specifique: MultiValue(PriseEnCharge) = []
    frais_a_charge: MultiValue(Frais) = []
    dispositif_programmes_nationaux: MultiValue(Programme) = []
    formations_labels: MultiValue(FormationLabel) = []
    autres_formations_labels: MultiValue(Text) = []
    modalites_acces: MultiValue(ModaliteAcces) = []
    modalites_accompagnement: MultiValue(ModaliteAccompagnement) = []
    fiche_acces_libre: Url | None = None
    prise_rdv: Url | None = None

    @field_validator("date_maj")
    @classmethod
    def _not_in_the_future(cls, value: date | None) -> date | None:
        if value is not None and value > datetime.now(UTC).date():
            raise ValueError("la date de mise à jour ne peut pas être dans le futur")
        return value

    @field_validator("longitude")
    @classmethod
    def _coordinates_in_france(cls, longitude: float | None, info: ValidationInfo) -> float | None:
        # A field validator, not a model one, so that it is reported along with every other invalid field.
        latitude = info.data.get("latitude")
        if (latitude is None) != (longitude is None):
            raise ValueError("latitude et longitude vont ensemble")
        if (
            latitude is not None
            and longitude is not None
            and not any(
                south <= latitude <= north and west <= longitude <= east
                for south, west, north, east in FRANCE_BOXES
            )
        ):
            raise ValueError("coordonnées hors de France")
        return longitude


class Quality(BaseModel):
    score: float = Field(description="0 à 1 : complétude (70 %) et fraîcheur (30 %)")
    missing: list[str] = Field(description="Critères non remplis")
    freshness: Freshness


class HoursNow(BaseModel):
    open_now: bool | None
    next_opening: datetime | None
    next_closing: datetime | None


class PlaceOut(BaseModel):
    """A place as published: the standard's fields, its territory, its state and quality."""

    id: str
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
    withdrawn_at: datetime | None
    pivot: str | None
    nom: str
    adresse: str
    complement_adresse: str | None
    commune: str
    code_postal: str
    code_insee: str
    epci_code: str | None
    departement_code: str
    latitude: float
    longitude: float
    geo_precision: str
    typologie: list[str]
    telephone: str | None
    courriels: list[str]
    site_web: list[str]
    horaires: str | None
    presentation_resume: str | None
    presentation_detail: str | None
    source: str | None
    itinerance: list[str]
    structure_parente: str | None
    date_maj: date
    services: list[str]
    publics_specifiquement_adresses: list[str]
    prise_en_charge_specifique: list[str]
    frais_a_charge: list[str]
    dispositif_programmes_nationaux: list[str]
    formations_labels: list[str]
    autres_formations_labels: list[str]
    modalites_acces: list[str]
    modalites_accompagnement: list[str]
    fiche_acces_libre: str | None
    prise_rdv: str | None
    quality: Quality
    hours: HoursNow
    distance_m: float | None = Field(None, description="Distance au point de recherche, en mètres")


class PlaceChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version: int
    at: datetime
    action: str
    actor_kind: str
    actor_name: str
    changes: dict[str, Any]


class PlaceWithPermanencesOut(PlaceOut):
    """A place as its page shows it: with the permanences held there."""

    permanences: list[PlacePermanenceOut] = Field(
        default_factory=list, description="Permanences tenues dans ce lieu (leurs créneaux ici)"
    )


class SearchResults(Page[PlaceWithPermanencesOut]):
    facets: dict[str, dict[str, int]] | None = Field(
        None, description="Nombre de lieux par valeur de chaque champ"
    )


class ChangeFeed(BaseModel):
    items: list[PlaceWithPermanencesOut] = Field(
        description="Lieux modifiés (une permanence ajoutée, changée ou retirée compte), retraits compris"
    )
    next_cursor: str | None = Field(description="À repasser en `curseur` ; absent à la fin du flux")
