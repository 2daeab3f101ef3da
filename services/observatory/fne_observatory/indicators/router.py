from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from fne_kernel.access import public
from fne_kernel.db import SessionDep
from fne_kernel.pagination import Page, PageParams
from fne_observatory.access import Writer
from fne_observatory.indicators import service
from fne_observatory.indicators.schemas import IndicatorBody, IndicatorIn, IndicatorOut

router = APIRouter(prefix="/indicateurs", tags=["indicateurs"])
IndicatorCode = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_.-]{1,79}$", examples=["ifn_total"])]


@router.get("", dependencies=[Depends(public)])
async def list_indicators(
    session: SessionDep,
    pagination: PageParams,
    theme: Annotated[str | None, Query(max_length=80)] = None,
    objectif: Annotated[int | None, Query(ge=1, le=21)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[IndicatorOut]:
    """The indicator catalogue, by theme or roadmap objective."""
    items, total = await service.list_indicators(
        session, theme, objectif, q, pagination.size, pagination.offset
    )
    return Page.of(items, total, pagination)


@router.get("/{code}", dependencies=[Depends(public)], responses={404: {"description": "Indicateur inconnu"}})
async def read_indicator(code: IndicatorCode, session: SessionDep) -> IndicatorOut:
    """One indicator's definition: unit, source, method, levels, periodicity, polarity, aggregation rule."""
    return await service.indicator_out_by_code(session, code)


@router.post("", status_code=201)
async def create_indicator(
    body: IndicatorIn, _: Writer, session: SessionDep, response: Response
) -> IndicatorOut:
    """Add an indicator to the catalogue (values then come from imports)."""
    indicator = await service.create_indicator(session, body)
    response.headers["Location"] = f"/indicateurs/{indicator.code}"
    return await service.indicator_out_by_code(session, indicator.code)


@router.put("/{code}")
async def update_indicator(
    code: IndicatorCode, body: IndicatorBody, _: Writer, session: SessionDep
) -> IndicatorOut:
    """Change an indicator's definition (its aggregation, unit and scale only while it has no values)."""
    await service.update_indicator(session, code, body)
    return await service.indicator_out_by_code(session, code)
