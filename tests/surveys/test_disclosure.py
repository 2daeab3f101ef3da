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


def test_the_total_distribution_gives_away_no_withheld_level_by_difference():
    from fne_surveys.results.service import _published_group

    places = {"73065": {"n": 14, "sum": 700.0, "people": 14, "levels": {"1": 3, "4": 11}},
              "73008": {"n": 20, "sum": 900.0, "people": 20, "levels": {"1": 12, "4": 8}},
              "73011": {"n": 25, "sum": 1000.0, "people": 25, "levels": {"1": 11, "4": 14}}}
    published = dict(_published_group(places, 11))
    assert published["73065"]["distribution"] == {"1": None, "4": None}  # 3 hidden, then 11 with it
    assert published["73008"]["distribution"] == {"1": None, "4": None}
    assert published["73011"]["distribution"] == {"1": 11, "4": 14}
    total = published["total"]
    assert total["respondents"] == 59 and total["mean"] == round(2600 / 59, 2)
    for level, count in total["distribution"].items():
        if count is not None:
            shown = sum((published[place]["distribution"][level] or 0) for place in ("73065", "73008", "73011"))
            assert count - shown == 0 or count - shown >= 11

    places = {"73065": {"n": 14, "sum": 700.0, "people": 14, "levels": {"1": 12, "4": 2}},
              "73008": {"n": 26, "sum": 900.0, "people": 26, "levels": {"1": 3, "3": 12, "4": 11}},
              "73011": {"n": 25, "sum": 1000.0, "people": 25, "levels": {"1": 23, "3": 2}}}
    published = dict(_published_group(places, 11))
    assert published["73008"]["distribution"] == {"1": None, "3": 12, "4": None}
    # Level 3 in all is 14, of which 12 shown in 73008: publishing it would give 73011's 2 away.
    assert published["total"]["distribution"] == {"1": 38, "3": None, "4": None}
