from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from fne_kernel.access import public
from fne_kernel.db import SessionDep, utcnow
from fne_observatory.access import Writer, actor_name
from fne_observatory.computed import service
from fne_observatory.computed.definitions import Source
from fne_observatory.computed.schemas import ComputedIndicatorOut, RefreshOut
from fne_observatory.dependencies import (
    ObservatorySettings,
    computed_settings_of,
    roadmap_sources_of,
    settings_of,
)
from fne_observatory.imports.service import import_out

router = APIRouter(tags=["feuille de route"])


@router.post(
    "/calculs/feuille-de-route",
    status_code=201,
    responses={
        502: {"description": "Une source injoignable ou illisible : rien n'est enregistré"},
        409: {"description": "Source demandée mais non configurée"},
    },
)
async def compute_roadmap(
    request: Request,
    actor: Writer,
    session: SessionDep,
    source: Annotated[list[Source], Query(description="Sources à calculer (toutes par défaut)")] = [],  # noqa: B006
) -> RefreshOut:
    """Compute now the roadmap indicators the data answer (directory, network, Coop, committees)."""
    app = request.app
    outcome = await service.refresh(
        session,
        roadmap_sources_of(app),
        source or list(Source.__members__.values()),
        focus=settings_of(app).focus_departement,
        coop_since=computed_settings_of(app).coop_since,
        actor=actor_name(actor),
        today=utcnow().date(),
        explicit=bool(source),
    )
    return RefreshOut(
        calculs=[import_out(item) for item in outcome.computed], sources_ignorees=outcome.skipped
    )


@router.get("/feuille-de-route/indicateurs-calcules", dependencies=[Depends(public)])
async def computed_indicators(
    settings: ObservatorySettings, session: SessionDep
) -> list[ComputedIndicatorOut]:
    """The roadmap indicators computed from live data: source, formula, latest value, time of computation."""
    return [
        ComputedIndicatorOut.model_validate(item)
        for item in await service.computed_list(session, settings.focus_departement)
    ]
