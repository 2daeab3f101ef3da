"""Aggregation up the territorial levels and disclosure control, on values in memory (no database here).

Every aggregate is computed from sums — of values, of numerators and denominators, of weighted values and
weights — so that it is exactly what the finest data say: a department's rate is Σ numerators / Σ
denominators of its communes, never the mean of its communes' rates.

Disclosure control, for indicators with a threshold t (counts of people, survey cells):
- primary: a value whose count (the value of a sum, the denominator of a ratio, the weight of a weighted mean)
  lies in 1 … t−1 is withheld;
- secondary: where a published total has withheld parts whose counts add up to less than t, the smallest
  published part is withheld too, until they reach t (or nothing is left to withhold), so no withheld value
  can be recovered by subtraction. The totals and their parts: an EPCI or a department and its communes, a
  department and its EPCIs (with the communes of EPCIs crossing its border), a region and its departments,
  France and its regions. A groupement (drawn by anyone allowed to write) is withheld itself rather than one
  of its communes;
- a value the source withheld has no number: every total that includes it is withheld too.
"""

from collections import defaultdict
from dataclasses import dataclass, replace

from fne_observatory.indicators.models import Aggregation, Origin, Secrecy
from fne_observatory.territories.models import FRANCE_CODE, Level
from fne_observatory.territories.service import Structure

Key = tuple[str, str]  # (level, code)


@dataclass(frozen=True)
class Cell:
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    weight: float | None = None
    secrecy: Secrecy | None = None
    origin: Origin = Origin.OBSERVED
    status: str = "definitif"
    method: str | None = None
    covered: int | None = None
    members: int | None = None
    import_id: str | None = None
    # Population of the communes the value is computed from, and its share of the territory's population.
    covered_population: float | None = None
    coverage: float | None = None


@dataclass(frozen=True)
class Rule:
    aggregation: Aggregation
    scale: float = 1.0
    threshold: int | None = None


def _contributes(rule: Rule, cell: Cell) -> bool:
    """Whether a child's value goes into its parent's (a withheld one does: it is hidden, not missing)."""
    if cell.secrecy == Secrecy.SOURCE:
        return True
    if rule.aggregation == Aggregation.RATIO:
        return cell.numerator is not None and cell.denominator is not None
    return cell.value is not None


def coverage_of(covered_population: float, population: int, covered: int, members: int) -> float | None:
    """Share of the territory's population covered; by communes when its population is unknown."""
    if population > 0:
        return min(1.0, covered_population / population)
    return min(1.0, covered / members) if members else None


def combine(rule: Rule, children: list[tuple[Cell, int]], members: int, population: int = 0) -> Cell | None:
    """The aggregate of `children` (each with its territory's population). None when nothing is known.
    It carries its coverage: the share of the parent's population (`population`) in children with a value."""
    if rule.aggregation == Aggregation.NOT_AGGREGABLE or not children:
        return None
    cells = [cell for cell, _ in children]
    contributing = [
        (cell, child_population) for cell, child_population in children if _contributes(rule, cell)
    ]
    covered = sum(cell.covered or 0 for cell, _ in contributing)
    covered_population = sum(
        cell.covered_population if cell.covered_population is not None else float(child_population)
        for cell, child_population in contributing
    )
    status = "provisoire" if any(cell.status == "provisoire" for cell in cells) else "definitif"
    methods = {cell.method for cell in cells}
    common = {
        "origin": Origin.AGGREGATED,
        "status": status,
        "covered": covered,
        "members": members,
        "method": methods.pop() if len(methods) == 1 else "mixte",
        "import_id": cells[0].import_id if len({cell.import_id for cell in cells}) == 1 else None,
        "covered_population": covered_population,
        "coverage": coverage_of(covered_population, population, covered, members),
    }
    if any(cell.secrecy == Secrecy.SOURCE for cell in cells):
        return Cell(value=None, secrecy=Secrecy.SOURCE, **common)
    if rule.aggregation == Aggregation.SUM:
        return Cell(value=sum(cell.value or 0.0 for cell in cells), **common)
    if rule.aggregation == Aggregation.RATIO:
        usable = [cell for cell in cells if cell.numerator is not None and cell.denominator is not None]
        numerator = sum(cell.numerator or 0.0 for cell in usable)
        denominator = sum(cell.denominator or 0.0 for cell in usable)
        value = numerator / denominator * rule.scale if denominator else None
        return Cell(value=value, numerator=numerator, denominator=denominator, **common)
    weighted = [
        (cell.value, cell.weight if cell.weight is not None else float(population))
        for cell, population in children
        if cell.value is not None
    ]
    total_weight = sum(weight for _, weight in weighted)
    value = sum(value * weight for value, weight in weighted) / total_weight if total_weight else None
    return Cell(value=value, weight=total_weight, **common)


