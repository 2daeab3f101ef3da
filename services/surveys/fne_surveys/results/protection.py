"""Disclosure protection of the whole set of published tables (docs/disclosure.md says why it is built so).

Two shapes of tables are protected here:

- a **tree** of nested cells (total ⊃ département ⊃ EPCI part ⊃ commune, "commune inconnue" a leaf of the total):
  for every published node, what its published descendants leave unexplained (its *residual*: the node minus
  its maximal published descendants) must be 0 or at least the threshold, component by component when the
  values are vectors (a distribution). Then every hidden cell shares, with at least one other hidden cell, an
  unexplained mass of at least the threshold, and no combination of published figures isolates it;
- a small **linked** set of cells (départements × categories, with margins): every relation (a total and the
  cells it adds up) has no hidden entry or at least two, and the hidden cells it adds up reach the threshold;
  then a linear programme bounds each small hidden cell as an attacker would, and more cells are hidden until
  none is known within ±1 respondent.
"""

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

import numpy as np

Key = TypeVar("Key", bound=Hashable)


def _residual(node: Key, children: Mapping[Key, Sequence[Key]], hidden: set[Key],
              values: Mapping[Key, Sequence[int]]) -> tuple[list[int], list[Key]]:
    """What a node's maximal published descendants leave unexplained, and those descendants."""
    frontier: list[Key] = []
    stack = list(children.get(node, ()))
    while stack:
        child = stack.pop()
        if child in hidden:
            stack.extend(children.get(child, ()))
        else:
            frontier.append(child)
    residual = list(values[node])
    for member in frontier:
        for index, value in enumerate(values[member]):
            residual[index] -= value
    return residual, frontier


def protect_tree(children: Mapping[Key, Sequence[Key]], root: Key, values: Mapping[Key, Sequence[int]],
                 hidden: Iterable[Key], threshold: int) -> set[Key]:
    """The nodes to withhold: `hidden` (primary suppression and nodes never published) and as few more as the
    residual rule needs. Hiding a node of a published node's frontier hands its own residual to that node's."""
    withheld = set(hidden)
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
            while node not in withheld:
                residual, frontier = _residual(node, children, withheld, values)
                bad = [index for index, value in enumerate(residual) if 0 < value < threshold]
                if not bad:
                    break
                changed = True
                gains = [member for member in frontier
                         if any(_residual(member, children, withheld, values)[0][index] > 0 for index in bad)]
                pool = gains or [member for member in frontier if children.get(member)]
                if not pool:
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


def _bounds(cells: Mapping[Key, int], relations: Sequence[Relation], hidden: set[Key],
            lower: Mapping[Key, int], targets: Iterable[Key]) -> dict[Key, tuple[float, float]]:
    """The attacker's interval for each target hidden cell: min and max under every relation, the published
    cells as known, each hidden cell at least `lower` (1 by default: a listed cell is not empty)."""
    from scipy.optimize import linprog

    unknown = sorted(hidden, key=repr)
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
        found[target] = (low.fun if low.status == 0 else 0.0,
                         -high.fun if high.status == 0 else float("inf"))
    return found


def protect_linked(cells: Mapping[Key, int], relations: Sequence[Relation], hidden: Iterable[Key],
                   small: Iterable[Key], threshold: int, lower: Mapping[Key, int] | None = None,
                   hideable: Callable[[Key], bool] = lambda _: True) -> set[Key]:
    """The cells to withhold among linked tables: `hidden` and more, until every relation is safe and a linear
    programme cannot bound any `small` cell (fewer respondents than the threshold) within ±1."""
    withheld = set(hidden)
    lower = lower or {}
    small = set(small)

    def hide_partner(relation: Relation) -> bool:
        total, members = relation
        visible = [member for member in members if member not in withheld and hideable(member)]
        if visible:
            withheld.add(min(visible, key=lambda member: (cells[member], repr(member))))
            return True
        if total not in withheld and hideable(total):
            withheld.add(total)
            return True
        return False

    while True:
        changed = True
        while changed:
            changed = False
            for relation in relations:
                total, members = relation
                inside = [member for member in members if member in withheld]
                entries = len(inside) + (total in withheld)
                weak = entries == 1 or (total not in withheld and inside
                                        and sum(cells[member] for member in inside) < threshold)
                if weak and hide_partner(relation):
                    changed = True
        targets = [key for key in small if key in withheld]
        if not targets:
            return withheld
        exposed = [key for key, (low, high) in _bounds(cells, relations, withheld, lower, targets).items()
                   if high - low <= 2]
        if not exposed:
            return withheld
        progressed = False
        for key in sorted(exposed, key=repr):
            for relation in relations:
                if key == relation[0] or key in relation[1]:
                    if hide_partner(relation):
                        progressed = True
                        break
        if not progressed:
            return withheld
