from fastapi import APIRouter, Depends, Request, Response

from fne_kernel.access import public
from fne_kernel.db import SessionDep, app_sessions, utcnow
from fne_kernel.pagination import Page, PageParams
from fne_observatory.access import Writer, actor_name
from fne_observatory.dependencies import (
    ObservatorySettings,
    ParentParam,
    directory_client_of,
    osrm_factory_of,
    settings_of,
)
from fne_observatory.directory_figures import service
from fne_observatory.directory_figures.schemas import WhiteZone
from fne_observatory.jobs import service as jobs
from fne_observatory.jobs.models import ComputationKind
from fne_observatory.jobs.schemas import JobOut
from fne_observatory.publication.maps import access_thresholds

router = APIRouter(tags=["annuaire"])


@router.post(
    "/calculs/annuaire",
    status_code=202,
    responses={
        202: {"description": "Calcul lancé : suivez-le à l'adresse donnée (Location)"},
        409: {"description": "Un calcul de l'annuaire est déjà en cours"},
    },
)
async def compute_directory_indicators(
    request: Request, response: Response, actor: Writer, session: SessionDep
) -> JobOut:
    """Start computing this month's directory indicators for the communes the directory serves (places,
    programmes, freshness, access time to a conseiller numérique); follow the job at its Location."""
    app = request.app
    settings = settings_of(app)
    perimeter = list(settings.directory_departements)
    job = await jobs.start_job(
        session,
        ComputationKind.DIRECTORY,
        {"perimetre": perimeter, "seuil_minutes": settings.access_minutes},
        actor_name(actor),
    )
    actor_label = actor_name(actor)

    async def work(progress: jobs.Progress) -> jobs.Store:
        prepared = await service.prepare(
            app_sessions(app),
            directory_client_of(app),
            osrm_factory_of(app)(),
            reach_minutes=settings.access_minutes,
            mountain=set(settings.mountain_departements),
            perimeter=perimeter,
            today=utcnow().date(),
            progress=progress,
        )
        return lambda store_session: service.store(store_session, prepared, actor_label)

    jobs.started(request, session, response, job, work)
    return await jobs.job_out(session, job)


@router.get("/acces/zones-blanches", dependencies=[Depends(public)])
async def white_zones(
    settings: ObservatorySettings, session: SessionDep, parent: ParentParam, pagination: PageParams
) -> Page[WhiteZone]:
    """Communes beyond reach of a conseiller numérique at the latest computation, with their minutes and
    their access-time class."""
    thresholds = access_thresholds(settings.access_minutes)
    zones, total = await service.white_zones(session, parent, pagination.size, pagination.offset, thresholds)
    return Page.of([WhiteZone.model_validate(zone) for zone in zones], total, pagination)
