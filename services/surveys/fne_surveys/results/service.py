"""Results: a campaign's figures for its coordinators, and disclosure-safe aggregates for the observatory."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    select,
    text,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from fne_surveys.campaigns.models import Campaign
from fne_surveys.frameworks.registry import Frameworks
from fne_surveys.questionnaires.models import Questionnaire
from fne_surveys.responses.models import Respondent, Response, ResponseScore
from fne_surveys.results.fixed_set import (
    BREAKDOWN_NAMES,
    NOWHERE,
    ROOT,
    Cell,
    Node,
    Published,
    Tree,
    department_node,
    protect,
)
from fne_surveys.results.protection import pinned_means, protect_tree, small_levels
from fne_surveys.results.schemas import (
    AggregateCell,
    Aggregates,
    CampaignResults,
    DimensionStats,
    PairedProgress,
    PhaseCount,
    ProgressAggregates,
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


def _star(cells: dict[str, Cell], threshold: int, names: list[str]) -> tuple[set[str], set[str], set[str]]:
    """Campaigns of one framework, dimension and phase add up to what the aggregates publish over all periods:
    they are protected as the children of that total (counts, means, then distributions)."""
    children = {"*": sorted(cells)}
    nodes: dict[str, Cell] = dict(cells)
    nodes["*"] = Cell()
    for cell in cells.values():
        nodes["*"].add(cell)
    hidden = protect_tree(
        children,
        "*",
        {key: [cell.n] for key, cell in nodes.items()},
        {key for key, cell in nodes.items() if cell.people < threshold},
        threshold,
    )
    sums = {key: [cell.n, cell.total, 100 * cell.n - cell.total] for key, cell in nodes.items()}
    means = protect_tree(
        children,
        "*",
        sums,
        hidden,
        threshold,
        violations=pinned_means(threshold, 100 / max(1, len(names) - 1)),
    )
    vectors = {key: [cell.levels.get(name, 0) for name in names] for key, cell in nodes.items()}
    uneven = {key for key, vector in vectors.items() if any(0 < count < threshold for count in vector)}
    return (
        hidden,
        means,
        protect_tree(children, "*", vectors, means | uneven, threshold, violations=small_levels(threshold)),
    )


async def campaign_results(
    session: AsyncSession, campaign: Campaign, frameworks: Frameworks, threshold: int
) -> CampaignResults:
    """A campaign's counts and its protected figures: each of its cells is a child of the total over every
    campaign, withheld below the threshold or when another campaign's figures would give it away."""
    counts = (
        await session.execute(
            select(Response.phase, Response.status, func.count())
            .where(Response.campaign_id == campaign.id)
            .group_by(Response.phase, Response.status)
        )
    ).all()
    phases: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for phase, status, number in counts:
        phases[phase][0] += number
        if status == "completed":
            phases[phase][1] += number
    started = sum(started for started, _ in phases.values())
    completed = sum(done for _, done in phases.values())

    used = (
        select(ResponseScore.framework)
        .join(Response, Response.id == ResponseScore.response_id)
        .where(Response.campaign_id == campaign.id)
        .distinct()
    )
    keys = (Response.campaign_id, ResponseScore.framework, ResponseScore.dimension, Response.phase)
    totals = (
        await session.execute(
            select(
                *keys,
                func.max(ResponseScore.framework_version),
                func.count(),
                func.sum(ResponseScore.percent),
                func.count(Response.respondent_id.distinct()),
            )
            .join(Response, Response.id == ResponseScore.response_id)
            .where(Response.status == "completed", ResponseScore.framework.in_(used))
            .group_by(*keys)
        )
    ).all()
    levels = (
        await session.execute(
            select(*keys, ResponseScore.level, func.count())
            .join(Response, Response.id == ResponseScore.response_id)
            .where(Response.status == "completed", ResponseScore.framework.in_(used))
            .group_by(*keys, ResponseScore.level)
        )
    ).all()
    groups: dict[tuple[str, str, str], dict[str, Cell]] = defaultdict(dict)
    versions: dict[tuple[str, str, str], str] = {}
    for owner, framework, dimension, phase, version, number, total, people in totals:
        groups[(framework, dimension, phase)][owner] = Cell(people, number, total or 0.0, {})
        if owner == campaign.id:
            versions[(framework, dimension, phase)] = version
    for owner, framework, dimension, phase, level, number in levels:
        groups[(framework, dimension, phase)][owner].levels[str(level)] = number
    dimensions = []
    for key in sorted(versions):
        framework, dimension, phase = key
        names = sorted({name for cell in groups[key].values() for name in cell.levels}, key=int)
        hidden, hidden_mean, hidden_distribution = _star(groups[key], threshold, names)
        cell = groups[key][campaign.id]
        secret = campaign.id in hidden
        dimensions.append(
            DimensionStats(
                referentiel=framework,
                dimension=dimension,
                libelle=_label(frameworks, framework, versions[key], dimension),
                phase=phase,
                secret=secret,
                n=None if secret else cell.n,
                moyenne=None if campaign.id in hidden_mean else round(cell.total / cell.n, 2),
                repartition=None if campaign.id in hidden_distribution else dict(sorted(cell.levels.items())),
            )
        )

    pairs = await _pairs(session, lambda pre: [pre.campaign_id], lambda _pre, _post: [])
    paired: dict[tuple[str, str], dict[str, tuple[int, float, float, str]]] = defaultdict(dict)
    for framework, version, dimension, (owner,), number, pre, post in pairs:
        paired[(framework, dimension)][owner] = (number, pre, post, version)
    progress = []
    for (framework, dimension), owners in sorted(paired.items()):
        if campaign.id not in owners:
            continue
        hidden, _, _ = _star(
            {owner: Cell(value[0], value[0]) for owner, value in owners.items()}, threshold, []
        )
        number, pre, post, version = owners[campaign.id]
        secret = campaign.id in hidden
        progress.append(
            PairedProgress(
                referentiel=framework,
                dimension=dimension,
                libelle=_label(frameworks, framework, version, dimension),
                secret=secret,
                paires=None if secret else number,
                moyenne_pre=None if secret else round(pre, 2),
                moyenne_post=None if secret else round(post, 2),
                ecart_moyen=None if secret else round(post - pre, 2),
            )
        )
    return CampaignResults(
        campagne_id=campaign.id,
        seuil=threshold,
        commencees=started,
        terminees=completed,
        taux_achevement=round(completed / started, 4) if started else None,
        par_phase=[
            PhaseCount(phase=phase, commencees=value[0], terminees=value[1])
            for phase, value in sorted(phases.items())
        ],
        dimensions=dimensions,
        progression=progress,
    )


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
    if query.questionnaire is not None:
        conditions.append(
            response.questionnaire_id.in_(
                select(Questionnaire.id).where(Questionnaire.code == query.questionnaire)
            )
        )
    if query.instrument is not None:
        conditions.append(
            response.source == "pix_orga" if query.instrument == "pix_orga" else response.source != "pix_orga"
        )
    return conditions


