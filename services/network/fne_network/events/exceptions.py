from fne_kernel.errors import Conflict, NotFound


class EventNotFound(NotFound):
    code, title = "event-not-found", "Événement introuvable"


class EventNotHeld(Conflict):
    code, title = "event-not-held", "L'événement n'a pas encore eu lieu"
