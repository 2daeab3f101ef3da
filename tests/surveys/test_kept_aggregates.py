"""The aggregation's faster path (PostgreSQL adds the tree up; the protected set is kept until the answers
change) publishes exactly what the previous implementation published, for every view, and kept figures follow
every change of the answers and of the respondents' attributes."""

import itertools
import random
from collections import defaultdict
from typing import Any

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from fne_surveys.results import service
from fne_surveys.results.fixed_set import (
    BREAKDOWN_NAMES,
    NOWHERE,
    ROOT,
    Cell,
    Tree,
    commune_node,
    department_node,
    department_of,
    part_node,
    protect,
)
from tests.surveys.factories import CONSENT, full_answers
from tests.surveys.test_attacks import EPCI, populate, random_people

THRESHOLD = 5  # low enough that some cells are published and some withheld on 40 people


def previous_tree(located: dict[tuple[str | None, str | None], Cell]) -> Tree:
    """The tree as the previous implementation rolled it up (in Python, from the communes' cells)."""
    tree = Tree({})
    for (commune, epci), cell in located.items():
        if commune is None:
            path = [ROOT, NOWHERE]
        else:
            department = department_of(commune)
            part = part_node(epci, department)
            if epci is None:
                tree.structural.add(part)
            path = [ROOT, department_node(department), part, commune_node(commune)]
        for parent, child in itertools.pairwise(path):
            if child not in tree.children[parent]:
                tree.children[parent].append(child)
        for node in path:
            tree.cells[node].add(cell)
    for parent in list(tree.children):
        tree.children[parent].sort()
        for child in tree.children[parent]:
            if child[0] == "epci" and child[1]:
                tree.wholes[child[1]].append(child)
    return tree


async def previous_aggregates(db: AsyncSession, query: service.AggregateQuery) -> list[dict[str, Any]]:
    """The previous implementation: two grouped scans, the tree rolled up in Python, every cell built one by
    one (model_construct), nothing kept."""
    period = service._period_column(db.get_bind().dialect.name, query.period)
    names = [str(level) for level in query.levels]
    located: dict[service.Group, dict[tuple[str | None, str | None], Cell]] = defaultdict(dict)
    keys: list[Any] = [
        service.Respondent.commune_code,
        service.Respondent.epci_code,
        service.Response.phase,
        period,
    ]
    rows: Any = await db.execute(service._cell_counts(query, keys))
    for row in rows:
        dimension, cell = service._cell(row, 4, names)
        located[(dimension, row[2], row[3])][(row[0], row[1])] = cell
    categories: dict[service.Group, dict[Any, Cell]] = defaultdict(lambda: defaultdict(Cell))
    keys = [
        service._department_column(),
        service.Response.phase,
        period,
        *(service.func.coalesce(service.BREAKDOWNS[name], "inconnu") for name in BREAKDOWN_NAMES),
    ]
    rows = await db.execute(service._cell_counts(query, keys))
    for row in rows:
        department, phase, when, *values = row[:6]
        dimension, cell = service._cell(row, 6, names)
        place = NOWHERE if department == "inconnu" else department_node(department)
        for name, value in zip(BREAKDOWN_NAMES, values, strict=True):
            categories[(dimension, phase, when)][(place, name, value)].add(cell)
            categories[(dimension, phase, when)][(ROOT, name, value)].add(cell)
    cells: list[dict[str, Any]] = []
    for group in sorted(located):
        tree = previous_tree(located[group])
        published = protect(tree, dict(categories[group]), THRESHOLD, names, memo={})
        cells.extend(cell.model_dump() for cell in service._published_cells(query, group, tree, published))
    return cells


def queries() -> list[service.AggregateQuery]:
    found = []
    for level, department in itertools.product(("commune", "epci", "departement"), (None, "73", "38")):
        for breakdown in (None, *BREAKDOWN_NAMES) if level == "departement" else (None,):
            found.append(
                service.AggregateQuery(
                    "toile-capacites",
                    None,
                    level,  # type: ignore[arg-type]
                    "annee",
                    None,
                    None,
                    department,
                    None,
                    (1, 2, 3, 4),
                    breakdown,  # type: ignore[arg-type]
                )
            )
    return found


async def published(db: AsyncSession, query: service.AggregateQuery) -> list[dict[str, Any]]:
    return [cell.model_dump() for cell in (await service.aggregates(db, query, THRESHOLD)).cellules]


async def test_the_faster_path_publishes_what_the_previous_one_did(
    surveys: AsyncClient, db: AsyncSession, patient_coordinator, patient_mediator
):
    people = random_people(2026, 40)
    await populate(surveys, patient_coordinator, patient_mediator, people)
    # some people again, in a second campaign
    await populate(surveys, patient_coordinator, patient_mediator, people[:9])
    withheld = shown = 0
    for query in queries():
        before = await previous_aggregates(db, query)
        assert await published(db, query) == before, query
        assert await published(db, query) == before, query  # kept (PostgreSQL), the same
        withheld += sum(cell["secret"] for cell in before)
        shown += sum(not cell["secret"] for cell in before)
    assert withheld and shown  # the campaign exercises both


async def test_kept_figures_follow_the_answers(
    surveys: AsyncClient, db: AsyncSession, patient_coordinator, patient_mediator
):
    generator = random.Random(7)
    people: list[tuple[str | None, str, str, str, int]] = [
        (generator.choice(list(EPCI)), "45_59", "feminin", "retraite", 3) for _ in range(30)
    ]
    campaign_id = await populate(surveys, patient_coordinator, patient_mediator, people)
    query = queries()[0]
    first = await service.aggregates(db, query, THRESHOLD)
    if db.get_bind().dialect.name == "postgresql":
        assert await service.aggregates(db, query, THRESHOLD) is first  # unchanged answers: kept

    async def fresh() -> list[dict[str, Any]]:
        service._SETS.clear()
        service._VIEWS.clear()
        return await published(db, query)

    # A draft for a known person moves them to another commune (only the respondent row changes).
    moved = await surveys.post(
        "/reponses",
        headers=patient_mediator,
        json={
            "campagne_id": campaign_id,
            "code_beneficiaire": "A-0",
            "phase": "post",
            "consentement": CONSENT,
            "attributs": {"commune": "73011" if people[0][0] != "73011" else "73008"},
            "valeurs": {},
            "terminer": False,
        },
    )
    assert moved.status_code == 201, moved.text
    after_move = await published(db, query)
    assert after_move != [cell.model_dump() for cell in first.cellules]
    assert after_move == await fresh()
    # One more completed response.
    added = await surveys.post(
        "/reponses",
        headers=patient_mediator,
        json={
            "campagne_id": campaign_id,
            "code_beneficiaire": "NOUVEAU-1",
            "consentement": CONSENT,
            "attributs": {"commune": "73065"},
            "valeurs": full_answers(aisance=1, outils=None),
            "terminer": True,
        },
    )
    assert added.status_code == 201, added.text
    after_add = await published(db, query)
    assert after_add != after_move
    assert after_add == await fresh()