def _cell_counts(query: AggregateQuery, keys: list[ColumnElement[Any]]) -> Select[Any]:
    """Per cell (the `keys` of a response, then dimension): responses, sum of scores, responses per level, and
    respondents.

    Everything but the dimension and the score belongs to the response, so it is computed once per response
    (`answered`, materialised) rather than once per score. Respondents are counted as responses minus repeats:
    the distinct count is needed only for a person with more than one response in a cell (follow-ups, two
    campaigns), found among responses first, so the scores of everyone else are never sorted."""
    answered = (
        select(
            Response.id.label("id"),
            Response.respondent_id.label("respondent_id"),
            *(key.label(f"k{index}") for index, key in enumerate(keys)),
        )
        .join(Respondent, Respondent.id == Response.respondent_id)
        .where(*_filters(query))
        .cte("answered")
        .prefix_with("MATERIALIZED")
    )
    key_columns = [answered.c[f"k{index}"] for index in range(len(keys))]
    repeated = (
        select(*key_columns, answered.c.respondent_id)
        .group_by(*key_columns, answered.c.respondent_id)
        .having(func.count() > 1)
        .cte("repeated")
    )
    repeats = (
        select(
            *key_columns,
            ResponseScore.dimension,
            (func.count() - func.count(answered.c.respondent_id.distinct())).label("repeats"),
        )
        .join(
            repeated,
            and_(
                # A key may be NULL (no commune, no EPCI): NULL = NULL is not true, "is not distinct from" is.
                *(column.is_not_distinct_from(repeated.c[column.key]) for column in key_columns),
                repeated.c.respondent_id == answered.c.respondent_id,
            ),
        )
        .join(
            ResponseScore,
            and_(ResponseScore.response_id == answered.c.id, ResponseScore.framework == query.framework),
        )
        .group_by(*key_columns, ResponseScore.dimension)
        .cte("repeats")
    )
    per_level = [
        func.count().filter(ResponseScore.level == level).label(f"level_{level}") for level in query.levels
    ]
    cells = (
        select(
            *key_columns,
            ResponseScore.dimension,
            func.count().label("n"),
            func.sum(ResponseScore.percent).label("total"),
            *per_level,
        )
        .join(ResponseScore, ResponseScore.response_id == answered.c.id)
        .where(ResponseScore.framework == query.framework)
        .group_by(*key_columns, ResponseScore.dimension)
        .cte("cells")
    )
    same_cell = and_(
        *(cells.c[column.key].is_not_distinct_from(repeats.c[column.key]) for column in key_columns),
        cells.c.dimension == repeats.c.dimension,
    )
    return select(cells, (cells.c.n - func.coalesce(repeats.c.repeats, 0)).label("people")).outerjoin(
        repeats, same_cell
    )


