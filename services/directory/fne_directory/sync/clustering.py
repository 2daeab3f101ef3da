"""Clusters, not pairs: a batch's new records and the places they may be, grouped at once.

Every pair blocking keeps (record–place, record–record) is scored by the linkage model; pairs are taken from
the most probable down to the automatic threshold, each joining two groups unless that would put two places in
one group (places are merged by a person) or two descriptions of one origin (a source, or one of
data·inclusion's producers, lists them apart) without the model saying that those two are the same. What
remains from the review threshold up, between groups, is proposed for review.
"""

from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fne_directory.sync import linkage
from fne_directory.sync.candidates import CandidateIndex

Node = tuple[str, Any]  # ("r", index in the batch) or ("p", place id)
# Two descriptions of one origin in one place: the model must be this sure of that very pair.
SAME_ORIGIN_PROBABILITY = 0.99
MAX_SAMPLE_PAIRS = 20_000  # pairs kept for estimating the model over a run (the latest)
REVIEWS_PER_RECORD = 2
APART_PLACES = 2000
APART_BELOW = 0.5


@dataclass
class Incoming:
    features: linkage.Features
    origin: str
    refused: set[str] = field(default_factory=set)


@dataclass
class Pair:
    a: Node
    b: Node
    levels: list[int]
    facts: dict[str, Any]
    probability: float = 0.0


@dataclass
class Bridge:
    """Two places a batch's pairs say are one (place_merges.py decides): the pair that would join their
    groups, and the probability of each side's link to its place (1.0: the place itself; 0.0: no direct
    pair)."""

    places: tuple[str, str]
    probability: float
    links: tuple[float, float]
    reasons: dict[str, Any]
    origins: tuple[frozenset[str], frozenset[str]]
    # Met where the pair reached the automatic threshold (else between the review and automatic thresholds:
    # merged only if the whole chain holds the precision, never proposed).
    above_threshold: bool = True

    @property
    def confidence(self) -> float:
        """At least this probability that the two places are one (each link wrong at most 1 − p)."""
        return max(0.0, 1 - sum(1 - p for p in (self.probability, *self.links)))


@dataclass
class Outcome:
    groups: list[list[Node]]  # each group: its records ("r") and at most one place ("p")
    explanations: dict[int, dict[str, Any]]  # per record joining a group: why (the best pair inside it)
    reviews: list[tuple[int, Node, dict[str, Any], float]]  # record, the other side, why, probability
    threshold: float
    pairs: int
    bridges: list[Bridge] = field(default_factory=list)  # pairs of places that one group would join


@dataclass
class Linker:
    """The run's model, estimated again with each batch from the pairs seen so far."""

    precision: float
    floor: float
    review: float
    model: linkage.Model = field(default_factory=linkage.Model)
    sample: list[np.ndarray] = field(default_factory=list)
    apart: list[np.ndarray] = field(default_factory=list)

    seeded: bool = False

    def seed(self, index: CandidateIndex) -> None:
        """Once per run: pairs of the directory's places that blocking keeps and that one origin lists apart
        (each holds a record of it), as pairs known apart (the first APART_PLACES places by id: bounded
        work)."""
        if self.seeded:
            return
        self.seeded = True
        rows = []
        places = index.place_ids()[:APART_PLACES]
        for place_id in places:
            place = index.profile(place_id)
            assert place is not None
            for other_id, other in index.sharing(place):
                if other_id > place_id and index.origins(place_id) & index.origins(other_id):
                    rows.append(linkage.compare(place, other)[0])
        if rows:
            apart = np.array(rows, dtype=np.int64)
            self.apart.append(apart[self.model.probabilities(apart) < APART_BELOW])

    def learn(self, levels: np.ndarray, apart: np.ndarray) -> None:
        # An origin also lists a place twice now and then: what already looks like one place is not known
        # apart.
        if apart.size:
            apart = apart[self.model.probabilities(apart) < APART_BELOW]
        for kept, new in ((self.sample, levels), (self.apart, apart)):
            if new.size:
                kept.append(new)
            while sum(map(len, kept)) > MAX_SAMPLE_PAIRS and len(kept) > 1:
                kept.pop(0)
        # Estimated again when the pairs seen grew by half since the last estimation: a few estimations per
        # run whatever its size, each starting from the last one's values.
        seen = sum(map(len, self.sample))
        if self.sample and seen >= max(linkage.MIN_PAIRS_TO_ESTIMATE, 1.5 * self.model.estimated_from):
            self.model = self.model.estimate(
                np.vstack(self.sample), np.vstack(self.apart) if self.apart else None
            )


