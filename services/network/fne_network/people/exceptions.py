from fne_kernel.errors import NotFound


class PersonNotFound(NotFound):
    code, title = "person-not-found", "Personne introuvable"
