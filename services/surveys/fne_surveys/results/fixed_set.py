"""The fixed set of tables published from survey answers, protected together.

For one framework, dimension, phase and published period, every table a caller can obtain is a view of one set
of cells: the territory tree (total ⊃ département ⊃ EPCI part ⊃ commune, and "commune inconnue") and, at the
level of départements, the breakdowns by age band, gender and social status. Suppression is decided once over
that whole set (protection.py), then each query shows its part: so no two answers differ by a hidden cell.
"""

import copy
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, get_args

from fne_surveys.responses.schemas import AgeBand, Gender, SocialStatus
from fne_surveys.results.protection import (
    _residual,
    determined_from_below,
    pinned_means,
    protect_linked,
    protect_means,
    protect_tree,
    small_levels,
)

TOTAL = "total"
UNKNOWN = "inconnu"
ROOT: tuple[str, ...] = (TOTAL,)
NOWHERE: tuple[str, ...] = (UNKNOWN,)
BREAKDOWN_NAMES = ("tranche_age", "genre", "statut_social")
Node = tuple[str, ...]


@dataclass
class Cell:
    people: int = 0
    n: int = 0
    total: float = 0.0
    levels: dict[str, int] = field(default_factory=dict)

    def add(self, other: "Cell") -> None:
        self.people += other.people
        self.n += other.n
        self.total += other.total
        for level, count in other.levels.items():
            self.levels[level] = self.levels.get(level, 0) + count


def department_of(commune: str) -> str:
    """Overseas départements have three digits (971…976), the others two (2A and 2B included)."""
    return commune[:3] if commune.startswith("97") else commune[:2]


def commune_node(commune: str) -> Node:
    return ("commune", commune)


def department_node(department: str) -> Node:
    return ("departement", department)


def part_node(epci: str | None, department: str) -> Node:
    """The EPCI's communes in one département (an EPCI may span two); without an EPCI, never published."""
    return ("epci", epci or "", department)


def path_of(commune: str | None, epci: str | None) -> list[Node]:
    """The nodes a respondent of this commune (and EPCI) counts in, from the total down."""
    if commune is None:
        return [ROOT, NOWHERE]
    department = department_of(commune)
    return [ROOT, department_node(department), part_node(epci, department), commune_node(commune)]


class Tree:
    """The territory tree of one table, built from cells keyed by (commune, EPCI): added up here, or, given
    `inner` (every node's cell but the communes', added up by the database), only shaped."""

    def __init__(
        self, located: dict[tuple[str | None, str | None], Cell], inner: dict[Node, Cell] | None = None
    ) -> None:
        self.cells: dict[Node, Cell] = defaultdict(Cell)
        self.children: dict[Node, list[Node]] = defaultdict(list)
        self.structural: set[Node] = set()
        self.wholes: dict[str, list[Node]] = defaultdict(list)  # EPCI → its parts
        self.cells[ROOT] = Cell()
        below: dict[Node, set[Node]] = defaultdict(set)
        for (commune, epci), cell in located.items():
            path = path_of(commune, epci)
            if commune is not None and epci is None:
                self.structural.add(path[2])
            for parent, child in itertools.pairwise(path):
                below[parent].add(child)
            if inner is None:
                for node in path:
                    self.cells[node].add(cell)
            elif commune is not None:
                self.cells[path[-1]] = cell
        if inner is not None:
            self.cells.update(inner)
        for parent in sorted(below):
            self.children[parent] = sorted(below[parent])
            for child in self.children[parent]:
                if child[0] == "epci" and child[1]:
                    self.wholes[child[1]].append(child)

    def nodes(self) -> Iterable[Node]:
        return self.cells.keys()

    def cut(self, located: dict[tuple[str | None, str | None], Cell], inner: dict[Node, Cell]) -> "Tree":
        """A tree of this one's shape (the same (commune, EPCI) keys) and other cells, added up already: the
        shape is shared (it is only read)."""
        tree = copy.copy(self)
        tree.cells = defaultdict(Cell, inner)
        for (commune, _), cell in located.items():
            if commune is not None:
                tree.cells[commune_node(commune)] = cell
        return tree