BREAKDOWNS: dict[str, Any] = {
    "tranche_age": Respondent.age_band,
    "genre": Respondent.gender,
    "statut_social": Respondent.social_status,
}
Group = tuple[str, str, str]  # dimension, phase, period


def _department_column() -> ColumnElement[Any]:
    code = Respondent.commune_code
    department = case(
        (func.substr(code, 1, 2) == "97", func.substr(code, 1, 3)), else_=func.substr(code, 1, 2)
    )
    return func.coalesce(department, UNKNOWN_TERRITORY)


def _cell(row: Any, width: int, names: list[str]) -> tuple[str, Cell]:
    dimension, number, total, *counts = row[width:-1]
    levels = {name: count for name, count in zip(names, counts, strict=True) if count}
    return dimension, Cell(row[-1], number, total or 0.0, levels)


FixedSet = dict[Group, tuple[Tree, dict[tuple[Node, str, str], Cell]]]


async def _fixed_set(session: AsyncSession, query: AggregateQuery) -> FixedSet:
    """Every cell of the fixed set in the query's periods: the territory tree, and the départements'
    breakdowns (each respondent counted in one age band, one gender and one social status). PostgreSQL reads
    the scores once (grouping sets); SQLite, which has none, in two grouped scans."""
    await _analytics_memory(session)
    if session.bind.dialect.name == "postgresql":
        return await _fixed_set_one_scan(session, query)
    return await _fixed_set_two_scans(session, query)


