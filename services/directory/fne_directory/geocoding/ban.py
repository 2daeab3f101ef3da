"""The national address base (BAN) geocoder: an address in a commune → coordinates, or nothing.

Wire format: GET {url}?q=…&citycode=…&postcode=…&limit=1 → a GeoJSON FeatureCollection whose features carry
`properties.score`, `properties.type` and `properties.citycode`. Served by the Géoplateforme
(data.geopf.fr/geocodage/search) and, historically, api-adresse.data.gouv.fr/search/.
"""

import asyncio
from collections import OrderedDict

import httpx

from fne_kernel.logging import get_logger

logger = get_logger("fne.directory.geocoding")
# Below this score the BAN's answer is more often another street than the right address.
MIN_SCORE = 0.6
PRECISE_TYPES = frozenset({"housenumber", "street", "locality"})


class BanGeocoder:
    def __init__(
        self,
        url: str,
        *,
        timeout: float = 3.0,
        retries: int = 1,
        cache_size: int = 10_000,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = url
        self.retries = retries
        self._client = httpx.AsyncClient(
            timeout=timeout, transport=transport, headers={"User-Agent": "fne-savoie-annuaire"}
        )
        self._cache: OrderedDict[tuple[str, str, str], tuple[float, float] | None] = OrderedDict()
        self._cache_size = cache_size

    async def __call__(self, adresse: str, code_postal: str, code_insee: str) -> tuple[float, float] | None:
        key = (adresse.strip().lower(), code_postal, code_insee)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        found = await self._lookup(adresse, code_postal, code_insee)
        self._cache[key] = found
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return found

    async def _lookup(self, adresse: str, code_postal: str, code_insee: str) -> tuple[float, float] | None:
        params = {"q": adresse, "citycode": code_insee, "postcode": code_postal, "limit": "1"}
        for attempt in range(self.retries + 1):
            try:
                response = await self._client.get(self.url, params=params)
                if response.status_code >= 500 or response.status_code == 429:
                    raise httpx.HTTPStatusError("retryable", request=response.request, response=response)
                response.raise_for_status()
                return self._best(response.json(), code_insee)
            except (httpx.HTTPError, ValueError) as exc:
                if attempt == self.retries:
                    # Geocoding is a convenience: the place is kept at its commune's point, flagged
                    # approximate.
                    logger.warning(
                        "geocoding failed", extra={"error": type(exc).__name__, "code_insee": code_insee}
                    )
                    return None
                await asyncio.sleep(0.2 * (attempt + 1))
        return None

    @staticmethod
    def _best(collection: dict, code_insee: str) -> tuple[float, float] | None:
        for feature in collection.get("features") or []:
            properties = feature.get("properties") or {}
            if (
                properties.get("score", 0) >= MIN_SCORE
                and properties.get("type") in PRECISE_TYPES
                and properties.get("citycode") == code_insee
            ):
                longitude, latitude = feature["geometry"]["coordinates"][:2]
                return float(latitude), float(longitude)
        return None

    async def close(self) -> None:
        await self._client.aclose()
