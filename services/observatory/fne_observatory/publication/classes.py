"""Class breaks for choropleth maps: quantiles, or natural breaks (Fisher-Jenks: the grouping into k classes
that minimises the sum of squared deviations within classes, found exactly by dynamic programming)."""

from enum import StrEnum

import numpy as np

# O(k·n²) time and O(n²) memory: beyond this, the breaks are searched on evenly spaced order statistics
MAX_JENKS_VALUES = 1000


class Method(StrEnum):
    QUANTILES = "quantiles"
    SEUILS_NATURELS = "seuils_naturels"


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


def breaks(values: list[float], classes: int, method: Method) -> list[float]:
    if not values:
        return []
    return quantile_breaks(values, classes) if method == Method.QUANTILES else jenks_breaks(values, classes)


def class_of(value: float, bounds: list[float]) -> int:
    """1-based class of a value: the first class whose upper bound is at least the value."""
    for index, bound in enumerate(bounds, 1):
        if value <= bound:
            return index
    return len(bounds)
