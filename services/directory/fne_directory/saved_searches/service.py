"""Saved searches: subscribing (confirmed by a link), the weekly message of new or changed places, and
unsubscribing. Functions take the request's session and only flush()."""

import hashlib
import secrets
from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlencode

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.freshness.config import FreshnessSettings
from fne_directory.freshness.exceptions import InvalidLink
from fne_directory.freshness.models import OutboxMessage
from fne_directory.freshness.service import SAVED_SEARCHES_LOCK, one_pass_at_a_time
from fne_directory.places import search as place_search
from fne_directory.places.dependencies import PlaceSearchParams, place_query
from fne_directory.places.search import PlaceQuery
from fne_directory.saved_searches import messages
from fne_directory.saved_searches.exceptions import TooManySubscriptions
from fne_directory.saved_searches.models import SavedSearch
from fne_kernel.db import utcnow
from fne_kernel.errors import InvalidInput, field_errors
from fne_kernel.mail.outbox import enqueue

WEEK = timedelta(days=7)
PER_ADDRESS_PER_DAY = 5
PER_HOUR = 200
# A message lists this many places at most (and says how many more there are).
LISTED = 20
SCANNED = 2000
_LIST_FIELDS = {
    name
    for name, info in PlaceSearchParams.model_fields.items()
    if getattr(info.annotation, "__origin__", None) is list
}


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


async def parse_search(query: str) -> tuple[str, PlaceQuery]:
    """The search's filters, validated as GET /lieux validates them; returned in a canonical order."""
    raw = parse_qs(query.lstrip("?"), keep_blank_values=False)
    ignored = {"page", "size", "facettes", "tri"}
    values = {
        name: items if name in _LIST_FIELDS else items[0]
        for name, items in raw.items()
        if name not in ignored
    }
    try:
        params = PlaceSearchParams.model_validate(values)
    except ValidationError as exc:
        raise InvalidInput(field_errors(exc.errors(), location="recherche")) from exc
    canonical = urlencode(
        sorted((name, item) for name, items in raw.items() if name not in ignored for item in items)
    )
    return canonical, await place_query(params)


async def subscribe(
    session: AsyncSession, settings: FreshnessSettings, *, email: str, query: str, label: str | None
) -> SavedSearch:
    canonical, _ = await parse_search(query)
    now = utcnow()
    by_address = await session.scalar(
        select(func.count())
        .select_from(SavedSearch)
        .where(SavedSearch.email == email, SavedSearch.created_at > now - timedelta(days=1))
    )
    in_all = await session.scalar(
        select(func.count()).select_from(SavedSearch).where(SavedSearch.created_at > now - timedelta(hours=1))
    )
    if (by_address or 0) >= PER_ADDRESS_PER_DAY or (in_all or 0) >= PER_HOUR:
        raise TooManySubscriptions()
    confirm, stop = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    saved = SavedSearch(
        email=email,
        query=canonical,
        label=label or "Votre recherche de lieux",
        confirm_token_hash=sha256(confirm),
        unsubscribe_token=stop,
        created_at=now,
    )
    session.add(saved)
    enqueue(session, OutboxMessage, messages.confirmation(saved, settings.public_url, confirm, stop), now)
    await session.flush()
    return saved


async def confirm(session: AsyncSession, token: str) -> SavedSearch:
    """Single use; from then on the places changed after this moment are news."""
    saved = await session.scalar(select(SavedSearch).where(SavedSearch.confirm_token_hash == sha256(token)))
    if saved is None or saved.unsubscribed_at is not None:
        raise InvalidLink()
    saved.confirmed_at = saved.checked_until = utcnow()
    saved.confirm_token_hash = None
    await session.flush()
    return saved


async def unsubscribe(session: AsyncSession, token: str) -> None:
    saved = await session.scalar(select(SavedSearch).where(SavedSearch.unsubscribe_token == token))
    if saved is None:
        raise InvalidLink()
    saved.unsubscribed_at = saved.unsubscribed_at or utcnow()
    await session.flush()


async def send_digests(
    session: AsyncSession, settings: FreshnessSettings, now: datetime | None = None
) -> int:
    """For every confirmed search last looked at a week ago or more: the matching places created or changed
    since, in one message if there are any. Returns how many messages were queued."""
    now = now or utcnow()
    await one_pass_at_a_time(session, SAVED_SEARCHES_LOCK)
    due = list(
        await session.scalars(
            select(SavedSearch)
            .where(
                SavedSearch.confirmed_at.is_not(None),
                SavedSearch.unsubscribed_at.is_(None),
                SavedSearch.checked_until <= now - WEEK,
            )
            .order_by(SavedSearch.id)
        )
    )
    queued = 0
    for saved in due:
        _, query = await parse_search(saved.query)
        found = await place_search.search(session, query, now=now, offset=0, limit=SCANNED, with_facets=False)
        news = [place for place, _ in found.places if place.updated_at > saved.checked_until]
        if news:
            enqueue(
                session,
                OutboxMessage,
                messages.digest(saved, news, settings.public_url, saved.unsubscribe_token, LISTED),
            )
            saved.last_sent_at = now
            queued += 1
        saved.checked_until = now
    await session.flush()
    return queued
