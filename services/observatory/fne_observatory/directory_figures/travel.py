"""Travel times by car from each commune to the nearest place of a kind: from a routing engine (OSRM's `table`
service) when one is configured, otherwise estimated.

The estimate (issue #12: within ±30 % of road times for ordinary Savoie trips). From the commune's reference
point (its town hall) to the nearest place as the crow flies, distance d (haversine, km):

    road distance D = d × detour
    minutes = ACCESS + D ÷ speed(D) × 60  (× 1 ÷ MOUNTAIN_RURAL_FACTOR from a rural mountain commune)

- detour factor: 1.3 — the ratio of road to straight-line distance usually measured between French towns —
  and 1.4 in the zone de montagne, where roads follow valleys;
- ACCESS: 4 minutes to leave the town and park;
- speed after the trip's length, not the origin's density (a trip from a dense town is mostly out of it):
  45 km/h under 8 km of road (local streets and roads), 70 km/h up to 20 km (main roads), 85 km/h beyond
  (the valleys' expressways and motorways: N90, A43, A41);
- from a rural commune (under 100 inhabitants/km²) of the zone de montagne, speeds × 0.75: hairpins and
  mountain roads down to the valley.

Checked against road times (tests/observatory/test_travel.py): Aix-les-Bains → Chambéry 13.8 km as the crow
flies, 17 min by road, estimated 20.5; Albertville → Moûtiers 23.8 km, 25 min, estimated 27.5; Le
Pont-de-Beauvoisin → Chambéry 19.5 km, 30 min, estimated 23.3; Saint-Martin-de-Belleville → Moûtiers
10.5 km, 20 min, estimated 20.8. The previous estimate (speed after the origin's density, × 0.7 in the
mountains) gave 63 and 108 minutes for the first two. Ski resorts at the end of long hairpin roads remain the
weakest case; OSRM on an OpenStreetMap extract (deploy/README.md: compose profile `osrm`,
deploy/kubernetes/osrm) gives real road times and replaces the estimate when configured. Every value says
which it is.
"""

from dataclasses import dataclass
from typing import Any

import httpx
import numpy as np
import shapely

from fne_observatory.upstream import UpstreamUnavailable, with_retries

EARTH_RADIUS_KM = 6371.0088
DETOUR = 1.3
MOUNTAIN_DETOUR = 1.4
ACCESS_MINUTES = 4.0
SPEEDS = ((20.0, 85.0), (8.0, 70.0), (0.0, 45.0))  # (road km from, km/h)
RURAL_DENSITY = 100.0
MOUNTAIN_RURAL_FACTOR = 0.75
ESTIMATE, OSRM = "estimation", "osrm"
KM_PER_DEGREE = 111.2
# What OSRM is asked about. Within the threshold, every place a car could reach at motorway speed; beyond it,
# the places up to 1.5 × the nearest one as the crow flies (a road detour rarely exceeds that, even across a
# ridge), so that a commune out of reach still gets its time.
MAX_ROAD_SPEED_KMH = 130.0
FAR_MARGIN = 1.5


@dataclass(frozen=True)
class Origin:
    code: str
    latitude: float
    longitude: float
    density: float  # inhabitants per km²
    mountain: bool


@dataclass(frozen=True)
class Destination:
    latitude: float
    longitude: float


def speed_kmh(origin: Origin, road_km: float) -> float:
    speed = next(kmh for threshold, kmh in SPEEDS if road_km >= threshold)
    return speed * MOUNTAIN_RURAL_FACTOR if origin.mountain and origin.density < RURAL_DENSITY else speed


def estimated_minutes(origin: Origin, distance_km: float) -> float:
    road_km = distance_km * (MOUNTAIN_DETOUR if origin.mountain else DETOUR)
    return ACCESS_MINUTES + road_km / speed_kmh(origin, road_km) * 60


def haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi, dlambda = phi2 - phi1, np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def _planar(latitudes: np.ndarray, longitudes: np.ndarray) -> np.ndarray:
    """Sinusoidal projection, in degrees of latitude: distances are nearly true over tens of kilometres, so
    the planar nearest neighbour is the nearest on the ground."""
    return shapely.points(longitudes * np.cos(np.radians(latitudes)), latitudes)


