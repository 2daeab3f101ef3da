from fne_kernel import versions
from fne_kernel.errors import Conflict, DomainError, NotFound


class PlaceNotFound(NotFound):
    code, title = "place-not-found", "Lieu introuvable"


class VersionConflict(versions.VersionConflict):
    title = "Le lieu a été modifié entre-temps"
    advice = (
        "Quelqu'un d'autre a modifié ce lieu depuis votre lecture : rechargez-le puis réappliquez vos "
        "changements."
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
