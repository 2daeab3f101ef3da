"""Choropleth GeoJSON: each territory's outline at the zoom's simplification, its value and class.

Outlines are stored as GeoJSON text and spliced in as they are (no parsing, no re-encoding). A rendered map
is cached, gzipped, under a key that changes with the values (their computation time) and the territories
(their load time): a warm map is a dictionary look-up.
"""

import gzip
import hashlib
from collections import OrderedDict
from dataclasses import dataclass

import orjson
from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.errors import InvalidInput, field_error
from fne_observatory.indicators.models import PublishedValue, Unit
from fne_observatory.indicators.service import get_indicator
from fne_observatory.publication.classes import Method, breaks, class_labels, class_of
from fne_observatory.publication.service import (
    check_level,
    is_partial,
    population_vintage,
    resolve_period,
    sources_of,
)
from fne_observatory.territories.geometry import tier_for_zoom
from fne_observatory.territories.models import Level, Territory, TerritoryDataset, TerritoryGeometry
from fne_observatory.territories.service import within


@dataclass(frozen=True)
class MapRequest:
    indicator: str
    level: Level
    parent: tuple[Level, str] | None
    period: str | None
    zoom: int
    classes: int
    method: Method | None
    coverage_threshold: float = 0.95
    thresholds: tuple[float, ...] | None = None
    access_minutes: int = 20


def access_thresholds(reach_minutes: int) -> list[float]:
    """Classes of an access time around the reach threshold (20 min: 10, 20, 30, 40, 60 and beyond)."""
    return [reach_minutes / 2, reach_minutes, reach_minutes * 1.5, reach_minutes * 2, reach_minutes * 3]


@dataclass(frozen=True)
class RenderedMap:
    etag: str
    body: bytes
    gzipped: bytes


class MapCache:
    """The last rendered maps, by a key that embeds the data's freshness."""

    def __init__(self, capacity: int = 64) -> None:
        self.capacity = capacity
        self._maps: OrderedDict[str, RenderedMap] = OrderedDict()

    def get(self, key: str) -> RenderedMap | None:
        rendered = self._maps.get(key)
        if rendered is not None:
            self._maps.move_to_end(key)
        return rendered

    def put(self, key: str, rendered: RenderedMap) -> None:
        self._maps[key] = rendered
        if len(self._maps) > self.capacity:
            self._maps.popitem(last=False)


async def _freshness(session: AsyncSession, indicator: str, period: str) -> str:
    computed = await session.scalar(
        select(func.max(PublishedValue.computed_at)).where(
            PublishedValue.indicator_code == indicator, PublishedValue.period == period
        )
    )
    loaded = await session.scalar(select(func.max(TerritoryDataset.loaded_at)))
    groupings = await session.scalar(
        select(func.max(Territory.updated_at)).where(Territory.level == Level.GROUPING)
    )
    return f"{computed}|{loaded}|{groupings}"


async def choropleth(session: AsyncSession, cache: MapCache, request: MapRequest) -> RenderedMap:
    indicator = await get_indicator(session, request.indicator)
    check_level(indicator, request.level)
    period, _ = await resolve_period(session, indicator, request.period)
    minutes = indicator.unit == Unit.MINUTES
    # Access times are read against the reach threshold, not against each other: fixed classes by default.
    method = request.method or (Method.THRESHOLDS if minutes else Method.QUANTILES)
    thresholds = list(request.thresholds or ()) or (
        access_thresholds(request.access_minutes) if minutes else []
    )
    if method == Method.THRESHOLDS and not thresholds:
        raise InvalidInput(
            [field_error("bornes", "donnez les bornes des classes avec methode=seuils", location="query")]
        )
    tier = tier_for_zoom(request.zoom)
    parent = f"{request.parent[0].value}:{request.parent[1]}" if request.parent else ""
    key = "|".join(
        [
            request.indicator,
            request.level.value,
            parent,
            period,
            tier.value,
            str(request.classes),
            method.value,
            ",".join(map(str, thresholds)),
            str(request.coverage_threshold),
            await _freshness(session, request.indicator, period),
        ]
    )
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    cached = cache.get(etag)
    if cached is not None:
        return cached

    rows = (
        await session.execute(
            select(Territory.code, Territory.nom, TerritoryGeometry.geojson, PublishedValue)
            .join(
                TerritoryGeometry,
                and_(
                    TerritoryGeometry.level == Territory.level,
                    TerritoryGeometry.code == Territory.code,
                    TerritoryGeometry.tier == tier,
                ),
            )
            .outerjoin(
                PublishedValue,
                and_(
                    PublishedValue.territory_level == Territory.level,
                    PublishedValue.territory_code == Territory.code,
                    PublishedValue.indicator_code == request.indicator,
                    PublishedValue.period == period,
                ),
            )
            .where(*within(request.level, request.parent))
            .order_by(Territory.code)
        )
    ).all()
    threshold = request.coverage_threshold

    def published(row: PublishedValue | None) -> float | None:
        if row is None or row.secrecy is not None or is_partial(row, threshold):
            return None
        return row.value

    shown = [value for *_, row in rows if (value := published(row)) is not None]
    bounds = breaks(shown, request.classes, method, thresholds)
    single = method != Method.THRESHOLDS and len(set(shown)) <= request.classes
    counts = [0] * len(bounds)
    features = []
    for code, nom, geometry, row in rows:
        value = published(row)
        klass = class_of(value, bounds) if value is not None and bounds else None
        if klass is not None:
            counts[klass - 1] += 1
        properties = {
            "code": code,
            "nom": nom,
            "valeur": round(value, indicator.decimals + 2) if value is not None else None,
            "classe": klass,
            "secret": row.secrecy if row is not None else None,
            "statut": row.status if row is not None else None,
            "couverture": round(row.coverage, 4) if row is not None and row.coverage is not None else None,
            "donnees_partielles": row is not None and is_partial(row, threshold),
        }
        features.append(
            b'{"type":"Feature","id":'
            + orjson.dumps(code)
            + b',"geometry":'
            + geometry.encode()
            + b',"properties":'
            + orjson.dumps(properties)
            + b"}"
        )
    metadata = {
        "indicateur": {
            "code": indicator.code,
            "libelle": indicator.label,
            "unite": indicator.unit,
            "decimales": indicator.decimals,
            "polarite": indicator.polarity,
        },
        "niveau": request.level.value,
        "dans": parent or None,
        "periode": period,
        "simplification": tier.value,
        "classes": {
            "methode": method.value,
            "bornes": bounds,
            "minimum": min(shown) if shown else None,
            "effectifs": counts,
            "libelles": class_labels(
                bounds, min(shown) if shown else None, indicator.decimals, " min" if minutes else "", single
            ),
        },
        "sources": [
            source.model_dump()
            for source in await sources_of(session, {row.import_id for *_, row in rows if row is not None})
        ],
        "population_millesime": await population_vintage(session),
    }
    head = orjson.dumps({"type": "FeatureCollection", **metadata})[:-1]
    body = head + b',"features":[' + b",".join(features) + b"]}"
    rendered = RenderedMap(etag=etag, body=body, gzipped=gzip.compress(body, compresslevel=6))
    cache.put(etag, rendered)
    return rendered
