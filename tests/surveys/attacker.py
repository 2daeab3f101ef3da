"""An outside analyst with every table a `surveys:read` caller can obtain, and the geography (public).

For one dimension, phase and period, the unknowns are the respondents (and their sum of scores) of each atom:
a commune (or none) × age band × gender × social status. Every published cell is an equation over the atoms it
covers (its count; its sum of scores within the rounding of its mean); every listed but withheld cell holds at
least one person. A linear programme then bounds each withheld cell as tightly as the analyst can: its count
(min and max), and its mean (a linear-fractional programme, made linear by the Charnes–Cooper change of
variables).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import product
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, hstack, vstack

Atom = tuple[str | None, str, str, str]  # commune, age band, gender, social status
NAMES = ("tranche_age", "genre", "statut_social")


@dataclass(frozen=True)
class Geography:
    epci: dict[str, str]  # commune → EPCI

    @staticmethod
    def department(commune: str) -> str:
        return commune[:3] if commune.startswith("97") else commune[:2]


@dataclass
class Published:
    """One query's answer: its parameters and its cells (API dicts) of one dimension, phase and period."""

    level: str
    department: str | None
    breakdown: str | None
    cells: list[dict[str, Any]]


def covers(geography: Geography, table: Published, cell: dict[str, Any]) -> Callable[[Atom], bool]:
    territory, category = cell["territoire"], cell.get("categorie")

    def place(atom: Atom) -> bool:
        commune = atom[0]
        if table.department is not None and (
            commune is None or geography.department(commune) != table.department
        ):
            return False
        if territory == "total":
            return True
        if territory == "inconnu":
            return commune is None
        if commune is None:
            return False
        if table.level == "commune":
            return commune == territory
        if table.level == "epci":
            return geography.epci.get(commune) == territory
        return geography.department(commune) == territory

    def belongs(atom: Atom) -> bool:
        if not place(atom):
            return False
        if table.breakdown is None or category in (None, "total"):
            return True
        return atom[1 + NAMES.index(table.breakdown)] == category

    return belongs


@dataclass
class Attack:
    atoms: list[Atom]
    equalities: list[tuple[np.ndarray, float]]
    inequalities: list[tuple[np.ndarray, float]]  # row · z ≤ value

    @property
    def width(self) -> int:
        return 2 * len(self.atoms)  # counts, then sums

    def _matrices(self) -> tuple[Any, Any, Any, Any]:
        if not hasattr(self, "_built"):
            a_eq = csr_matrix(np.array([row for row, _ in self.equalities])) if self.equalities else None
            b_eq = [value for _, value in self.equalities] if self.equalities else None
            a_ub = csr_matrix(np.array([row for row, _ in self.inequalities])) if self.inequalities else None
            b_ub = [value for _, value in self.inequalities] if self.inequalities else None
            self._built = (a_eq, b_eq, a_ub, b_ub)
        return self._built

    def _solve(self, objective: np.ndarray) -> float | None:
        a_eq, b_eq, a_ub, b_ub = self._matrices()
        found = linprog(
            objective, A_eq=a_eq, b_eq=b_eq, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs"
        )
        return found.fun if found.status == 0 else None

    def count_bounds(self, member: Callable[[Atom], bool]) -> tuple[float, float]:
        objective = np.zeros(self.width)
        for index, atom in enumerate(self.atoms):
            if member(atom):
                objective[index] = 1
        low, high = self._solve(objective), self._solve(-objective)
        return (low if low is not None else 0.0, -high if high is not None else float("inf"))

    def mean_bounds(self, member: Callable[[Atom], bool]) -> tuple[float, float]:
        """min and max of (sum of scores) / (count) of the cell: variables y = z·t, t = 1 / count."""
        size = self.width
        count, total = np.zeros(size + 1), np.zeros(size + 1)
        for index, atom in enumerate(self.atoms):
            if member(atom):
                count[index] = 1
                total[len(self.atoms) + index] = 1
        a_eq, b_eq, a_ub, b_ub = self._matrices()
        # [A | −b] y' = 0 with y' = (y, t); the cell's count × t = 1.
        rows = (
            [csr_matrix(count)]
            if a_eq is None
            else [hstack([a_eq, csr_matrix(-np.array(b_eq).reshape(-1, 1))]), csr_matrix(count)]
        )
        a_eq = vstack(rows).tocsr()
        b_eq = [0.0] * (a_eq.shape[0] - 1) + [1.0]
        a_ub = hstack([a_ub, csr_matrix(-np.array(b_ub).reshape(-1, 1))]).tocsr()
        b_ub = [0.0] * a_ub.shape[0]
        results = []
        for sign in (1, -1):
            found = linprog(
                sign * total, A_eq=a_eq, b_eq=b_eq, A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs"
            )
            results.append(sign * found.fun if found.status == 0 else None)
        low, high = results
        return (low if low is not None else 0.0, high if high is not None else 100.0)


def build(
    geography: Geography,
    tables: Iterable[Published],
    communes: Iterable[str | None],
    categories: dict[str, list[str]],
) -> Attack:
    atoms: list[Atom] = list(product(communes, *(categories.get(name) or ["inconnu"] for name in NAMES)))
    size = len(atoms)
    attack = Attack(atoms, [], [])
    for index in range(size):  # a score is 0–100: sum ≤ 100 × count
        row = np.zeros(2 * size)
        row[size + index], row[index] = 1, -100
        attack.inequalities.append((row, 0.0))
    for table in tables:
        for cell in table.cells:
            member = covers(geography, table, cell)
            count, total = np.zeros(2 * size), np.zeros(2 * size)
            for index, atom in enumerate(atoms):
                if member(atom):
                    count[index] = 1
                    total[size + index] = 1
            if cell["secret"]:
                if cell.get("categorie") in (None, "total"):  # listed because someone is there
                    attack.inequalities.append((-count, -1.0))
                continue
            attack.equalities.append((count, float(cell["n"])))
            if cell["moyenne"] is None:  # the count alone: a mean that would have pinned another's
                continue
            slack = cell["n"] * 0.005 + 1e-6  # the mean is rounded to 2 decimals
            attack.inequalities.append((total, cell["n"] * cell["moyenne"] + slack))
            attack.inequalities.append((-total, -(cell["n"] * cell["moyenne"] - slack)))
    return attack


def exposed(
    geography: Geography,
    tables: list[Published],
    truth: Callable[[Published, dict[str, Any]], int],
    attack: Attack,
    threshold: int,
    step: float,
) -> list[str]:
    """Every withheld cell of fewer than `threshold` respondents that the analyst bounds within ±1 respondent,
    or whose mean within the scale's step."""
    found = []
    seen = set()
    for table in tables:
        for cell in table.cells:
            if not cell["secret"]:
                continue
            people = truth(table, cell)
            if people >= threshold or people == 0:
                continue
            member = covers(geography, table, cell)
            key = frozenset(index for index, atom in enumerate(attack.atoms) if member(atom))
            if key in seen:
                continue
            seen.add(key)
            low, high = attack.count_bounds(member)
            if high - low <= 2 + 1e-6:
                found.append(
                    f"{table.level}/{table.department}/{table.breakdown} {cell['territoire']} "
                    f"{cell.get('categorie')}: {people} personnes, bornes {low:.2f}–{high:.2f}"
                )
                continue
            low, high = attack.mean_bounds(member)
            if high - low <= step:
                found.append(
                    f"{table.level}/{table.department}/{table.breakdown} {cell['territoire']} "
                    f"{cell.get('categorie')}: moyenne bornée {low:.1f}–{high:.1f}"
                )
    return found
