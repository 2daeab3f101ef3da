import gzip
import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response

from fne_kernel.access import public
from fne_kernel.db import SessionDep
from fne_kernel.pagination import Page, PageParams
from fne_observatory.access import Writer
from fne_observatory.dependencies import ParentParam
from fne_observatory.indicators.values import refresh_grouping
from fne_observatory.territories import service
from fne_observatory.territories.models import Level
from fne_observatory.territories.schemas import (
    GroupingIn,
    GroupingUpdate,
    TerritoryOut,
    TerritorySourceOut,
)

router = APIRouter(prefix="/territoires", tags=["territoires"])
Code = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,40}$", examples=["73065"])]
GroupingCode = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$")]


@router.get("", dependencies=[Depends(public)])
async def list_territories(
    session: SessionDep,
    pagination: PageParams,
    parent: ParentParam,
    niveau: Level | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Nom ou code")] = None,
) -> Page[TerritoryOut]:
    """Search territories by level, name or code, inside a territory (`dans=departement:73`)."""
    found, total = await service.search_territories(
        session, niveau, q, parent, pagination.size, pagination.offset
    )
    return Page.of(
        [await service.territory_out(session, territory) for territory in found], total, pagination
    )


@router.get("/sources", dependencies=[Depends(public)])
async def territory_sources(session: SessionDep) -> list[TerritorySourceOut]:
    """Where the territories come from: package, release, vintage (COG, populations), departments loaded."""
    return [
        TerritorySourceOut(
            jeu=dataset.name,
            paquet=dataset.package,
            version=dataset.package_version,
            millesime=dataset.vintage,
            perimetre=dataset.scope,
            charge_le=dataset.loaded_at.isoformat(),
            territoires=dataset.row_count,
        )
        for dataset in await service.sources(session)
    ]


@router.get(
    "/contours",
    dependencies=[Depends(public)],
    response_class=Response,
    responses={
        200: {
            "content": {"application/geo+json": {}},
            "description": "FeatureCollection (RFC 7946) : code et nom de chaque territoire",
        },
        304: {"description": "Contours inchangés depuis l'ETag donné"},
    },
)
async def territory_outlines(
    request: Request,
    session: SessionDep,
    parent: ParentParam,
    niveau: Level = Level.COMMUNE,
    zoom: Annotated[int, Query(ge=0, le=20, description="Zoom de la carte web")] = 9,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Outlines of a level's territories (inside `dans`), simplified for the zoom: a map's base layer."""
    body = await service.outlines(session, niveau, parent, zoom)
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Vary": "Accept-Encoding", "Cache-Control": "public, max-age=300"}
    if if_none_match == etag:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(
            gzip.compress(body, compresslevel=6),
            media_type="application/geo+json",
            headers={**headers, "Content-Encoding": "gzip"},
        )
    return Response(body, media_type="application/geo+json", headers=headers)


@router.get(
    "/{niveau}/{code}",
    dependencies=[Depends(public)],
    responses={404: {"description": "Aucun territoire de ce niveau et de ce code"}},
)
async def read_territory(niveau: Level, code: Code, session: SessionDep) -> TerritoryOut:
    """One territory; a groupement with its members."""
    return await service.territory_out(session, await service.get_territory(session, niveau, code))


@router.post("/groupements", status_code=201)
async def create_grouping(
    body: GroupingIn, _: Writer, session: SessionDep, response: Response
) -> TerritoryOut:
    """Define a groupement of communes or EPCIs (a valley, a bassin de vie); its values follow at once."""
    territory = await service.create_grouping(session, body)
    await refresh_grouping(session, territory.code)
    response.headers["Location"] = f"/territoires/groupement/{territory.code}"
    return await service.territory_out(session, territory)


@router.put("/groupements/{code}")
async def update_grouping(
    code: GroupingCode, body: GroupingUpdate, _: Writer, session: SessionDep
) -> TerritoryOut:
    """Redraw a groupement: name, description, members; its values are recomputed."""
    territory = await service.update_grouping(session, code, body)
    await refresh_grouping(session, code)
    return await service.territory_out(session, territory)


@router.delete("/groupements/{code}", status_code=204)
async def delete_grouping(code: GroupingCode, _: Writer, session: SessionDep) -> Response:
    """Delete a groupement and its values."""
    await service.delete_grouping(session, code)
    await refresh_grouping(session, code)
    return Response(status_code=204)
