from fne_kernel.errors import DomainError, NotFound


class InvalidAggregateQuery(DomainError):
    status, code, title = 422, "invalid-aggregate-query", "Demande d'agrégats invalide"


class NothingToExport(NotFound):
    code, title = "nothing-to-export", "Aucun questionnaire de ce code"
