import itertools
import math
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response

from fne_kernel.access import public
from fne_kernel.db import SessionDep
from fne_kernel.errors import InvalidInput, field_error
from fne_kernel.pagination import PageParams
from fne_observatory.dependencies import CoverageThreshold, MapCacheDep, ObservatorySettings, ParentParam
from fne_observatory.indicators.periods import PERIOD_PATTERN
from fne_observatory.publication import exports, maps, service
from fne_observatory.publication.classes import Method
from fne_observatory.publication.schemas import Profile, SeriesOut, ValuesPage
from fne_observatory.territories.models import Level

router = APIRouter(tags=["publication"], dependencies=[Depends(public)])
IndicatorCode = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_.-]{1,79}$", examples=["ifn_total"])]
TerritoryCode = Annotated[str, Path(pattern=r"^[A-Za-z0-9-]{1,40}$", examples=["73065"])]
Period = Annotated[
    str | None,
    Query(pattern=PERIOD_PATTERN, description="Période (la plus récente par défaut)", examples=["2021"]),
]
LevelParam = Annotated[Level, Query(description="Niveau des territoires")]
CSV, XLSX = "text/csv; charset=utf-8", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def parse_bounds(text: str | None, method: Method | None) -> tuple[float, ...] | None:
    """`bornes` as numbers: 1 to 9, increasing, and only with methode=seuils."""
    if text is None:
        return None
    problem = None
    try:
        bounds = tuple(float(part) for part in text.split(","))
    except ValueError:
        bounds, problem = (), "des nombres séparés par des virgules sont attendus, ex. 10,20,30"
    if problem is None and method != Method.THRESHOLDS:
        problem = "les bornes ne valent qu'avec methode=seuils"
    elif problem is None and not 1 <= len(bounds) <= 9:
        problem = "de 1 à 9 bornes"
    elif problem is None and (
        any(not math.isfinite(bound) for bound in bounds)
        or any(later <= earlier for earlier, later in itertools.pairwise(bounds))
    ):
        problem = "des bornes finies et strictement croissantes sont attendues"
    if problem is not None:
        raise InvalidInput([field_error("bornes", problem, location="query")])
    return bounds


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get(
    "/indicateurs/{code}/valeurs", responses={404: {"description": "Indicateur inconnu ou sans valeur"}}
)
async def indicator_values(
    code: IndicatorCode,
    session: SessionDep,
    threshold: CoverageThreshold,
    pagination: PageParams,
    parent: ParentParam,
    niveau: LevelParam = Level.COMMUNE,
    periode: Period = None,
) -> ValuesPage:
    """An indicator's published values for the territories of a level (inside `dans`), with sources."""
    return await service.list_values(
        session, code, niveau, parent, periode, pagination.size, pagination.offset, threshold
    )


@router.get("/indicateurs/{code}/series/{niveau}/{territoire}")
async def indicator_series(
    code: IndicatorCode,
    niveau: Level,
    territoire: TerritoryCode,
    session: SessionDep,
    threshold: CoverageThreshold,
) -> SeriesOut:
    """An indicator's time series for one territory, with its department's and France's."""
    return await service.series(session, code, niveau, territoire, threshold)


@router.get(
    "/indicateurs/{code}/carte",
    response_class=Response,
    responses={
        200: {
            "content": {"application/geo+json": {}},
            "description": "FeatureCollection (RFC 7946) : valeur et classe de chaque territoire",
        },
        304: {"description": "Carte inchangée depuis l'ETag donné"},
    },
)
async def indicator_map(
    code: IndicatorCode,
    request: Request,
    map_cache: MapCacheDep,
    settings: ObservatorySettings,
    session: SessionDep,
    threshold: CoverageThreshold,
    parent: ParentParam,
    niveau: LevelParam = Level.COMMUNE,
    periode: Period = None,
    zoom: Annotated[int, Query(ge=0, le=20, description="Zoom de la carte web")] = 9,
    classes: Annotated[int, Query(ge=5, le=7)] = 5,
    methode: Annotated[
        Method | None,
        Query(
            description="Classes : quantiles, seuils_naturels ou seuils (par défaut : seuils pour les temps "
            "d'accès, autour du seuil de portée ; quantiles sinon)"
        ),
    ] = None,
    bornes: Annotated[
        str | None,
        Query(
            description="Avec methode=seuils : bornes croissantes séparées par des virgules",
            examples=["10,20,30,45"],
            max_length=200,
        ),
    ] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Choropleth GeoJSON: outlines simplified for the zoom, values, classes (quantiles or natural breaks)."""
    rendered = await maps.choropleth(
        session,
        map_cache,
        maps.MapRequest(
            code,
            niveau,
            parent,
            periode,
            zoom,
            classes,
            methode,
            threshold,
            parse_bounds(bornes, methode),
            settings.access_minutes,
        ),
    )
    headers = {"ETag": rendered.etag, "Vary": "Accept-Encoding", "Cache-Control": "public, max-age=60"}
    if if_none_match == rendered.etag:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(
            rendered.gzipped,
            media_type="application/geo+json",
            headers={**headers, "Content-Encoding": "gzip"},
        )
    return Response(rendered.body, media_type="application/geo+json", headers=headers)


@router.get(
    "/indicateurs/{code}/valeurs.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "Valeurs publiées, CSV UTF-8"}},
)
async def export_csv(
    code: IndicatorCode,
    session: SessionDep,
    threshold: CoverageThreshold,
    parent: ParentParam,
    niveau: LevelParam = Level.COMMUNE,
    periode: Period = None,
) -> Response:
    """CSV of an indicator's published values (every period unless one is given), with source and vintage."""
    rows, _ = await exports.export_rows(session, code, niveau, parent, periode, threshold)
    return _download(exports.to_csv(rows), CSV, f"{code}-{niveau.value}.csv")


@router.get(
    "/indicateurs/{code}/valeurs.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "Valeurs publiées et métadonnées, XLSX"}},
)
async def export_xlsx(
    code: IndicatorCode,
    session: SessionDep,
    threshold: CoverageThreshold,
    parent: ParentParam,
    niveau: LevelParam = Level.COMMUNE,
    periode: Period = None,
) -> Response:
    """XLSX of an indicator's published values, with a metadata sheet."""
    rows, metadata = await exports.export_rows(session, code, niveau, parent, periode, threshold)
    return _download(exports.to_xlsx(rows, metadata), XLSX, f"{code}-{niveau.value}.xlsx")


@router.get("/territoires/{niveau}/{code}/profil")
async def territory_profile(
    niveau: Level,
    code: TerritoryCode,
    session: SessionDep,
    threshold: CoverageThreshold,
    periode: Period = None,
) -> Profile:
    """A territory's profile: every published indicator next to its department's and France's."""
    return await service.profile(session, niveau, code, periode, threshold)
