"""Results: a campaign's figures for its coordinators, and disclosure-safe aggregates for the observatory."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import TypeAdapter
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
    literal_column,
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
    part_node,
    path_of,
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
    if session.get_bind().dialect.name == "postgresql":
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


def _department_of(code: ColumnElement[Any]) -> ColumnElement[Any]:
    """The département of a commune code (as department_of), `inconnu` without one."""
    department = case(
        (func.substr(code, 1, 2) == "97", func.substr(code, 1, 3)), else_=func.substr(code, 1, 2)
    )
    return func.coalesce(department, UNKNOWN_TERRITORY)


def _department_column() -> ColumnElement[Any]:
    return _department_of(Respondent.commune_code)


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
    if session.get_bind().dialect.name == "postgresql":
        return await _fixed_set_one_scan(session, query)
    return await _fixed_set_two_scans(session, query)


# A response's place in the fixed set, as one text (fields joined by the unit separator, which no code or
# category holds): the scores are grouped by it and the dimension, two keys instead of nine.
SEPARATOR = "\x1f"
PROFILE = ("phase", "period", "commune", "epci", *BREAKDOWN_NAMES)
# The grouping sets of the fixed set over the profile's columns: the territory tree at every level, and the
# breakdowns by département and over all.
ROLLED_COLUMNS = ("commune", "epci", "department", *BREAKDOWN_NAMES)
ROLLED_SETS: dict[str, tuple[str, ...]] = {
    "commune": ("commune", "epci"),
    "part": ("department", "epci"),
    "department": ("department",),
    "total": (),
    **{name: ("department", name) for name in BREAKDOWN_NAMES},
    **{f"total:{name}": (name,) for name in BREAKDOWN_NAMES},
}


def _grouping_masks() -> dict[int, str]:
    """GROUPING(...) of ROLLED_COLUMNS has a bit per column, the last the lowest, set when it is not grouped
    on: the mask of each grouping set."""
    bits = {name: 1 << (len(ROLLED_COLUMNS) - 1 - index) for index, name in enumerate(ROLLED_COLUMNS)}
    return {
        sum(bit for name, bit in bits.items() if name not in columns): kind
        for kind, columns in ROLLED_SETS.items()
    }


async def _fixed_set_one_scan(session: AsyncSession, query: AggregateQuery) -> FixedSet:
    """One scan of the scores, grouped by each response's profile (phase, period, commune, EPCI, categories)
    and dimension, then added up by the database into every cell of the fixed set (GROUPING SETS: communes,
    EPCI parts, départements, total, and the breakdowns): Python only reads the cells. The few respondents
    with several responses in a period come back one row per person and dimension, to count people."""
    period = _period_column("postgresql", query.period)
    attributes = [func.coalesce(BREAKDOWNS[name], UNKNOWN_TERRITORY) for name in BREAKDOWN_NAMES]
    located = [Respondent.commune_code, Respondent.epci_code]
    answered = (
        select(
            Response.id.label("id"),
            func.concat_ws(
                SEPARATOR,
                Response.phase,
                *(func.coalesce(column, "") for column in (period, *located)),
                *attributes,
            ).label("profile"),
        )
        .join(Respondent, Respondent.id == Response.respondent_id)
        .where(*_filters(query))
        # A fence (OFFSET 0): the join hashes these responses, a few columns each, and streams the eight times
        # as many scores through it (unfenced, PostgreSQL hashes the scores).
        .offset(literal_column("0"))
        .subquery("answered")
    )
    fine = (
        select(
            answered.c.profile,
            ResponseScore.dimension,
            func.count().label("n"),
            func.sum(ResponseScore.percent).label("total"),
            *(
                func.count().filter(ResponseScore.level == level).label(f"level_{level}")
                for level in query.levels
            ),
        )
        .select_from(ResponseScore)
        .join(answered, ResponseScore.response_id == answered.c.id)
        .where(ResponseScore.framework == query.framework)
        .group_by(answered.c.profile, ResponseScore.dimension)
        .subquery("fine")
    )
    fields = {
        name: func.nullif(func.split_part(fine.c.profile, SEPARATOR, index + 1), "")
        for index, name in enumerate(PROFILE)
    }
    profile = (
        select(
            *(value.label(name) for name, value in fields.items()),
            _department_of(fields["commune"]).label("department"),
            fine.c.dimension,
            fine.c.n,
            fine.c.total,
            *(fine.c[f"level_{level}"] for level in query.levels),
        )
    ).subquery("profile")
    rolled = [profile.c[name] for name in ROLLED_COLUMNS]
    cells = select(
        profile.c.phase,
        profile.c.period,
        profile.c.dimension,
        *rolled,
        func.grouping(*rolled).label("grouping"),
        cast(func.sum(profile.c.n), BigInteger),  # a sum of counts is numeric in PostgreSQL
        func.sum(profile.c.total),
        *(cast(func.sum(profile.c[f"level_{level}"]), BigInteger) for level in query.levels),
    ).group_by(
        profile.c.phase,
        profile.c.period,
        profile.c.dimension,
        func.grouping_sets(
            *(tuple_(*(profile.c[name] for name in columns)) for columns in ROLLED_SETS.values())
        ),
    )
    kinds = _grouping_masks()
    names = [str(level) for level in query.levels]
    leaves: dict[Group, dict[tuple[str | None, str | None], Cell]] = defaultdict(dict)
    inner: dict[Group, dict[Node, Cell]] = defaultdict(dict)
    categories: dict[Group, dict[tuple[Node, str, str], Cell]] = defaultdict(dict)
    for row in await session.execute(cells):
        phase, when, dimension, commune, epci, department, *values = row[:9]
        number, total, *counts = row[10:]
        group, kind = (dimension, phase, when), kinds[row[9]]
        cell = Cell(
            number,
            number,
            total or 0.0,
            {name: count for name, count in zip(names, counts, strict=True) if count},
        )
        if kind == "commune":
            leaves[group][(commune, epci)] = cell  # without a commune: the shape only, its cell is NOWHERE's
            continue
        place = NOWHERE if department == UNKNOWN_TERRITORY else department_node(department)
        if kind == "part":
            if place != NOWHERE:
                inner[group][part_node(epci, department)] = cell
        elif kind == "department":
            inner[group][place] = cell
        elif kind == "total":
            inner[group][ROOT] = cell
        else:
            name = kind.removeprefix("total:")
            value = values[BREAKDOWN_NAMES.index(name)]
            categories[group][(ROOT if kind.startswith("total:") else place, name, value)] = cell
    shapes: dict[frozenset[tuple[str | None, str | None]], Tree] = {}  # a period's dimensions share one
    found = {}
    for group, located in leaves.items():
        keys = frozenset(located)
        if keys not in shapes:
            shapes[keys] = Tree(located, {})
        found[group] = shapes[keys].cut(located, inner[group])
    await _count_people(session, query, period, attributes, found, categories)
    return {group: (tree, categories[group]) for group, tree in found.items()}


async def _count_people(
    session: AsyncSession,
    query: AggregateQuery,
    period: ColumnElement[Any],
    attributes: list[ColumnElement[Any]],
    trees: dict[Group, Tree],
    categories: dict[Group, dict[tuple[Node, str, str], Cell]],
) -> None:
    """Cells count responses: a person's other responses in a period (follow-ups, a second campaign) are
    taken off the people of every cell they are in. Such people are first found among the responses (a
    second completed response in the same phase), so the scores of everyone else are not read again."""
    twice = (
        select(Response.respondent_id, Response.phase)
        .where(*_filters(query))
        .group_by(Response.respondent_id, Response.phase)
        .having(func.count() > 1)
        .subquery("twice")
    )
    again = (
        select(
            Response.phase,
            period,
            ResponseScore.dimension,
            Respondent.commune_code,
            Respondent.epci_code,
            _department_column(),
            *attributes,
            func.count() - 1,
        )
        .join(twice, and_(twice.c.respondent_id == Response.respondent_id, twice.c.phase == Response.phase))
        .join(Respondent, Respondent.id == Response.respondent_id)
        .join(
            ResponseScore,
            and_(ResponseScore.response_id == Response.id, ResponseScore.framework == query.framework),
        )
        .where(*_filters(query))
        # Grouped by the respondent's key: their attributes come with it (functional dependency).
        .group_by(Respondent.id, Response.phase, period, ResponseScore.dimension)
        .having(func.count() > 1)
    )
    for phase, when, dimension, commune, epci, department, *values, extra in await session.execute(again):
        group = (dimension, phase, when)
        for node in path_of(commune, epci):
            trees[group].cells[node].people -= extra
        place = NOWHERE if department == UNKNOWN_TERRITORY else department_node(department)
        for name, value in zip(BREAKDOWN_NAMES, values, strict=True):
            for row_node in (place, ROOT):
                categories[group][(row_node, name, value)].people -= extra


async def _fixed_set_two_scans(session: AsyncSession, query: AggregateQuery) -> FixedSet:
    period = _period_column(session.get_bind().dialect.name, query.period)
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
    if len(cells) == 1:
        cell = cells[0]
    else:
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
# Cells are built as dicts and validated together (pydantic's core): ten thousand model_construct calls cost
# twice as much.
_CELLS: TypeAdapter[list[AggregateCell]] = TypeAdapter(list[AggregateCell])


def _published_cells(
    query: AggregateQuery, group: Group, tree: Tree, published: Published
) -> list[AggregateCell]:
    return _CELLS.validate_python(_published_rows(query, group, tree, published))


def _published_rows(
    query: AggregateQuery, group: Group, tree: Tree, published: Published
) -> list[dict[str, Any]]:
    dimension, phase, when = group
    base = {"referentiel": query.framework, "dimension": dimension, "phase": phase, "periode": when}
    values = sorted({value for (_, name, value) in published.categories if name == query.breakdown})
    rows = []
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
        cell = {"territoire": territory, **base, "ventilation": query.breakdown, "secret": secret, **figures}
        if query.breakdown is None:
            rows.append(cell | {"categorie": None})
            continue
        node = nodes[0]
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
            rows.append(cell | {"categorie": value, "secret": hidden, **shown})
        rows.append(cell | {"categorie": TOTAL})
    return rows


# Per process: the protected fixed sets (framework × window) last computed, and the views (level, département,
# breakdown) last cut from them, each with the fingerprint of the answers it was computed from. The commune
# view of a million answers is about 10,000 cells (a few MB).
KEPT_SETS = 4
KEPT_VIEWS = 16
_SETS: dict[tuple[Any, ...], tuple[tuple[Any, ...], list[tuple[Group, Tree, Published]]]] = {}
_VIEWS: dict[tuple[Any, ...], Aggregates] = {}


async def _fingerprint(session: AsyncSession, query: AggregateQuery) -> tuple[Any, ...] | None:
    """What every published figure is computed from, summed up: the number of responses and respondents, and
    the sum of their rows' transaction ids (PostgreSQL's xmin, new on every insert and update), so that any
    change committed since, by whatever path, changes it. Scores are written only with their response. None
    (nothing kept) on SQLite, which has no such column, and for a questionnaire's own figures."""
    if session.bind.dialect.name != "postgresql" or query.questionnaire is not None:
        return None
    parts = [
        f"(SELECT count(*), coalesce(sum(xmin::text::bigint), 0) FROM {table})"
        for table in (Response.__tablename__, Respondent.__tablename__)
    ]
    found = (await session.execute(text(f"SELECT * FROM {parts[0]} AS a, {parts[1]} AS b"))).one()
    return tuple(found)


