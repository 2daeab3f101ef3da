from datetime import date

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from fne_kernel.settings import ServiceSettings, sqlite_url


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="OBSERVATORY_", env_file=".env", extra="ignore")

    database_url: str = sqlite_url("observatory")
    max_body_bytes: int = 50 * 1024 * 1024  # a national dataset of 35,000 communes fits
    directory_url: str = Field(
        default="http://127.0.0.1:8001", description="The directory service (its /exports)"
    )
    surveys_url: str = Field(
        default="http://127.0.0.1:8000/api/surveys",
        description="The surveys service through the gateway (its aggregates need a key)",
    )
    surveys_api_key: str = Field(
        default="", description="API key with the surveys:read scope (fne api-key create)"
    )
    upstream_timeout: float = Field(
        default=60.0,
        description="Seconds allowed for reading a directory export or a page of survey aggregates",
    )
    upstream_retries: int = 2
    osrm_url: str = Field(
        default="",
        description="OSRM server (e.g. http://osrm:5000); empty: the built-in estimate of travel times",
    )
    osrm_timeout: float = 30.0
    osrm_max_locations: int = Field(
        default=100,
        ge=2,
        description="The OSRM server's --max-table-size: locations (origins + destinations) per request",
    )
    directory_departements: list[str] = Field(
        default=["73"],
        description="The départements the directory serves: its indicators are computed for their communes "
        "(empty: every loaded commune)",
    )
    coverage_threshold: float = Field(
        default=0.95,
        gt=0,
        le=1,
        description="Share of a territory's population its values must cover for an aggregate to be "
        "published "
        "as that territory's value (below: « données partielles »)",
    )
    focus_departement: str = Field(default="73", description="The department whose scoreboard this is")
    access_minutes: int = Field(
        default=20, ge=1, le=120, description="Threshold of the access-time indicator"
    )
    mountain_departements: list[str] = Field(
        default=["73"],
        description="Departments whose communes are all in the zone de montagne (loi Montagne): "
        "slower speeds and longer detours in the travel-time estimate",
    )
    # The roadmap computed from live data (roadmap_values/): its sources besides the directory.
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
