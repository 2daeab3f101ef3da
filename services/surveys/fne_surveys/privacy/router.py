from fastapi import APIRouter

from fne_kernel.db import SessionDep
from fne_surveys.access import CoordinatingPerson, Coordinator, Filler
from fne_surveys.dependencies import PseudonymKey
from fne_surveys.journal.service import record
from fne_surveys.privacy import service
from fne_surveys.privacy.schemas import ConsentOut, Erasure, RespondentExport, RespondentReference

router = APIRouter(prefix="/repondants", tags=["données personnelles"])


@router.post("/effacement")
async def erase_respondent(
    body: RespondentReference, _: Coordinator, session: SessionDep, key: PseudonymKey
) -> Erasure:
    """Erase one person's data on request: responses, scores, edit trail, consents (aggregates follow at
    once)."""
    return await service.erase(session, await service.find_respondent(session, body, key))


@router.post("/export")
async def export_respondent(
    body: RespondentReference, principal: CoordinatingPerson, session: SessionDep, key: PseudonymKey
) -> RespondentExport:
    """Everything held about one person, as JSON (right of access and portability), for a coordinator's
    account; journaled. POST keeps the code out of URLs and logs."""
    respondent = await service.find_respondent(session, body, key)
    await record(session, principal, "export-repondant", {"repondant": respondent.id})
    return await service.export(session, respondent)


@router.post("/partage")
async def share_results(
    body: RespondentReference, _: Filler, session: SessionDep, key: PseudonymKey
) -> list[ConsentOut]:
    """Record that the person shares their results with the structure (to share → shared)."""
    return await service.share_results(session, await service.find_respondent(session, body, key))
