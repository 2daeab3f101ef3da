from pydantic import Field
from pydantic_settings import SettingsConfigDict

from fne_kernel.settings import ServiceSettings, sqlite_url


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NETWORK_", env_file=".env", extra="ignore")

    database_url: str = sqlite_url("network")
    public_url: str = Field(
        default="http://localhost:8000",
        description="Public address of the web app: event pages' links in the iCalendar feed and JSON-LD",
    )
    calendar_name: str = Field(
        default="Agenda de l'inclusion numérique en Savoie", description="Name of the iCalendar feed"
    )
    statistics_cache_seconds: int = Field(
        default=300, ge=0, description="How long callers may cache GET /statistiques"
    )