def disclosure_count(rule: Rule, cell: Cell, population: int) -> float | None:
    if rule.aggregation == Aggregation.SUM:
        return cell.value
    if rule.aggregation == Aggregation.RATIO:
        return cell.denominator
    if rule.aggregation == Aggregation.WEIGHTED_MEAN:
        return cell.weight if cell.weight is not None else float(population)
    return cell.weight if cell.weight is not None else cell.value


@dataclass
class Hierarchy:
    """Which territories add up to which: `partitions` (parent → its children of the finer level) build the
    aggregates; `protections` are every exact split of a total that subtraction could exploit — the
    partitions, plus each department as its EPCIs (those wholly inside it) and its other communes."""

    partitions: dict[Key, list[Key]]
    groupings: dict[Key, list[Key]]
    populations: dict[Key, int]
    commune_counts: dict[Key, int]
    protections: list[tuple[Key, list[Key]]]


def hierarchy(structure: Structure) -> Hierarchy:
    partitions: dict[Key, list[Key]] = defaultdict(list)
    commune_counts: dict[Key, int] = defaultdict(int)
    commune_level, epci_level, department_level = (
        Level.COMMUNE.value,
        Level.EPCI.value,
        Level.DEPARTMENT.value,
    )
    for code, info in structure.communes.items():
        commune = (commune_level, code)
        commune_counts[commune] = 1
        if info.epci:
            partitions[(epci_level, info.epci)].append(commune)
        partitions[(department_level, info.department)].append(commune)
        for key in structure.parents(code):
            commune_counts[key] += 1
    for department, region in structure.department_regions.items():
        partitions[(Level.REGION.value, region)].append((Level.DEPARTMENT.value, department))
    regions = sorted({region for region in structure.department_regions.values()})
    partitions[(Level.COUNTRY.value, FRANCE_CODE)] = [(Level.REGION.value, region) for region in regions]
    groupings: dict[Key, list[Key]] = {}
    for code, members in structure.groupings.items():
        key = (Level.GROUPING.value, code)
        groupings[key] = [
            (Level.COMMUNE.value, member) for member in sorted(members) if member in structure.communes
        ]
        commune_counts[key] = len(groupings[key])
    protections = [*partitions.items(), *_departments_by_epci(structure)]
    return Hierarchy(dict(partitions), groupings, structure.populations(), dict(commune_counts), protections)


def _departments_by_epci(structure: Structure) -> list[tuple[Key, list[Key]]]:
    """Each department split into the EPCIs wholly inside it and its communes of the other EPCIs."""
    departments_of: dict[str, set[str]] = defaultdict(set)
    for info in structure.communes.values():
        if info.epci:
            departments_of[info.epci].add(info.department)
    splits: dict[str, set[Key]] = defaultdict(set)
    for code, info in structure.communes.items():
        inside = info.epci is not None and departments_of[info.epci] == {info.department}
        splits[info.department].add((Level.EPCI.value, info.epci) if inside else (Level.COMMUNE.value, code))
    return [
        ((Level.DEPARTMENT.value, department), sorted(children)) for department, children in splits.items()
    ]


# Levels in the order aggregates are built: each from levels already done.
BUILD_ORDER = (Level.EPCI, Level.DEPARTMENT, Level.REGION, Level.COUNTRY, Level.GROUPING)


