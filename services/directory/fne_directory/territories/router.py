from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from fne_directory.territories import service
from fne_directory.territories.schemas import CommuneOut, EpciOut
from fne_kernel.access import public
from fne_kernel.db import SessionDep
from fne_kernel.pagination import Page, PageParams

router = APIRouter(prefix="/territoires", tags=["territoires"], dependencies=[Depends(public)])

CommuneCode = Annotated[
    str, Path(pattern=r"^(\d{5}|2[AB]\d{3})$", description="Code INSEE", examples=["73065"])
]
DepartementFilter = Annotated[
    str | None, Query(pattern=r"^(\d{2,3}|2[AB])$", examples=["73"], description="Code du département")
]
SearchText = Annotated[
    str | None, Query(max_length=100, description="Nom, code INSEE ou code postal", examples=["chambery"])
]
EpciFilter = Annotated[str | None, Query(pattern=r"^\d{9}$", description="SIREN de l'EPCI")]


PreferredDepartement = Annotated[
    str | None,
    Query(
        pattern=r"^(\d{2,3}|2[AB])$",
        examples=["73"],
        description="Département dont les communes passent en premier (celui de la plateforme), "
        "sans exclure les autres",
    ),
]


@router.get("/communes")
async def list_communes(
    session: SessionDep,
    pagination: PageParams,
    q: SearchText = None,
    departement: DepartementFilter = None,
    epci: EpciFilter = None,
    departement_prefere: PreferredDepartement = None,
) -> Page[CommuneOut]:
    """Search communes and arrondissements by name, INSEE or postal code, within a department or an EPCI."""
    communes, total = await service.search_communes(
        session,
        q=q,
        department=departement,
        epci=epci,
        limit=pagination.size,
        offset=pagination.offset,
        preferred_department=departement_prefere,
    )
    return Page.of([CommuneOut.model_validate(commune) for commune in communes], total, pagination)


@router.get("/communes/{code}", responses={404: {"description": "Aucune commune de ce code"}})
async def get_commune(code: CommuneCode, session: SessionDep) -> CommuneOut:
    """One commune or arrondissement, by INSEE code."""
    return CommuneOut.model_validate(await service.get_commune(session, code))


@router.get("/epcis")
async def list_epcis(
    session: SessionDep, pagination: PageParams, departement: DepartementFilter = None
) -> Page[EpciOut]:
    """The EPCIs (of a department, if given) with their number of communes and population."""
    epcis, total = await service.list_epcis(
        session, department=departement, limit=pagination.size, offset=pagination.offset
    )
    return Page.of([EpciOut.model_validate(epci) for epci in epcis], total, pagination)
