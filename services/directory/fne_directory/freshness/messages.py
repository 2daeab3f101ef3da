"""The directory's e-mails to places' contacts, in French."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from fne_kernel.mail.outbox import Mail
from fne_kernel.mail.render import compose

PARIS = ZoneInfo("Europe/Paris")


def freshness_request(
    *,
    recipient: str,
    place_name: str,
    commune: str,
    date_maj: date,
    expires_at: datetime,
    public_url: str,
    token: str,
) -> Mail:
    base = public_url.rstrip("/")
    link = f"{base}/lieux/mise-a-jour#{token}"
    stop = f"{base}/lieux/mise-a-jour#desinscription-{token}"
    one_click = f"{base}/api/directory/fraicheur/desinscription-en-un-clic?jeton={token}"
    until = expires_at.astimezone(PARIS).strftime("%d/%m/%Y")
    return compose(
        recipient=recipient,
        kind="fraicheur",
        subject=f"Vos informations sont-elles à jour ? « {place_name} »",
        greeting="Bonjour,",
        paragraphs=[
            f"La fiche « {place_name} » ({commune}) de l'annuaire des lieux de médiation numérique n'a "
            f"pas été mise à jour depuis le {date_maj.strftime('%d/%m/%Y')}. Les habitants s'en servent pour "
            "trouver de l'aide près de chez eux : vos informations sont-elles à jour ?",
            "En un clic, confirmez-les ou corrigez-les, sans créer de compte. Une correction est relue par "
            "l'équipe de coordination départementale avant d'être publiée.",
            f"Ce lien est personnel, valable jusqu'au {until}, et ne sert qu'une fois.",
        ],
        action=("Vérifier mes informations", link),
        footer=[
            "Annuaire de l'inclusion numérique",
            "Vous recevez ce message parce que cette adresse est le contact public de ce lieu dans "
            "l'annuaire.",
            f"Pour ne plus recevoir ces messages : {stop}",
        ],
        headers=(
            ("List-Unsubscribe", f"<{one_click}>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ),
    )