async def _fixed_set_one_scan(session: AsyncSession, query: AggregateQuery) -> FixedSet:
    """One scan of the scores, grouped by (commune, EPCI) and by département × each breakdown at once
    (GROUPING SETS); the few respondents with several responses in a period come back one row per person and
    dimension, to count people rather than responses."""
    period = _period_column("postgresql", query.period)
    attributes = [func.coalesce(BREAKDOWNS[name], UNKNOWN_TERRITORY) for name in BREAKDOWN_NAMES]
    answered = (
        select(
            Response.id.label("id"),
            Response.respondent_id.label("respondent_id"),
            Response.phase.label("phase"),
            period.label("period"),
            Respondent.commune_code.label("commune"),
            Respondent.epci_code.label("epci"),
            _department_column().label("department"),
            *(column.label(name) for column, name in zip(attributes, BREAKDOWN_NAMES, strict=True)),
        )
        .join(Respondent, Respondent.id == Response.respondent_id)
        .where(*_filters(query))
        .cte("answered")
        .prefix_with("MATERIALIZED")
    )
    columns = ["commune", "epci", "department", *BREAKDOWN_NAMES]
    keys = [
        answered.c.phase,
        answered.c.period,
        ResponseScore.dimension,
        *(answered.c[name] for name in columns),
    ]
    scores = and_(ResponseScore.response_id == answered.c.id, ResponseScore.framework == query.framework)
    # Every score is counted once at the finest level (all the keys), and the much smaller result is then
    # added up by (commune, EPCI) and by département × each breakdown (GROUPING SETS): one pass over the
    # scores.
    fine = (
        select(
            *keys,
            func.count().label("n"),
            func.sum(ResponseScore.percent).label("total"),
            *(
                func.count().filter(ResponseScore.level == level).label(f"level_{level}")
                for level in query.levels
            ),
        )
        .join(ResponseScore, scores)
        .group_by(*keys)
        .cte("fine")
    )
    grouped = [fine.c[name] for name in columns]
    sets = [
        tuple_(fine.c.commune, fine.c.epci),
        *(tuple_(fine.c.department, fine.c[name]) for name in BREAKDOWN_NAMES),
    ]
    cells = select(
        fine.c.phase,
        fine.c.period,
        fine.c.dimension,
        *grouped,
        func.grouping(*grouped).label("grouping"),
        cast(func.sum(fine.c.n), BigInteger),  # a sum of counts is numeric in PostgreSQL
        func.sum(fine.c.total),
        *(cast(func.sum(fine.c[f"level_{level}"]), BigInteger) for level in query.levels),
    ).group_by(fine.c.phase, fine.c.period, fine.c.dimension, func.grouping_sets(*sets))
    repeated = (
        select(answered.c.respondent_id, answered.c.phase, answered.c.period)
        .group_by(answered.c.respondent_id, answered.c.phase, answered.c.period)
        .having(func.count() > 1)
        .cte("repeated")
    )
    repeats = (
        select(
            *keys,
            literal(-1).label("grouping"),
            (func.count() - 1).label("n"),
            null().label("total"),
            *(literal(0) for _ in query.levels),
        )
        .join(
            repeated,
            and_(
                repeated.c.respondent_id == answered.c.respondent_id,
                repeated.c.phase == answered.c.phase,
                repeated.c.period == answered.c.period,
            ),
        )
        .join(ResponseScore, scores)
        .group_by(answered.c.respondent_id, *keys)
    )
    # GROUPING(...) has a bit per argument, the last the lowest, set when the argument is not grouped on.
    width = len(columns)
    unused = {index: 1 << (width - 1 - index) for index in range(width)}
    everything = (1 << width) - 1
    tree_set = everything - unused[0] - unused[1]
    breakdown_sets = {
        everything - unused[2] - unused[3 + index]: name for index, name in enumerate(BREAKDOWN_NAMES)
    }
    names = [str(level) for level in query.levels]
    located: dict[Group, dict[tuple[str | None, str | None], Cell]] = defaultdict(dict)
    categories: dict[Group, dict[tuple[Node, str, str], Cell]] = defaultdict(lambda: defaultdict(Cell))
    again: list[Any] = []
    for row in await session.execute(cells.union_all(repeats)):
        phase, when, dimension, commune, epci, department, *values = row[: len(keys)]
        grouping, number, total, *counts = row[len(keys) :]
        group = (dimension, phase, when)
        if grouping == -1:
            again.append(row)
            continue
        cell = Cell(
            number,
            number,
            total or 0.0,
            {name: count for name, count in zip(names, counts, strict=True) if count},
        )
        if grouping == tree_set:
            located[group][(commune, epci)] = cell
            continue
        name = breakdown_sets[grouping]
        value = values[BREAKDOWN_NAMES.index(name)]
        place = NOWHERE if department == UNKNOWN_TERRITORY else department_node(department)
        categories[group][(place, name, value)].add(cell)
        categories[group][(ROOT, name, value)].add(Cell(cell.people, cell.n, cell.total, dict(cell.levels)))
    for row in again:  # a person's other responses in the period: one person, not several
        phase, when, dimension, commune, epci, department, *values = row[: len(keys)]
        group, extra = (dimension, phase, when), row[len(keys) + 1]
        located[group][(commune, epci)].people -= extra
        place = NOWHERE if department == UNKNOWN_TERRITORY else department_node(department)
        for name, value in zip(BREAKDOWN_NAMES, values, strict=True):
            for row_node in (place, ROOT):
                categories[group][(row_node, name, value)].people -= extra
    return {group: (Tree(cells), dict(categories[group])) for group, cells in located.items()}


