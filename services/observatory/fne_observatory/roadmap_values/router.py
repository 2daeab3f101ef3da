from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from fne_kernel.access import public
from fne_kernel.db import SessionDep, utcnow
from fne_observatory.access import Writer, actor_name
from fne_observatory.dependencies import ObservatorySettings, roadmap_sources_of, settings_of
from fne_observatory.jobs import service as jobs
from fne_observatory.jobs.models import ComputationKind
from fne_observatory.jobs.schemas import JobOut
from fne_observatory.roadmap_values import service
from fne_observatory.roadmap_values.definitions import Source
from fne_observatory.roadmap_values.schemas import ComputedIndicatorOut

router = APIRouter(tags=["feuille de route"])


@router.post(
    "/calculs/feuille-de-route",
    status_code=202,
    responses={
        202: {"description": "Calcul lancé : suivez-le à l'adresse donnée (Location)"},
        409: {"description": "Source demandée mais non configurée, ou un calcul déjà en cours"},
    },
)
async def compute_roadmap(
    request: Request,
    response: Response,
    actor: Writer,
    session: SessionDep,
    source: Annotated[list[Source], Query(description="Sources à calculer (toutes par défaut)")] = [],  # noqa: B006
) -> JobOut:
    """Start computing the roadmap indicators the data answer (directory, network, Coop, committees); follow
    the job at its Location."""
    app = request.app
    wanted, skipped = service.planned(
        roadmap_sources_of(app), source or list(Source.__members__.values()), explicit=bool(source)
    )
    job = await jobs.start_job(
        session,
        ComputationKind.ROADMAP,
        {"sources": [item.value for item in wanted], "ignorees": skipped},
        actor_name(actor),
    )
    work = service.job_work(
        roadmap_sources_of(app),
        wanted,
        skipped,
        focus=settings_of(app).focus_departement,
        coop_since=settings_of(app).coop_since,
        actor=actor_name(actor),
        today=utcnow().date(),
    )
    jobs.started(request, session, response, job, work)
    return await jobs.job_out(session, job)


@router.get("/feuille-de-route/indicateurs-calcules", dependencies=[Depends(public)])
async def computed_indicators(
    settings: ObservatorySettings, session: SessionDep
) -> list[ComputedIndicatorOut]:
    """The roadmap indicators computed from live data: source, formula, latest value, time of computation."""
    return [
        ComputedIndicatorOut.model_validate(item)
        for item in await service.computed_list(session, settings.focus_departement)
    ]
