from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from fne_observatory.imports.schemas import ImportOut

# A job's state as the public API says it (the code's JobStatus, mapped in service.job_out).
JobState = Literal["en_attente", "en_cours", "reussie", "echouee", "interrompue", "annulee"]


class JobOut(BaseModel):
    """A long computation, as the directory's synchronisation jobs are shown."""

    id: str
    type: str = Field(description="annuaire | enquetes | feuille-de-route")
    statut: JobState
    avancement: float = Field(ge=0, le=1, description="Part faite, de 0 à 1")
    message: str | None = Field(description="L'étape en cours, ou ce qui a arrêté le calcul")
    parametres: dict[str, Any]
    cree_par: str = Field(description="Qui a lancé le calcul")
    cree_le: datetime
    commence_le: datetime | None
    signe_de_vie_le: datetime = Field(description="Dernier signe de vie du calcul en cours")
    termine_le: datetime | None
    import_id: str | None = Field(description="La version publiée par le calcul, une fois réussi")
    resultat: ImportOut | None = Field(description="Le calcul publié (rapport compris), une fois réussi")
    resultats: list[ImportOut] = Field(
        description="Toutes les versions publiées (ou vérifiées inchangées) par le calcul : une par source "
        "pour la feuille de route"
    )
    ignorees: dict[str, str] = Field(description="Sources laissées de côté, et pourquoi (feuille de route)")
    annule_par: str | None = Field(description="Qui a annulé le calcul")
    erreur: dict[str, Any] | None = Field(description="Le problème (RFC 9457) qui a fait échouer le calcul")
