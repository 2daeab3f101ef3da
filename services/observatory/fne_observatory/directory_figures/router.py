from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from fne_kernel.access import public
from fne_kernel.db import SessionDep, utcnow
from fne_kernel.pagination import Page, PageParams
from fne_observatory.dependencies import ParentParam, Writer, actor_name
from fne_observatory.directory_figures import service
from fne_observatory.directory_figures.travel import OsrmTable
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
    settings = app.state.settings
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
            app.state.sessions,
            app.state.directory_client,
            app.state.osrm_factory(),
            reach_minutes=settings.access_minutes,
            mountain=set(settings.mountain_departements),
            perimeter=perimeter,
            today=utcnow().date(),
            progress=progress,
        )
        return lambda store_session: service.store(store_session, prepared, actor_label)

    jobs.started(request, session, response, job, work)
    return await jobs.job_out(session, job)


class WhiteZone(BaseModel):
    code: str
    nom: str
    population: int | None
    periode: str
    minutes: float | None = Field(
        description="Temps jusqu'au conseiller numérique le plus proche ; absent quand "
        "aucun n'est à portée de route"
    )
    methode: str | None = Field(description="osrm ou estimation")
    classe: str = Field(
        description="Classe du temps d'accès, comme sur la carte des temps d'accès : « 20 à 30 min », "
        "« plus de 60 min », « aucun conseiller numérique à portée de route »"
    )


@router.get("/acces/zones-blanches", dependencies=[Depends(public)])
async def white_zones(
    request: Request, session: SessionDep, parent: ParentParam, pagination: PageParams
) -> Page[WhiteZone]:
    """Communes beyond reach of a conseiller numérique at the latest computation, with their minutes and
    their access-time class."""
    thresholds = access_thresholds(request.app.state.settings.access_minutes)
    zones, total = await service.white_zones(session, parent, pagination.size, pagination.offset, thresholds)
    return Page.of([WhiteZone.model_validate(zone) for zone in zones], total, pagination)


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