@dataclass
class Published:
    """The protection of one table: the nodes whose figures are withheld, and whose distributions are."""

    hidden: set[Node]
    hidden_distribution: set[Node]
    categories: dict[tuple[Node, str, str], Cell]
    hidden_categories: set[tuple[Node, str, str]]
    hidden_mean: set[Node]
    hidden_category_means: set[tuple[Node, str, str]]


# The same counts always get the same suppression: decisions are kept (they depend on the counts only), so
# that the eight dimensions of a questionnaire and repeated queries decide once.
DECISIONS_KEPT = 512
_DECIDED: dict[Any, Any] = {}


def _vector(cell: Cell, names: list[str]) -> list[int]:
    return [cell.levels.get(name, 0) for name in names]


def protect(
    tree: Tree,
    categories: dict[tuple[Node, str, str], Cell],
    threshold: int,
    level_names: list[str],
    memo: dict[Any, Any] | None = None,
) -> Published:
    """Suppression over the tree and the départements' breakdowns together (see protection.py): the tree
    first, then the breakdowns, whose margins are the tree's département cells; a margin the breakdowns
    withhold is withheld in the tree too, until neither changes."""
    categories = complete(tree, categories)
    signature = (
        tuple(sorted((node, cell.people, cell.n) for node, cell in tree.cells.items())),
        tuple(sorted((key, cell.people, cell.n) for key, cell in categories.items())),
    )
    memo = _DECIDED if memo is None else memo
    key = (threshold, hash(signature))
    if key in memo and memo[key][0] == signature:
        hidden, hidden_categories = memo[key][1]
    else:
        hidden, hidden_categories = _protect_counts(tree, categories, threshold)
        if len(memo) >= DECISIONS_KEPT:
            memo.pop(next(iter(memo)))
        memo[key] = (signature, (hidden, hidden_categories))
    step = 100 / max(1, len(level_names) - 1)
    hidden_mean, hidden_category_means = _protect_means(
        tree, categories, threshold, step, hidden, hidden_categories
    )
    vectors = {node: _vector(cell, level_names) for node, cell in tree.cells.items()}
    uneven = {node for node, vector in vectors.items() if any(0 < count < threshold for count in vector)}
    hidden_distribution = protect_tree(
        tree.children, ROOT, vectors, hidden_mean | uneven, threshold, {ROOT}, small_levels(threshold)
    )
    return Published(
        hidden, hidden_distribution, categories, hidden_categories, hidden_mean, hidden_category_means
    )


def _sums(cell: Cell) -> list[float]:
    return [cell.n, cell.total, 100 * cell.n - cell.total]


def _protect_means(
    tree: Tree,
    categories: dict[tuple[Node, str, str], Cell],
    threshold: int,
    step: float,
    hidden: set[Node],
    hidden_categories: set[tuple[Node, str, str]],
) -> tuple[set[Node], set[tuple[Node, str, str]]]:
    """Means withheld (counts may stay): a published mean must not pin the mean of a hidden cell within the
    scale's step, through the tree's unexplained parts or the breakdowns' relations."""
    rule = pinned_means(threshold, step)
    rows = [ROOT, *tree.children[ROOT]]
    cells: dict[Any, list[float]] = {row: _sums(tree.cells[row]) for row in rows}
    cells |= {key: _sums(cell) for key, cell in categories.items()}
    relations = _relations(tree, categories, rows)
    forced: set[Any] = set()
    while True:
        means = protect_tree(
            tree.children,
            ROOT,
            {node: _sums(cell) for node, cell in tree.cells.items()},
            hidden | forced,
            threshold,
            {ROOT},
            rule,
        )
        # A category cell crosses the tree: its people may be a hidden commune's, so its own mean must not pin
        # theirs (a cell whose every member answered at the bottom of the scale tells each one's answer).
        extreme = {key for key in categories if key not in hidden_categories and rule(cells[key])}
        start = {row for row in rows if row in means} | hidden_categories | extreme | (forced - set(rows))
        linked = protect_means(cells, relations, start, rule, preference=_total_first)
        more = {row for row in rows if row in linked} - means
        if not more:
            return means, {key for key in categories if key in linked}
        forced |= more


