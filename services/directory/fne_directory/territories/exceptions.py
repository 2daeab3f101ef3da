from fne_kernel.errors import NotFound


class CommuneNotFound(NotFound):
    code, title = "commune-not-found", "Commune introuvable"
