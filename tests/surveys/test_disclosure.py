import pytest
from pydantic import ValidationError

from fne_surveys.config import Settings


def test_the_threshold_never_goes_below_five():
    with pytest.raises(ValidationError, match="5"):
        Settings(min_cell_size=4, pseudonym_key="x" * 40)
    assert Settings(min_cell_size=5, pseudonym_key="x" * 40).min_cell_size == 5


def tree(
    counts: dict[str, int], parents: dict[str, str]
) -> tuple[dict[str, list[str]], dict[str, list[int]]]:
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    return children, {key: [value] for key, value in counts.items()}


def test_a_commune_is_not_its_epci_minus_the_published_ones():
    from fne_surveys.results.protection import protect_tree

    counts = {
        "total": 44,
        "73": 44,
        "chambery": 29,
        "lac": 15,
        "73065": 14,
        "73029": 12,
        "73087": 3,
        "73008": 15,
    }
    parents = {
        "73": "total",
        "chambery": "73",
        "lac": "73",
        "73065": "chambery",
        "73029": "chambery",
        "73087": "chambery",
        "73008": "lac",
    }
    children, values = tree(counts, parents)
    hidden = protect_tree(children, "total", values, {"73087"}, 11)
    assert "73087" in hidden and "73029" in hidden  # Cognin's 3 takes the smallest commune with it
    assert "chambery" not in hidden and "total" not in hidden  # 29 − 14 = 15 unexplained, shared by two


def test_what_the_published_descendants_leave_unexplained_is_nothing_or_enough():
    import random

    from fne_surveys.results.protection import _residual, protect_tree

    generator = random.Random(20261203)
    for _ in range(300):
        parents = {"a": "total", "b": "total", "c": "total"}
        for index in range(generator.randint(1, 8)):
            parents[f"x{index}"] = generator.choice(["a", "b", "c"])
        leaves = [key for key in parents if key not in parents.values()]
        counts = {leaf: generator.choice([1, 2, 3, 5, 9, 12, 15, 30]) for leaf in leaves}
        for parent in ("a", "b", "c", "total"):
            counts.setdefault(parent, 0)
        for leaf in leaves:
            node = parents[leaf]
            while True:
                counts[node] += counts[leaf]
                if node == "total":
                    break
                node = parents[node]
        children, values = tree(counts, parents)
        primary = {key for key, count in counts.items() if count < 11}
        hidden = protect_tree(children, "total", values, primary, 11)
        assert primary <= hidden
        for node in counts:
            if node not in hidden:
                residual, _ = _residual(node, children, hidden, values, spread=True)
                assert residual[0] == 0 or (residual[0] >= 11 and residual[1] >= 3), (counts, hidden, node)


def test_linked_tables_hide_until_no_small_cell_is_bounded_within_one():
    from fne_surveys.results.protection import _bounds, protect_linked

    # Two rows × two columns with margins; one cell of 3.
    cells = {
        ("r1", "c1"): 3,
        ("r1", "c2"): 20,
        ("r2", "c1"): 15,
        ("r2", "c2"): 25,
        ("r1", "t"): 23,
        ("r2", "t"): 40,
        ("t", "c1"): 18,
        ("t", "c2"): 45,
        ("t", "t"): 63,
    }
    relations = [
        (("r1", "t"), [("r1", "c1"), ("r1", "c2")]),
        (("r2", "t"), [("r2", "c1"), ("r2", "c2")]),
        (("t", "c1"), [("r1", "c1"), ("r2", "c1")]),
        (("t", "c2"), [("r1", "c2"), ("r2", "c2")]),
        (("t", "t"), [("r1", "t"), ("r2", "t")]),
        (("t", "t"), [("t", "c1"), ("t", "c2")]),
    ]
    hidden = protect_linked(cells, relations, {("r1", "c1")}, {("r1", "c1")}, 11)
    assert len(hidden) >= 4  # a rectangle at least
    low, high = _bounds(cells, relations, hidden, {}, [("r1", "c1")])[("r1", "c1")]
    assert high - low > 2
