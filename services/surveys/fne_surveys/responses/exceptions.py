from fne_kernel.errors import Conflict, DomainError, NotFound


class ResponseNotFound(NotFound):
    code, title = "response-not-found", "Réponse introuvable"


class RespondentNotFound(NotFound):
    code, title = "respondent-not-found", "Aucune donnée pour ce code bénéficiaire"


class DuplicateSubmission(Conflict):
    code, title = "duplicate-submission", "Soumission déjà reçue (même clé d'idempotence)"


class PhaseAlreadyCompleted(Conflict):
    code, title = "phase-already-completed", "Cette phase est déjà remplie pour cette personne"


class ResumeTokenInvalid(DomainError):
    status, code, title = 403, "resume-token-invalid", "Jeton de reprise absent ou invalide"


class VersionConflict(DomainError):
    status, code, title = 412, "version-conflict", "La réponse a été modifiée entre-temps"
