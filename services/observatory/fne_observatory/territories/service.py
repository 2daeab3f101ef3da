"""Reading territories, and the groupements analysts define. Functions take the request's session and
flush."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import orjson
import shapely
from sqlalchemy import ColumnElement, delete, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from fne_kernel.db import utcnow
from fne_kernel.errors import InvalidInput, field_error
from fne_observatory.territories.exceptions import GroupingExists, TerritoryNotFound
from fne_observatory.territories.geometry import area_km2, simplified_geojson, tier_for_zoom, union
from fne_observatory.territories.models import (
    FRANCE_CODE,
    CommuneAlias,
    GeometryTier,
    GroupingMember,
    Level,
    Territory,
    TerritoryDataset,
    TerritoryGeometry,
)
from fne_observatory.territories.schemas import GroupingIn, GroupingUpdate, TerritoryOut, TerritoryRef

LEVEL_ORDER = list(Level)
# Plain strings for the loops over every commune (an enum member's value is slow to read).
EPCI, DEPARTEMENT, REGION, PAYS = (
    Level.EPCI.value,
    Level.DEPARTMENT.value,
    Level.REGION.value,
    Level.COUNTRY.value,
)


@dataclass(frozen=True)
class CommuneInfo:
    population: int
    epci: str | None
    department: str
    region: str


@dataclass
class Structure:
    """How communes make up every other territory: what aggregation walks."""

    communes: dict[str, CommuneInfo] = field(default_factory=dict)
    groupings: dict[str, set[str]] = field(default_factory=dict)
    department_regions: dict[str, str] = field(default_factory=dict)
    # The whole population of each EPCI, department, region and France, loaded or not (when only some
    # departments are loaded, France is more than their communes): what coverage is measured against.
    reference_populations: dict[tuple[str, str], int] = field(default_factory=dict)

    def populations(self) -> dict[tuple[str, str], int]:
        totals: Counter[tuple[str, str]] = Counter()
        commune = Level.COMMUNE.value
        for code, info in self.communes.items():
            totals[(commune, code)] += info.population
            for key in self.parents(code):
                totals[key] += info.population
        for code, members in self.groupings.items():
            totals[(Level.GROUPING, code)] = sum(
                self.communes[m].population for m in members if m in self.communes
            )
        for key, population in self.reference_populations.items():
            if population > totals.get(key, 0):
                totals[key] = population
        return dict(totals)

    def parents(self, commune: str) -> list[tuple[str, str]]:
        info = self.communes[commune]
        parents = [(DEPARTEMENT, info.department), (REGION, info.region), (PAYS, FRANCE_CODE)]
        if info.epci:
            parents.append((EPCI, info.epci))
        return parents


async def load_structure(session: AsyncSession) -> Structure:
    structure = Structure()
    rows = await session.execute(
        select(
            Territory.level,
            Territory.code,
            Territory.population,
            Territory.epci_code,
            Territory.departement_code,
            Territory.region_code,
        ).where(
            Territory.level.in_([Level.COMMUNE, Level.EPCI, Level.DEPARTMENT, Level.REGION, Level.COUNTRY])
        )
    )
    for level, code, population, epci, department, region in rows:
        if level == Level.COMMUNE:
            structure.communes[code] = CommuneInfo(population or 0, epci, department, region)
            continue
        if level == Level.DEPARTMENT:
            structure.department_regions[code] = region
        structure.reference_populations[(level, code)] = population or 0
    for grouping, communes in (await grouping_communes(session)).items():
        structure.groupings[grouping] = communes
    return structure


async def grouping_communes(session: AsyncSession, only: str | None = None) -> dict[str, set[str]]:
    """Each groupement's communes, its EPCIs resolved to their communes."""
    members = select(GroupingMember.grouping_code, GroupingMember.member_level, GroupingMember.member_code)
    if only is not None:
        members = members.where(GroupingMember.grouping_code == only)
    rows = (await session.execute(members)).all()
    epcis = {code for _, level, code in rows if level == Level.EPCI}
    epci_communes: dict[str, set[str]] = defaultdict(set)
    if epcis:
        for code, epci in await session.execute(
            select(Territory.code, Territory.epci_code).where(
                Territory.level == Level.COMMUNE, Territory.epci_code.in_(epcis)
            )
        ):
            epci_communes[epci].add(code)
    resolved: dict[str, set[str]] = defaultdict(set)
    for grouping, level, code in rows:
        resolved[grouping] |= epci_communes[code] if level == Level.EPCI else {code}
    return dict(resolved)


async def get_territory(session: AsyncSession, level: Level, code: str) -> Territory:
    territory = await session.get(Territory, (level.value, code))
    if territory is None:
        raise TerritoryNotFound(f"Aucun territoire {level.value}:{code}", territoire=f"{level.value}:{code}")
    return territory


