"""The freshness loop: asking stale places' contacts, their one-time links, and the coordinators' review of
what contacts and the public propose. Functions take the request's session and only flush()."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.freshness import messages
from fne_directory.freshness.config import FreshnessSettings
from fne_directory.freshness.exceptions import (
    ExpiredLink,
    InvalidLink,
    ProposalDecided,
    ProposalNotFound,
    TooManyReports,
    UsedLink,
)
from fne_directory.freshness.models import ContactOptOut, FreshnessRequest, OutboxMessage, PlaceProposal
from fne_directory.freshness.schemas import CORRECTABLE_FIELDS, ProposalOut, Report, RequestOut
from fne_directory.places import service as places
from fne_directory.places.models import Place
from fne_kernel.db import utcnow
from fne_kernel.errors import InvalidInput, field_error
from fne_kernel.identity import Principal
from fne_kernel.mail.outbox import enqueue
from fne_kernel.pagination import PageRequest

# Keys of the PostgreSQL advisory locks that keep two replicas from running the same daily pass at once.
FRESHNESS_LOCK, SAVED_SEARCHES_LOCK = 731_001, 731_002


async def one_pass_at_a_time(session: AsyncSession, key: int) -> None:
    """Waits for any other replica's pass to commit (then its requests are seen and not sent twice)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(select(func.pg_advisory_xact_lock(key)))


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _contact(request: FreshnessRequest) -> Principal:
    return Principal(
        kind="contact", subject=f"fraicheur-{request.id}", name="Contact du lieu (lien de mise à jour)"
    )


async def send_due(session: AsyncSession, settings: FreshnessSettings, now: datetime | None = None) -> int:
    """Queues a message to each stale place's contact not asked recently (one batch); returns how many."""
    now = now or utcnow()
    await one_pass_at_a_time(session, FRESHNESS_LOCK)
    stale_before = now.date() - timedelta(days=settings.freshness_after_days)
    asked = select(FreshnessRequest.place_id).where(
        FreshnessRequest.sent_at > now - timedelta(days=settings.freshness_ask_again_days)
    )
    candidates = await session.execute(
        select(Place.id, Place.courriels)
        .where(Place.status == "active", Place.date_maj < stale_before, Place.id.not_in(asked))
        .order_by(Place.date_maj, Place.id)
    )
    opted_out = set((await session.execute(select(ContactOptOut.place_id, ContactOptOut.email_hash))).all())
    chosen = []
    for place_id, emails in candidates:
        email = next(
            (e.lower() for e in emails or () if (place_id, sha256(e.lower())) not in opted_out), None
        )
        if email is not None:
            chosen.append((place_id, email))
            if len(chosen) == settings.freshness_batch:
                break
    for place_id, email in chosen:
        place = await session.get(Place, place_id)
        assert place is not None
        token = secrets.token_urlsafe(32)
        request = FreshnessRequest(
            place_id=place_id,
            email=email,
            token_hash=sha256(token),
            sent_at=now,
            expires_at=now + timedelta(days=settings.freshness_link_days),
        )
        session.add(request)
        enqueue(
            session,
            OutboxMessage,
            messages.freshness_request(
                recipient=email,
                place_name=place.nom,
                commune=place.commune,
                date_maj=place.date_maj,
                expires_at=request.expires_at,
                public_url=settings.public_url,
                token=token,
            ),
        )
    await session.flush()
    return len(chosen)


async def _link(session: AsyncSession, token: str, *, to_answer: bool) -> tuple[FreshnessRequest, Place]:
    request = await session.scalar(
        select(FreshnessRequest).where(FreshnessRequest.token_hash == sha256(token))
    )
    if request is None:
        raise InvalidLink()
    if to_answer and request.answered_at is not None:
        raise UsedLink()
    if request.expires_at <= utcnow():
        raise ExpiredLink()
    place = await places.get_place(session, request.place_id)
    return request, place


async def read_link(session: AsyncSession, token: str) -> tuple[FreshnessRequest, Place]:
    """The place behind a link, for its page; the first reading is recorded as "opened"."""
    request, place = await _link(session, token, to_answer=True)
    if request.opened_at is None:
        request.opened_at = utcnow()
        await session.flush()
    return request, place


async def confirm(session: AsyncSession, token: str) -> Place:
    """The contact says all is right: the place's update date becomes today."""
    request, place = await _link(session, token, to_answer=True)
    now = utcnow()
    await places.replace_place(
        session, place, places.merged_input(place, {"date_maj": now.date().isoformat()}), _contact(request)
    )
    request.opened_at = request.opened_at or now
    request.answered_at, request.answer = now, "confirme"
    await session.flush()
    return place


