from fne_kernel.errors import Conflict, NotFound


class CampaignNotFound(NotFound):
    code, title = "campaign-not-found", "Campagne introuvable"


class PublicLinkNotFound(NotFound):
    code, title = "public-link-not-found", "Lien de questionnaire inconnu ou révoqué"


class CampaignClosed(Conflict):
    code, title = "campaign-closed", "La campagne est close"


class CampaignNotOpen(Conflict):
    code, title = "campaign-not-open", "La campagne n'est pas encore ouverte"


class CampaignFull(Conflict):
    code, title = "campaign-full", "Le nombre de réponses prévu est atteint"


class ModeNotAllowed(Conflict):
    code, title = "mode-not-allowed", "Ce mode de passation n'est pas prévu par la campagne"
