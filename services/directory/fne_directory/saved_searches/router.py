from typing import Annotated

from fastapi import APIRouter, Depends, Query

from fne_directory.dependencies import DirectorySettings, MailCourier
from fne_directory.saved_searches import service
from fne_directory.saved_searches.exceptions import MailUnavailable
from fne_directory.saved_searches.schemas import ConfirmBody, Subscription, SubscriptionState
from fne_kernel.access import public
from fne_kernel.db import SessionDep, after_commit

router = APIRouter(prefix="/recherches", tags=["recherches suivies"])


@router.post(
    "",
    dependencies=[Depends(public)],
    status_code=202,
    responses={
        429: {"description": "Trop d'abonnements récents"},
        404: {"description": "Suivi par courriel non proposé (pas de serveur de courriel configuré)"},
    },
)
async def subscribe(
    body: Subscription, settings: DirectorySettings, courier: MailCourier, session: SessionDep
) -> SubscriptionState:
    """Follow a search by e-mail: a message asks the address to confirm before anything else is sent."""
    if not settings.mail_enabled:
        raise MailUnavailable()
    await service.subscribe(session, settings, email=body.courriel, query=body.recherche, label=body.libelle)
    after_commit(session, courier.wake)
    return SubscriptionState(statut="confirmation_envoyee")


@router.post(
    "/confirmation", dependencies=[Depends(public)], responses={404: {"description": "Lien non valable"}}
)
async def confirm(body: ConfirmBody, session: SessionDep) -> SubscriptionState:
    """Confirm a followed search (the link of the confirmation message; it serves once)."""
    await service.confirm(session, body.jeton)
    return SubscriptionState(statut="confirmee")


@router.post(
    "/desinscription", dependencies=[Depends(public)], responses={404: {"description": "Lien non valable"}}
)
async def unsubscribe(
    session: SessionDep, jeton: Annotated[str, Query(min_length=20, max_length=128)]
) -> SubscriptionState:
    """Stop following a search, in one click (also the mail client's List-Unsubscribe POST, RFC 8058)."""
    await service.unsubscribe(session, jeton)
    return SubscriptionState(statut="desinscrite")
