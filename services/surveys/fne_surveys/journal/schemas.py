from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class AccessRecordOut(BaseModel):
    id: int
    at: datetime
    actor: str = Field(description="The account or API key")
    actor_kind: str
    actor_name: str | None
    action: str = Field(description="export-reponses (raw responses) or export-repondant (a person's data)")
    details: dict[str, Any]
