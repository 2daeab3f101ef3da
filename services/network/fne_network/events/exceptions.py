from fne_kernel import versions
from fne_kernel.errors import Conflict, NotFound


class EventNotFound(NotFound):
    code, title = "event-not-found", "Événement introuvable"


class EventNotHeld(Conflict):
    code, title = "event-not-held", "L'événement n'a pas encore eu lieu"


class EventChanged(versions.VersionConflict):
    title = "L'événement a été modifié entre-temps"
    advice = (
        "Quelqu'un d'autre a modifié cet événement depuis votre lecture : rechargez-le puis réappliquez "
        "vos changements."
    )