def _pairs(records: list[Incoming], index: CandidateIndex) -> list[Pair]:
    pairs: list[Pair] = []
    for i, record in enumerate(records):
        for place_id, place in index.sharing(record.features, record.refused):
            pairs.append(Pair(("r", i), ("p", place_id), *linkage.compare(record.features, place)))
    # Within the batch: by commune and by neighbourhood, as the index does for places.
    local = CandidateIndex("batch")
    for i, record in enumerate(records):
        local.add(str(i), record.features, set())
    for i, record in enumerate(records):
        for other, features in local.sharing(record.features):
            j = int(other)
            if j > i:
                pairs.append(Pair(("r", i), ("r", j), *linkage.compare(record.features, features)))
    return pairs


def cluster(records: list[Incoming], index: CandidateIndex, linker: Linker) -> Outcome:
    """The groups of this batch's records (with the places they join), and the pairs for review."""
    linker.seed(index)
    pairs = _pairs(records, index)
    levels = np.array([pair.levels for pair in pairs], dtype=np.int64).reshape(len(pairs), len(linkage.NAMES))
    # Two records of one origin: listed apart by it, so (nearly always) two places — what u is read from.
    same_origin = np.array(
        [pair.b[0] == "r" and records[pair.a[1]].origin == records[pair.b[1]].origin for pair in pairs],
        dtype=bool,
    )
    linker.learn(levels[~same_origin], levels[same_origin])
    probabilities = linker.model.probabilities(levels) if len(pairs) else np.array([])
    for pair, probability in zip(pairs, probabilities, strict=True):
        pair.probability = 0.0 if linkage.vetoed(pair.levels) else float(probability)
    # The decisions are each record's most probable pair: their expected precision sets the threshold.
    best_of: dict[Node, float] = {}
    for pair in pairs:
        for node in (pair.a, pair.b):
            if node[0] == "r":
                best_of[node] = max(best_of.get(node, 0.0), pair.probability)
    best = np.array(list(best_of.values()))
    known_apart = (
        np.vstack(linker.apart) if linker.apart else np.zeros((0, len(linkage.NAMES)), dtype=np.int64)
    )
    threshold = linkage.apart_threshold(
        best,
        linker.model.probabilities(known_apart),
        int((~same_origin).sum()),
        linker.model.prior,
        linker.precision,
        linker.floor,
    )
    if threshold is None:
        threshold = linkage.automatic_threshold(best, linker.precision, linker.floor)
    scored = {frozenset((pair.a, pair.b)): pair.probability for pair in pairs}

    parent: dict[Node, Node] = {}
    members: dict[Node, list[Node]] = {}

    def find(node: Node) -> Node:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def origins(node: Node) -> Set[str]:
        return {records[node[1]].origin} if node[0] == "r" else index.origins(node[1])

    def compatible(one: list[Node], other: list[Node]) -> bool:
        if sum(node[0] == "p" for node in one) + sum(node[0] == "p" for node in other) > 1:
            return False
        for x in one:
            for y in other:
                if origins(x) & origins(y) and scored.get(frozenset((x, y)), 0.0) < SAME_ORIGIN_PROBABILITY:
                    return False
        return True

    bridges: list[Bridge] = []
    for i in range(len(records)):
        members[find(("r", i))] = [("r", i)]
    ranked = sorted(pairs, key=lambda pair: pair.probability, reverse=True)
    for pair in ranked:
        if pair.probability < threshold:
            break
        root_a, root_b = find(pair.a), find(pair.b)
        if root_a == root_b:
            continue
        group_a = members.get(root_a, [pair.a])
        group_b = members.get(root_b, [pair.b])
        if not compatible(group_a, group_b):
            bridge = _bridge(pair, group_a, group_b, origins, scored, linker.model)
            if bridge is not None:
                bridges.append(bridge)
            continue
        parent[root_b] = root_a
        members[root_a] = group_a + group_b
        members.pop(root_b, None)

    # Below the automatic threshold, pairs that would join two places' groups are still bridges to weigh:
    # whether two places are one is judged on the whole chain (place_merges.py), not on this pair alone.
    for pair in ranked:
        if pair.probability < linker.review:
            break
        root_a, root_b = find(pair.a), find(pair.b)
        if pair.probability >= threshold or root_a == root_b:
            continue
        bridge = _bridge(
            pair, members.get(root_a, [pair.a]), members.get(root_b, [pair.b]), origins, scored, linker.model
        )
        if bridge is not None:
            bridge.above_threshold = False
            bridges.append(bridge)
    groups = [group for root, group in members.items() if any(node[0] == "r" for node in group)]
    explanations: dict[int, dict[str, Any]] = {}
    best_pair: dict[int, Pair] = {}
    for pair in ranked:
        if find(pair.a) != find(pair.b):
            continue
        for node in (pair.a, pair.b):
            if node[0] == "r" and node[1] not in best_pair:
                best_pair[node[1]] = pair
    for i, pair in best_pair.items():
        explanations[i] = linker.model.explain(pair.levels, pair.facts, pair.probability)
    reviews: list[tuple[int, Node, dict[str, Any], float]] = []
    proposed: dict[int, int] = {}
    seen: set[tuple[int, Any]] = set()
    for pair in ranked:
        if pair.probability < linker.review:
            break
        if find(pair.a) == find(pair.b):
            continue
        i, other = pair.a[1], pair.b
        if (i, find(other)) in seen or proposed.get(i, 0) >= REVIEWS_PER_RECORD:
            continue
        seen.add((i, find(other)))
        proposed[i] = proposed.get(i, 0) + 1
        reviews.append(
            (i, other, linker.model.explain(pair.levels, pair.facts, pair.probability), pair.probability)
        )
    return Outcome(groups, explanations, reviews, threshold, len(pairs), bridges)


