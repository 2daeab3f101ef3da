from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from fne_kernel.db import SessionDep
from fne_kernel.pagination import Page, PageParams
from fne_observatory.access import Writer, actor_name
from fne_observatory.jobs import service
from fne_observatory.jobs.dependencies import RunningTasks
from fne_observatory.jobs.schemas import JobOut

router = APIRouter(tags=["calculs"])
JobId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$", description="Identifiant du calcul")]
Kind = Literal["annuaire", "enquetes", "feuille-de-route"]


@router.get("/calculs/taches")
@router.get("/calculs/jobs", include_in_schema=False)  # deprecated alias, one release
async def list_jobs(
    actor: Writer,
    session: SessionDep,
    pagination: PageParams,
    type: Annotated[Kind | None, Query(description="Type de calcul")] = None,
) -> Page[JobOut]:
    """The computations started, latest first."""
    jobs, total = await service.list_jobs(session, type, pagination.size, pagination.offset)
    return Page.of([await service.job_out(session, job) for job in jobs], total, pagination)


@router.get("/calculs/taches/{job_id}", responses={404: {"description": "Calcul inconnu"}})
@router.get("/calculs/jobs/{job_id}", include_in_schema=False)  # deprecated alias, one release
async def get_job(job_id: JobId, actor: Writer, session: SessionDep) -> JobOut:
    """A computation's state: status, progress, then its published result or the problem that stopped it."""
    return await service.job_out(session, await service.get_job(session, job_id))


@router.post(
    "/calculs/taches/{job_id}/annulation",
    responses={404: {"description": "Calcul inconnu"}, 409: {"description": "Calcul déjà terminé"}},
)
@router.post("/calculs/jobs/{job_id}/annulation", include_in_schema=False)  # deprecated alias, one release
async def cancel_job(job_id: JobId, actor: Writer, session: SessionDep, tasks: RunningTasks) -> JobOut:
    """Cancel a queued or running computation: it stops and publishes nothing."""
    job = await service.cancel(session, tasks, job_id, actor_name(actor))
    return await service.job_out(session, job)
