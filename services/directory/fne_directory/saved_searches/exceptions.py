from fne_kernel.errors import DomainError


class MailUnavailable(DomainError):
    status, code, title = 404, "mail-unavailable", "Envoi de courriels indisponible"

    def __init__(self) -> None:
        super().__init__("Le suivi des recherches par courriel n'est pas proposé sur cette plateforme.")


class TooManySubscriptions(DomainError):
    status, code, title = 429, "too-many-subscriptions", "Trop d'abonnements"

    def __init__(self) -> None:
        super().__init__("Beaucoup d'abonnements viennent d'être demandés : réessayez plus tard.")
        self.headers["Retry-After"] = "3600"
