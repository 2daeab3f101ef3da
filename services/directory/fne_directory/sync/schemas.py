from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from fne_kernel.pagination import Page

if TYPE_CHECKING:
    from fne_directory.sync.models import SyncJob


# A run's state and trigger, and the names of its counts, as the public API says them (docs/architecture.md,
# § Naming); the database keeps the code's words, translated here only.
JobState = Literal["en_cours", "reussie", "partielle", "echouee", "annulee", "interrompue"]
PUBLIC_STATUS: dict[str, JobState] = {
    "running": "en_cours",
    "succeeded": "reussie",
    "partial": "partielle",
    "failed": "echouee",
    "cancelled": "annulee",
    "interrupted": "interrompue",
}
Trigger = Literal["api", "cli", "planification", "import"]
PUBLIC_TRIGGER: dict[str, Trigger] = {
    "api": "api",
    "cli": "cli",
    "schedule": "planification",
    "import": "import",
}
PUBLIC_COUNTS = {
    "fetched": "lus",
    "records_new": "nouveaux",
    "records_changed": "modifies_a_la_source",
    "unchanged": "inchanges",
    "withdrawn": "retires",
    "quarantined": "en_quarantaine",
    "out_of_scope": "hors_territoire",
    "duplicates": "doublons",
    "pairs_compared": "paires_comparees",
    "created": "crees",
    "updated": "mis_a_jour",
    "restored": "restaures",
    "merged": "fusionnes",
    "for_review": "a_examiner",
    "places_withdrawn": "lieux_retires",
}


class JobOut(BaseModel):
    """A synchronisation run, shown as the observatory's computations are."""

    id: str
    source: str
    declencheur: Trigger
    cree_par: str = Field(description="Qui a lancé la synchronisation")
    statut: JobState
    commence_le: datetime
    signe_de_vie_le: datetime = Field(description="Dernier signe de vie de la synchronisation en cours")
    termine_le: datetime | None
    annulation_demandee: bool
    instantane_complet: bool = Field(description="Instantané complet : les absents ont été retirés")
    compteurs: dict[str, int] = Field(
        description="lus, nouveaux, modifies_a_la_source, inchanges, retires, en_quarantaine, "
        "hors_territoire, doublons, paires_comparees, crees, mis_a_jour, restaures, fusionnes, a_examiner, "
        "lieux_retires"
    )
    erreurs: list[dict[str, Any]]
    message: str | None

    @classmethod
    def of(cls, job: "SyncJob") -> "JobOut":
        return cls(
            id=job.id,
            source=job.source,
            declencheur=PUBLIC_TRIGGER[job.trigger],
            cree_par=job.actor,
            statut=PUBLIC_STATUS[job.status],
            commence_le=job.started_at,
            signe_de_vie_le=job.heartbeat_at,
            termine_le=job.finished_at,
            annulation_demandee=job.cancel_requested,
            instantane_complet=job.complete_snapshot,
            compteurs={PUBLIC_COUNTS.get(name, name): value for name, value in job.counts.items()},
            erreurs=job.errors,
            message=job.message,
        )


class SourceOut(BaseModel):
    nom: str
    libelle: str
    configuree: bool
    intervalle_minutes: int | None
    derniere_tache: JobOut | None
    prochaine_execution_le: datetime | None = Field(
        description="Prochaine exécution planifiée (si planifiée)"
    )


class RecordOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    source: str
    kind: str
    source_id: str
    status: str = Field(description="active | quarantined | withdrawn | out_of_scope")
    place_id: str | None
    date_maj: date | None
    first_seen_at: datetime
    last_seen_at: datetime
    withdrawn_at: datetime | None
    quarantine_reasons: list[dict[str, Any]] | None
    warnings: list[dict[str, Any]] | None


class RecordDetail(RecordOut):
    raw: dict[str, Any]
    normalised: dict[str, Any] | None


