from typing import Literal

from fastapi import APIRouter

from fne_kernel.db import SessionDep
from fne_kernel.pagination import Page, PageParams
from fne_surveys.access import Administrator
from fne_surveys.journal import service
from fne_surveys.journal.schemas import AccessRecordOut

router = APIRouter(tags=["journal des accès"])


@router.get("/journal-acces")
async def access_journal(
    _: Administrator,
    session: SessionDep,
    paging: PageParams,
    action: Literal["export-reponses", "export-repondant"] | None = None,
    acteur: str | None = None,
) -> Page[AccessRecordOut]:
    """Who exported raw responses or a person's data, what and when; latest first (administrators)."""
    found, total = await service.entries(session, paging, action, acteur)
    return Page.of([AccessRecordOut.of(item) for item in found], total, paging)
