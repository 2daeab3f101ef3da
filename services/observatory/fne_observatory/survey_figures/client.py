"""The surveys service as the observatory reads it, through the gateway with an API key holding
`surveys:read` (services cannot vouch for themselves: only the gateway signs identities).

- `GET /referentiels` (public): frameworks and their dimensions' labels;
- `GET /agregats?referentiel=&territoire=commune|departement&periode=annee|trimestre|mois&departement=`:
  `{"seuil", "niveau", "periode", "cellules": [{"territoire", "referentiel", "dimension", "phase",
  "periode", "secret", "repondants", "n", "moyenne", "repartition"}]}` — `territoire` an INSEE code,
  `total` (all the query's territories) or `inconnu`; a secret cell has no figures;
- `GET /agregats/progression?…&depuis=&jusqu_a=`: `{"seuil", "niveau", "cellules": [{"territoire",
  "referentiel", "dimension", "secret", "paires", "moyenne_pre", "moyenne_post", "ecart_moyen"}]}`.
"""

from datetime import datetime
from typing import Any

import httpx

from fne_kernel.errors import InvalidInput, field_error
from fne_observatory.upstream import UpstreamUnavailable, with_retries


class SurveysClient:
    def __init__(
        self,
        base_url: str,
        api_key: str,
        timeout: float,
        retries: int,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.retries = retries
        self.transport = transport

    async def _get(self, path: str, params: dict[str, str]) -> Any:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}

        async def call() -> Any:
            async with httpx.AsyncClient(
                base_url=self.base_url, timeout=self.timeout, headers=headers, transport=self.transport
            ) as client:
                response = await client.get(path, params=params)
                if response.status_code in (401, 403):
                    raise UpstreamUnavailable(
                        "questionnaires : accès refusé (clé d'API avec surveys:read ?)",
                        upstream="questionnaires",
                        upstream_status=response.status_code,
                    )
                if response.status_code == 422:  # e.g. a period the surveys service does not publish
                    detail = response.json().get("detail", "") if response.content else ""
                    raise InvalidInput(
                        [field_error("periode", f"refusé par le service questionnaires : {detail}")]
                    )
                response.raise_for_status()
                return response.json()

        return await with_retries("questionnaires", self.retries + 1, call)

    async def frameworks(self) -> list[dict[str, Any]]:
        return await self._get("/referentiels", {})

    async def aggregates(
        self, framework: str, level: str, granularity: str, department: str | None
    ) -> dict[str, Any]:
        params = {"referentiel": framework, "territoire": level, "periode": granularity}
        if department:
            params["departement"] = department
        return await self._get("/agregats", params)

    async def progress(
        self, framework: str, level: str, department: str | None, since: datetime, until: datetime
    ) -> dict[str, Any]:
        params = {
            "referentiel": framework,
            "territoire": level,
            "depuis": since.isoformat(),
            "jusqu_a": until.isoformat(),
        }
        if department:
            params["departement"] = department
        return await self._get("/agregats/progression", params)
