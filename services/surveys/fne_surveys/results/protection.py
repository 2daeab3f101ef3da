"""Disclosure protection of the whole set of published tables (docs/disclosure.md says why it is built so).

Two shapes of tables are protected here:

- a **tree** of nested cells (total ⊃ département ⊃ EPCI part ⊃ commune, "commune inconnue" a leaf of the
  total): for every published node, what its published descendants leave unexplained (its *residual*: the
  node minus its maximal published descendants) must be 0 or at least the threshold, component by component
  when the values are vectors (a distribution). Then every hidden cell shares, with at least one other
  hidden cell, an unexplained mass of at least the threshold, and no combination of published figures
  isolates it;
- a small **linked** set of cells (départements × categories, with margins): every relation (a total and the
  cells it adds up) has no hidden entry or at least two, and the hidden cells it adds up reach the threshold;
  then a linear programme bounds each small hidden cell as an attacker would, and more cells are hidden until
  none is known within ±1 respondent.
"""

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence, Set
from typing import TypeVar

import numpy as np
from scipy.optimize import linprog

Key = TypeVar("Key", bound=Hashable)


def _residual(
    node: Key,
    children: Mapping[Key, Sequence[Key]],
    hidden: set[Key],
    values: Mapping[Key, Sequence[float]],
    spread: bool = False,
) -> tuple[list[float], list[Key]]:
    """What a node's maximal published descendants leave unexplained, and those descendants. With `spread`,
    one more component: the unexplained count minus the hidden leaves sharing it (each holds one person at
    least, as its listing says), i.e. how far a hidden cell's count can move."""
    frontier: list[Key] = []
    leaves = 0
    stack = list(children.get(node, ()))
    while stack:
        child = stack.pop()
        if child in hidden:
            below = children.get(child, ())
            stack.extend(below)
            leaves += not below
        else:
            frontier.append(child)
    residual = list(values[node])
    for member in frontier:
        for index, value in enumerate(values[member]):
            residual[index] -= value
    if spread:
        residual.append(residual[0] - leaves)
    return residual, frontier


Violations = Callable[[Sequence[float]], list[int]]


# An analyst's interval for a hidden count is as wide as the unexplained count minus its hidden leaves: at
# least this much, so that no count is known within ±1.
SPREAD = 3


def small_counts(threshold: int) -> Violations:
    """The count rule, on (count, spread): an unexplained count is 0, or at least the threshold and spread
    over its hidden cells so that each may move by SPREAD."""

    def violations(residual: Sequence[float]) -> list[int]:
        if 0 < residual[0] < threshold:
            return [0]
        return [1] if residual[0] > 0 and residual[1] < SPREAD else []

    return violations


def small_levels(threshold: int) -> Violations:
    """Distributions (withheld whole, so no level is known to hold anyone): each level 0 or at least the
    threshold."""
    return lambda residual: [index for index, value in enumerate(residual) if 0 < value < threshold]


def pinned_means(threshold: int, step: float) -> Violations:
    """The mean rule, on (responses, sum of scores, sum of the distances to 100): an unexplained part of n
    people whose scores sum to S tells a hidden cell of x < threshold people a mean within [(S − 100 (n − x))
    / x, S / x]; it is wider than the scale's step only if S and 100 n − S both exceed step × x."""

    def violations(residual: Sequence[float]) -> list[int]:
        people = residual[0]
        if people <= 0:
            return []
        needed = step * min(threshold - 1, people - 1) + 1e-6
        return [index for index in (1, 2) if residual[index] < needed]

    return violations


