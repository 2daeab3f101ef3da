from fne_kernel.errors import Conflict, DomainError, NotFound


class InvalidLink(NotFound):
    code, title = "invalid-link", "Lien non valable"

    def __init__(self) -> None:
        super().__init__(
            "Ce lien n'est pas valable : vérifiez qu'il a été copié en entier. Rien n'a été modifié."
        )


class ExpiredLink(DomainError):
    status, code, title = 410, "expired-link", "Lien expiré"

    def __init__(self) -> None:
        super().__init__("Ce lien a expiré. Rien n'a été modifié : écrivez-nous pour mettre la fiche à jour.")


class UsedLink(DomainError):
    status, code, title = 410, "used-link", "Lien déjà utilisé"

    def __init__(self) -> None:
        super().__init__(
            "Ce lien a déjà servi : votre réponse a bien été reçue. Rien n'a été modifié cette fois."
        )


class ProposalNotFound(NotFound):
    code, title = "proposal-not-found", "Proposition introuvable"


class ProposalDecided(Conflict):
    code, title = "proposal-decided", "Proposition déjà traitée"


class TooManyReports(DomainError):
    status, code, title = 429, "too-many-reports", "Trop de signalements"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "Beaucoup de signalements viennent d'être envoyés : réessayez dans quelques minutes."
        )
        self.headers["Retry-After"] = str(retry_after)
