from fne_kernel import versions
from fne_kernel.errors import Conflict, NotFound


class TrainingNotFound(NotFound):
    code, title = "training-not-found", "Session de formation introuvable"


class RegistrationNotFound(NotFound):
    code, title = "registration-not-found", "Inscription introuvable"


class TrainingFull(Conflict):
    code, title = "training-full", "La session est complète"


class TrainingCancelled(Conflict):
    code, title = "training-cancelled", "La session est annulée"


class AlreadyRegistered(Conflict):
    code, title = "already-registered", "Cette personne est déjà inscrite à la session"


class CapacityBelowRegistrations(Conflict):
    code, title = "capacity-below-registrations", "La capacité serait inférieure au nombre d'inscrits"


class TrainingChanged(versions.VersionConflict):
    title = "La session de formation a été modifiée entre-temps"
    advice = (
        "Quelqu'un d'autre a modifié cette session depuis votre lecture : rechargez-la puis réappliquez "
        "vos changements."
    )
