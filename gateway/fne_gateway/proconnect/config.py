from pydantic import BaseModel, Field, SecretStr


class ProConnectSettings(BaseModel):
    """ProConnect (OpenID Connect) sign-in, part of the gateway's settings (GATEWAY_PROCONNECT_…).
    Without an issuer, the button is not offered and local passwords are the only way in."""

    proconnect_issuer: str = Field(
        default="", description="Issuer URL, e.g. https://auth.agentconnect.gouv.fr/api/v2 ; empty: off"
    )
    proconnect_client_id: str = ""
    proconnect_client_secret: SecretStr = SecretStr("")
    proconnect_scopes: str = "openid email given_name usual_name siret"
    # ProConnect asks for an "eidas1" level; another OpenID provider may need none.
    proconnect_acr_values: str = "eidas1"
    proconnect_timeout: float = 10.0

    @property
    def proconnect_enabled(self) -> bool:
        return bool(self.proconnect_issuer and self.proconnect_client_id)
