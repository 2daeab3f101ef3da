from fne_kernel.errors import DomainError, NotFound


class NoPublishedValues(NotFound):
    code, title = "no-published-values", "Aucune valeur publiée"


class LevelNotPublished(DomainError):
    status, code, title = 422, "level-not-published", "Niveau non publié pour cet indicateur"
