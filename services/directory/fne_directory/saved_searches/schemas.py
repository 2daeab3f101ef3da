from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    ),
]


class Subscription(BaseModel):
    model_config = ConfigDict(extra="forbid")

    courriel: Email
    recherche: Annotated[str, StringConstraints(max_length=2000)] = Field(
        description="Les filtres de la recherche, comme dans l'adresse de GET /lieux (ex. code_insee=73065)"
    )
    libelle: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None


class ConfirmBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    jeton: Annotated[str, StringConstraints(min_length=20, max_length=128)]


class SubscriptionState(BaseModel):
    statut: str = Field(description="confirmation_envoyee | confirmee | desinscrite")
