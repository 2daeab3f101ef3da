from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from fne_observatory.imports.schemas import ImportOut


class JobOut(BaseModel):
    """A long computation, as the directory's synchronisation jobs are shown."""

    id: str
    kind: str = Field(description="annuaire | enquetes")
    status: str = Field(description="queued | running | succeeded | failed | interrupted")
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
    error: dict[str, Any] | None = Field(description="Le problème (RFC 9457) qui a fait échouer le calcul")