async def _fixed_set_two_scans(session: AsyncSession, query: AggregateQuery) -> FixedSet:
    period = _period_column(session.bind.dialect.name, query.period)
    names = [str(level) for level in query.levels]
    located: dict[Group, dict[tuple[str | None, str | None], Cell]] = defaultdict(dict)
    keys = [Respondent.commune_code, Respondent.epci_code, Response.phase, period]
    for row in await session.execute(_cell_counts(query, keys)):
        commune, epci, phase, when = row[:4]
        dimension, cell = _cell(row, 4, names)
        located[(dimension, phase, when)][(commune, epci)] = cell
    categories: dict[Group, dict[tuple[Node, str, str], Cell]] = defaultdict(lambda: defaultdict(Cell))
    keys = [
        _department_column(),
        Response.phase,
        period,
        *(func.coalesce(BREAKDOWNS[name], UNKNOWN_TERRITORY) for name in BREAKDOWN_NAMES),
    ]
    for row in await session.execute(_cell_counts(query, keys)):
        department, phase, when, *values = row[:6]
        dimension, cell = _cell(row, 6, names)
        place = NOWHERE if department == UNKNOWN_TERRITORY else department_node(department)
        for name, value in zip(BREAKDOWN_NAMES, values, strict=True):
            categories[(dimension, phase, when)][(place, name, value)].add(cell)
            categories[(dimension, phase, when)][(ROOT, name, value)].add(cell)
    return {group: (Tree(cells), dict(categories[group])) for group, cells in located.items()}


def _view(tree: Tree, level: TerritoryLevel, department: str | None) -> list[tuple[str, list[Node]]]:
    """The rows a query shows: its territories, then its total (the département's with a filter)."""
    scope = department_node(department) if department else ROOT
    if scope not in tree.cells:
        return []
    departments = [scope] if department else [node for node in tree.children[ROOT] if node != NOWHERE]
    rows: list[tuple[str, list[Node]]] = []
    if level == "departement":
        rows = [(node[1], [node]) for node in departments]
    elif level == "epci" and department:
        rows = [(node[1], [node]) for node in tree.children[scope] if node not in tree.structural]
    elif level == "epci":
        rows = [(epci, parts) for epci, parts in sorted(tree.wholes.items())]
    else:
        rows = [
            (commune[1], [commune])
            for node in departments
            for part in tree.children[node]
            for commune in tree.children[part]
        ]
    if not department and NOWHERE in tree.cells:
        rows.append((UNKNOWN_TERRITORY, [NOWHERE]))
    return [*sorted(rows), (TOTAL, [scope])]


