from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from icalendar import Calendar
from icalendar import Event as CalendarEvent
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.errors import InvalidInput, field_error
from fne_kernel.identity import Principal
from fne_kernel.pagination import PageRequest
from fne_network.events.exceptions import EventNotFound, EventNotHeld
from fne_network.events.models import Event
from fne_network.events.schemas import TYPE_LABELS, EventIn, EventOut, EventReport, EventUpdate
from fne_network.inputs import utc_now
from fne_network.periods import LOCAL, day_bounds
from fne_network.territories import check_communes, commune_name

_FIELDS = {
    "titre": "title",
    "description": "description",
    "type": "type",
    "debut": "starts_at",
    "fin": "ends_at",
    "commune": "commune",
    "adresse": "address",
    "lieu_id": "place_id",
    "lieu_nom": "place_name",
    "public": "audience",
    "gratuit": "free",
    "tarif": "price",
    "lien_inscription": "registration_url",
    "organisateur": "organiser",
    "publie": "published",
    "annule": "cancelled",
}
_REQUIRED = {"titre", "type", "debut", "fin", "commune", "gratuit", "publie", "annule"}
# The feed carries what is coming and a few months back (calendar apps keep what they saw).
FEED_PAST = timedelta(days=92)
FEED_MAX_EVENTS = 2000


def page_url(public_url: str, event: Event) -> str:
    return f"{public_url.rstrip('/')}/agenda/{event.id}"


def event_out(event: Event, public_url: str) -> EventOut:
    return EventOut(
        id=event.id,
        titre=event.title,
        description=event.description,
        type=event.type,
        type_libelle=TYPE_LABELS[event.type],
        debut=event.starts_at,
        fin=event.ends_at,
        commune=event.commune,
        commune_nom=commune_name(event.commune),
        adresse=event.address,
        lieu_id=event.place_id,
        lieu_nom=event.place_name,
        public=event.audience,
        gratuit=event.free,
        tarif=event.price,
        lien_inscription=event.registration_url,
        organisateur=event.organiser,
        publie=event.published,
        annule=event.cancelled,
        participants=event.participants,
        partenaires=event.partners,
        url=page_url(public_url, event),
        cree_le=event.created_at,
        modifie_le=event.updated_at,
        version=event.version,
    )


def _value(field: str, value: Any) -> Any:
    return str(value) if field == "lien_inscription" and value is not None else value


async def create_event(session: AsyncSession, body: EventIn, actor: Principal) -> Event:
    check_communes({"commune": body.commune})
    now = utc_now()
    event = Event(
        **{
            attribute: _value(field, getattr(body, field))
            for field, attribute in _FIELDS.items()
            if field != "annule"
        },
        cancelled=False,
        sequence=0,
        created_at=now,
        created_by=actor.subject,
        updated_at=now,
    )
    session.add(event)
    await session.flush()
    return event


async def get_event(session: AsyncSession, event_id: str, *, unpublished: bool) -> Event:
    """An event; drafts exist only for those who manage the agenda."""
    event = await session.get(Event, event_id)
    if event is None or (not event.published and not unpublished):
        raise EventNotFound()
    return event


async def update_event(session: AsyncSession, event: Event, body: EventUpdate) -> Event:
    given = body.model_fields_set
    if nulls := sorted(field for field in _REQUIRED & given if getattr(body, field) is None):
        raise InvalidInput(
            [field_error(field, "Ce champ ne peut pas être vide", "missing") for field in nulls]
        )
    check_communes({"commune": body.commune})
    for field in given:
        setattr(event, _FIELDS[field], _value(field, getattr(body, field)))
    errors = []
    if event.ends_at <= event.starts_at:
        errors.append(field_error("fin", "La fin doit suivre le début"))
    if event.address is None and event.place_id is None:
        errors.append(field_error("adresse", "Précisez où : une adresse ou un lieu de l'annuaire (lieu_id)"))
    if event.free and event.price is not None:
        errors.append(field_error("tarif", "Un événement gratuit n'a pas de tarif"))
    if errors:
        raise InvalidInput(errors)
    event.sequence += 1
    event.version += 1
    event.updated_at = utc_now()
    await session.flush()
    return event


async def record_report(session: AsyncSession, event: Event, body: EventReport) -> Event:
    if event.starts_at > utc_now():
        raise EventNotHeld("Les participants se comptent une fois l'événement commencé")
    if event.cancelled:
        raise EventNotHeld("Un événement annulé n'a pas de participants")
    event.participants, event.partners = body.participants, body.partenaires
    event.version += 1
    event.updated_at = utc_now()
    await session.flush()
    return event


async def delete_event(session: AsyncSession, event: Event) -> None:
    await session.delete(event)
    await session.flush()


