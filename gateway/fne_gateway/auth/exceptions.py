from fne_kernel.errors import Conflict, DomainError, Forbidden, NotFound, Unauthenticated


class InvalidCredentials(Unauthenticated):
    code, title = "invalid-credentials", "Identifiants invalides"


class AccountDeactivated(Forbidden):
    code, title = "account-deactivated", "Compte désactivé"


class InvalidPasswordToken(DomainError):
    status, code, title = 400, "invalid-password-token", "Lien invalide, expiré ou déjà utilisé"


class LastActiveAdmin(Conflict):
    code, title = "last-active-admin", "Dernier administrateur actif"

    def __init__(self) -> None:
        super().__init__(
            "La plateforme doit garder au moins un administrateur actif : nommez-en un autre d'abord."
        )


class EmailAlreadyUsed(Conflict):
    code, title = "email-already-used", "Adresse électronique déjà utilisée"


class ApiKeyNotFound(NotFound):
    code, title = "api-key-not-found", "Clé d'API introuvable"


class UserNotFound(NotFound):
    code, title = "user-not-found", "Utilisateur introuvable"


class RateLimited(DomainError):
    status, code, title = 429, "rate-limited", "Trop de requêtes"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Réessayez dans {retry_after} s", retry_after=retry_after)
        self.headers["Retry-After"] = str(retry_after)
