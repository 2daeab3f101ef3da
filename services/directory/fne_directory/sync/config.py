"""The synchronisation's settings, part of the directory's (environment prefix DIRECTORY_).

Secrets (tokens) come from the environment or a Kubernetes secret, never from the database or the API.
"""

from typing import Literal

from pydantic import BaseModel, Field

DEFAULT_MEDNUM73_FIELDS = {
    # Standard field → the YesWiki form's field (property name); the usual Bazar names by default.
    "nom": "bf_titre",
    "adresse": "bf_adresse",
    "code_postal": "bf_code_postal",
    "commune": "bf_ville",
    "latitude": "bf_latitude",
    "longitude": "bf_longitude",
    "telephone": "bf_telephone",
    "courriels": "bf_mail",
    "site_web": "bf_site_internet",
    "horaires": "bf_horaires",
    "presentation_resume": "bf_chapeau",
    "presentation_detail": "bf_description",
    "pivot": "bf_siret",
}


class SyncSettings(BaseModel):
    """Mixed into fne_directory.config.Settings: one flat setting each, as the deployment files name them."""

    sync_departement: str = Field("73", description="Department whose places are synchronised (INSEE code)")
    sync_data_inclusion_url: str = Field(
        "", description="data·inclusion API root, e.g. https://api-staging.data.inclusion.gouv.fr; empty: off"
    )
    sync_data_inclusion_token: str = ""
    sync_data_inclusion_sources: str = Field(
        "",
        description="Comma-separated data·inclusion producers to keep (e.g. dora,mediation-numerique); "
        "empty: all",
    )
    sync_data_inclusion_interval_minutes: int = Field(1440, ge=0, description="0: never scheduled")
    sync_dora_url: str = Field(
        "", description="DORA API root, e.g. https://api.dora.inclusion.beta.gouv.fr; empty: off"
    )
    sync_dora_token: str = ""
    sync_dora_interval_minutes: int = Field(1440, ge=0)
    sync_mednum73_url: str = Field(
        "", description="The Mednum73 YesWiki root (the page before `?api/…`); empty: off"
    )
    sync_mednum73_form_id: str = "1"
    sync_mednum73_fields: dict[str, str] = Field(
        default_factory=dict,
        description="JSON: standard field → form field, over the bf_* defaults; "
        "list fields (checkbox…, radio…) are decoded with the form's options",
    )
    sync_mednum73_interval_minutes: int = Field(360, ge=0)
    sync_precedence: Literal["date_maj", "priority"] = Field(
        "date_maj",
        description="Which source a merged place's field comes from: the most recently updated "
        "record, or the first source in sync_source_priority",
    )
    sync_source_priority: list[str] = Field(
        default_factory=lambda: ["mednum73", "dora", "data-inclusion"],
        description="Sources from most to least trusted; files and unlisted sources come after",
    )
    sync_merge_precision: float = Field(
        0.99,
        gt=0.5,
        lt=1,
        description="Automatic merges hold this precision: the threshold is the lowest match "
        "probability from which the pairs' mean probability reaches it",
    )
    sync_auto_merge_score: float = Field(
        0.5, gt=0, le=1, description="Never merged automatically below this match probability"
    )
    sync_review_score: float = Field(
        0.3, gt=0, le=1, description="From this match probability, proposed for review"
    )
    sync_page_size: int = Field(500, ge=1, le=10_000)
    sync_http_timeout: float = 30.0
    sync_http_retries: int = Field(4, ge=0, le=10)
    sync_http_backoff: float = Field(
        0.5, ge=0, description="First wait between retries, in seconds (doubled each time)"
    )
    sync_scheduler: bool = Field(
        True,
        description="Run due synchronisations from the service itself; turn off "
        "where a CronJob runs `fne sync due`",
    )

    def mednum73_fields(self) -> dict[str, str]:
        return {**DEFAULT_MEDNUM73_FIELDS, **self.sync_mednum73_fields}