class NearbyDestinations:
    """Destinations indexed in space (an STR-tree), for the nearest ones of each origin."""

    def __init__(self, destinations: list[Destination]) -> None:
        self.latitudes = np.array([d.latitude for d in destinations])
        self.longitudes = np.array([d.longitude for d in destinations])
        self.tree = shapely.STRtree(_planar(self.latitudes, self.longitudes)) if destinations else None

    def _points(self, origins: list[Origin]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        latitudes = np.array([o.latitude for o in origins])
        longitudes = np.array([o.longitude for o in origins])
        return latitudes, longitudes, _planar(latitudes, longitudes)

    def within(self, origins: list[Origin], radius_km: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(origin index, destination index, straight-line km) of every pair within `radius_km`."""
        if self.tree is None or not origins:
            empty = np.array([], dtype=int)
            return empty, empty, np.array([])
        latitudes, longitudes, points = self._points(origins)
        pairs = self.tree.query(points, predicate="dwithin", distance=radius_km / KM_PER_DEGREE * 1.01)
        distances = haversine_km(
            latitudes[pairs[0]], longitudes[pairs[0]], self.latitudes[pairs[1]], self.longitudes[pairs[1]]
        )
        close = distances <= radius_km
        return pairs[0][close], pairs[1][close], distances[close]

    def nearest_km(self, origins: list[Origin]) -> list[float | None]:
        """Each origin's straight-line distance to its nearest destination, however far."""
        if self.tree is None or not origins:
            return [None] * len(origins)
        latitudes, longitudes, points = self._points(origins)
        origin_index, destination_index = self.tree.query_nearest(points, all_matches=False)
        distances = haversine_km(
            latitudes[origin_index],
            longitudes[origin_index],
            self.latitudes[destination_index],
            self.longitudes[destination_index],
        )
        found: list[float | None] = [None] * len(origins)
        for origin, distance in zip(origin_index, distances, strict=True):
            found[int(origin)] = float(distance)
        return found


def estimate(origins: list[Origin], destinations: list[Destination]) -> list[float | None]:
    """Minutes from each origin to its nearest destination; None when there is no destination at all."""
    distances = NearbyDestinations(destinations).nearest_km(origins)
    return [
        None if distance is None else estimated_minutes(origin, distance)
        for origin, distance in zip(origins, distances, strict=True)
    ]


class OsrmTable:
    """OSRM's table service: `GET
    /table/v1/driving/{lon,lat;…}?sources=…&destinations=…&annotations=duration`, answering `{"code": "Ok",
    "durations": [[seconds or null, …], …]}`. Requests stay within the server's `--max-table-size` (locations
    per request); each batch of origins is asked only about the destinations that could be its nearest (see
    MAX_ROAD_SPEED_KMH and FAR_MARGIN)."""

    def __init__(
        self,
        base_url: str,
        timeout: float,
        retries: int,
        max_locations: int = 100,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self.max_locations = max_locations
        self.transport = transport
        self.requests = 0

    async def _durations(
        self, client: httpx.AsyncClient, sources: list[Origin], targets: list[Destination]
    ) -> list[list[float | None]]:
        coordinates = (
            ";".join(f"{o.longitude:.6f},{o.latitude:.6f}" for o in sources)
            + ";"
            + ";".join(f"{d.longitude:.6f},{d.latitude:.6f}" for d in targets)
        )
        params = {
            "sources": ";".join(str(i) for i in range(len(sources))),
            "destinations": ";".join(str(len(sources) + i) for i in range(len(targets))),
            "annotations": "duration",
        }

        async def call() -> list[list[float | None]]:
            self.requests += 1
            response = await client.get(f"/table/v1/driving/{coordinates}", params=params)
            response.raise_for_status()
            body = response.json()
            if body.get("code") != "Ok":
                raise UpstreamUnavailable(
                    f"OSRM : {body.get('code')} {body.get('message', '')}".strip(), upstream="osrm"
                )
            return body["durations"]

        return await with_retries("osrm", self.retries + 1, call)

    async def minutes(
        self, origins: list[Origin], destinations: list[Destination], reach_minutes: float
    ) -> list[float | None]:
        """Minutes from each origin to its nearest destination by road; None when the router finds no route
        (or there is no destination)."""
        index = NearbyDestinations(destinations)
        radius = reach_minutes / 60 * MAX_ROAD_SPEED_KMH
        nearest = index.nearest_km(origins)
        result: list[float | None] = [None] * len(origins)
        sources_per_request = max(1, self.max_locations // 4)
        targets_per_request = self.max_locations - sources_per_request
        async with httpx.AsyncClient(
            base_url=self.base_url, timeout=self.timeout, transport=self.transport
        ) as client:
            for start in range(0, len(origins), sources_per_request):
                batch = origins[start : start + sources_per_request]
                _, candidates, _ = index.within(batch, radius)
                wanted = set(candidates.tolist())
                for origin, distance in zip(batch, nearest[start : start + sources_per_request], strict=True):
                    if distance is not None and distance > radius:
                        wanted |= set(index.within([origin], distance * FAR_MARGIN)[1].tolist())
                ordered = sorted(wanted)
                for chunk_start in range(0, len(ordered), targets_per_request):
                    targets = [
                        destinations[i] for i in ordered[chunk_start : chunk_start + targets_per_request]
                    ]
                    for offset, row in enumerate(await self._durations(client, batch, targets)):
                        seconds = [value for value in row if value is not None]
                        if seconds:
                            best = min(seconds) / 60
                            current = result[start + offset]
                            result[start + offset] = best if current is None else min(current, best)
        return result


class OsrmFactory:
    """A fresh OSRM client per computation (it counts its requests for the report); None without OSRM."""

    def __init__(self, settings: Any, transport: Any = None) -> None:
        self.settings = settings
        self.transport = transport

    def __call__(self) -> OsrmTable | None:
        if not self.settings.osrm_url:
            return None
        return OsrmTable(
            self.settings.osrm_url,
            self.settings.osrm_timeout,
            self.settings.upstream_retries,
            self.settings.osrm_max_locations,
            transport=self.transport,
        )
