from pydantic_settings import SettingsConfigDict

from fne_kernel.settings import ServiceSettings, sqlite_url


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SURVEYS_", env_file=".env", extra="ignore")

    database_url: str = sqlite_url("surveys")
