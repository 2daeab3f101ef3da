import random

import pytest
from pydantic import ValidationError

from fne_surveys.config import Settings
from fne_surveys.results.disclosure import suppressed


def test_a_lone_small_cell_takes_the_next_smallest_with_it():
    assert suppressed({"73065": 14, "73008": 12, "73011": 3}, 11) == {"73011", "73008"}


def test_small_cells_that_together_reach_the_threshold_need_no_partner():
    assert suppressed({"a": 30, "b": 6, "c": 7}, 11) == {"b", "c"}
    assert suppressed({"a": 30, "b": 4, "c": 5, "d": 40}, 11) == {"b", "c", "a"}


def test_a_group_below_the_threshold_is_withheld_whole():
    assert suppressed({"a": 6, "b": 4}, 11) == {"a", "b"}
    assert suppressed({}, 11) == set()


def test_without_a_published_total_only_primary_suppression_applies():
    assert suppressed({"a": 14, "b": 3}, 11, total_published=False) == {"b"}


def test_no_suppressed_cell_can_be_recovered_from_the_total():
    generator = random.Random(20261129)
    for _ in range(2000):
        counts = {f"c{index}": generator.choice([1, 2, 5, 9, 10, 11, 12, 20, 40])
                  for index in range(generator.randint(1, 7))}
        hidden = suppressed(counts, 11)
        visible = set(counts) - hidden
        assert all(counts[key] >= 11 for key in visible)
        if hidden and visible:
            assert len(hidden) >= 2 and sum(counts[key] for key in hidden) >= 11


def test_the_threshold_never_goes_below_five():
    with pytest.raises(ValidationError, match="5"):
        Settings(min_cell_size=4, pseudonym_key="x" * 40)
    assert Settings(min_cell_size=5, pseudonym_key="x" * 40).min_cell_size == 5
