from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from fne_observatory.imports.schemas import ImportOut


class JobOut(BaseModel):
    """A long computation, as the directory's synchronisation jobs are shown."""

    id: str
    kind: str = Field(description="annuaire | enquetes | feuille-de-route")
    status: str = Field(description="queued | running | succeeded | failed | interrupted | cancelled")
    progress: float = Field(ge=0, le=1, description="Part faite, de 0 à 1")
    message: str | None = Field(description="L'étape en cours, ou ce qui a arrêté le calcul")
    parameters: dict[str, Any]
    actor: str
    created_at: datetime
    started_at: datetime | None
    heartbeat_at: datetime
    finished_at: datetime | None
    import_id: str | None = Field(description="La version publiée par le calcul, une fois réussi")
    result: ImportOut | None = Field(description="Le calcul publié (rapport compris), une fois réussi")
    results: list[ImportOut] = Field(
        description="Toutes les versions publiées (ou vérifiées inchangées) par le calcul : une par source "
        "pour la feuille de route"
    )
    skipped: dict[str, str] = Field(description="Sources laissées de côté, et pourquoi (feuille de route)")
    cancelled_by: str | None = Field(description="Qui a annulé le calcul")
    error: dict[str, Any] | None = Field(description="Le problème (RFC 9457) qui a fait échouer le calcul")
