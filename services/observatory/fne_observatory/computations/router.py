from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from fne_kernel.db import SessionDep
from fne_kernel.pagination import Page, PageParams
from fne_observatory.computations import service
from fne_observatory.computations.schemas import JobOut
from fne_observatory.dependencies import Writer

router = APIRouter(tags=["calculs"])
JobId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$", description="Identifiant du calcul")]


@router.get("/calculs/taches")
@router.get("/calculs/jobs", include_in_schema=False)  # deprecated alias, one release
async def list_jobs(
    actor: Writer,
    session: SessionDep,
    pagination: PageParams,
    type: Annotated[Literal["annuaire", "enquetes"] | None, Query(description="Type de calcul")] = None,
) -> Page[JobOut]:
    """The computations started, latest first."""
    jobs, total = await service.list_jobs(session, type, pagination.size, pagination.offset)
    return Page.of([await service.job_out(session, job) for job in jobs], total, pagination)


@router.get("/calculs/taches/{job_id}", responses={404: {"description": "Calcul inconnu"}})
@router.get("/calculs/jobs/{job_id}", include_in_schema=False)  # deprecated alias, one release
async def get_job(job_id: JobId, actor: Writer, session: SessionDep) -> JobOut:
    """A computation's state: status, progress, then its published result or the problem that stopped it."""
    return await service.job_out(session, await service.get_job(session, job_id))
