from fne_kernel.errors import Conflict, NotFound


class JobNotFound(NotFound):
    code, title = "computation-job-not-found", "Calcul introuvable"


class ComputationRunning(Conflict):
    code, title = "computation-running", "Un calcul du même type est déjà en cours"


class JobFinished(Conflict):
    code, title = "computation-finished", "Calcul terminé : rien à annuler"
