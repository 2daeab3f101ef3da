from pydantic import BaseModel, ConfigDict, Field

from fne_kernel.identity import Role


class ProConnectStatus(BaseModel):
    active: bool = Field(description="Vrai quand la connexion par ProConnect est proposée")


class Approval(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role
