"""Computing the roadmap's indicators from live data and publishing them as observatory values.

Each source is read whole before anything is written; its values are stored as one computed dataset (the
directory's permanences: one per month, a snapshot; the network service, La Coop and the observatory's own
records: one dataset each, every period recomputed), published at once, so the scoreboard shows them with
their source and the time of computation. The catalogue indicators and their links to the roadmap are set
up first (definitions.py)."""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.errors import Conflict
from fne_observatory.committees.service import participants_by_meeting
from fne_observatory.coop import service as coop_service
from fne_observatory.coop.client import CoopClient
from fne_observatory.imports.models import DatasetImport, ImportKind, ImportStatus
from fne_observatory.imports.service import store_computation
from fne_observatory.indicators.models import Indicator, Polarity, PublishedValue
from fne_observatory.indicators.schemas import IndicatorIn
from fne_observatory.indicators.service import upsert_reference_indicator
from fne_observatory.jobs.service import Progress, Published, Store, Work
from fne_observatory.roadmap.models import Meeting, MeetingKind, RoadmapIndicator
from fne_observatory.roadmap_values.definitions import (
    ALREADY_COMPUTED,
    BY_CODE,
    COMPUTED,
    SOURCE_LABELS,
    Computed,
    Source,
    roadmap_links,
)
from fne_observatory.roadmap_values.sources import (
    DirectorySource,
    HostPlace,
    Measure,
    NetworkSource,
    PermanenceFacts,
)
from fne_observatory.territories.models import Level, Territory

PRODUCER = "calcul"
CONSEILLER = "conseiller_numerique"
FRANCE_SERVICES_TYPES = {"MSAP"}
SOCIAL_CENTRES = {"CS"}
RIGHTS_STRUCTURES = {"PAD", "CIDFF", "PIMMS", "CCAS", "CIAS", "CAF", "CPAM", "MSA", "MDPH"}
# Minutes and slides; a document recorded before documents had a nature counts as such.
PUBLISHED_NATURES = {"compte_rendu", "support"}
GOVERNANCE_KINDS = {MeetingKind.STEERING_COMMITTEE.value, MeetingKind.TECHNICAL_COMMITTEE.value}


class SourceNotConfigured(Conflict):
    code, title = "source-not-configured", "Source non configurée"


@dataclass
class Sources:
    directory: DirectorySource
    network: NetworkSource
    coop: CoopClient


def sources_from(settings: Any) -> Sources:
    """The sources as the observatory's settings name them."""
    timeout, retries = settings.upstream_timeout, settings.upstream_retries
    return Sources(
        DirectorySource("annuaire", settings.directory_url, timeout, retries),
        NetworkSource("réseau", settings.network_url, timeout, retries),
        CoopClient(settings.coop_url, settings.coop_token.get_secret_value(), timeout, retries),
    )


@dataclass
class Outcome:
    computed: list[DatasetImport] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


async def ensure_catalogue(session: AsyncSession) -> None:
    """The computed indicators in the catalogue, and every computed roadmap indicator linked to its catalogue
    indicator (a link the comité set by hand is kept)."""
    for item in COMPUTED:
        await upsert_reference_indicator(
            session,
            IndicatorIn(
                code=item.code,
                libelle=item.label,
                description=f"Calculé automatiquement. Formule : {item.formula}.",
                theme=item.theme,
                unite=item.unit,
                echelle=item.scale,
                decimales=0 if item.scale == 1 else 1,
                source=SOURCE_LABELS[item.source],
                methode=item.formula,
                niveaux=item.levels,
                periodicite=item.periodicity,
                polarite=Polarity.HIGHER_IS_BETTER,
                agregation=item.aggregation,
                minimum=0,
                maximum=None,
                seuil_secret=item.threshold,
                objectifs=list(item.objectives),
            ),
            PRODUCER,
        )
    await session.flush()
    links = roadmap_links()
    for indicator in await session.scalars(select(RoadmapIndicator).where(RoadmapIndicator.id.in_(links))):
        if indicator.catalogue_indicator is None:
            indicator.catalogue_indicator = links[indicator.id]
    await session.flush()