def _bridge(
    pair: Pair,
    group_a: list[Node],
    group_b: list[Node],
    origins: Callable[[Node], Set[str]],
    scored: dict[frozenset[Node], float],
    model: linkage.Model,
) -> Bridge | None:
    """The two places that keep these groups apart, when nothing else does (the origin rule holds between
    every record and the other side; the two places' own pair is place_merges.py's to judge)."""
    place_a = [node for node in group_a if node[0] == "p"]
    place_b = [node for node in group_b if node[0] == "p"]
    if len(place_a) != 1 or len(place_b) != 1:
        return None
    for x in group_a:
        for y in group_b:
            if x[0] == "p" and y[0] == "p":
                continue
            if origins(x) & origins(y) and scored.get(frozenset((x, y)), 0.0) < SAME_ORIGIN_PROBABILITY:
                return None

    def link(node: Node, place: Node) -> float:
        return 1.0 if node == place else scored.get(frozenset((node, place)), 0.0)

    return Bridge(
        (place_a[0][1], place_b[0][1]),
        pair.probability,
        (link(pair.a, place_a[0]), link(pair.b, place_b[0])),
        model.explain(pair.levels, pair.facts, pair.probability),
        (frozenset(origins(place_a[0])), frozenset(origins(place_b[0]))),
    )


def group_of(outcome: Outcome) -> dict[Node, int]:
    return {node: number for number, group in enumerate(outcome.groups) for node in group}


def place_of_group(group: Iterable[Node]) -> str | None:
    return next((node[1] for node in group if node[0] == "p"), None)
