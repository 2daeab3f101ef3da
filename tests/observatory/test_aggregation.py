"""The aggregation rules and disclosure control, on a small made-up structure (no database)."""

import pytest

from fne_observatory.indicators.aggregation import Cell, Rule, aggregate, hierarchy
from fne_observatory.indicators.models import Aggregation, Secrecy
from fne_observatory.territories.service import CommuneInfo, Structure

# Two departments of one region; department D1 holds EPCIs E1 (A, B, C) and E2 (D); D2 holds E3 (E, F).
STRUCTURE = Structure(
    communes={
        "A": CommuneInfo(100, "E1", "D1", "R"),
        "B": CommuneInfo(300, "E1", "D1", "R"),
        "C": CommuneInfo(600, "E1", "D1", "R"),
        "D": CommuneInfo(1000, "E2", "D1", "R"),
        "E": CommuneInfo(500, "E3", "D2", "R"),
        "F": CommuneInfo(500, "E3", "D2", "R"),
    },
    groupings={"vallee": {"A", "B"}, "plaine": {"C", "D"}, "coteau": {"A", "C"}},
    department_regions={"D1": "R", "D2": "R"},
)
TREE = hierarchy(STRUCTURE)


def communes(**values: Cell) -> dict[tuple[str, str], Cell]:
    return {("commune", code): cell for code, cell in values.items()}


def test_counts_add_up_every_level():
    cells = aggregate(
        Rule(Aggregation.SUM), communes(A=Cell(1), B=Cell(2), C=Cell(3), D=Cell(4), E=Cell(5)), TREE
    )
    assert cells[("epci", "E1")].value == 6
    assert cells[("departement", "D1")].value == 10 and cells[("departement", "D2")].value == 5
    assert cells[("region", "R")].value == 15 and cells[("pays", "FR")].value == 15
    assert cells[("groupement", "vallee")].value == 3
    # E3 has one of its two communes: the total is what is known, and says how much is known.
    assert (cells[("epci", "E3")].covered, cells[("epci", "E3")].members) == (1, 2)
    assert (cells[("region", "R")].covered, cells[("region", "R")].members) == (5, 6)


def test_a_ratio_is_a_ratio_of_sums_never_a_mean_of_ratios():
    cells = aggregate(
        Rule(Aggregation.RATIO, scale=100),
        communes(A=Cell(10.0, numerator=1, denominator=10), B=Cell(90.0, numerator=90, denominator=100)),
        TREE,
    )
    epci = cells[("epci", "E1")]
    assert epci.value == pytest.approx(91 / 110 * 100)
    assert epci.value != pytest.approx((10.0 + 90.0) / 2)
    assert (epci.numerator, epci.denominator) == (91, 110)


def test_a_weighted_mean_weighs_by_population_unless_weights_are_given():
    by_population = aggregate(Rule(Aggregation.WEIGHTED_MEAN), communes(A=Cell(10.0), D=Cell(2.0)), TREE)
    assert by_population[("departement", "D1")].value == pytest.approx((10 * 100 + 2 * 1000) / 1100)
    by_respondents = aggregate(
        Rule(Aggregation.WEIGHTED_MEAN), communes(A=Cell(10.0, weight=30), D=Cell(2.0, weight=10)), TREE
    )
    assert by_respondents[("departement", "D1")].value == pytest.approx((10 * 30 + 2 * 10) / 40)
    assert by_respondents[("departement", "D1")].weight == 40


def test_a_value_that_does_not_aggregate_stays_where_observed():
    cells = aggregate(Rule(Aggregation.NOT_AGGREGABLE), communes(A=Cell(3.0), B=Cell(4.0)), TREE)
    assert set(cells) == {("commune", "A"), ("commune", "B")}


def test_an_observed_value_above_the_communes_is_kept_as_given():
    observed = {**communes(A=Cell(1), B=Cell(2)), ("departement", "D1"): Cell(100)}
    cells = aggregate(Rule(Aggregation.SUM), observed, TREE)
    assert cells[("departement", "D1")].value == 100 and cells[("departement", "D1")].origin == "observee"
    assert cells[("epci", "E1")].value == 3


def test_small_counts_are_withheld_and_cannot_be_recovered_by_difference():
    rule = Rule(Aggregation.SUM, threshold=11)
    cells = aggregate(
        rule, communes(A=Cell(5), B=Cell(20), C=Cell(30), D=Cell(40), E=Cell(50), F=Cell(60)), TREE
    )
    assert cells[("commune", "A")].secrecy == Secrecy.PRIMARY
    # E1 = A + B + C is published (55): with A alone withheld, A = E1 − B − C. B, the smallest, goes too.
    assert cells[("commune", "B")].secrecy == Secrecy.SECONDARY
    assert cells[("commune", "C")].secrecy is None and cells[("epci", "E1")].secrecy is None
    withheld = [key for key, cell in cells.items() if cell.secrecy]
    # vallee = A + B (25) tells no single one; coteau = A + C would: withheld.
    assert sorted(withheld) == [("commune", "A"), ("commune", "B"), ("groupement", "coteau")]
    # Each published total's withheld parts add up to the threshold at least.
    for parent, children in TREE.partitions.items():
        hidden = [cells[child].value for child in children if child in cells and cells[child].secrecy]
        assert not hidden or sum(hidden) >= 11, parent


def test_a_groupement_hiding_a_small_commune_is_withheld_itself():
    rule = Rule(Aggregation.SUM, threshold=11)
    cells = aggregate(rule, communes(A=Cell(5), B=Cell(200), C=Cell(300), D=Cell(400)), TREE)
    # In E1, B (the smallest) is withheld with A; coteau = A + C would still give A by difference.
    assert cells[("commune", "B")].secrecy == Secrecy.SECONDARY
    assert cells[("groupement", "coteau")].secrecy == Secrecy.SECONDARY
    assert cells[("commune", "C")].secrecy is None
    assert cells[("groupement", "vallee")].secrecy is None  # A + B: two withheld values, 205 together
    assert cells[("groupement", "plaine")].secrecy is None


def test_a_value_the_source_withheld_withholds_every_total_above_it():
    cells = aggregate(
        Rule(Aggregation.WEIGHTED_MEAN, threshold=11),
        communes(A=Cell(None, secrecy=Secrecy.SOURCE), B=Cell(50.0, weight=40), E=Cell(60.0, weight=30)),
        TREE,
    )
    for key in [
        ("epci", "E1"),
        ("departement", "D1"),
        ("region", "R"),
        ("pays", "FR"),
        ("groupement", "vallee"),
    ]:
        assert cells[key].secrecy == Secrecy.SOURCE and cells[key].value is None, key
    assert cells[("departement", "D2")].secrecy is None and cells[("departement", "D2")].value == 60.0


def test_a_small_epci_cannot_be_recovered_from_its_department_either():
    rule = Rule(Aggregation.SUM, threshold=11)
    # E2 holds D alone (5): withheld. D1 = E1 + E2 is published: E1 must go too, or E2 = D1 − E1.
    cells = aggregate(rule, communes(A=Cell(20), B=Cell(30), C=Cell(40), D=Cell(5)), TREE)
    assert cells[("epci", "E2")].secrecy == Secrecy.PRIMARY
    assert cells[("departement", "D1")].secrecy is None and cells[("departement", "D1")].value == 95
    assert cells[("epci", "E1")].secrecy == Secrecy.SECONDARY
    for parent, children in TREE.protections:
        if parent in cells and cells[parent].secrecy is None:
            hidden = [cells[child].value for child in children if child in cells and cells[child].secrecy]
            assert not hidden or sum(hidden) >= 11, parent