def proposed_changes(place: Place, modifications: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The proposal validated with the whole record, as a place write: (patch, field → [old, new])."""
    unknown = sorted(set(modifications) - set(CORRECTABLE_FIELDS))
    if unknown:
        raise InvalidInput(
            [
                field_error(
                    f"modifications.{name}",
                    "ce champ ne peut pas être proposé ici",
                    allowed=list(CORRECTABLE_FIELDS),
                )
                for name in unknown
            ]
        )
    merged = places.merged_input(place, modifications).model_dump(mode="json")
    current = places.record(place)
    patch, diff = {}, {}
    for name in modifications:
        old: Any = current.get(name)
        old = old.isoformat() if hasattr(old, "isoformat") else old
        if merged[name] != old:
            patch[name], diff[name] = merged[name], [old, merged[name]]
    return patch, diff


async def correct(
    session: AsyncSession, token: str, modifications: dict[str, Any], comment: str | None
) -> PlaceProposal:
    """The contact's corrections wait for a coordinator; answering uses the link up."""
    request, place = await _link(session, token, to_answer=True)
    patch, diff = proposed_changes(place, modifications)
    if not diff and not comment:
        raise InvalidInput(
            [field_error("modifications", "indiquez au moins une correction ou un commentaire")]
        )
    now = utcnow()
    proposal = PlaceProposal(
        place_id=place.id,
        origin="contact",
        request_id=request.id,
        message=comment,
        patch=patch,
        diff=diff,
        status="en_attente",
        created_at=now,
    )
    session.add(proposal)
    request.opened_at = request.opened_at or now
    request.answered_at, request.answer = now, "corrige"
    await session.flush()
    return proposal


async def unsubscribe(session: AsyncSession, token: str) -> None:
    """No more messages to this address for this place; works even after the link was used or expired."""
    request = await session.scalar(
        select(FreshnessRequest).where(FreshnessRequest.token_hash == sha256(token))
    )
    if request is None:
        raise InvalidLink()
    now = utcnow()
    request.unsubscribed_at = request.unsubscribed_at or now
    if await session.get(ContactOptOut, (request.place_id, sha256(request.email))) is None:
        session.add(ContactOptOut(place_id=request.place_id, email_hash=sha256(request.email), at=now))
    await session.flush()


async def report(
    session: AsyncSession, place_id: str, body: Report, settings: FreshnessSettings
) -> PlaceProposal:
    """A public report, throttled per place and in all (counted in the database: every replica agrees)."""
    place = await places.get_place(session, place_id)
    now = utcnow()
    hour_ago = now - timedelta(hours=1)
    recent = (
        select(func.count())
        .select_from(PlaceProposal)
        .where(PlaceProposal.origin == "signalement", PlaceProposal.created_at > hour_ago)
    )
    if (
        await session.scalar(recent.where(PlaceProposal.place_id == place_id)) or 0
    ) >= settings.reports_per_place_per_hour or (
        await session.scalar(recent) or 0
    ) >= settings.reports_per_hour:
        raise TooManyReports(retry_after=600)
    patch, diff = proposed_changes(place, body.modifications)
    proposal = PlaceProposal(
        place_id=place.id,
        origin="signalement",
        reason=body.motif.value,
        message=body.message,
        patch=patch,
        diff=diff,
        status="en_attente",
        created_at=now,
    )
    session.add(proposal)
    await session.flush()
    return proposal


async def list_proposals(
    session: AsyncSession, paging: PageRequest, status: str | None, origin: str | None
) -> tuple[list[tuple[PlaceProposal, str, str]], int]:
    query = select(PlaceProposal, Place.nom, Place.commune).join(Place, Place.id == PlaceProposal.place_id)
    if status:
        query = query.where(PlaceProposal.status == status)
    if origin:
        query = query.where(PlaceProposal.origin == origin)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.execute(
        query.order_by(PlaceProposal.created_at.desc(), PlaceProposal.id.desc())
        .offset(paging.offset)
        .limit(paging.size)
    )
    return [tuple(row) for row in rows], total  # type: ignore[misc]


async def get_proposal(session: AsyncSession, proposal_id: int) -> PlaceProposal:
    proposal = await session.get(PlaceProposal, proposal_id)
    if proposal is None:
        raise ProposalNotFound(f"Aucune proposition {proposal_id}")
    return proposal


async def decide(
    session: AsyncSession, proposal: PlaceProposal, *, accept: bool, actor: Principal, note: str | None
) -> PlaceProposal:
    """Accepting applies the proposed values as the coordinator's own edit (kept by synchronisations) and
    dates the place today; rejecting changes nothing but the proposal."""
    if proposal.status != "en_attente":
        raise ProposalDecided("Cette proposition a déjà été traitée.")
    now = utcnow()
    if accept and proposal.patch:
        place = await places.get_place(session, proposal.place_id)
        data = places.merged_input(place, {**proposal.patch, "date_maj": now.date().isoformat()})
        await places.edit_place(session, place, data, actor)
    proposal.status = "acceptee" if accept else "rejetee"
    proposal.decided_at, proposal.decided_by, proposal.decision_note = now, actor.name or actor.subject, note
    await session.flush()
    return proposal


async def list_requests(
    session: AsyncSession, paging: PageRequest, answered: bool | None
) -> tuple[list[tuple[FreshnessRequest, str, str]], int]:
    query = select(FreshnessRequest, Place.nom, Place.commune).join(
        Place, Place.id == FreshnessRequest.place_id
    )
    if answered is not None:
        query = query.where(
            FreshnessRequest.answered_at.is_not(None) if answered else FreshnessRequest.answered_at.is_(None)
        )
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.execute(
        query.order_by(FreshnessRequest.sent_at.desc(), FreshnessRequest.id.desc())
        .offset(paging.offset)
        .limit(paging.size)
    )
    return [tuple(row) for row in rows], total  # type: ignore[misc]


def proposal_out(proposal: PlaceProposal, name: str, commune: str) -> ProposalOut:
    return ProposalOut.model_validate(
        {
            **{c.key: getattr(proposal, c.key) for c in proposal.__table__.columns},
            "nom_lieu": name,
            "commune": commune,
        }
    )


def request_out(request: FreshnessRequest, name: str, commune: str) -> RequestOut:
    return RequestOut(
        id=request.id,
        place_id=request.place_id,
        nom_lieu=name,
        commune=commune,
        email=request.email,
        sent_at=request.sent_at,
        expires_at=request.expires_at,
        opened_at=request.opened_at,
        answered_at=request.answered_at,
        answer=request.answer,
        unsubscribed_at=request.unsubscribed_at,
    )
