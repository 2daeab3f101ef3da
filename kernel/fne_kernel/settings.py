from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Relative SQLite paths resolve against the working directory; `fne up` runs from the repository root.
DEFAULT_DATA_DIR = Path("var")


def read_key(value: str) -> str:
    """A PEM key given inline, or the path of a file holding it (Kubernetes secrets are mounted as files)."""
    value = value.strip()
    if not value or value.startswith("-----BEGIN"):
        return value
    return Path(value).read_text()


class ServiceSettings(BaseSettings):
    """Settings every service shares; each service subclasses it with its own environment prefix."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str
    identity_public_key: str = Field(
        default="",
        description="Ed25519 public key (PEM or file path) that verifies the gateway's identity tokens",
    )
    log_level: str = "INFO"
    access_log: bool = True
    max_body_bytes: int = 10 * 1024 * 1024
    database_pool_size: int = 10
    database_echo: bool = False
    # PostgreSQL run-time parameters of the service's connections. A service answers many small queries at
    # once: compiling them (JIT) costs more than it saves.
    database_server_settings: dict[str, str] = Field(default_factory=lambda: {"jit": "off"})

    @field_validator("identity_public_key")
    @classmethod
    def _load_key(cls, value: str) -> str:
        return read_key(value)


def sqlite_url(name: str) -> str:
    return f"sqlite+aiosqlite:///{DEFAULT_DATA_DIR / f'{name}.db'}"