def protect_tree(
    children: Mapping[Key, Sequence[Key]],
    root: Key,
    values: Mapping[Key, Sequence[float]],
    hidden: Iterable[Key],
    threshold: int,
    expendable: Set[Key] = frozenset(),
    violations: Violations | None = None,
) -> set[Key]:
    """The nodes to withhold: `hidden` (primary suppression and nodes never published) and as few more as the
    residual rule needs. Hiding a node of a published node's frontier hands its own residual to that node's;
    an `expendable` node (the grand total: the départements' figures matter more) is hidden itself instead."""
    withheld = set(hidden)
    spread = violations is None
    violations = violations or small_counts(threshold)

    def gain(member: Key) -> list[float]:
        """What hiding a published member adds to the unexplained part (a leaf joins as one more hidden
        cell)."""
        found = _residual(member, children, withheld, values, spread)[0]
        if spread and not children.get(member):
            found[-1] -= 1
        return found

    order: list[Key] = []
    stack = [root]
    while stack:  # parents before children; checked in reverse, children first
        node = stack.pop()
        order.append(node)
        stack.extend(children.get(node, ()))
    changed = True
    while changed:
        changed = False
        for node in reversed(order):
            while node not in withheld and children.get(node):  # a leaf explains nothing below it
                residual, frontier = _residual(node, children, withheld, values, spread)
                bad = violations(residual)
                if not bad:
                    break
                changed = True
                gains = [member for member in frontier if any(gain(member)[index] > 0 for index in bad)]
                pool = gains or [member for member in frontier if children.get(member)]
                if not pool or node in expendable:
                    withheld.add(node)  # nothing below can join the unexplained part: the node goes itself
                    break
                withheld.add(min(pool, key=lambda member: (sum(values[member]), repr(member))))
    return withheld


def determined_from_below(node: Key, children: Mapping[Key, Sequence[Key]], hidden: set[Key]) -> bool:
    """True when a hidden node's published descendants add up to it exactly (nothing hidden below them)."""
    stack = list(children.get(node, ()))
    if not stack:
        return False
    while stack:
        child = stack.pop()
        if child in hidden:
            if not children.get(child):
                return False
            stack.extend(children[child])
    return True


Relation = tuple[Key, Sequence[Key]]


def _bounds(
    cells: Mapping[Key, int],
    relations: Sequence[Relation],
    hidden: set[Key],
    lower: Mapping[Key, int],
    targets: Iterable[Key],
) -> dict[Key, tuple[float, float]]:
    """The attacker's interval for each target hidden cell: min and max under every relation, the published
    cells as known, each hidden cell at least `lower` (1 by default: a listed cell is not empty). An empty
    cell is known to be empty, withheld or not: the analyst is assumed to know which categories nobody has."""
    unknown = sorted((key for key in hidden if cells[key] > 0), key=repr)
    position = {key: index for index, key in enumerate(unknown)}
    rows, right = [], []
    for total, members in relations:
        entries = [(total, 1.0), *((member, -1.0) for member in members)]
        if not any(key in position for key, _ in entries):
            continue
        row = np.zeros(len(unknown))
        constant = 0.0
        for key, sign in entries:
            if key in position:
                row[position[key]] += sign
            else:
                constant -= sign * cells[key]
        rows.append(row)
        right.append(constant)
    bounds = [(lower.get(key, 1), None) for key in unknown]
    found: dict[Key, tuple[float, float]] = {}
    matrix = np.array(rows) if rows else None
    for target in targets:
        if not rows:
            found[target] = (lower.get(target, 1), float("inf"))
            continue
        objective = np.zeros(len(unknown))
        objective[position[target]] = 1.0
        low = linprog(objective, A_eq=matrix, b_eq=right, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=matrix, b_eq=right, bounds=bounds, method="highs")
        found[target] = (low.fun if low.status == 0 else 0.0, -high.fun if high.status == 0 else float("inf"))
    return found


