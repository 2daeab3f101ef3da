from fne_kernel.errors import Conflict, DomainError, NotFound


class ImportNotFound(NotFound):
    code, title = "import-not-found", "Import introuvable"


class ImportInvalid(DomainError):
    """The file was read, and the validation report lists what is wrong: nothing was stored."""

    status, code, title = 422, "import-invalid", "Fichier refusé : voir le rapport de validation"


class UnreadableUpload(DomainError):
    status, code, title = 422, "unreadable-file", "Fichier illisible"


class ImportConflict(Conflict):
    code, title = "import-conflict", "Des valeurs publiées par un autre jeu de données occupent ces cases"


class ImportStateConflict(Conflict):
    code, title = "import-state", "Opération impossible dans l'état de l'import"