def _total_first(key: Any) -> int:
    """Among the breakdowns, the grand total's row is withheld before a département's (as in the tree: the
    départements' figures are the ones the observatory needs)."""
    return 0 if key == ROOT or key[0] == ROOT else 1


def _relations(
    tree: Tree, categories: dict[tuple[Node, str, str], Cell], rows: list[Node]
) -> list[tuple[Any, list[Any]]]:
    relations: list[tuple[Any, list[Any]]] = [(ROOT, list(tree.children[ROOT]))]
    for name in BREAKDOWN_NAMES:
        values = sorted({value for (_, breakdown, value) in categories if breakdown == name})
        if not values:
            continue
        for row in rows:
            relations.append(
                (row, [(row, name, value) for value in values if (row, name, value) in categories])
            )
        for value in values:
            relations.append(
                (
                    (ROOT, name, value),
                    [(row, name, value) for row in tree.children[ROOT] if (row, name, value) in categories],
                )
            )
    return relations


CATEGORY_VALUES = {
    name: [*get_args(vocabulary), UNKNOWN]
    for name, vocabulary in zip(BREAKDOWN_NAMES, (AgeBand, Gender, SocialStatus), strict=True)
}


def complete(tree: Tree, categories: dict[tuple[Node, str, str], Cell]) -> dict[tuple[Node, str, str], Cell]:
    """Every département × category cell, empty ones included: a withheld cell is then not known to hold
    anyone (were only non-empty cells listed, each would hold one person at least)."""
    rows = [ROOT, *tree.children[ROOT]]
    full = dict(categories)
    for name, values in CATEGORY_VALUES.items():
        for value in {*values, *(found for (_, other, found) in categories if other == name)}:
            for row in rows:
                full.setdefault((row, name, value), Cell())
    return full


def _protect_counts(
    tree: Tree, categories: dict[tuple[Node, str, str], Cell], threshold: int
) -> tuple[set[Node], set[tuple[Node, str, str]]]:
    primary = {node for node, cell in tree.cells.items() if cell.people < threshold} | tree.structural
    counts = {node: [cell.n] for node, cell in tree.cells.items()}
    rows = [ROOT, *tree.children[ROOT]]
    categories = complete(tree, categories)
    margins: dict[Any, int] = {row: tree.cells[row].n for row in rows}
    linked: dict[Any, int] = dict(margins) | {key: cell.n for key, cell in categories.items()}
    small: set[Any] = {key for key, cell in categories.items() if 0 < cell.people < threshold}
    small |= {row for row in rows if tree.cells[row].people < threshold}
    relations = _relations(tree, categories, rows)
    forced: set[Node] = set()
    while True:
        hidden = protect_tree(tree.children, ROOT, counts, primary | forced, threshold, {ROOT})
        known = {row for row in rows if row in hidden and determined_from_below(row, tree.children, hidden)}
        lower: dict[Any, int] = dict.fromkeys(categories, 0)  # every category is listed, empty or not
        for row in rows:
            if row in hidden and row not in known:  # the tree tells: its published parts and hidden leaves
                residual, _ = _residual(row, tree.children, hidden, counts, spread=True)
                lower[row] = max(1, int(tree.cells[row].n - residual[-1]))
        start = {row for row in rows if row in hidden and row not in known} | {
            key for key, cell in categories.items() if cell.people < threshold
        }
        withheld = protect_linked(
            linked,
            relations,
            start,
            small - known,
            threshold,
            lower,
            hideable=lambda key, known=known: key not in known,  # type: ignore[misc]
            preference=_total_first,
        )
        more = {row for row in rows if row in withheld} - hidden
        if not more:
            break
        forced |= more
    return hidden, {key for key in categories if key in withheld}
