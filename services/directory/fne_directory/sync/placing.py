"""New records placed: grouped with each other and with the places they surely are (clustering.py), each
group joining its place or becoming a new one, every merge explained and doubtful pairs sent to review.
"""

from collections import Counter
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.places.schemas import PlaceInput
from fne_directory.places.service import (
    insert_rows,
)
from fne_directory.sync import linkage, place_merges
from fne_directory.sync.candidates import (
    active_places,
    origin_of,
    producers_of,
    record_keys,
    refused_pairs,
)
from fne_directory.sync.clustering import Incoming, cluster, place_of_group
from fne_directory.sync.models import MatchCandidate, SourceRecord
from fne_directory.sync.publishing import create_from_records, refresh_for_run
from fne_directory.sync.records import save_state, set_state
from fne_directory.sync.run import Run
from fne_directory.territories.models import Commune
from fne_kernel.db import utcnow


def _features(record: SourceRecord, commune: Commune) -> linkage.Features:
    normalised = record.normalised or {}
    keys, hints = record_keys(record.source, record.source_id, record.raw)
    return linkage.features(
        {
            **normalised,
            "code_insee": commune.code,
            "commune": commune.nom,
            "geo_precision": "exacte" if normalised.get("latitude") is not None else "commune",
        },
        key=record.source_id,
        hints=hints,
        di_keys=keys,
        producers=producers_of([origin_of(record.source, record.raw)]),
    )


async def place_new_records(
    session: AsyncSession, run: Run, new: list[tuple[SourceRecord, Commune, PlaceInput]], counts: Counter[str]
) -> None:
    """The batch's new records grouped with each other and with the places they surely are
    (sync/clustering.py); each group joins its place or becomes a new one (a visible duplicate can be merged
    later; a wrong merge hides a place), with the doubtful pairs sent to review."""
    async with run.placing:
        await run.candidates.refresh(session)
        refused = await refused_pairs(session, [record.id for record, _, _ in new])
        incoming = [
            Incoming(
                _features(record, commune),
                origin_of(record.source, record.raw),
                refused.get(record.id, set()),
            )
            for record, commune, _ in new
        ]
        outcome = cluster(incoming, run.candidates, run.linker)
        counts["pairs_compared"] += outcome.pairs
        joined = [place for group in outcome.groups if (place := place_of_group(group))]
        still = await active_places(session, joined)
        leaders: list[int] = []
        followers: dict[int, str | int] = {}  # record → its place, or the leader whose place it joins
        for group in outcome.groups:
            place_id = place_of_group(group)
            indexes = sorted(node[1] for node in group if node[0] == "r")
            if place_id is not None and place_id not in still:
                run.candidates.discard(place_id)
                place_id = None
            if place_id is None:
                leaders.append(indexes[0])
                followers |= {i: indexes[0] for i in indexes[1:]}
            else:
                followers |= {i: place_id for i in indexes}
        places = await create_from_records(
            session,
            run.settings,
            [new[i][0] for i in leaders],
            run.source,
            run.geocode,
            run.communes,
            [new[i][2] for i in leaders],
        )
        created = dict(zip(leaders, places, strict=True))
        for i, place_id in created.items():
            set_state(new[i][0], place_id=place_id)
        counts["created"] += len(places)
        now = utcnow()
        merged_rows, touched = [], {}
        for i, target in followers.items():
            place_id = created[target] if isinstance(target, int) else target
            record = new[i][0]
            set_state(record, place_id=place_id)
            touched[place_id] = True
            reasons = {
                **outcome.explanations.get(i, {}),
                "grappe": sorted(new[j][0].id for j, other in followers.items() if other == target)
                + ([new[target][0].id] if isinstance(target, int) else []),
            }
            merged_rows.append(
                {
                    "record_id": record.id,
                    "place_id": place_id,
                    "score": reasons.get("probabilite", 1.0),
                    "reasons": reasons,
                    "status": "merged",
                    "created_at": now,
                }
            )
        await save_state(session, [new[i][0] for i in followers])
        await insert_rows(session, MatchCandidate, merged_rows)
        counts["merged"] += len(merged_rows)
        for place_id in touched:
            await refresh_for_run(session, run, place_id, counts)
        # The index as the batch left it: the new places, and who describes each place now.
        for group in outcome.groups:
            indexes = [node[1] for node in group if node[0] == "r"]
            place_id = new[indexes[0]][0].place_id
            if place_id is None:
                continue
            known = run.candidates.profile(place_id)
            if known is None and len(indexes) == 1:  # a new place of one record: as the record describes it
                run.candidates.add(place_id, incoming[indexes[0]].features, {incoming[indexes[0]].origin})
                continue
            features = known or incoming[min(indexes)].features
            keys = set(features.di_keys).union(*(incoming[i].features.di_keys for i in indexes))
            hinted = set(features.hinted).union(*(incoming[i].features.hinted for i in indexes))
            producers = set(features.producers).union(*(incoming[i].features.producers for i in indexes))
            run.candidates.add(
                place_id,
                replace(
                    features,
                    di_keys=frozenset(keys),
                    hinted=frozenset(hinted),
                    producers=frozenset(producers),
                ),
                run.candidates.origins(place_id) | {incoming[i].origin for i in indexes},
            )
        reviews = []
        for i, other, reasons, probability in outcome.reviews:
            place_id = other[1] if other[0] == "p" else new[other[1]][0].place_id
            if place_id and place_id != new[i][0].place_id:
                reviews.append(
                    {
                        "record_id": new[i][0].id,
                        "place_id": place_id,
                        "score": round(probability, 4),
                        "reasons": reasons,
                        "status": "pending",
                        "created_at": now,
                    }
                )
        counts["for_review"] += len(reviews)
        await insert_rows(session, MatchCandidate, reviews)
        await session.flush()
        if outcome.bridges:  # two places the batch says are one: merged or proposed (place_merges.py)
            await place_merges.bridged(session, run, outcome.bridges, counts)
