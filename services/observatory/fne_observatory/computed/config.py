from datetime import date

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ComputedSettings(BaseSettings):
    """The sources of the computed roadmap (environment prefix OBSERVATORY_, like the observatory)."""

    model_config = SettingsConfigDict(env_prefix="OBSERVATORY_", env_file=".env", extra="ignore")

    network_url: str = Field(
        default="http://127.0.0.1:8004", description="The network service (its /statistiques)"
    )
    coop_url: str = Field(
        default="https://coop-numerique.anct.gouv.fr/api/v1",
        description="La Coop de la médiation numérique, API v1",
    )
    coop_token: SecretStr = Field(
        default=SecretStr(""), description="client-id:client-secret given by La Coop; empty: connector off"
    )
    coop_since: date = Field(
        default=date(2024, 1, 1), description="Activities created since this day are read"
    )
    roadmap_refresh_hours: float = Field(
        default=24, ge=0, description="Hours between two automatic computations of the roadmap; 0: never"
    )
