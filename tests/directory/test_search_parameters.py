"""The search route reads its query string in one pass (dependencies.search_request) while FastAPI's declared
parameters document it: both readings must give the same search, page and facets flag, and the same errors in
the same order, for any query string."""

from dataclasses import asdict
from typing import Any

import pytest
from fastapi import FastAPI, Request
from httpx import ASGITransport, AsyncClient

from fne_directory.places.dependencies import _MODEL_OF, PlaceQueryDep, SearchPageParams, search_request
from fne_directory.places.query import PlaceQuery
from fne_kernel.errors import install_error_handlers
from fne_kernel.pagination import PageRequest

VALID = [
    "",
    "q=m%C3%A9diath%C3%A8que&size=20",
    "departement=73&departement=74&services=Aide%20aux%20d%C3%A9marches%20administratives&facettes=true",
    "typologie=BIB&typologie=EPN&frais_a_charge=Gratuit&fraicheur=a_jour&fraicheur=a_surveiller&page=3",
    "lat=45.57&lon=5.92&rayon_km=10&tri=distance",
    "bbox=5.8,45.5,6.0,45.7&tri=nom",
    "ouvert_a=2026-12-04T10:00:00%2B01:00&departement=73",
    "code_insee=73065&epci=200069110&facettes=1&size=5",
    "q=&departement=",
    "lat=1&lat=2&lon=3",  # a single value given twice: the last one
    "unknown=1&page=2",
]
# Errors: of the search, of the page, of the facets flag, alone and together, and checks of the values.
INVALID = [
    "lat=abc",
    "lat=1",
    "rayon_km=5",
    "page=0",
    "page=0&lat=abc",
    "page=abc&size=0&facettes=peut-etre",
    "page=600&size=20&lat=abc",
    "page=600&size=20&facettes=peut-etre",
    "facettes=peut-etre",
    "size=500",
    "services=Inconnu&services=Autre",
    "ouvert_a=2026-12-01T10:00",
    "ouvert_a=demain",
    "bbox=1,2,3",
    "bbox=6,45,5,46",
    "lat=100&lon=500&rayon_km=0",
    "fraicheur=vieux&page=abc",
    "tri=au_hasard",
    "q=" + "x" * 201,
]


def _described(query: PlaceQuery, paging: PageRequest, with_facets: bool) -> dict[str, Any]:
    return {"query": repr(asdict(query)), "page": paging.page, "size": paging.size, "facettes": with_facets}


def _app(one_pass: bool) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    if one_pass:

        @app.get("/lieux")
        async def read_in_one_pass(request: Request) -> dict[str, Any]:
            return _described(*search_request(request))

    else:

        @app.get("/lieux")
        async def read_as_declared(
            query: PlaceQueryDep, paging: SearchPageParams, facettes: bool = False
        ) -> dict[str, Any]:
            return _described(query, paging, facettes)

    return app


@pytest.mark.parametrize("query_string", VALID + INVALID)
async def test_the_query_string_read_in_one_pass_is_read_as_fastapi_reads_the_declared_parameters(
    query_string: str,
) -> None:
    answers = []
    for one_pass in (False, True):
        transport = ASGITransport(app=_app(one_pass))
        async with AsyncClient(transport=transport, base_url="http://directory") as client:
            response = await client.get(f"/lieux?{query_string}")
        body = response.json()
        body.pop("instance", None)
        body.pop("request_id", None)
        answers.append((response.status_code, body))
    assert answers[1] == answers[0]
    assert answers[0][0] == (200 if query_string in VALID else 422)


async def test_the_documented_parameters_are_those_read_in_one_pass(directory: AsyncClient) -> None:
    """The route that serves searches is hidden; the documented one must describe what it reads
    (docs/architecture.md, "Rules of the house")."""
    document = (await directory.get("/openapi.json")).json()
    documented = {parameter["name"] for parameter in document["paths"]["/lieux"]["get"]["parameters"]}
    assert documented == set(_MODEL_OF)
