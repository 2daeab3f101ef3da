from fne_kernel import versions
from fne_kernel.errors import DomainError, NotFound


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
