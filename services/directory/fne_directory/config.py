from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from fne_directory.freshness.config import FreshnessSettings
from fne_directory.sync.config import SyncSettings
from fne_directory.text import WORD_SIMILARITY_THRESHOLD
from fne_kernel.mail.settings import MailSettings
from fne_kernel.settings import ServiceSettings, sqlite_url


class Settings(ServiceSettings, SyncSettings, FreshnessSettings, MailSettings):
    model_config = SettingsConfigDict(env_prefix="DIRECTORY_", env_file=".env", extra="ignore")

    database_url: str = sqlite_url("directory")
    geocoder_url: str = Field(
        default="",
        description="BAN geocoding endpoint (e.g. https://data.geopf.fr/geocodage/search); empty: off",
    )
    geocoder_timeout: float = 3.0
    # Rendered exports kept while the directory is unchanged (exports/cache.py); 0 turns the cache off.
    export_cache_bytes: int = 64 * 1024 * 1024
    # Facet counts of searches kept while the directory is unchanged (places/search.py); 0 keeps none.
    facet_cache_entries: int = 4096
    # The longest a write takes to commit: a kept export or facet count may lag that long behind a change
    # (places/versions.py).
    cache_settle_seconds: float = 60.0
    # Searches are many small queries: a parallel plan's workers would take the cores other requests need.
    database_server_settings: dict[str, str] = Field(
        default_factory=lambda: {"jit": "off", "max_parallel_workers_per_gather": "0"}
    )

    @field_validator("database_server_settings")
    @classmethod
    def _with_text_matching_threshold(cls, value: dict[str, str]) -> dict[str, str]:
        """Text search's threshold is the code's, whatever else a deployment sets."""
        return {**value, "pg_trgm.word_similarity_threshold": str(WORD_SIMILARITY_THRESHOLD)}