def _figures(cells: list[Cell], mean: bool, distribution: bool) -> dict[str, Any]:
    cell = Cell()
    for part in cells:
        cell.add(part)
    return {
        "repondants": cell.people,
        "n": cell.n,
        "moyenne": round(cell.total / cell.n, 2) if mean else None,
        "repartition": dict(sorted(cell.levels.items(), key=lambda item: int(item[0])))
        if distribution
        else None,
    }


WITHHELD = dict.fromkeys(("repondants", "n", "moyenne", "repartition"))


def _published_cells(
    query: AggregateQuery, group: Group, tree: Tree, published: Published
) -> list[AggregateCell]:
    dimension, phase, when = group
    cells = []
    for territory, nodes in _view(tree, query.territory_level, query.department):
        secret = any(node in published.hidden for node in nodes)
        figures = (
            WITHHELD
            if secret
            else _figures(
                [tree.cells[node] for node in nodes],
                not any(node in published.hidden_mean for node in nodes),
                not any(node in published.hidden_distribution for node in nodes),
            )
        )
        if query.breakdown is None:
            cells.append(
                AggregateCell.model_construct(
                    territoire=territory,
                    ventilation=None,
                    categorie=None,
                    referentiel=query.framework,
                    dimension=dimension,
                    phase=phase,
                    periode=when,
                    secret=secret,
                    **figures,
                )
            )
            continue
        node = nodes[0]
        values = sorted({value for (_, name, value) in published.categories if name == query.breakdown})
        for value in values:
            key = (node, query.breakdown, value)
            if key not in published.categories:
                continue
            hidden = key in published.hidden_categories
            shown = (
                WITHHELD
                if hidden
                else _figures([published.categories[key]], key not in published.hidden_category_means, False)
            )
            cells.append(
                AggregateCell.model_construct(
                    territoire=territory,
                    ventilation=query.breakdown,
                    categorie=value,
                    referentiel=query.framework,
                    dimension=dimension,
                    phase=phase,
                    periode=when,
                    secret=hidden,
                    **shown,
                )
            )
        cells.append(
            AggregateCell.model_construct(
                territoire=territory,
                ventilation=query.breakdown,
                categorie=TOTAL,
                referentiel=query.framework,
                dimension=dimension,
                phase=phase,
                periode=when,
                secret=secret,
                **figures,
            )
        )
    return cells


async def aggregates(session: AsyncSession, query: AggregateQuery, threshold: int) -> Aggregates:
    """Territory (or département × age band, gender or social status) × dimension × phase × period:
    respondents, responses, mean score, level distribution; every figure a view of the protected fixed set."""
    names = [str(level) for level in query.levels]
    cells: list[AggregateCell] = []
    for group, (tree, categories) in sorted((await _fixed_set(session, query)).items()):
        published = protect(tree, categories, threshold, names)
        cells.extend(_published_cells(query, group, tree, published))
    return Aggregates(
        seuil=threshold,
        niveau=query.territory_level,
        periode=query.period,
        ventilation=query.breakdown,
        cellules=cells,
    )


def one_period(since: datetime, until: datetime, period: Period) -> bool:
    """True when [since, until) is exactly one published period (both already on a period's start)."""
    months = {"annee": 12, "trimestre": 3, "mois": 1}[period]
    start, end = since.astimezone(UTC), until.astimezone(UTC)
    return (end.year - start.year) * 12 + end.month - start.month == months


PairFilter = Callable[[Any, Any], list[ColumnElement[bool]]]
PairKeys = Callable[[Any], list[ColumnElement[Any]]]


