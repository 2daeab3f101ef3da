"""La Coop de la médiation numérique, API v1 (OpenAPI « La coop - API » 1.0.0).

- authentication: `Authorization: Bearer <client-id>:<client-secret>` (the API's ClientAuth scheme); the
  token is a setting, sent only to the configured host, never logged (httpx logs the URL, not the
  headers);
- lists (`/activites`, `/structures`): JSON:API-like `{"data": [...], "links": {"next"}, "meta":
  {"has_next_page"}}`, cursor paging with `page[size]` (≤ 500) and `page[after]`; the cursor is taken from
  `links.next` but the request always goes to the configured base URL (a link cannot send the token
  elsewhere);
- `/statistiques`: `{"data": {"attributes": {"totaux": {...}}}}` with `filter[du]`, `filter[au]`,
  `filter[departements]`, `filter[conseiller_numerique]`."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from fne_observatory.upstream import UpstreamUnavailable, with_retries

PAGE_SIZE = 500
MAX_PAGES = 10_000  # a runaway cursor stops here rather than looping forever
NAME = "La Coop de la médiation numérique"


@dataclass(frozen=True)
class CoopActivity:
    type: str  # individuel | demarche_administrative | collectif
    accompagnements: float
    day: date
    type_lieu: str
    structure_id: str | None
    code_insee: str | None
    thematiques: frozenset[str]


class CoopClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        timeout: float,
        retries: int,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.timeout, self.retries, self.transport = timeout, retries, transport

    def __repr__(self) -> str:  # never the token
        return f"CoopClient({self.base_url!r})"

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self._token)

    async def _get(self, path: str, params: dict[str, str]) -> Any:
        async def call() -> Any:
            async with httpx.AsyncClient(
                base_url=self.base_url,
                timeout=self.timeout,
                transport=self.transport,
                headers={"Authorization": f"Bearer {self._token}"},
            ) as client:
                response = await client.get(path, params=params)
                if response.status_code in (401, 403):
                    raise UpstreamUnavailable(
                        f"{NAME} : accès refusé (identifiants client-id:client-secret ?)",
                        upstream="coop",
                        upstream_status=response.status_code,
                    )
                response.raise_for_status()
                try:
                    return response.json()
                except ValueError as exc:
                    raise UpstreamUnavailable(f"{NAME} : réponse illisible", upstream="coop") from exc

        return await with_retries("coop", self.retries + 1, call)

    async def _all(
        self, path: str, filters: dict[str, str], item: Callable[[dict[str, Any]], Any]
    ) -> list[Any]:
        found: list[Any] = []
        params = {"page[size]": str(PAGE_SIZE), **filters}
        for _ in range(MAX_PAGES):
            body = await self._get(path, params)
            try:
                found += [item(entry) for entry in body["data"]]
                has_next = bool(body.get("meta", {}).get("has_next_page"))
                next_link = (body.get("links") or {}).get("next")
            except (KeyError, TypeError, ValueError) as exc:
                raise UpstreamUnavailable(f"{NAME} : {path} illisible", upstream="coop") from exc
            if not has_next or not next_link:
                return found
            cursor = parse_qs(urlsplit(str(next_link)).query).get("page[after]")
            if not cursor:
                raise UpstreamUnavailable(f"{NAME} : {path} sans curseur de page suivante", upstream="coop")
            params = {**params, "page[after]": cursor[0]}
        raise UpstreamUnavailable(f"{NAME} : {path} ne finit pas", upstream="coop")

    async def structures(self) -> dict[str, str | None]:
        """Structure id → INSEE code of its commune (deleted ones included: old activities cite them)."""
        rows = await self._all(
            "/structures", {}, lambda entry: (str(entry["id"]), entry["attributes"].get("code_insee"))
        )
        return dict(rows)

    async def activities(self, created_since: datetime) -> list[CoopActivity]:
        """Activities created since the moment, deleted ones left out."""

        def activity(entry: dict[str, Any]) -> CoopActivity | None:
            attributes = entry["attributes"]
            if attributes.get("suppression"):
                return None
            return CoopActivity(
                str(attributes["type"]),
                float(attributes["accompagnements"] or 0),
                date.fromisoformat(str(attributes["date"])[:10]),
                str(attributes["type_lieu"]),
                attributes.get("structure_id"),
                attributes.get("lieu_code_insee"),
                frozenset(attributes.get("thematiques") or ()),
            )

        filters = {"filter[creation][depuis]": created_since.strftime("%Y-%m-%dT%H:%M:%SZ")}
        return [found for found in await self._all("/activites", filters, activity) if found is not None]

    async def beneficiaries(self, department: str, year: int, conseiller_numerique: bool) -> int:
        body = await self._get(
            "/statistiques",
            {
                "filter[du]": f"{year}-01-01",
                "filter[au]": f"{year}-12-31",
                "filter[departements]": department,
                "filter[conseiller_numerique]": "1" if conseiller_numerique else "0",
            },
        )
        try:
            return int(body["data"]["attributes"]["totaux"]["beneficiaires"]["total"])
        except (KeyError, TypeError, ValueError) as exc:
            raise UpstreamUnavailable(f"{NAME} : statistiques illisibles", upstream="coop") from exc
