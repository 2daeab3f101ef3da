from fne_kernel.errors import Conflict, DomainError, NotFound


class FetchFailed(Exception):
    """A source could not be read to the end (after retries): what was stored stays, nothing is withdrawn."""


class UnknownSource(NotFound):
    code, title = "sync-source-unknown", "Source de synchronisation inconnue"


class SourceNotConfigured(DomainError):
    status, code, title = 409, "sync-source-not-configured", "Source non configurée"


class AlreadyRunning(Conflict):
    code, title = "sync-already-running", "Une synchronisation de cette source est déjà en cours"


class JobNotFound(NotFound):
    code, title = "sync-job-not-found", "Synchronisation introuvable"


class JobFinished(Conflict):
    code, title = "sync-job-finished", "Synchronisation déjà terminée"


class CandidateNotFound(NotFound):
    code, title = "sync-candidate-not-found", "Proposition de fusion introuvable"


class CandidateDecided(Conflict):
    code, title = "sync-candidate-decided", "Proposition déjà traitée"


class RecordNotFound(NotFound):
    code, title = "sync-record-not-found", "Enregistrement source introuvable"


class NotMerged(Conflict):
    code, title = "sync-record-not-merged", "Cet enregistrement n'est pas fusionné avec d'autres"


class UnreadableFile(DomainError):
    status, code, title = 422, "sync-file-unreadable", "Fichier illisible"


class NotManual(NotFound):
    code, title = "sync-field-not-manual", "Ce champ du lieu n'est pas une saisie manuelle"


class PlaceMergeNotFound(NotFound):
    code, title = "sync-place-merge-not-found", "Paire de lieux introuvable"


class PlaceMergeDecided(Conflict):
    code, title = "sync-place-merge-decided", "Paire de lieux déjà traitée"


class PlacesNotMergeable(Conflict):
    code, title = "sync-places-not-mergeable", "Ces lieux ne peuvent pas être fusionnés"
