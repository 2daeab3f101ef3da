from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from fne_kernel.db import SessionDep
from fne_observatory.computations import service as jobs
from fne_observatory.computations.models import ComputationKind
from fne_observatory.computations.schemas import JobOut
from fne_observatory.dependencies import Writer, actor_name
from fne_observatory.survey_figures import service

router = APIRouter(tags=["questionnaires"])
# The framework is checked before the job starts when the surveys service answers this fast.
FRAMEWORK_CHECK_SECONDS = 5.0


class SurveysSync(BaseModel):
    referentiel: Annotated[str, Field(min_length=1, max_length=40, examples=["pix"])]
    periode: Literal["annee", "trimestre", "mois"] = "annee"
    departement: Annotated[str | None, Field(pattern=r"^(\d{2,3}|2[AB])$")] = Field(
        None, description="Le département suivi par défaut"
    )
    annee_progression: Annotated[int | None, Field(ge=2020, le=2100)] = Field(
        None, description="Année dont la progression avant/après est lue (aucune par défaut)"
    )


async def known_framework(body: SurveysSync, request: Request) -> SurveysSync:
    """The request's body, its framework checked with the surveys service before the request's transaction
    opens (on SQLite, a writing request holds the write lock from its start)."""
    await service.check_framework(request.app.state.surveys_client, body.referentiel, FRAMEWORK_CHECK_SECONDS)
    return body


@router.post(
    "/calculs/enquetes",
    status_code=202,
    responses={
        202: {"description": "Calcul lancé : suivez-le à l'adresse donnée (Location)"},
        409: {"description": "Un calcul des questionnaires est déjà en cours"},
    },
)
async def synchronise_surveys(
    actor: Writer,
    body: Annotated[SurveysSync, Depends(known_framework)],
    request: Request,
    response: Response,
    session: SessionDep,
) -> JobOut:
    """Start reading the surveys service's disclosure-safe aggregates of a framework and publishing them as
    indicators; follow the job at its Location."""
    app = request.app
    client = app.state.surveys_client
    departement = body.departement or app.state.settings.focus_departement
    job = await jobs.start_job(
        session,
        ComputationKind.SURVEYS,
        {
            "referentiel": body.referentiel,
            "periode": body.periode,
            "departement": departement,
            "annee_progression": body.annee_progression,
        },
        actor_name(actor),
    )
    actor_label = actor_name(actor)

    async def work(progress: jobs.Progress) -> jobs.Store:
        prepared = await service.prepare(
            client,
            framework=body.referentiel,
            granularity=body.periode,
            department=departement,
            progress_year=body.annee_progression,
            progress=progress,
        )
        return lambda store_session: service.store(store_session, prepared, actor_label)

    jobs.started(request, session, response, job, work)
    return await jobs.job_out(session, job)
