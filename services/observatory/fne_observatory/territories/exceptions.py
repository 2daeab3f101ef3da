from fne_kernel.errors import Conflict, NotFound


class TerritoryNotFound(NotFound):
    code, title = "territory-not-found", "Territoire introuvable"


class GroupingExists(Conflict):
    code, title = "grouping-exists", "Ce groupement existe déjà"
