from fne_kernel.errors import NotFound


class ObjectiveNotFound(NotFound):
    code, title = "objective-not-found", "Objectif introuvable"


class RoadmapIndicatorNotFound(NotFound):
    code, title = "roadmap-indicator-not-found", "Indicateur de la feuille de route introuvable"


class MilestoneNotFound(NotFound):
    code, title = "milestone-not-found", "Jalon introuvable"


class MeetingNotFound(NotFound):
    code, title = "meeting-not-found", "Réunion introuvable"
