from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from fne_kernel.db import SessionDep
from fne_observatory.access import Writer, actor_name
from fne_observatory.dependencies import ObservatorySettings, SurveysClientDep
from fne_observatory.jobs import service as jobs
from fne_observatory.jobs.models import ComputationKind
from fne_observatory.jobs.schemas import JobOut
from fne_observatory.survey_figures import service
from fne_observatory.survey_figures.schemas import SurveysSync

router = APIRouter(tags=["questionnaires"])
# The framework is checked before the job starts when the surveys service answers this fast.
FRAMEWORK_CHECK_SECONDS = 5.0


async def known_framework(body: SurveysSync, client: SurveysClientDep) -> SurveysSync:
    """The request's body, its framework checked with the surveys service before the request's transaction
    opens (on SQLite, a writing request holds the write lock from its start)."""
    await service.check_framework(client, body.referentiel, FRAMEWORK_CHECK_SECONDS)
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
    client: SurveysClientDep,
    settings: ObservatorySettings,
    response: Response,
    session: SessionDep,
) -> JobOut:
    """Start reading the surveys service's disclosure-safe aggregates of a framework and publishing them as
    indicators; follow the job at its Location."""
    departement = body.departement or settings.focus_departement
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
