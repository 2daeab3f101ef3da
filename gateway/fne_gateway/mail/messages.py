"""The gateway's e-mails, in French: invitations and new-password links."""

from datetime import datetime
from zoneinfo import ZoneInfo

from fne_gateway.auth.models import User
from fne_gateway.config import Settings
from fne_kernel.mail.outbox import Mail
from fne_kernel.mail.render import compose

PARIS = ZoneInfo("Europe/Paris")


def _until(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%d/%m/%Y à %H h %M")


def _footer(settings: Settings) -> list[str]:
    return [
        settings.site_publisher,
        f"Une question ? Écrivez à {settings.site_contact_email}.",
        "Vous recevez ce message parce qu'un administrateur de la plateforme a agi sur votre compte.",
    ]


def password_link(user: User, token: str, settings: Settings, *, invitation: bool) -> Mail:
    """The link carries the secret in its fragment, which browsers never send to a server or a log."""
    url = f"{settings.public_url.rstrip('/')}/mot-de-passe#{token}"
    expires = _until(user.password_token_expires_at) if user.password_token_expires_at else ""
    if invitation:
        subject = "Votre compte sur la plateforme de l'inclusion numérique"
        paragraphs = [
            f"Un compte vient d'être créé pour vous ({user.email}) sur la plateforme de l'inclusion "
            f"numérique de {settings.site_publisher}.",
            "Pour l'activer, choisissez votre mot de passe avec le lien ci-dessous, valable jusqu'au "
            f"{expires}. Il ne sert qu'une fois.",
        ]
        label, kind = "Choisir mon mot de passe", "invitation"
    else:
        subject = "Choisissez un nouveau mot de passe"
        paragraphs = [
            "Un administrateur vous a envoyé un lien pour choisir un nouveau mot de passe.",
            f"Ce lien est valable jusqu'au {expires} et ne sert qu'une fois ; une fois utilisé, vos sessions "
            "ouvertes sont fermées. Votre mot de passe actuel reste valable tant que vous ne l'avez pas "
            "changé.",
            "Si vous n'attendiez pas ce message, ignorez-le et prévenez l'administrateur.",
        ]
        label, kind = "Choisir un nouveau mot de passe", "mot-de-passe"
    return compose(
        recipient=user.email,
        subject=subject,
        kind=kind,
        greeting=f"Bonjour {user.display_name},",
        paragraphs=paragraphs,
        action=(label, url),
        footer=_footer(settings),
    )
