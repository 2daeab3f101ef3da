"""Class breaks for choropleth maps: quantiles, natural breaks (Fisher-Jenks: the grouping into k classes
that minimises the sum of squared deviations within classes, found exactly by dynamic programming), or fixed
thresholds (access times: 10, 20, 30 minutes…). Values with no more distinct values than classes get one class
per value (a yes/no indicator such as the zones blanches: two classes, not one)."""

from enum import StrEnum

import numpy as np

# O(k·n²) time and O(n²) memory: beyond this, the breaks are searched on evenly spaced order statistics
MAX_JENKS_VALUES = 1000


class Method(StrEnum):
    QUANTILES = "quantiles"
    NATURAL_BREAKS = "seuils_naturels"
    THRESHOLDS = "seuils"


def quantile_breaks(values: list[float], classes: int) -> list[float]:
    """Upper bounds of each class (the last one is the maximum), on the sorted values, by nearest rank."""
    ordered = sorted(values)
    bounds = []
    for index in range(1, classes):
        rank = max(0, min(len(ordered) - 1, round(index * len(ordered) / classes) - 1))
        bounds.append(ordered[rank])
    return _distinct([*bounds, ordered[-1]])


def jenks_breaks(values: list[float], classes: int) -> list[float]:
    ordered = np.sort(np.asarray(values, dtype=float))
    if len(ordered) > MAX_JENKS_VALUES:
        ordered = ordered[np.round(np.linspace(0, len(ordered) - 1, MAX_JENKS_VALUES)).astype(int)]
    count = len(ordered)
    classes = min(classes, len(np.unique(ordered)))
    # cost[start, end]: squared deviation of ordered[start:end], from prefix sums; infinite unless start <
    # end.
    sums = np.concatenate(([0.0], np.cumsum(ordered)))
    squares = np.concatenate(([0.0], np.cumsum(ordered * ordered)))
    starts, ends = np.arange(count + 1)[:, None], np.arange(count + 1)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        totals = sums[ends] - sums[starts]
        cost = squares[ends] - squares[starts] - totals * totals / (ends - starts)
    cost[starts >= ends] = np.inf
    best = np.full(count + 1, np.inf)
    best[0] = 0.0
    cuts = []
    for _ in range(classes):
        candidates = best[:, None] + cost
        cuts.append(np.argmin(candidates, axis=0))
        best = candidates[cuts[-1], np.arange(count + 1)]
    bounds, end = [], count
    for cut in reversed(cuts):
        bounds.append(float(ordered[end - 1]))
        end = int(cut[end])
    return _distinct(bounds)


def _distinct(bounds: list[float]) -> list[float]:
    return sorted(set(bounds))


def threshold_breaks(values: list[float], thresholds: list[float]) -> list[float]:
    """The thresholds below the largest value, then the largest value: the last class holds what is above."""
    top = max(values)
    return _distinct([*(bound for bound in thresholds if bound < top), top])


def breaks(
    values: list[float], classes: int, method: Method, thresholds: list[float] | None = None
) -> list[float]:
    if not values:
        return []
    if method == Method.THRESHOLDS:
        return threshold_breaks(values, thresholds or [])
    distinct = sorted(set(values))
    if len(distinct) <= classes:
        return distinct
    return quantile_breaks(values, classes) if method == Method.QUANTILES else jenks_breaks(values, classes)


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def class_labels(
    bounds: list[float], minimum: float | None, decimals: int, suffix: str = "", single: bool = False
) -> list[str]:
    """What each class holds, in words: « 0 », « de 4 à 10 min », « plus de 20 à 30 min »… (`single`: one
    value per class)."""
    labels = []
    for index, upper in enumerate(bounds):
        lower = minimum if index == 0 else bounds[index - 1]
        if single or lower is None or lower == upper:
            labels.append(f"{_number(upper, decimals)}{suffix}")
        elif index == 0:
            labels.append(f"de {_number(lower, decimals)} à {_number(upper, decimals)}{suffix}")
        else:
            labels.append(f"plus de {_number(lower, decimals)} à {_number(upper, decimals)}{suffix}")
    return labels


def class_of(value: float, bounds: list[float]) -> int:
    """1-based class of a value: the first class whose upper bound is at least the value."""
    for index, bound in enumerate(bounds, 1):
        if value <= bound:
            return index
    return len(bounds)