def _row(code: str, period: str, level: Level, territory: str, value: float, **extra: Any) -> dict[str, Any]:
    return {
        "indicator_code": code,
        "period": period,
        "territory_level": level.value,
        "territory_code": territory,
        "value": value,
        "numerator": extra.get("numerator"),
        "denominator": extra.get("denominator"),
        "weight": None,
        "source_secret": False,
        "method": None,
    }


def directory_rows(
    permanences: list[PermanenceFacts],
    places: dict[str, HostPlace],
    period: str,
    known: set[str],
    focus: str,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Conseillers' permanences by kind of host place, counted once per commune of such a host."""
    kinds: dict[str, Callable[[HostPlace], bool]] = {
        "permanences_cn_france_services": lambda place: (
            "France Services" in place.programmes or bool(place.typologies & FRANCE_SERVICES_TYPES)
        ),
        "permanences_cn_centres_sociaux": lambda place: bool(place.typologies & SOCIAL_CENTRES),
        "permanences_cn_acces_aux_droits": lambda place: bool(place.typologies & RIGHTS_STRUCTURES),
    }
    counts: Counter[tuple[str, str]] = Counter()
    unknown_places = 0
    for permanence in permanences:
        if permanence.role != CONSEILLER:
            continue
        for code, matches in kinds.items():
            communes = set()
            for place_id in permanence.places:
                place = places.get(place_id)
                if place is None:
                    unknown_places += 1
                elif matches(place) and place.code_insee in known:
                    communes.add(place.code_insee)
            for commune in communes:
                counts[(code, commune)] += 1
    rows = [
        _row(code, period, Level.COMMUNE, commune, value) for (code, commune), value in sorted(counts.items())
    ]
    # Every commune of the followed department gets a value (zero included): none there is 0, not « no data »
    # (elsewhere only where a permanence is: a daily computation stays small on a national referential).
    for code in kinds:
        rows += [
            _row(code, period, Level.COMMUNE, commune, 0)
            for commune in sorted(known)
            if commune.startswith(focus) and (code, commune) not in counts
        ]
    report = {
        "permanences_lues": len(permanences),
        "permanences_conseillers": sum(1 for item in permanences if item.role == CONSEILLER),
        "lieux_inconnus_de_l_export": unknown_places,
    }
    return rows, report


# Which network measures (and categories) each computed indicator adds up; None: every category.
NETWORK_MEASURES: dict[str, tuple[str, set[str] | None]] = {
    "reseau_conseillers_numeriques": ("conseillers_numeriques_actifs", None),
    "reseau_postes_mutualises": ("postes_conseillers_mutualises", None),
    "reseau_aidants_formes": ("personnes_formees", {"aidants"}),
    "reseau_formations_partenaires": ("formations_sessions", {"agents_partenaires", "secretaires_mairie"}),
    "reseau_evenements": ("evenements", None),
    "reseau_cafes_numeriques": ("evenements", {"cafe_numerique"}),
    "reseau_participants_activites_quotidien": ("evenements_participants", {"cafe_numerique", "atelier"}),
    "reseau_participants_grand_public": ("evenements_participants", {"semaine_numerique", "nec", "forum"}),
    "reseau_participants_evenements": ("evenements_participants", None),
    "reseau_partenaires_evenements": ("evenements_partenaires", None),
}


def network_rows(
    measures: list[Measure], known: set[str], focus: str
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Yearly sums by commune; figures without a commune count in the followed department's total only."""
    by_commune: dict[tuple[str, int, str], float] = defaultdict(float)
    without_commune: dict[tuple[str, int], float] = defaultdict(float)
    outside = 0
    for measure in measures:
        for code, (name, categories) in NETWORK_MEASURES.items():
            if measure.mesure != name or (categories is not None and measure.categorie not in categories):
                continue
            if measure.commune is None:
                without_commune[(code, measure.annee)] += measure.valeur
            elif measure.commune in known:
                by_commune[(code, measure.annee, measure.commune)] += measure.valeur
            else:
                outside += 1
    events = {
        (year, commune)
        for (code, year, commune), value in by_commune.items()
        if code == "reseau_evenements" and value > 0
    }
    for year, commune in events:
        by_commune[("reseau_communes_evenements", year, commune)] = 1
    rows = [
        _row(code, str(year), Level.COMMUNE, commune, value)
        for (code, year, commune), value in sorted(by_commune.items())
    ]
    # Where some figures have no commune, the department's value is observed: its communes' sum plus those.
    for (code, year), extra in sorted(without_commune.items()):
        in_focus = sum(
            value
            for (other, other_year, commune), value in by_commune.items()
            if other == code and other_year == year and commune.startswith(focus)
        )
        rows.append(_row(code, str(year), Level.DEPARTMENT, focus, in_focus + extra))
    report = {
        "mesures_lues": len(measures),
        "mesures_hors_territoire": outside,
        "mesures_sans_commune": len(without_commune),
        "annees": sorted({measure.annee for measure in measures}),
    }
    return rows, report


async def governance_rows(
    session: AsyncSession, focus: str, today: date
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    meetings = list(await session.scalars(select(Meeting).where(Meeting.held_on <= today)))
    per_year: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        if meeting.kind in GOVERNANCE_KINDS:
            per_year[meeting.held_on.year].append(meeting)
    present = await participants_by_meeting(session)
    rows = []
    partners: Counter[int] = Counter(
        meeting.held_on.year for meeting in meetings if meeting.kind == MeetingKind.PARTNERS_COMMITTEE.value
    )
    for year, count in sorted(partners.items()):
        rows.append(_row("gouvernance_comites_partenaires", str(year), Level.DEPARTMENT, focus, count))
    for year, held in sorted(per_year.items()):
        rows.append(_row("gouvernance_comites", str(year), Level.DEPARTMENT, focus, len(held)))
        rows.append(
            _row(
                "gouvernance_participants_comites",
                str(year),
                Level.DEPARTMENT,
                focus,
                sum(present.get(meeting.id, 0) for meeting in held),
            )
        )
        documented = sum(
            1
            for meeting in held
            if any(
                document.get("nature", "compte_rendu") in PUBLISHED_NATURES for document in meeting.documents
            )
        )
        rows.append(
            _row(
                "gouvernance_comptes_rendus_publies",
                str(year),
                Level.DEPARTMENT,
                focus,
                documented / len(held) * 100,
                numerator=documented,
                denominator=len(held),
            )
        )
    published = (
        await session.execute(
            select(DatasetImport.dataset, func.min(DatasetImport.published_at))
            .where(
                DatasetImport.published_at.is_not(None),
                DatasetImport.kind != ImportKind.COMPUTED.value,
                DatasetImport.status.in_([ImportStatus.PUBLISHED.value, ImportStatus.REPLACED.value]),
            )
            .group_by(DatasetImport.dataset)
        )
    ).all()
    first_years = [moment.year for _dataset, moment in published if moment is not None]
    if first_years:
        for year in range(min(first_years), today.year + 1):
            rows.append(
                _row(
                    "observatoire_jeux_publies",
                    str(year),
                    Level.DEPARTMENT,
                    focus,
                    sum(1 for first in first_years if first <= year),
                )
            )
    return rows, {"reunions": len(meetings), "jeux_publies": len(first_years)}


async def _communes(session: AsyncSession) -> set[str]:
    return set(await session.scalars(select(Territory.code).where(Territory.level == Level.COMMUNE)))


def _checked(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Only the computed indicators (a programming error otherwise, caught by the tests)."""
    rows = list(rows)
    assert all(row["indicator_code"] in BY_CODE for row in rows)
    return rows


READING = {
    Source.ANNUAIRE: "Lecture de l'annuaire",
    Source.RESEAU: "Lecture du service réseau",
    Source.COOP: "Lecture de La Coop de la médiation numérique",
}


def planned(sources: Sources, wanted: list[Source], explicit: bool) -> tuple[list[Source], dict[str, str]]:
    """The sources to compute, and those left out and why. A source asked for explicitly but not configured
    is a 409; among all sources, an unconfigured one is skipped and said so."""
    skipped: dict[str, str] = {}
    if Source.COOP in wanted and not sources.coop.configured:
        if explicit:
            raise SourceNotConfigured(
                "La Coop de la médiation numérique n'est pas configurée (OBSERVATORY_COOP_TOKEN)."
            )
        wanted = [source for source in wanted if source != Source.COOP]
        skipped[Source.COOP.value] = "non configurée (OBSERVATORY_COOP_TOKEN vide)"
    return wanted, skipped


async def read_sources(
    sources: Sources,
    wanted: list[Source],
    *,
    coop_since: date,
    focus: str,
    today: date,
    progress: Progress | None = None,
) -> dict[Source, Any]:
    """Every wanted outside source read whole (nothing written: a failure stores nothing)."""
    reads: dict[Source, Any] = {}
    outside = [source for source in READING if source in wanted]
    for position, source in enumerate(outside):
        if progress is not None:
            await progress(0.05 + 0.8 * position / len(outside), READING[source])
        if source == Source.ANNUAIRE:
            reads[source] = (await sources.directory.permanences(), await sources.directory.places())
        elif source == Source.RESEAU:
            reads[source] = await sources.network.statistics()
        else:
            reads[source] = await coop_service.read(sources.coop, coop_since, focus, today)
    if progress is not None:
        await progress(0.9, "Enregistrement des valeurs")
    return reads


async def store_reads(
    session: AsyncSession,
    reads: dict[Source, Any],
    wanted: list[Source],
    skipped: dict[str, str],
    *,
    focus: str,
    actor: str,
    today: date,
) -> Outcome:
    """Each source's values stored and published (the observatory's own records read here); a source whose
    values did not change keeps its version, marked as checked now."""
    outcome = Outcome(skipped=dict(skipped))
    await ensure_catalogue(session)
    known = await _communes(session)
    month = today.strftime("%Y-%m")
    stores: list[tuple[str, ImportKind, str, Source, list[dict[str, Any]], dict[str, Any]]] = []
    if Source.ANNUAIRE in reads:
        permanences, places = reads[Source.ANNUAIRE]
        rows, report = directory_rows(permanences, places, month, known, focus)
        stores.append(
            (
                f"fdr-permanences-{month}",
                ImportKind.DIRECTORY,
                f"Permanences, {month}",
                Source.ANNUAIRE,
                rows,
                report,
            )
        )
    if Source.RESEAU in reads:
        rows, report = network_rows(reads[Source.RESEAU], known, focus)
        stores.append(
            (
                "fdr-reseau",
                ImportKind.NETWORK,
                "Réseau : personnes, formations, événements",
                Source.RESEAU,
                rows,
                report,
            )
        )
    if Source.COOP in reads:
        rows, report = coop_service.observations(reads[Source.COOP], known, focus)
        stores.append(
            (
                "coop",
                ImportKind.COOP,
                "La Coop de la médiation numérique : activité",
                Source.COOP,
                rows,
                report,
            )
        )
    if Source.OBSERVATOIRE in wanted:
        rows, report = await governance_rows(session, focus, today)
        stores.append(
            (
                "fdr-gouvernance",
                ImportKind.COMPUTED,
                "Comités et jeux de données",
                Source.OBSERVATOIRE,
                rows,
                report,
            )
        )
    for dataset, kind, title, source, rows, report in stores:
        if not rows:
            outcome.skipped[source.value] = "aucune valeur à publier"
            continue
        outcome.computed.append(
            await store_computation(
                session,
                dataset=dataset,
                kind=kind,
                title=title,
                source=SOURCE_LABELS[source],
                vintage=today.isoformat(),
                observations=_checked(rows),
                report=report,
                actor=actor,
            )
        )
    return outcome


def job_work(
    sources: Sources,
    wanted: list[Source],
    skipped: dict[str, str],
    *,
    focus: str,
    coop_since: date,
    actor: str,
    today: date,
) -> Work:
    """The on-demand refresh as a job's work: the sources read with progress, then stored in one
    transaction (jobs/service.py)."""

    async def work(progress: Progress) -> Store:
        reads = await read_sources(
            sources, wanted, coop_since=coop_since, focus=focus, today=today, progress=progress
        )

        async def store(session: AsyncSession) -> Published:
            outcome = await store_reads(
                session, reads, wanted, skipped, focus=focus, actor=actor, today=today
            )
            return Published(outcome.computed, outcome.skipped)

        return store

    return work


async def refresh(
    session: AsyncSession,
    sources: Sources,
    wanted: list[Source],
    *,
    focus: str,
    coop_since: date,
    actor: str,
    today: date,
    explicit: bool,
) -> Outcome:
    """Reads every wanted source, then stores and publishes each one's values, in `session` (the command
    line and the scheduled pass; the service's on-demand refresh is a job: jobs.py)."""
    wanted, skipped = planned(sources, wanted, explicit)
    reads = await read_sources(sources, wanted, coop_since=coop_since, focus=focus, today=today)
    return await store_reads(session, reads, wanted, skipped, focus=focus, actor=actor, today=today)


NOTHING = (None, None, None, None)


async def computed_list(session: AsyncSession, focus: str) -> list[dict[str, Any]]:
    """Every computed roadmap indicator: its source, formula, latest value for the department and when it was
    computed."""
    entries = [(roadmap_id, code, source, formula) for roadmap_id, code, source, formula in ALREADY_COMPUTED]
    entries += [
        (roadmap_id, item.code, item.source, item.formula) for item in COMPUTED for roadmap_id in item.roadmap
    ]
    codes = {code for _id, code, _source, _formula in entries}
    latest: dict[str, tuple[str, float | None, Any, Any]] = {}
    for code, period, value, computed_at, checked_at in await session.execute(
        select(
            PublishedValue.indicator_code,
            PublishedValue.period,
            PublishedValue.value,
            PublishedValue.computed_at,
            DatasetImport.checked_at,
        )
        .outerjoin(DatasetImport, DatasetImport.id == PublishedValue.import_id)
        .where(
            PublishedValue.indicator_code.in_(codes),
            PublishedValue.territory_level == Level.DEPARTMENT.value,
            PublishedValue.territory_code == focus,
            PublishedValue.secrecy.is_(None),
        )
        .order_by(PublishedValue.indicator_code, PublishedValue.period)
    ):
        latest[code] = (period, value, computed_at, checked_at)
    labels = {
        identifier: label
        for identifier, label in await session.execute(select(RoadmapIndicator.id, RoadmapIndicator.label))
    }
    names = {
        code: label
        for code, label in await session.execute(
            select(Indicator.code, Indicator.label).where(Indicator.code.in_(codes))
        )
    }

    def order(entry: tuple[str, str, Source, str]) -> tuple[int, int]:
        objective, position = entry[0].split(".")
        return int(objective), int(position)

    return [
        {
            "indicateur": roadmap_id,
            "libelle": labels.get(roadmap_id, ""),
            "indicateur_catalogue": code,
            "indicateur_catalogue_libelle": names.get(code, ""),
            "source": SOURCE_LABELS[source],
            "formule": formula,
            "periode": latest.get(code, NOTHING)[0],
            "valeur": latest.get(code, NOTHING)[1],
            "calcule_le": latest.get(code, NOTHING)[2],
            "verifie_le": latest.get(code, NOTHING)[3],
        }
        for roadmap_id, code, source, formula in sorted(entries, key=order)
    ]


__all__ = [
    "BY_CODE",
    "Computed",
    "Outcome",
    "Sources",
    "computed_list",
    "ensure_catalogue",
    "job_work",
    "planned",
    "read_sources",
    "refresh",
    "store_reads",
]
