from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from fne_kernel.access import public
from fne_kernel.db import SessionDep, utcnow
from fne_observatory.computed import service
from fne_observatory.computed.definitions import Source
from fne_observatory.dependencies import Writer, actor_name
from fne_observatory.imports.schemas import ImportOut
from fne_observatory.imports.service import import_out

router = APIRouter(tags=["feuille de route"])


class RefreshOut(BaseModel):
    calculs: list[ImportOut] = Field(description="Un jeu calculé et publié par source")
    sources_ignorees: dict[str, str] = Field(description="Sources non calculées, et pourquoi")


class ComputedIndicatorOut(BaseModel):
    indicateur: str = Field(description="Indicateur de la feuille de route (ex. 7.2)")
    libelle: str
    indicateur_catalogue: str
    indicateur_catalogue_libelle: str
    source: str
    formule: str
    periode: str | None = Field(description="Période de la dernière valeur du département suivi")
    valeur: float | None
    calcule_le: datetime | None


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
    state = request.app.state
    outcome = await service.refresh(
        session,
        state.roadmap_sources,
        source or list(Source.__members__.values()),
        focus=state.settings.focus_departement,
        coop_since=state.computed_settings.coop_since,
        actor=actor_name(actor),
        today=utcnow().date(),
        explicit=bool(source),
    )
    return RefreshOut(
        calculs=[import_out(item) for item in outcome.computed], sources_ignorees=outcome.skipped
    )


@router.get("/feuille-de-route/indicateurs-calcules", dependencies=[Depends(public)])
async def computed_indicators(request: Request, session: SessionDep) -> list[ComputedIndicatorOut]:
    """The roadmap indicators computed from live data: source, formula, latest value, time of computation."""
    return [
        ComputedIndicatorOut.model_validate(item)
        for item in await service.computed_list(session, request.app.state.settings.focus_departement)
    ]
