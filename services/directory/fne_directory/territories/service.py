"""Reading the reference communes and EPCIs. Functions take the request's session and never write."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_directory.territories.exceptions import CommuneNotFound
from fne_directory.territories.models import Commune, CommunePostalCode, CommuneType
from fne_directory.text import normalise_text


@dataclass(frozen=True)
class EpciSummary:
    code: str
    nom: str
    nombre_communes: int
    population: int | None


async def get_commune(session: AsyncSession, code: str) -> Commune:
    commune = await session.get(Commune, code)
    if commune is None:
        raise CommuneNotFound(f"Aucune commune de code INSEE {code}", commune_code=code)
    return commune


async def search_communes(
    session: AsyncSession,
    q: str | None = None,
    department: str | None = None,
    epci: str | None = None,
    limit: int = 50,
    offset: int = 0,
    preferred_department: str | None = None,
) -> tuple[list[Commune], int]:
    """Communes matching all the given criteria, and how many there are.

    `q` matches an INSEE code or a postal code exactly, or the name regardless of case, accents and
    punctuation. Exact codes first, then the communes of `preferred_departement` (the platform's own), then
    names equal to `q`, starting with it, containing it; then by code.
    """
    conditions: list[ColumnElement[bool]] = []
    if department:
        conditions.append(Commune.departement_code == department)
    if epci:
        conditions.append(Commune.epci_code == epci)
    order: list[ColumnElement[object]] = []
    if q:
        code = q.strip().upper()
        same_code = or_(
            Commune.code == code,
            Commune.code.in_(
                select(CommunePostalCode.commune_code).where(CommunePostalCode.code_postal == code)
            ),
        )
        key = normalise_text(q)
        if key:
            # normalise_text leaves letters, digits and spaces only: nothing LIKE would read as a wildcard.
            conditions.append(or_(same_code, Commune.search_key.contains(key)))
            order.append(case((same_code, 0), else_=1))
            if preferred_department:
                order.append(case((Commune.departement_code == preferred_department, 0), else_=1))
            order.append(
                case((Commune.search_key == key, 1), (Commune.search_key.startswith(key), 2), else_=3)
            )
        else:
            conditions.append(same_code)
    elif preferred_department:
        order.append(case((Commune.departement_code == preferred_department, 0), else_=1))
    total = await session.scalar(select(func.count()).select_from(Commune).where(*conditions)) or 0
    communes = await session.scalars(
        select(Commune).where(*conditions).order_by(*order, Commune.code).limit(limit).offset(offset)
    )
    return list(communes), total


async def list_epcis(
    session: AsyncSession, department: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[EpciSummary], int]:
    """EPCIs with their number of communes and population (whole EPCI, even across a department boundary).

    With `departement`, the EPCIs having at least one commune in it.
    """
    # Arrondissements carry their city's EPCI but are part of the city: counting them would count twice.
    members = select(Commune).where(Commune.type == CommuneType.COMMUNE, Commune.epci_code.is_not(None))
    if department:
        members = members.where(
            Commune.epci_code.in_(select(Commune.epci_code).where(Commune.departement_code == department))
        )
    epcis = members.subquery()
    summaries = select(
        epcis.c.epci_code,
        epcis.c.epci_nom,
        func.count().label("nombre_communes"),
        func.sum(epcis.c.population).label("population"),
    ).group_by(epcis.c.epci_code, epcis.c.epci_nom)
    total = await session.scalar(select(func.count()).select_from(summaries.subquery())) or 0
    rows = await session.execute(summaries.order_by(epcis.c.epci_code).limit(limit).offset(offset))
    return [EpciSummary(code, nom, count, population) for code, nom, count, population in rows], total