def protect_linked(
    cells: Mapping[Key, int],
    relations: Sequence[Relation],
    hidden: Iterable[Key],
    small: Iterable[Key],
    threshold: int,
    lower: Mapping[Key, int] | None = None,
    hideable: Callable[[Key], bool] = lambda _: True,
    preference: Callable[[Key], int] = lambda _: 0,
) -> set[Key]:
    """The cells to withhold among linked tables: `hidden` and more, until every relation is safe and a linear
    programme cannot bound any `small` cell (fewer respondents than the threshold) within ±1. Empty cells are
    taken as known (withheld or not, an analyst may know that nobody is in a category): they hide nobody.
    More cells are chosen by `preference` (lowest first: the grand total's row before a département's), then
    the smallest."""
    withheld = set(hidden)
    lower = lower or {}
    small = set(small)

    def candidates(relation: Relation) -> list[Key]:
        total, members = relation
        return [key for key in (*members, total) if key not in withheld and cells[key] > 0 and hideable(key)]

    def alone(key: Key) -> int:
        """How many relations hiding `key` would leave with it as their only hidden entry (each then needs one
        more): the fewer, the shorter the chain of secondary suppression."""
        return sum(
            1
            for total, members in relations
            if (key == total or key in members)
            and not any(other in withheld and cells[other] > 0 for other in (total, *members) if other != key)
        )

    def hide_one(found: list[Key]) -> bool:
        if not found:
            return False
        withheld.add(min(found, key=lambda key: (alone(key), preference(key), cells[key], repr(key))))
        return True

    while True:
        changed = True
        while changed:
            changed = False
            for relation in relations:
                total, members = relation
                inside = [member for member in members if member in withheld and cells[member] > 0]
                hidden_total = total in withheld and cells[total] > 0
                mass = sum(cells[member] for member in inside) + (cells[total] if hidden_total else 0)
                weak = mass > 0 and (
                    len(inside) + hidden_total == 1
                    or (not hidden_total and 0 < sum(cells[member] for member in inside) < threshold)
                )
                if weak and hide_one(candidates(relation)):
                    changed = True
        targets = [key for key in small if key in withheld and cells[key] > 0]
        if not targets:
            return withheld
        exposed = [
            key
            for key, (low, high) in _bounds(cells, relations, withheld, lower, targets).items()
            if high - low <= 2
        ]
        if not exposed:
            return withheld
        progressed = False
        for key in sorted(exposed, key=repr):
            around = [
                found
                for relation in relations
                if key == relation[0] or key in relation[1]
                for found in candidates(relation)
            ]
            progressed = hide_one(around) or progressed
        if not progressed:
            return withheld


def protect_means(
    cells: Mapping[Key, Sequence[float]],
    relations: Sequence[Relation],
    hidden: Iterable[Key],
    violations: Violations,
    hideable: Callable[[Key], bool] = lambda _: True,
    preference: Callable[[Key], int] = lambda _: 0,
) -> set[Key]:
    """The cells whose mean (sum of scores) is withheld among linked tables: in every relation, none or at
    least two, and what the published ones leave unexplained passes `violations` (pinned_means). More cells
    are chosen by `preference`, then the smallest."""
    withheld = set(hidden)
    changed = True
    while changed:
        changed = False
        for total, members in relations:
            inside = [member for member in members if member in withheld and cells[member][0] > 0]
            hidden_total = total in withheld and cells[total][0] > 0
            entries = len(inside) + hidden_total
            if not entries:
                continue
            residual = [sum(cells[member][index] for member in inside) for index in range(3)]
            bad = [] if total in withheld else violations(residual)
            held = residual[0] + (cells[total][0] if hidden_total else 0)
            if held <= 0 or (entries > 1 and not bad):
                continue
            visible = [
                member
                for member in members
                if member not in withheld and cells[member][0] > 0 and hideable(member)
            ]
            gains = [
                member for member in visible if not bad or any(cells[member][index] > 0 for index in bad)
            ]
            if total not in withheld and cells[total][0] > 0 and hideable(total):
                gains.append(total)  # a withheld total leaves nothing unexplained to bound
            if not gains:
                continue
            withheld.add(min(gains, key=lambda key: (preference(key), cells[key][0], repr(key))))
            changed = True
    return withheld
