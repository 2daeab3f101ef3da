"""Results: a campaign's figures for its coordinators, and disclosure-safe aggregates for the observatory."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Integer, Select, String, and_, case, cast, func, literal, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from fne_surveys.campaigns.models import Campaign
from fne_surveys.frameworks.registry import Frameworks
from fne_surveys.questionnaires.models import Questionnaire
from fne_surveys.responses.models import Respondent, Response, ResponseScore
from fne_surveys.results.disclosure import suppressed, suppressed_table
from fne_surveys.results.schemas import (
    AggregateCell, Aggregates, CampaignResults, DimensionStats, PairedProgress, PhaseCount, ProgressAggregates,
    ProgressCell,
)

TerritoryLevel = Literal["commune", "epci", "departement"]
Period = Literal["mois", "trimestre", "annee"]
Breakdown = Literal["tranche_age", "genre", "statut_social"]
UNKNOWN_TERRITORY = "inconnu"
TOTAL = "total"


def _label(frameworks: Frameworks, framework: str, version: str, dimension: str) -> str:
    found = frameworks.get(framework, version)
    described = found.dimension(dimension) if found else None
    return described.label if described else dimension


async def campaign_results(session: AsyncSession, campaign: Campaign, frameworks: Frameworks) -> CampaignResults:
    counts = (await session.execute(
        select(Response.phase, Response.status, func.count()).where(Response.campaign_id == campaign.id)
        .group_by(Response.phase, Response.status))).all()
    phases: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for phase, status, number in counts:
        phases[phase][0] += number
        if status == "completed":
            phases[phase][1] += number
    started = sum(started for started, _ in phases.values())
    completed = sum(done for _, done in phases.values())

    stats = (await session.execute(
        select(ResponseScore.framework, ResponseScore.framework_version, ResponseScore.dimension, Response.phase,
               ResponseScore.level, func.count(), func.sum(ResponseScore.percent))
        .join(Response, Response.id == ResponseScore.response_id)
        .where(Response.campaign_id == campaign.id, Response.status == "completed")
        .group_by(ResponseScore.framework, ResponseScore.framework_version, ResponseScore.dimension,
                  Response.phase, ResponseScore.level))).all()
    cells: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for framework, version, dimension, phase, level, number, total in stats:
        cell = cells.setdefault((framework, version, dimension, phase), {"n": 0, "sum": 0.0, "levels": {}})
        cell["n"] += number
        cell["sum"] += total
        cell["levels"][str(level)] = number
    dimensions = [
        DimensionStats(framework=framework, dimension=dimension, label=_label(frameworks, framework, version, dimension),
                       phase=phase, n=cell["n"], mean=round(cell["sum"] / cell["n"], 2), distribution=cell["levels"])
        for (framework, version, dimension, phase), cell in sorted(cells.items())
    ]
    progress = [
        PairedProgress(framework=framework, dimension=dimension, label=_label(frameworks, framework, version, dimension),
                       pairs=pairs, mean_pre=round(pre, 2), mean_post=round(post, 2), mean_delta=round(post - pre, 2))
        for framework, version, dimension, _territory, pairs, pre, post in await _pairs(
            session, None, lambda pre, _post: [pre.campaign_id == campaign.id])
    ]
    return CampaignResults(
        campaign_id=campaign.id, started=started, completed=completed,
        completion_rate=round(completed / started, 4) if started else None,
        by_phase=[PhaseCount(phase=phase, started=value[0], completed=value[1])
                  for phase, value in sorted(phases.items())],
        dimensions=dimensions, progress=progress,
    )


def _territory_column(level: TerritoryLevel) -> ColumnElement[Any]:
    code = Respondent.commune_code
    if level == "commune":
        return func.coalesce(code, UNKNOWN_TERRITORY)
    if level == "epci":
        return func.coalesce(Respondent.epci_code, UNKNOWN_TERRITORY)
    # Overseas departments have three digits (971…976), the others two (2A and 2B included).
    department = case((func.substr(code, 1, 2) == "97", func.substr(code, 1, 3)), else_=func.substr(code, 1, 2))
    return func.coalesce(department, UNKNOWN_TERRITORY)


def _period_column(dialect: str, period: Period) -> ColumnElement[Any]:
    moment = Response.completed_at
    if dialect == "postgresql":
        utc = func.timezone("UTC", moment)
        formats = {"mois": "YYYY-MM", "trimestre": 'YYYY-"T"Q', "annee": "YYYY"}
        return func.to_char(utc, formats[period])
    if period == "trimestre":
        quarter = (cast(func.strftime("%m", moment), Integer) + 2) / 3
        return func.strftime("%Y", moment).concat("-T").concat(cast(quarter, String))
    return func.strftime({"mois": "%Y-%m", "annee": "%Y"}[period], moment)


async def _analytics_memory(session: AsyncSession) -> None:
    """PostgreSQL's default 4 MB per sort or hash spills a million answers to disk; this transaction only
    (a read: the request's transaction ends with it) may use more."""
    if session.bind.dialect.name == "postgresql":
        await session.execute(text("SET LOCAL work_mem = '64MB'"))


@dataclass(frozen=True)
class AggregateQuery:
    framework: str
    questionnaire: str | None
    territory_level: TerritoryLevel
    period: Period
    since: datetime | None
    until: datetime | None
    department: str | None
    instrument: Literal["questionnaire", "pix_orga"] | None = None
    levels: tuple[int, ...] = ()  # every level of the framework's versions, for the distributions
    breakdown: Breakdown | None = None


def _filters(query: AggregateQuery, response: Any = Response) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [response.status == "completed"]
    if query.since is not None:
        conditions.append(response.completed_at >= query.since)
    if query.until is not None:
        conditions.append(response.completed_at < query.until)
    if query.department is not None:
        conditions.append(Respondent.commune_code.startswith(query.department))
    if query.questionnaire is not None:
        conditions.append(response.questionnaire_id.in_(
            select(Questionnaire.id).where(Questionnaire.code == query.questionnaire)))
    if query.instrument is not None:
        conditions.append(response.source == "pix_orga" if query.instrument == "pix_orga"
                          else response.source != "pix_orga")
    return conditions


def _publishable_distribution(levels: dict[str, int], threshold: int) -> dict[str, int | None]:
    hidden = suppressed(levels, threshold)
    return {level: None if level in hidden else count for level, count in sorted(levels.items())}


def _figures(cell: dict[str, Any], distribution: dict[str, int | None]) -> dict[str, Any]:
    return {"respondents": cell["people"], "n": cell["n"], "mean": round(cell["sum"] / cell["n"], 2),
            "distribution": distribution}


def _combined(cells: list[dict[str, Any]]) -> dict[str, Any]:
    """The cell of people counted in several disjoint cells (each respondent is in one territory, one band)."""
    levels: dict[str, int] = defaultdict(int)
    for cell in cells:
        for level, number in cell["levels"].items():
            levels[level] += number
    return {"n": sum(cell["n"] for cell in cells), "sum": sum(cell["sum"] for cell in cells),
            "people": sum(cell["people"] for cell in cells), "levels": dict(levels)}


def _margin_distribution(margin: dict[str, Any], lines: list[list[dict[str, int | None]]],
                         threshold: int) -> dict[str, int | None]:
    """A total's distribution: a level is withheld too when the published distributions of the cells it adds up
    (each line of them: a total can add up a row and a column) would give a withheld count by difference."""
    recoverable = set()
    for shown in lines:
        visible: dict[str, int] = defaultdict(int)
        for distribution in shown:
            for level, number in distribution.items():
                visible[level] += number or 0
        recoverable |= {level for level, number in margin["levels"].items()
                        if 0 < number - visible[level] < threshold}
    withheld = suppressed(margin["levels"], threshold, also=recoverable)
    return {level: None if level in withheld else number for level, number in sorted(margin["levels"].items())}


def _published_group(places: dict[str, dict[str, Any]], threshold: int) -> list[tuple[str, dict[str, Any] | None]]:
    """The territories of one dimension, phase and period, then their total, as published (None: withheld)."""
    hidden = suppressed({place: cell["people"] for place, cell in places.items()}, threshold)
    rows: list[tuple[str, dict[str, Any] | None]] = []
    shown = []
    for place, cell in sorted(places.items()):
        if place in hidden:
            rows.append((place, None))
            continue
        distribution = _publishable_distribution(cell["levels"], threshold)
        shown.append(distribution)
        rows.append((place, _figures(cell, distribution)))
    total = _combined(list(places.values()))
    if total["people"] < threshold:
        return [*rows, (TOTAL, None)]
    return [*rows, (TOTAL, _figures(total, _margin_distribution(total, [shown], threshold)))]


Key = tuple[str, str]


def _published_table(cells: dict[Key, dict[str, Any]], threshold: int) -> list[tuple[Key, dict[str, Any] | None]]:
    """Territories × categories (age bands…) of one dimension, phase and period, with the territories' totals
    (territory, total), the categories' totals (total, category) and the grand total, as published (None:
    withheld). Suppression protects every row and every column (disclosure.suppressed_table); a total's
    distribution is checked against the cells of its row and of its column."""
    places = sorted({place for place, _ in cells})
    categories = sorted({category for _, category in cells})
    full = dict(cells)
    for place in places:
        full[(place, TOTAL)] = _combined([cell for (where, _), cell in cells.items() if where == place])
    for category in categories:
        full[(TOTAL, category)] = _combined([cell for (_, which), cell in cells.items() if which == category])
    full[(TOTAL, TOTAL)] = _combined(list(cells.values()))
    hidden = suppressed_table({key: cell["people"] for key, cell in cells.items()}, threshold, TOTAL)
    distributions: dict[Key, dict[str, int | None]] = {
        key: _publishable_distribution(cell["levels"], threshold) for key, cell in cells.items() if key not in hidden}

    def shown(keys: list[Key]) -> list[dict[str, int | None]]:
        return [distributions[key] for key in keys if key in distributions]

    # Territories' and categories' totals first: the grand total adds them up in turn.
    for place in places:
        if (place, TOTAL) not in hidden:
            distributions[(place, TOTAL)] = _margin_distribution(
                full[(place, TOTAL)], [shown([(place, category) for category in categories])], threshold)
    for category in categories:
        if (TOTAL, category) not in hidden:
            distributions[(TOTAL, category)] = _margin_distribution(
                full[(TOTAL, category)], [shown([(place, category) for place in places])], threshold)
    if (TOTAL, TOTAL) not in hidden:
        distributions[(TOTAL, TOTAL)] = _margin_distribution(
            full[(TOTAL, TOTAL)], [shown([(place, TOTAL) for place in places]),
                                   shown([(TOTAL, category) for category in categories])], threshold)
    return [(key, None if key in hidden else _figures(full[key], distributions[key]))
            for key in sorted(full, key=lambda key: (key[0] == TOTAL, key[0], key[1] == TOTAL, key[1]))]


def _cell_counts(query: AggregateQuery, keys: list[ColumnElement[Any]]) -> Select[Any]:
    """Per cell (the `keys` of a response, then dimension): responses, sum of scores, responses per level, and
    respondents.

    Everything but the dimension and the score belongs to the response, so it is computed once per response
    (`answered`, materialised) rather than once per score. Respondents are counted as responses minus repeats:
    the distinct count is needed only for a person with more than one response in a cell (follow-ups, two
    campaigns), found among responses first, so the scores of everyone else are never sorted."""
    answered = (select(Response.id.label("id"), Response.respondent_id.label("respondent_id"),
                       *(key.label(f"k{index}") for index, key in enumerate(keys)))
                .join(Respondent, Respondent.id == Response.respondent_id).where(*_filters(query))
                .cte("answered").prefix_with("MATERIALIZED"))
    key_columns = [answered.c[f"k{index}"] for index in range(len(keys))]
    repeated = (select(*key_columns, answered.c.respondent_id).group_by(*key_columns, answered.c.respondent_id)
                .having(func.count() > 1).cte("repeated"))
    repeats = (select(*key_columns, ResponseScore.dimension,
                      (func.count() - func.count(answered.c.respondent_id.distinct())).label("repeats"))
               .join(repeated, and_(*(column == repeated.c[column.key] for column in key_columns),
                                    repeated.c.respondent_id == answered.c.respondent_id))
               .join(ResponseScore, and_(ResponseScore.response_id == answered.c.id,
                                         ResponseScore.framework == query.framework))
               .group_by(*key_columns, ResponseScore.dimension).cte("repeats"))
    per_level = [func.count().filter(ResponseScore.level == level).label(f"level_{level}") for level in query.levels]
    cells = (select(*key_columns, ResponseScore.dimension, func.count().label("n"),
                    func.sum(ResponseScore.percent).label("total"), *per_level)
             .join(ResponseScore, ResponseScore.response_id == answered.c.id)
             .where(ResponseScore.framework == query.framework)
             .group_by(*key_columns, ResponseScore.dimension).cte("cells"))
    same_cell = and_(*(cells.c[column.key] == repeats.c[column.key] for column in key_columns),
                     cells.c.dimension == repeats.c.dimension)
    return select(cells, (cells.c.n - func.coalesce(repeats.c.repeats, 0)).label("people")).outerjoin(
        repeats, same_cell)


BREAKDOWNS: dict[str, Any] = {"tranche_age": Respondent.age_band, "genre": Respondent.gender,
                              "statut_social": Respondent.social_status}


async def aggregates(session: AsyncSession, query: AggregateQuery, threshold: int) -> Aggregates:
    """Territory (× age band, gender or social status) × dimension × phase × period: respondents, responses,
    mean score, level distribution."""
    keys = [_territory_column(query.territory_level), Response.phase,
            _period_column(session.bind.dialect.name, query.period)]
    if query.breakdown is not None:
        keys.append(func.coalesce(BREAKDOWNS[query.breakdown], UNKNOWN_TERRITORY))
    await _analytics_memory(session)
    names = [str(level) for level in query.levels]
    # (dimension, phase, period) → (territory, category) → cell; the category is "total" without a breakdown.
    groups: dict[tuple[str, str, str], dict[Key, dict[str, Any]]] = defaultdict(dict)
    for row in await session.execute(_cell_counts(query, keys)):
        place, phase, when, *category = row[:len(keys)]
        dimension, number, total, *counts = row[len(keys):-1]
        levels = {name: count for name, count in zip(names, counts, strict=True) if count}
        groups[(dimension, phase, when)][(place, category[0] if category else TOTAL)] = {
            "n": number, "sum": total, "levels": levels, "people": row[-1]}

    def published(cells: dict[Key, dict[str, Any]]) -> list[tuple[Key, dict[str, Any] | None]]:
        if query.breakdown is not None:
            return _published_table(cells, threshold)
        return [((place, TOTAL), figures) for place, figures in
                _published_group({place: cell for (place, _), cell in cells.items()}, threshold)]

    # Built without validation: thousands of cells, every value computed here.
    withheld = dict.fromkeys(("respondents", "n", "mean", "distribution"))
    cells = [
        AggregateCell.model_construct(
            territory=place, breakdown=query.breakdown, category=category if query.breakdown else None,
            framework=query.framework, dimension=dimension, phase=phase, period=when, suppressed=figures is None,
            **(figures or withheld))
        for (dimension, phase, when), found in sorted(groups.items())
        for (place, category), figures in published(found)
    ]
    return Aggregates(threshold=threshold, territory_level=query.territory_level, period=query.period,
                      breakdown=query.breakdown, cells=cells)


PairFilter = Callable[[Any, Any], list[ColumnElement[bool]]]


async def _pairs(session: AsyncSession, territory: ColumnElement[Any] | None, where: PairFilter,
                 framework: str | None = None) -> list[Any]:
    """Per dimension (and territory): respondents with a completed pre and post response in the same campaign,
    by the same instrument (a questionnaire, or PIX Orga imports), their mean pre and post scores. `where` filters
    on the (pre, post) responses."""
    pre, post = aliased(Response), aliased(Response)
    pre_score, post_score = aliased(ResponseScore), aliased(ResponseScore)
    keys = [pre_score.framework, pre_score.framework_version, pre_score.dimension,
            territory if territory is not None else literal(TOTAL)]
    query = (
        select(*keys, func.count(), func.avg(pre_score.percent), func.avg(post_score.percent))
        .select_from(pre_score)
        .join(pre, and_(pre.id == pre_score.response_id, pre.phase == "pre", pre.status == "completed"))
        .join(post, and_(post.respondent_id == pre.respondent_id, post.campaign_id == pre.campaign_id,
                         post.source == pre.source, post.phase == "post", post.status == "completed"))
        .join(post_score, and_(post_score.response_id == post.id, post_score.framework == pre_score.framework,
                               post_score.dimension == pre_score.dimension))
        .join(Respondent, Respondent.id == pre.respondent_id)
        .where(*where(pre, post))
        .group_by(*keys)
    )
    if framework is not None:
        query = query.where(pre_score.framework == framework)
    return list((await session.execute(query)).all())


async def paired_progress(session: AsyncSession, query: AggregateQuery, threshold: int) -> ProgressAggregates:
    """Pre/post deltas per territory × dimension, over paired respondents only, with the same suppression."""
    def where(pre: Any, post: Any) -> list[ColumnElement[bool]]:
        # The period is that of the post response: progress measured in 2026 is the 2026 figure.
        return _filters(query, post)

    await _analytics_memory(session)
    rows = await _pairs(session, _territory_column(query.territory_level), where, framework=query.framework)
    groups: dict[str, dict[str, tuple[int, float, float]]] = defaultdict(dict)
    for _framework, _version, dimension, place, pairs, pre, post in rows:
        groups[dimension][place] = (pairs, pre, post)
    cells = []
    for dimension, places in sorted(groups.items()):
        hidden = suppressed({place: value[0] for place, value in places.items()}, threshold)
        pairs_total = sum(value[0] for value in places.values())
        total = (pairs_total, sum(value[0] * value[1] for value in places.values()) / pairs_total,
                 sum(value[0] * value[2] for value in places.values()) / pairs_total)
        for place, (pairs, pre, post) in [*sorted(places.items()), (TOTAL, total)]:
            secret = place in hidden or (place == TOTAL and pairs < threshold)
            cells.append(ProgressCell(
                territory=place, framework=query.framework, dimension=dimension, suppressed=secret,
                pairs=None if secret else pairs, mean_pre=None if secret else round(pre, 2),
                mean_post=None if secret else round(post, 2), mean_delta=None if secret else round(post - pre, 2)))
    return ProgressAggregates(threshold=threshold, territory_level=query.territory_level, cells=cells)
