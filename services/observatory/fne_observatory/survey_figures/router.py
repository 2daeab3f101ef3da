from typing import Annotated, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from fne_kernel.db import SessionDep
from fne_observatory.dependencies import Writer, actor_name
from fne_observatory.imports.schemas import ImportOut
from fne_observatory.imports.service import import_out
from fne_observatory.survey_figures import service

router = APIRouter(tags=["questionnaires"])


class SurveysSync(BaseModel):
    referentiel: Annotated[str, Field(min_length=1, max_length=40, examples=["pix"])]
    periode: Literal["annee", "trimestre", "mois"] = "annee"
    departement: Annotated[str | None, Field(pattern=r"^(\d{2,3}|2[AB])$")] = Field(
        None, description="Le département suivi par défaut"
    )
    annee_progression: Annotated[int | None, Field(ge=2020, le=2100)] = Field(
        None, description="Année dont la progression avant/après est lue (aucune par défaut)"
    )


@router.post(
    "/calculs/enquetes",
    status_code=201,
    responses={502: {"description": "Service questionnaires injoignable : rien n'est enregistré"}},
)
async def synchronise_surveys(
    body: SurveysSync, request: Request, actor: Writer, session: SessionDep
) -> ImportOut:
    """Read the surveys service's disclosure-safe aggregates of a framework and publish them as indicators."""
    computed = await service.synchronise(
        session,
        request.app.state.surveys_client,
        framework=body.referentiel,
        granularity=body.periode,
        departement=body.departement or request.app.state.settings.focus_departement,
        progress_year=body.annee_progression,
        actor=actor_name(actor),
    )
    return import_out(computed)
