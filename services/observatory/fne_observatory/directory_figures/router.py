from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from fne_kernel.access import public
from fne_kernel.db import SessionDep, utcnow
from fne_kernel.pagination import Page, PageParams
from fne_observatory.dependencies import ParentParam, Writer, actor_name
from fne_observatory.directory_figures import service
from fne_observatory.directory_figures.travel import OsrmTable
from fne_observatory.imports.schemas import ImportOut
from fne_observatory.imports.service import import_out

router = APIRouter(tags=["annuaire"])


@router.post(
    "/calculs/annuaire",
    status_code=201,
    responses={502: {"description": "Annuaire ou moteur d'itinéraire injoignable : rien n'est enregistré"}},
)
async def compute_directory_indicators(request: Request, actor: Writer, session: SessionDep) -> ImportOut:
    """Compute and publish this month's directory indicators for every commune (places, programmes, freshness,
    access time to a conseiller numérique)."""
    settings = request.app.state.settings
    osrm = request.app.state.osrm_factory()
    computed = await service.compute(
        session,
        request.app.state.directory_client,
        osrm,
        reach_minutes=settings.access_minutes,
        mountain=set(settings.mountain_departements),
        actor=actor_name(actor),
        today=utcnow().date(),
    )
    return import_out(computed)


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


@router.get("/acces/zones-blanches", dependencies=[Depends(public)])
async def white_zones(session: SessionDep, parent: ParentParam, pagination: PageParams) -> Page[WhiteZone]:
    """Communes beyond reach of a conseiller numérique at the latest computation, with their minutes."""
    zones, total = await service.white_zones(session, parent, pagination.size, pagination.offset)
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
