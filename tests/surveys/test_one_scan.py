"""PostgreSQL reads the fixed set in one scan of the scores (grouping sets); it must give exactly what the two
grouped scans give (SQLite's path), people with several responses in a period counted once — those without a
commune too."""

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from fne_surveys.results import service
from fne_surveys.results.fixed_set import NOWHERE, ROOT
from tests.surveys.test_attacks import populate, random_people


def as_numbers(found: service.FixedSet) -> dict[object, object]:
    numbers: dict[object, object] = {}
    for group, (tree, categories) in found.items():
        for node, cell in tree.cells.items():
            numbers[(group, node)] = (cell.people, cell.n, round(cell.total, 6), cell.levels)
        for key, cell in categories.items():
            numbers[(group, key)] = (cell.people, cell.n, round(cell.total, 6), cell.levels)
        numbers[(group, "children")] = {node: list(below) for node, below in tree.children.items() if below}
    return numbers


async def test_one_scan_gives_what_two_scans_give(
    surveys: AsyncClient, db: AsyncSession, patient_coordinator, patient_mediator
):
    people = random_people(12, 30)
    await populate(surveys, patient_coordinator, patient_mediator, people)
    # the same people again, in a second campaign
    await populate(surveys, patient_coordinator, patient_mediator, people[:12])
    query = service.AggregateQuery(
        "toile-capacites", None, "commune", "annee", None, None, None, None, (1, 2, 3, 4)
    )
    for group, (tree, _) in (await service._fixed_set(db, query)).items():  # the path of this database
        assert tree.cells[ROOT].people == 30 and tree.cells[ROOT].n == 42, group  # 12 people answered twice
        unlocated = [person for person in people if person[0] is None]
        assert tree.cells[NOWHERE].people == len(unlocated), group  # counted once, without a commune too
        assert tree.cells[NOWHERE].n == len(unlocated) + len([p for p in people[:12] if p[0] is None])
    if db.get_bind().dialect.name == "postgresql":
        one = await service._fixed_set_one_scan(db, query)
        two = await service._fixed_set_two_scans(db, query)
        assert as_numbers(one) == as_numbers(two)
