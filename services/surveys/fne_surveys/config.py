import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from fne_kernel.settings import ServiceSettings, sqlite_url

# Below this many respondents a published figure can single a person out, whatever the configuration says.
MIN_CELL_SIZE_FLOOR = 5


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SURVEYS_", env_file=".env", extra="ignore")

    database_url: str = sqlite_url("surveys")
    pseudonym_key: str = Field(
        default="",
        description="Secret keying the hash that turns a beneficiary code into a pseudonym (32+ chars)",
    )
    pseudonym_key_file: Path = Field(
        default=Path("var/surveys-pseudonym.key"),
        description="Where the secret is read from when pseudonym_key is empty; created on first start",
    )
    min_cell_size: int = Field(
        default=11, description="Aggregates: cells with fewer respondents are suppressed"
    )
    published_period: Literal["annee", "trimestre", "mois"] = Field(
        default="annee",
        description="The one period aggregates are published by (docs/disclosure.md: two "
        "granularities would let a caller subtract one from the other)",
    )
    frameworks_dir: Path | None = Field(
        default=None,
        description="Extra directory of framework definition files (e.g. the network's own toile)",
    )
    install_shipped_questionnaires: bool = Field(
        default=True, description="Publish the three ready questionnaires at start-up when they are missing"
    )
    default_retention_days: int = Field(default=730, ge=1, description="Retention of a campaign's responses")

    @field_validator("min_cell_size")
    @classmethod
    def _not_below_floor(cls, value: int) -> int:
        if value < MIN_CELL_SIZE_FLOOR:
            raise ValueError(f"min_cell_size ne peut pas descendre sous {MIN_CELL_SIZE_FLOOR}")
        return value

    @field_validator("pseudonym_key")
    @classmethod
    def _long_enough(cls, value: str) -> str:
        if value and len(value) < 32:
            raise ValueError("pseudonym_key : 32 caractères au moins")
        return value

    def resolved_pseudonym_key(self) -> bytes:
        """The secret: given inline (a Kubernetes secret), or kept in a file created with the first start.

        Losing it unlinks every returning beneficiary from their earlier answers, hence a file rather than a
        fresh secret at each start."""
        if self.pseudonym_key:
            return self.pseudonym_key.encode()
        path = self.pseudonym_key_file
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                with path.open("x") as created:  # another worker starting at the same moment may win
                    os.chmod(path, 0o600)
                    created.write(secrets.token_urlsafe(48))
            except FileExistsError:
                pass
        return path.read_text().strip().encode()