def _keep(store: dict[tuple[Any, ...], Any], key: tuple[Any, ...], value: Any, size: int) -> None:
    """Least recently used first out: a hit is kept again, at the end."""
    store.pop(key, None)
    while len(store) >= size:
        store.pop(next(iter(store)))
    store[key] = value


async def _protected(
    session: AsyncSession, query: AggregateQuery, threshold: int
) -> list[tuple[Group, Tree, Published]]:
    names = [str(level) for level in query.levels]
    return [
        (group, tree, protect(tree, categories, threshold, names))
        for group, (tree, categories) in sorted((await _fixed_set(session, query)).items())
    ]


async def aggregates(session: AsyncSession, query: AggregateQuery, threshold: int) -> Aggregates:
    """Territory (or département × age band, gender or social status) × dimension × phase × period:
    respondents, responses, mean score, level distribution; every figure a view of the protected fixed set.

    The protected set and its views are kept while the answers' fingerprint is unchanged. It is read first:
    what is then computed is at least as new as it, so a later equal fingerprint means the same answers."""
    fingerprint = await _fingerprint(session, query)
    key = (str(session.bind.engine.url), query.framework, query.period, query.since, query.until)
    key += (query.levels, query.instrument, threshold)
    view = (*key, fingerprint, query.territory_level, query.department, query.breakdown)
    if fingerprint is not None and view in _VIEWS:
        _keep(_VIEWS, view, _VIEWS[view], KEPT_VIEWS)
        return _VIEWS[view]
    kept = _SETS.get(key)
    if fingerprint is not None and kept is not None and kept[0] == fingerprint:
        tables = kept[1]
    else:
        tables = await _protected(session, query, threshold)
    cells = [
        row for group, tree, published in tables for row in _published_rows(query, group, tree, published)
    ]
    found = Aggregates(
        seuil=threshold,
        niveau=query.territory_level,
        periode=query.period,
        ventilation=query.breakdown,
        cellules=_CELLS.validate_python(cells),
    )
    if fingerprint is not None:
        _keep(_SETS, key, (fingerprint, tables), KEPT_SETS)
        _keep(_VIEWS, view, found, KEPT_VIEWS)
    return found


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
