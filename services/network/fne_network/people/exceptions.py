from fne_kernel import versions
from fne_kernel.errors import NotFound


class PersonNotFound(NotFound):
    code, title = "person-not-found", "Personne introuvable"


class PersonChanged(versions.VersionConflict):
    title = "La personne a été modifiée entre-temps"
    advice = (
        "Quelqu'un d'autre a modifié cette personne depuis votre lecture : rechargez-la puis réappliquez "
        "vos changements."
    )