def _conditions(
    *,
    communes: Sequence[str],
    types: Sequence[str],
    first: date | None,
    last: date | None,
    search: str | None,
    unpublished: bool,
) -> list[Any]:
    conditions: list[Any] = []
    if not unpublished:
        conditions.append(Event.published.is_(True))
    if communes:
        conditions.append(Event.commune.in_(communes))
    if types:
        conditions.append(Event.type.in_(types))
    start, end = day_bounds(first, last)
    if start:
        conditions.append(Event.ends_at > start)
    if end:
        conditions.append(Event.starts_at < end)
    if search:
        pattern = f"%{search.lower()}%"
        conditions.append(
            or_(func.lower(Event.title).like(pattern), func.lower(Event.description).like(pattern))
        )
    return conditions


async def list_events(
    session: AsyncSession,
    paging: PageRequest,
    *,
    communes: Sequence[str],
    types: Sequence[str],
    first: date | None,
    last: date | None,
    search: str | None,
    unpublished: bool,
) -> tuple[list[Event], int]:
    conditions = _conditions(
        communes=communes, types=types, first=first, last=last, search=search, unpublished=unpublished
    )
    total = await session.scalar(select(func.count()).select_from(Event).where(*conditions))
    found = await session.scalars(
        select(Event)
        .where(*conditions)
        .order_by(Event.starts_at, Event.id)
        .offset(paging.offset)
        .limit(paging.size)
    )
    return list(found), total or 0


def _location(event: Event) -> str:
    parts = [event.place_name, event.address, commune_name(event.commune)]
    return ", ".join(part for part in parts if part)


def _calendar_event(event: Event, public_url: str) -> CalendarEvent:
    item = CalendarEvent()
    item.add("uid", f"{event.id}@fne-savoie")
    item.add("dtstamp", event.updated_at)
    item.add("last-modified", event.updated_at)
    item.add("created", event.created_at)
    item.add("sequence", event.sequence)
    item.add("summary", event.title)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("location", _location(event))
    description = [event.description or ""]
    if event.audience:
        description.append(f"Pour qui : {event.audience}")
    description.append("Gratuit" if event.free else f"Tarif : {event.price or 'payant'}")
    if event.registration_url:
        description.append(f"Inscription : {event.registration_url}")
    item.add("description", "\n\n".join(part for part in description if part))
    item.add("categories", [TYPE_LABELS[event.type]])
    item.add("url", page_url(public_url, event))
    item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    item.add("transp", "OPAQUE")
    if event.organiser:
        item.add("x-fne-organisateur", event.organiser)
    return item


def calendar(events: list[Event], public_url: str, name: str) -> bytes:
    """An RFC 5545 calendar: one VEVENT per event, times in UTC, stable UIDs and increasing SEQUENCE numbers
    so that a calendar application updates an event rather than duplicates it."""
    feed = Calendar()
    feed.add("prodid", "-//Département de la Savoie//FNE Savoie agenda//FR")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", name)
    feed.add("x-wr-timezone", str(LOCAL))
    feed.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", "PT6H")
    for event in events:
        feed.add_component(_calendar_event(event, public_url))
    return feed.to_ical()


async def feed_events(session: AsyncSession, *, communes: Sequence[str], types: Sequence[str]) -> list[Event]:
    conditions = _conditions(
        communes=communes, types=types, first=None, last=None, search=None, unpublished=False
    )
    found = await session.scalars(
        select(Event)
        .where(*conditions, Event.ends_at > utc_now() - FEED_PAST)
        .order_by(Event.starts_at, Event.id)
        .limit(FEED_MAX_EVENTS)
    )
    return list(found)


def json_ld(event: Event, public_url: str) -> dict[str, Any]:
    """schema.org `Event`, for search engines and agenda aggregators (embedded in the event's page)."""
    place: dict[str, Any] = {
        "@type": "Place",
        "name": event.place_name or event.address or commune_name(event.commune) or event.commune,
        "address": {
            "@type": "PostalAddress",
            **({"streetAddress": event.address} if event.address else {}),
            "addressLocality": commune_name(event.commune) or event.commune,
            "addressRegion": "Savoie" if event.commune.startswith("73") else None,
            "addressCountry": "FR",
        },
    }
    place["address"] = {key: value for key, value in place["address"].items() if value is not None}
    document: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": page_url(public_url, event),
        "url": page_url(public_url, event),
        "name": event.title,
        "startDate": event.starts_at.astimezone(LOCAL).isoformat(),
        "endDate": event.ends_at.astimezone(LOCAL).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if event.cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place,
        "isAccessibleForFree": event.free,
        "inLanguage": "fr",
        "keywords": TYPE_LABELS[event.type],
    }
    if event.description:
        document["description"] = event.description
    if event.organiser:
        document["organizer"] = {"@type": "Organization", "name": event.organiser}
    if event.audience:
        document["audience"] = {"@type": "Audience", "audienceType": event.audience}
    offer: dict[str, Any] = {
        "@type": "Offer",
        "priceCurrency": "EUR",
        "availability": "https://schema.org/InStock",
    }
    if event.free:
        offer["price"] = "0"
    elif event.price:
        offer["description"] = event.price
    if event.registration_url:
        offer["url"] = event.registration_url
    document["offers"] = offer
    return document
