from fne_kernel.errors import Conflict, DomainError, NotFound


class PlaceNotFound(NotFound):
    code, title = "place-not-found", "Lieu introuvable"


class PreconditionRequired(DomainError):
    status, code, title = 428, "precondition-required", "En-tête If-Match requis"

    def __init__(self) -> None:
        super().__init__("Renvoyez l'ETag obtenu à la lecture dans l'en-tête If-Match, pour ne rien écraser.")


class VersionConflict(DomainError):
    status, code, title = 412, "version-conflict", "Le lieu a été modifié entre-temps"

    def __init__(self, current_version: int, current_etag: str) -> None:
        super().__init__(
            "Quelqu'un d'autre a modifié ce lieu depuis votre lecture : rechargez-le puis réappliquez "
            "vos changements.",
            current_version=current_version,
            current_etag=current_etag,
        )


class InvalidSearch(DomainError):
    status, code, title = 422, "invalid-search", "Recherche invalide"


class PlaceMerged(Conflict):
    code, title = "place-merged", "Lieu fusionné dans un autre"

    def __init__(self, kept_id: str) -> None:
        super().__init__(
            f"Ce lieu a été fusionné dans le lieu {kept_id} : modifiez celui-ci, ou séparez d'abord "
            "la fusion.",
            remplace_par=kept_id,
        )