class CandidateOut(BaseModel):
    id: int
    status: str = Field(description="pending | confirmed | rejected | merged (automatique) | split")
    score: float
    reasons: dict[str, Any] = Field(description="Similarité ou accord de chaque critère")
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    record: RecordOut
    record_values: dict[str, Any] | None = Field(description="Le lieu selon la source")
    place_id: str
    place_values: dict[str, Any] = Field(description="Le lieu de l'annuaire proposé")
    cluster: list[RecordOut] = Field(
        default_factory=list,
        description="Les enregistrements qui forment déjà le lieu proposé (la grappe à rejoindre)",
    )


class FieldSource(BaseModel):
    field: str
    source: str = Field(
        description="La source qui a donné la valeur, ou `manual` : saisie par une personne, "
        "gardée par les synchronisations jusqu'à sa libération"
    )
    record_id: int | None
    source_id: str | None
    date_maj: date | None
    rule: str = Field(description="date_maj | priority (règle de préséance), ou manual")
    edited_by: str | None = Field(None, description="Saisie manuelle : par qui")
    edited_at: datetime | None = Field(None, description="Saisie manuelle : quand")


class MergeOut(BaseModel):
    record_id: int
    status: str = Field(description="merged (automatique) | confirmed (par une personne)")
    score: float = Field(description="Probabilité que l'enregistrement et le lieu soient le même lieu")
    reasons: dict[str, Any] = Field(
        description="Par critère, le niveau d'accord et son poids (log2 m/u), et la grappe d'enregistrements"
    )
    created_at: datetime


class PlaceMergeOut(BaseModel):
    """Two published places found to be one: proposed, merged (one retired into the other), rejected or
    split."""

    id: int
    status: str = Field(description="pending | merged | rejected | split (fusion défaite)")
    score: float = Field(description="Probabilité que les deux lieux soient le même lieu")
    reasons: dict[str, Any] = Field(
        description="Par critère, le niveau d'accord et son poids (log2 m/u) ; `pont` : l'enregistrement "
        "qui relie les deux lieux ; `conflits` : les saisies manuelles écartées ; `decision` : automatique, "
        "revue ou coordinateur"
    )
    created_at: datetime
    decided_at: datetime | None
    decided_by: str | None
    split_at: datetime | None
    split_by: str | None
    place_id: str = Field(description="Le lieu conservé (son identifiant reste)")
    other_id: str = Field(description="Le lieu retiré, redirigé vers le lieu conservé")
    place_values: dict[str, Any] | None = None
    other_values: dict[str, Any] | None = None
    place_records: list[RecordOut] = Field(default_factory=list)
    other_records: list[RecordOut] = Field(
        default_factory=list, description="Ses enregistrements (après la fusion : dans le lieu conservé)"
    )


class PlaceMergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doublon: str = Field(
        min_length=1,
        max_length=36,
        description="Le lieu à fusionner dans celui-ci : retiré, son adresse redirige vers ce lieu",
    )


class ProvenanceOut(BaseModel):
    place_id: str
    fields: list[FieldSource]
    records: list[RecordOut]
    merges: list[MergeOut] = Field(
        default_factory=list, description="Pourquoi chaque enregistrement a rejoint le lieu"
    )
    place_merges: list[PlaceMergeOut] = Field(
        default_factory=list, description="Les lieux fusionnés dans celui-ci, et pourquoi"
    )


class Difference(BaseModel):
    field: str
    values: dict[str, Any] = Field(
        description="Valeur par source (et `manual` : la valeur saisie dans l'annuaire)"
    )
    manual: bool = Field(
        False,
        description="Le champ a été saisi à la main dans l'annuaire et les synchronisations "
        "le gardent : c'est la source qui est à corriger",
    )


class ReconciliationEntry(BaseModel):
    place_id: str
    nom: str
    commune: str
    present_in: list[str]
    missing_from: list[str]
    differences: list[Difference]


class ReconciliationPage(Page[ReconciliationEntry]):
    sources: list[str] = Field(description="Sources comparées (celles qui sont configurées)")
