from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from fne_directory.access import Caller, Editor, is_editor
from fne_directory.permanences import service
from fne_directory.permanences.schemas import CommuneReach, PermanenceIn, PermanenceOut, Role
from fne_kernel.access import public
from fne_kernel.db import SessionDep
from fne_kernel.pagination import Page, PageParams

router = APIRouter(prefix="/permanences", tags=["permanences"])


@router.get("", response_model=Page[PermanenceOut])
async def list_permanences(
    session: SessionDep,
    caller: Caller,
    paging: PageParams,
    role: Annotated[list[Role], Query()] = [],  # noqa: B006  (FastAPI reads the default, never mutates it)
    lieu_id: Annotated[str | None, Query(max_length=36)] = None,
    code_insee: Annotated[list[str], Query(description="Communes où un créneau est tenu")] = [],  # noqa: B006
) -> dict:
    """Active permanences, filtered by role, host place or commune, oldest first."""
    found, total = await service.search(
        session, roles=role, place_id=lieu_id, communes=code_insee, offset=paging.offset, limit=paging.size
    )
    items = await service.outs(session, found, is_editor(caller))
    return {"items": items, "total": total, "page": paging.page, "size": paging.size}


@router.get("/communes", dependencies=[Depends(public)], response_model=list[CommuneReach])
async def reached_communes(
    session: SessionDep,
    departement: Annotated[list[str], Query(description="Codes de départements")] = [],  # noqa: B006
) -> list[dict]:
    """Communes where a permanence is held, with its roles and whether a tour reaches them."""
    return await service.reach(session, departement)


@router.get("/{permanence_id}", response_model=PermanenceOut)
async def read_permanence(permanence_id: str, session: SessionDep, caller: Caller) -> dict:
    """One active permanence with all its slots."""
    permanence = await service.get(session, permanence_id)
    return (await service.outs(session, [permanence], is_editor(caller)))[0]


@router.post("", status_code=201, response_model=PermanenceOut)
async def create_permanence(
    body: PermanenceIn, actor: Editor, session: SessionDep, response: Response
) -> dict:
    """Record a permanence or an itinerant tour (coordinators and `directory:write` keys)."""
    permanence = await service.create(session, body, actor)
    response.headers["Location"] = f"/permanences/{permanence.id}"
    return (await service.outs(session, [permanence], True))[0]


@router.put("/{permanence_id}", response_model=PermanenceOut)
async def replace_permanence(
    permanence_id: str, body: PermanenceIn, actor: Editor, session: SessionDep
) -> dict:
    """Replace a permanence's role, label and slots."""
    permanence = await service.get(session, permanence_id)
    permanence = await service.replace(session, permanence, body, actor)
    return (await service.outs(session, [permanence], True))[0]


@router.delete("/{permanence_id}", response_model=PermanenceOut)
async def withdraw_permanence(permanence_id: str, actor: Editor, session: SessionDep) -> dict:
    """End a permanence: it leaves place pages, searches, exports and the zones-blanches computation."""
    permanence = await service.withdraw(session, await service.get(session, permanence_id), actor)
    return (await service.outs(session, [permanence], True))[0]
