"""Aggregated, non-personal counts of the network's activity, for the observatory's indicators.

People are counted per calendar year in which they were active (their activity period, intersected with the
programme's dates for programme measures), placed in the commune of their main employer (the first listed);
sessions, trainees and events per month of their start, in French local time, placed in their own commune.
Only what has happened counts: no future year, no session or event not yet begun, nothing cancelled."""

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_network.events.models import Event
from fne_network.inputs import utc_now
from fne_network.people.models import Person
from fne_network.periods import local
from fne_network.statistics.schemas import Measure, Statistics
from fne_network.trainings.models import Registration, TrainingSession

Key = tuple[str, str | None, str | None, int, int | None]  # mesure, categorie, commune, annee, mois

FAR_FUTURE = date.max


def _years(first: date, last: date | None, today: date, only: int | None) -> range | list[int]:
    end = min((last or FAR_FUTURE).year, today.year)
    if only is not None:
        return [only] if first.year <= only <= end else []
    return range(first.year, end + 1)


def _intersection(person: Person, starts: date | None, ends: date | None) -> tuple[date, date | None] | None:
    first = max(person.active_since, starts or date.min)
    candidates = [day for day in (person.active_until, ends) if day is not None]
    last = min(candidates) if candidates else None
    if last is not None and last < first:
        return None
    return first, last


def _programme_period(
    person: Person, programmes: dict[str, Any], code: str, role: str
) -> tuple[date, date | None] | None:
    """When the person was in the programme (and active); someone of the programme's role without the
    programme recorded counts over their whole activity."""
    if code in programmes:
        return _intersection(person, programmes[code].starts_on, programmes[code].ends_on)
    return (person.active_since, person.active_until) if person.role == role else None


def _people_counts(people: list[Person], today: date, year: int | None) -> Counter[Key]:
    counts: Counter[Key] = Counter()
    for person in people:
        commune = person.employers[0].commune if person.employers else None
        programmes = {programme.code: programme for programme in person.programmes}
        whole = (person.active_since, person.active_until)
        periods: dict[str, tuple[date, date | None] | None] = {}

        conseiller = _programme_period(person, programmes, "conseiller_numerique", "conseiller_numerique")
        periods["conseillers_numeriques_actifs"] = conseiller
        periods["postes_conseillers_mutualises"] = conseiller if len(person.employers) >= 2 else None
        periods["agents_france_services"] = _programme_period(
            person, programmes, "france_services", "agent_france_services"
        )
        periods["aidants_actifs"] = whole if person.role == "aidant" else None
        periods["coordinateurs"] = whole if person.role == "coordinateur" else None
        for measure, period in periods.items():
            if period is None:
                continue
            for each in _years(period[0], period[1], today, year):
                counts[(measure, None, commune, each, None)] += 1
        habilitation = programmes.get("aidants_connect")
        if habilitation is not None and habilitation.starts_on is not None:
            habilitated = habilitation.starts_on.year
            if habilitation.starts_on <= today and (year is None or habilitated == year):
                counts[("aidants_habilites_aidants_connect", None, commune, habilitated, None)] += 1
    return counts


def _month_key(measure: str, category: str, commune: str | None, moment: Any) -> Key:
    at = local(moment)
    return (measure, category, commune, at.year, at.month)


async def statistics(session: AsyncSession, year: int | None) -> Statistics:
    now = utc_now()
    today = local(now).date()
    people = list(await session.scalars(select(Person)))
    counts = _people_counts(people, today, year)

    held = [TrainingSession.cancelled.is_(False), TrainingSession.starts_at <= now]
    sessions = await session.execute(
        select(
            TrainingSession.id, TrainingSession.audience, TrainingSession.commune, TrainingSession.starts_at
        ).where(*held)
    )
    for _, audience, commune, starts_at in sessions:
        counts[_month_key("formations_sessions", audience, commune, starts_at)] += 1
    trained = await session.execute(
        select(TrainingSession.audience, TrainingSession.commune, TrainingSession.starts_at)
        .join(Registration, Registration.session_id == TrainingSession.id)
        .where(*held, Registration.completed.is_(True))
    )
    for audience, commune, starts_at in trained:
        counts[_month_key("personnes_formees", audience, commune, starts_at)] += 1

    events = await session.execute(
        select(Event.type, Event.commune, Event.starts_at, Event.participants, Event.partners).where(
            Event.published.is_(True), Event.cancelled.is_(False), Event.starts_at <= now
        )
    )
    for kind, commune, starts_at, participants, partners in events:
        counts[_month_key("evenements", kind, commune, starts_at)] += 1
        counts[_month_key("evenements_participants", kind, commune, starts_at)] += participants or 0
        counts[_month_key("evenements_partenaires", kind, commune, starts_at)] += partners or 0

    rows = [
        Measure(mesure=key[0], categorie=key[1], commune=key[2], annee=key[3], mois=key[4], valeur=value)
        for key, value in counts.items()
        if value > 0 and (year is None or key[3] == year)
    ]
    rows.sort(key=lambda row: (row.mesure, row.annee, row.mois or 0, row.commune or "", row.categorie or ""))
    return Statistics(genere_le=now.replace(microsecond=0), mesures=rows)