def within(level: Level, parent: tuple[Level, str] | None) -> list[ColumnElement[bool]]:
    """Conditions selecting the territories of `level` inside `parent`. An EPCI is inside every department and
    region where it has communes; a groupement is inside the department where most of its population lives;
    only communes are inside a groupement."""
    conditions: list[ColumnElement[bool]] = [Territory.level == level.value]
    if parent is None or parent[0] == Level.COUNTRY:
        return conditions
    parent_level, parent_code = parent
    nested = LEVEL_ORDER.index(parent_level) > LEVEL_ORDER.index(level)
    if not nested or (parent_level in (Level.EPCI, Level.GROUPING) and level != Level.COMMUNE):
        raise InvalidInput(
            [
                field_error(
                    "dans",
                    f"un territoire {level.value} n'est pas dans un territoire {parent_level.value}",
                    location="query",
                )
            ]
        )
    if parent_level == Level.GROUPING:
        members = select(GroupingMember.member_code).where(GroupingMember.grouping_code == parent_code)
        conditions.append(
            or_(
                Territory.code.in_(members.where(GroupingMember.member_level == Level.COMMUNE)),
                Territory.epci_code.in_(members.where(GroupingMember.member_level == Level.EPCI)),
            )
        )
    elif parent_level == Level.EPCI:
        conditions.append(Territory.epci_code == parent_code)
    elif level == Level.EPCI:
        # An EPCI spanning départements (Cœur de Chartreuse: seat in Isère, communes in Savoie too) is in each
        # département, and region, where it has communes: no hole in their maps.
        commune = aliased(Territory)
        place = (
            commune.departement_code == parent_code
            if parent_level == Level.DEPARTMENT
            else commune.region_code == parent_code
        )
        conditions.append(
            Territory.code.in_(
                select(commune.epci_code).where(
                    commune.level == Level.COMMUNE, commune.epci_code.is_not(None), place
                )
            )
        )
    elif parent_level == Level.DEPARTMENT:
        conditions.append(Territory.departement_code == parent_code)
    elif level in (Level.COMMUNE, Level.DEPARTMENT):
        conditions.append(Territory.region_code == parent_code)
    else:
        conditions.append(
            Territory.departement_code.in_(
                select(Territory.code).where(
                    Territory.level == Level.DEPARTMENT, Territory.region_code == parent_code
                )
            )
        )
    return conditions


async def search_territories(
    session: AsyncSession,
    level: Level | None,
    q: str | None,
    parent: tuple[Level, str] | None,
    limit: int,
    offset: int,
) -> tuple[list[Territory], int]:
    conditions = within(level, parent) if level is not None else []
    if q:
        text = q.strip()
        conditions.append(or_(Territory.code == text, func.lower(Territory.nom).contains(text.lower())))
    total = await session.scalar(select(func.count()).select_from(Territory).where(*conditions)) or 0
    found = await session.scalars(
        select(Territory)
        .where(*conditions)
        .order_by(Territory.level, Territory.code)
        .limit(limit)
        .offset(offset)
    )
    return list(found), total


async def outlines(session: AsyncSession, level: Level, parent: tuple[Level, str] | None, zoom: int) -> bytes:
    """The outlines of a level's territories as a GeoJSON FeatureCollection (code and name only): a map's base
    layer. The stored GeoJSON text is spliced in as it is, like the choropleth does."""
    rows = (
        await session.execute(
            select(Territory.code, Territory.nom, TerritoryGeometry.geojson)
            .join(
                TerritoryGeometry,
                (TerritoryGeometry.level == Territory.level)
                & (TerritoryGeometry.code == Territory.code)
                & (TerritoryGeometry.tier == tier_for_zoom(zoom)),
            )
            .where(*within(level, parent))
            .order_by(Territory.code)
        )
    ).all()
    features = [
        b'{"type":"Feature","id":'
        + orjson.dumps(code)
        + b',"geometry":'
        + geometry.encode()
        + b',"properties":'
        + orjson.dumps({"code": code, "nom": nom})
        + b"}"
        for code, nom, geometry in rows
    ]
    return b'{"type":"FeatureCollection","features":[' + b",".join(features) + b"]}"


async def members_of(session: AsyncSession, code: str) -> list[GroupingMember]:
    return list(
        await session.scalars(
            select(GroupingMember)
            .where(GroupingMember.grouping_code == code)
            .order_by(GroupingMember.member_level, GroupingMember.member_code)
        )
    )


async def commune_alias(session: AsyncSession, code: str) -> CommuneAlias | None:
    return await session.get(CommuneAlias, code)


async def _check_members(session: AsyncSession, body: GroupingUpdate) -> None:
    errors = []
    for index, member in enumerate(body.membres):
        if await session.get(Territory, (member.niveau.value, member.code)) is None:
            errors.append(field_error(f"membres.{index}", f"{member.niveau.value} {member.code} inconnu"))
    if errors:
        raise InvalidInput(errors)


