"""The saved searches' e-mails, in French."""

from collections.abc import Sequence
from typing import Any

from fne_directory.saved_searches.models import SavedSearch
from fne_kernel.mail.outbox import Mail
from fne_kernel.mail.render import compose


def _stop_headers(base: str, stop: str) -> tuple[tuple[str, str], ...]:
    return (
        ("List-Unsubscribe", f"<{base}/api/directory/recherches/desinscription?jeton={stop}>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
    )


def confirmation(saved: SavedSearch, public_url: str, confirm: str, stop: str) -> Mail:
    base = public_url.rstrip("/")
    return compose(
        recipient=saved.email,
        kind="recherche-confirmation",
        subject="Confirmez le suivi de votre recherche",
        greeting="Bonjour,",
        paragraphs=[
            f"Vous avez demandé à suivre la recherche « {saved.label} » dans l'annuaire des lieux de "
            "médiation numérique.",
            "Confirmez-le avec le lien ci-dessous : vous recevrez au plus un message par semaine, et "
            "seulement quand des lieux correspondant à votre recherche sont ajoutés ou modifiés.",
            "Si vous n'avez rien demandé, ignorez ce message : rien ne vous sera envoyé.",
        ],
        action=("Confirmer le suivi", f"{base}/recherches/confirmation#{confirm}"),
        footer=[
            "Annuaire de l'inclusion numérique",
            f"Pour ne plus rien recevoir : {base}/recherches/desinscription#{stop}",
        ],
        headers=_stop_headers(base, stop),
    )


def digest(saved: SavedSearch, places: Sequence[Any], public_url: str, stop: str, listed: int) -> Mail:
    base = public_url.rstrip("/")
    lines = [
        f"{place.nom} ({place.commune}) — "
        f"{'nouveau' if place.created_at > saved.checked_until else 'modifié'} : {base}/lieux/{place.id}"
        for place in places[:listed]
    ]
    if len(places) > listed:
        lines.append(f"… et {len(places) - listed} autres.")
    count = len(places)
    return compose(
        recipient=saved.email,
        kind="recherche-nouveautes",
        subject=f"{count} lieu{'x' if count > 1 else ''} nouveau{'x' if count > 1 else ''} ou modifié"
        f"{'s' if count > 1 else ''} : « {saved.label} »",
        greeting="Bonjour,",
        paragraphs=[f"Depuis votre dernier message, voici ce qui a changé pour « {saved.label} » :", *lines],
        action=("Voir la recherche", f"{base}/?{saved.query}"),
        footer=[
            "Annuaire de l'inclusion numérique",
            "Vous recevez ce message parce que vous suivez cette recherche.",
            f"Pour ne plus rien recevoir : {base}/recherches/desinscription#{stop}",
        ],
        headers=_stop_headers(base, stop),
    )