async def _pairs(
    session: AsyncSession, keys_of: PairKeys, where: PairFilter, framework: str | None = None
) -> list[tuple[str, str, str, tuple[Any, ...], int, float, float]]:
    """Per dimension (and `keys_of` the pre response): respondents with a completed pre and post response in
    the same campaign, by the same instrument (a questionnaire, or PIX Orga imports), their mean pre and post
    scores. `where` filters on the (pre, post) responses."""
    pre, post = aliased(Response), aliased(Response)
    pre_score, post_score = aliased(ResponseScore), aliased(ResponseScore)
    extra = keys_of(pre)
    keys = [pre_score.framework, pre_score.framework_version, pre_score.dimension, *extra]
    query = (
        select(*keys, func.count(), func.avg(pre_score.percent), func.avg(post_score.percent))
        .select_from(pre_score)
        .join(pre, and_(pre.id == pre_score.response_id, pre.phase == "pre", pre.status == "completed"))
        .join(
            post,
            and_(
                post.respondent_id == pre.respondent_id,
                post.campaign_id == pre.campaign_id,
                post.source == pre.source,
                post.phase == "post",
                post.status == "completed",
            ),
        )
        .join(
            post_score,
            and_(
                post_score.response_id == post.id,
                post_score.framework == pre_score.framework,
                post_score.dimension == pre_score.dimension,
            ),
        )
        .join(Respondent, Respondent.id == pre.respondent_id)
        .where(*where(pre, post))
        .group_by(*keys)
    )
    if framework is not None:
        query = query.where(pre_score.framework == framework)
    width = len(extra)
    return [
        (row[0], row[1], row[2], tuple(row[3 : 3 + width]), row[3 + width], row[4 + width], row[5 + width])
        for row in await session.execute(query)
    ]


async def paired_progress(session: AsyncSession, query: AggregateQuery, threshold: int) -> ProgressAggregates:
    """Pre/post deltas per territory × dimension over paired respondents only, in one published period,
    protected over the territory tree as the aggregates are."""

    def where(pre: Any, post: Any) -> list[ColumnElement[bool]]:
        # The period is that of the post response: progress measured in 2026 is the 2026 figure.
        return _filters(query, post)

    await _analytics_memory(session)
    rows = await _pairs(
        session,
        lambda _pre: [Respondent.commune_code, Respondent.epci_code],
        where,
        framework=query.framework,
    )
    before: dict[str, dict[tuple[str | None, str | None], Cell]] = defaultdict(dict)
    after: dict[str, dict[tuple[str | None, str | None], Cell]] = defaultdict(dict)
    for _framework, _version, dimension, (commune, epci), pairs, pre, post in rows:
        before[dimension][(commune, epci)] = Cell(pairs, pairs, pairs * pre, {})
        after[dimension][(commune, epci)] = Cell(pairs, pairs, pairs * post, {})
    cells = []
    for dimension in sorted(before):
        tree, later = Tree(before[dimension]), Tree(after[dimension])
        primary = {node for node, cell in tree.cells.items() if cell.people < threshold} | tree.structural
        hidden = protect_tree(
            tree.children,
            ROOT,
            {node: [cell.n] for node, cell in tree.cells.items()},
            primary,
            threshold,
            {ROOT},
        )
        for territory, nodes in _view(tree, query.territory_level, query.department):
            secret = any(node in hidden for node in nodes)
            pairs = sum(tree.cells[node].n for node in nodes)
            pre = sum(tree.cells[node].total for node in nodes) / pairs
            post = sum(later.cells[node].total for node in nodes) / pairs
            cells.append(
                ProgressCell(
                    territoire=territory,
                    referentiel=query.framework,
                    dimension=dimension,
                    secret=secret,
                    paires=None if secret else pairs,
                    moyenne_pre=None if secret else round(pre, 2),
                    moyenne_post=None if secret else round(post, 2),
                    ecart_moyen=None if secret else round(post - pre, 2),
                )
            )
    return ProgressAggregates(seuil=threshold, niveau=query.territory_level, cellules=cells)