async def _write_grouping(session: AsyncSession, territory: Territory, body: GroupingUpdate) -> Territory:
    await _check_members(session, body)
    await session.execute(delete(GroupingMember).where(GroupingMember.grouping_code == territory.code))
    await session.execute(
        delete(TerritoryGeometry).where(
            TerritoryGeometry.level == Level.GROUPING, TerritoryGeometry.code == territory.code
        )
    )
    unique = {(member.niveau.value, member.code) for member in body.membres}
    if unique:
        await session.execute(
            insert(GroupingMember),
            [
                {
                    "grouping_level": Level.GROUPING.value,
                    "grouping_code": territory.code,
                    "member_level": level,
                    "member_code": code,
                }
                for level, code in sorted(unique)
            ],
        )
    await session.flush()
    communes = (await grouping_communes(session, only=territory.code)).get(territory.code, set())
    rows = (
        await session.execute(
            select(
                Territory.code, Territory.population, Territory.departement_code, TerritoryGeometry.geojson
            )
            .outerjoin(
                TerritoryGeometry,
                (TerritoryGeometry.level == Territory.level)
                & (TerritoryGeometry.code == Territory.code)
                & (TerritoryGeometry.tier == GeometryTier.FINE),
            )
            .where(Territory.level == Level.COMMUNE, Territory.code.in_(communes))
        )
    ).all()
    departments: Counter[str] = Counter()
    for _, population, department, _ in rows:
        departments[department] += population or 0
    outlines = [shapely.from_geojson(geojson) for *_, geojson in rows if geojson]
    territory.nom, territory.description = body.nom, body.description
    territory.population = sum(population or 0 for _, population, _, _ in rows)
    territory.departement_code = departments.most_common(1)[0][0] if departments else None
    territory.updated_at = utcnow()
    if outlines:
        outline = union(outlines)
        point = outline.point_on_surface()
        territory.latitude, territory.longitude = round(point.y, 5), round(point.x, 5)
        territory.area_km2 = round(area_km2(outline), 3)
        await session.execute(
            insert(TerritoryGeometry),
            [
                {
                    "level": Level.GROUPING.value,
                    "code": territory.code,
                    "tier": tier.value,
                    "geojson": geojson,
                }
                for tier, geojson in simplified_geojson(outline).items()
            ],
        )
    await session.flush()
    return territory


async def create_grouping(session: AsyncSession, body: GroupingIn) -> Territory:
    if await session.get(Territory, (Level.GROUPING.value, body.code)) is not None:
        raise GroupingExists(
            f"Le groupement {body.code} existe déjà : modifiez-le (PUT)", groupement=body.code
        )
    territory = Territory(level=Level.GROUPING.value, code=body.code, nom=body.nom, updated_at=utcnow())
    session.add(territory)
    await session.flush()
    return await _write_grouping(session, territory, body)


async def update_grouping(session: AsyncSession, code: str, body: GroupingUpdate) -> Territory:
    return await _write_grouping(session, await get_territory(session, Level.GROUPING, code), body)


async def delete_grouping(session: AsyncSession, code: str) -> None:
    territory = await get_territory(session, Level.GROUPING, code)
    await session.execute(delete(GroupingMember).where(GroupingMember.grouping_code == code))
    await session.execute(
        delete(TerritoryGeometry).where(
            TerritoryGeometry.level == Level.GROUPING, TerritoryGeometry.code == code
        )
    )
    await session.delete(territory)
    await session.flush()


async def refresh_groupings(session: AsyncSession) -> int:
    """After a territory load: every groupement's population, department and outline from the new communes."""
    groupings = list(await session.scalars(select(Territory).where(Territory.level == Level.GROUPING)))
    for territory in groupings:
        members = await members_of(session, territory.code)
        known = [
            member
            for member in members
            if await session.get(Territory, (member.member_level, member.member_code)) is not None
        ]
        # Built without validation: a groupement whose members all left the loaded territories stays, empty.
        body = GroupingUpdate.model_construct(
            nom=territory.nom,
            description=territory.description,
            membres=[
                TerritoryRef(niveau=Level(member.member_level), code=member.member_code) for member in known
            ],
        )
        await _write_grouping(session, territory, body)
    return len(groupings)


async def sources(session: AsyncSession) -> list[TerritoryDataset]:
    return list(await session.scalars(select(TerritoryDataset).order_by(TerritoryDataset.name)))


async def territory_out(session: AsyncSession, territory: Territory) -> TerritoryOut:
    members = None
    if territory.level == Level.GROUPING:
        members = [
            TerritoryRef(niveau=member.member_level, code=member.member_code)
            for member in await members_of(session, territory.code)
        ]
    return TerritoryOut(
        niveau=territory.level,
        code=territory.code,
        nom=territory.nom,
        population=territory.population,
        epci_code=territory.epci_code,
        departement_code=territory.departement_code,
        region_code=territory.region_code,
        latitude=territory.latitude,
        longitude=territory.longitude,
        superficie_km2=territory.area_km2,
        description=territory.description,
        membres=members,
    )
