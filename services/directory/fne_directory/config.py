from pydantic import Field
from pydantic_settings import SettingsConfigDict

from fne_directory.sync.config import SyncSettings
from fne_kernel.settings import ServiceSettings, sqlite_url


class Settings(ServiceSettings, SyncSettings):
    model_config = SettingsConfigDict(env_prefix="DIRECTORY_", env_file=".env", extra="ignore")

    database_url: str = sqlite_url("directory")
    geocoder_url: str = Field(
        default="", description="BAN geocoding endpoint (e.g. https://data.geopf.fr/geocodage/search); empty: off")
    geocoder_timeout: float = 3.0
