from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from fne_gateway.auth.passwords import MAX_LENGTH, MIN_LENGTH, password_problem
from fne_kernel.identity import API_KEY_SCOPES, Role

Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, to_lower=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
    ),
]
if TYPE_CHECKING:  # the scopes are known when the module runs; to the type checker, a scope is a string
    ApiKeyScope = str
else:
    ApiKeyScope = Literal[*sorted(API_KEY_SCOPES)]
DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


def _acceptable(password: str) -> str:
    if problem := password_problem(password):
        raise ValueError(problem)
    return password


NewPassword = Annotated[
    str,
    Field(
        min_length=MIN_LENGTH,
        max_length=MAX_LENGTH,
        description=(
            "12 caractères au moins hors espaces, difficile à deviner (une phrase de quelques mots peu "
            "communs)"
        ),
    ),
    AfterValidator(_acceptable),
]


class LoginRequest(BaseModel):
    email: Email
    password: Annotated[str, Field(min_length=1, max_length=1024)]


class UserCreate(BaseModel):
    """No password: the person sets their own with the one-time link in the response, so the administrator
    never knows it and it never travels through e-mail or chat in clear."""

    model_config = ConfigDict(extra="forbid")

    email: Email
    display_name: DisplayName
    role: Role


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: DisplayName | None = None
    role: Role | None = None


class AccountUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: DisplayName


class PasswordChange(BaseModel):
    current_password: Annotated[str, Field(min_length=1, max_length=1024)]
    new_password: NewPassword


class PasswordSet(BaseModel):
    token: Annotated[str, Field(min_length=1, max_length=128)]
    new_password: NewPassword


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    email: str
    display_name: str
    role: Role
    active: bool
    pending: bool = Field(
        False, description="Créé par une première connexion ProConnect, en attente d'un rôle"
    )
    password_set: bool = Field(description="Faux tant que la personne n'a pas choisi son mot de passe")
    password_changed_at: datetime | None
    password_token_expires_at: datetime | None = Field(
        description="Fin de validité du lien d'invitation ou de réinitialisation en cours"
    )
    created_at: datetime
    created_by: str | None
    updated_at: datetime | None
    updated_by: str | None
    last_login_at: datetime | None


class PasswordToken(BaseModel):
    token: str | None = Field(
        description="Le secret du lien, affiché cette seule fois : /mot-de-passe#<token> ; "
        "absent quand il est parti par courriel"
    )
    expires_at: datetime
    sent_by_email: bool = False


class UserCreated(UserOut):
    password_token: PasswordToken | None = Field(
        description="Absent quand le lien est parti par courriel (serveur SMTP configuré)"
    )
    sent_by_email: bool = False


class LoginResponse(BaseModel):
    user: UserOut
    csrf_token: str = Field(description="À renvoyer dans l'en-tête X-CSRF-Token des requêtes qui modifient")
    expires_at: datetime


class ApiKeyCreate(BaseModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    scopes: Annotated[list[ApiKeyScope], Field(min_length=1)]
    expires_at: AwareDatetime | None = None

    @field_validator("expires_at")
    @classmethod
    def _in_the_future(cls, value: datetime | None) -> datetime | None:
        if value is not None and value <= datetime.now(UTC):
            raise ValueError("la date d'expiration doit être dans le futur")
        return value


class ApiKeyOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="Le secret, affiché cette seule fois")


class Me(BaseModel):
    kind: str
    subject: str
    name: str
    role: str | None
    scopes: list[str]
