from fne_kernel.errors import Conflict, NotFound


class IndicatorNotFound(NotFound):
    code, title = "indicator-not-found", "Indicateur introuvable"


class IndicatorExists(Conflict):
    code, title = "indicator-exists", "Cet indicateur existe déjà"


class RuleLocked(Conflict):
    code, title = "indicator-rule-locked", "Règle de calcul figée par des valeurs publiées"


class PublicationBusy(Conflict):
    code, title = "publication-busy", "Publication concurrente"
