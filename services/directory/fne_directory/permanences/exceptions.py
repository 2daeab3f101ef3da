from fne_kernel.errors import NotFound


class PermanenceNotFound(NotFound):
    code, title = "permanence-not-found", "Permanence introuvable"