def aggregate(
    rule: Rule, observed: dict[Key, Cell], tree: Hierarchy, only_groupings: set[str] | None = None
) -> dict[Key, Cell]:
    """Observed cells plus every aggregate they allow, then disclosure control. An observed value is kept
    as given: it is never overwritten by an aggregate of finer values.

    With `only_groupings`, just those groupements are computed (and returned): their members' cells are
    final already, and a groupement changes no other cell.
    """
    commune = Level.COMMUNE.value
    cells: dict[Key, Cell] = {}
    for key, cell in observed.items():
        if key[0] == commune and cell.covered is None:
            cell = replace(cell, covered=1, members=1)
        if cell.coverage is None:  # a value observed for the territory itself covers all of it
            cell = replace(cell, coverage=1.0, covered_population=float(tree.populations.get(key, 0)))
        cells[key] = cell
    parents_by_level: dict[str, list[Key]] = defaultdict(list)
    for parent in tree.partitions:
        parents_by_level[parent[0]].append(parent)
    if only_groupings is None:
        for level in BUILD_ORDER[:-1]:
            for parent in parents_by_level[level.value]:
                _build(rule, parent, tree.partitions[parent], cells, tree)
    for parent, children in tree.groupings.items():
        if only_groupings is None or parent[1] in only_groupings:
            _build(rule, parent, children, cells, tree)
    _primary(rule, cells, tree)
    if only_groupings is None:
        _secondary(rule, cells, tree)
    _protect_groupings(rule, cells, tree, only_groupings)
    if only_groupings is not None:
        return {
            key: cell
            for key, cell in cells.items()
            if key[0] == Level.GROUPING.value and key[1] in only_groupings
        }
    return cells


def _build(rule: Rule, parent: Key, children: list[Key], cells: dict[Key, Cell], tree: Hierarchy) -> None:
    if parent in cells:
        return
    known = [(cells[child], tree.populations.get(child, 0)) for child in children if child in cells]
    combined = combine(rule, known, tree.commune_counts.get(parent, 0), tree.populations.get(parent, 0))
    if combined is not None:
        cells[parent] = combined


def _count(rule: Rule, cells: dict[Key, Cell], key: Key, tree: Hierarchy) -> float | None:
    return disclosure_count(rule, cells[key], tree.populations.get(key, 0))


def _primary(rule: Rule, cells: dict[Key, Cell], tree: Hierarchy) -> None:
    if not rule.threshold:
        return
    for key, cell in cells.items():
        count = _count(rule, cells, key, tree)
        if cell.secrecy is None and count is not None and 0 < count < rule.threshold:
            cells[key] = replace(cell, secrecy=Secrecy.PRIMARY)


def _exposed(
    rule: Rule, cells: dict[Key, Cell], children: list[Key], tree: Hierarchy
) -> tuple[float, list[Key]]:
    """The summed count of the withheld children, and the published ones (smallest count first)."""
    withheld = [child for child in children if child in cells and cells[child].secrecy is not None]
    published = [child for child in children if child in cells and cells[child].secrecy is None]
    withheld_count = sum(_count(rule, cells, child, tree) or 0.0 for child in withheld)
    published.sort(key=lambda child: (_count(rule, cells, child, tree) or 0.0, child))
    return (withheld_count if withheld else float("inf")), published


def _secondary(rule: Rule, cells: dict[Key, Cell], tree: Hierarchy) -> None:
    if not rule.threshold:
        return
    changed = True
    while changed:
        changed = False
        for parent, children in tree.protections:
            if parent not in cells or cells[parent].secrecy is not None:
                continue
            withheld_count, published = _exposed(rule, cells, children, tree)
            while withheld_count < rule.threshold and published:
                child = published.pop(0)
                cells[child] = replace(cells[child], secrecy=Secrecy.SECONDARY)
                withheld_count += _count(rule, cells, child, tree) or 0.0
                changed = True


def _protect_groupings(rule: Rule, cells: dict[Key, Cell], tree: Hierarchy, only: set[str] | None) -> None:
    if not rule.threshold:
        return
    for parent, children in tree.groupings.items():
        if (
            parent not in cells
            or cells[parent].secrecy is not None
            or (only is not None and parent[1] not in only)
        ):
            continue
        withheld_count, _ = _exposed(rule, cells, children, tree)
        if withheld_count < rule.threshold:
            cells[parent] = replace(cells[parent], secrecy=Secrecy.SECONDARY)
