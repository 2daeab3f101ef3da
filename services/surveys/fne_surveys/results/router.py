from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse
from starlette.requests import Request

from fne_kernel.db import SessionDep, utcnow
from fne_surveys.access import Coordinator, Reader
from fne_surveys.campaigns import service as campaigns
from fne_surveys.frameworks.registry import FrameworksDep
from fne_surveys.results import exports, service
from fne_surveys.results.exceptions import InvalidAggregateQuery, NothingToExport
from fne_surveys.results.schemas import Aggregates, CampaignResults, ProgressAggregates

router = APIRouter(tags=["résultats"])
CSV, XLSX = "text/csv; charset=utf-8", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Threshold = Annotated[int | None, Query(ge=5, le=1000, description="Minimum respondents per cell; never below "
                                                                   "the service's setting")]


Instrument = Annotated[Literal["questionnaire", "pix_orga"] | None, Query(
    description="questionnaire: answers to questionnaires only; pix_orga: imported PIX results only; both if absent")]


def _aggregate_query(framework: str, questionnaire: str | None, territory_level: str, period: str,
                     since: datetime | None, until: datetime | None, department: str | None,
                     instrument: str | None, frameworks: FrameworksDep,
                     breakdown: service.Breakdown | None = None) -> service.AggregateQuery:
    if frameworks.latest(framework) is None:
        raise InvalidAggregateQuery(f"référentiel inconnu : {framework}",
                                    allowed=sorted({found.code for found in frameworks.all()}))
    for name, moment in (("depuis", since), ("jusqu_a", until)):
        if moment is not None and moment.tzinfo is None:
            raise InvalidAggregateQuery(f"{name} : précisez le fuseau horaire")
    levels = tuple(sorted({level.level for found in frameworks.all() if found.code == framework
                           for level in found.levels}))
    return service.AggregateQuery(framework, questionnaire, territory_level, period, since, until,  # type: ignore[arg-type]
                                  department, instrument, levels, breakdown)  # type: ignore[arg-type]


def _threshold(request: Request, asked: int | None) -> int:
    """A caller may ask for a stricter threshold, never a looser one."""
    return max(request.app.state.settings.min_cell_size, asked or 0)


@router.get("/campagnes/{campaign_id}/resultats")
async def campaign_results(campaign_id: str, _: Reader, session: SessionDep,
                           frameworks: FrameworksDep) -> CampaignResults:
    """A campaign's counts, completion rate, score distributions per dimension and phase, paired pre/post progress."""
    campaign = await campaigns.get_campaign(session, campaign_id)
    return await service.campaign_results(session, campaign, frameworks)


@router.get("/agregats")
async def aggregates(request: Request, _: Reader, session: SessionDep, frameworks: FrameworksDep,
                     referentiel: str, questionnaire: str | None = None,
                     territoire: Literal["commune", "epci", "departement"] = "commune",
                     periode: Literal["mois", "trimestre", "annee"] = "annee",
                     depuis: datetime | None = None, jusqu_a: datetime | None = None,
                     departement: Annotated[str | None, Query(pattern=r"^(\d{2,3}|2[AB])$")] = None,
                     instrument: Instrument = None, seuil: Threshold = None,
                     ventilation: Annotated[service.Breakdown | None, Query(
                         description="Also by age band, gender or social status: every territory × category "
                                     "cell, with the territories' and categories' totals")] = None) -> Aggregates:
    """Disclosure-safe aggregates for the observatory: territory (× age band, gender or social status) ×
    dimension × phase × period (n, mean, distribution), small cells suppressed, with secondary suppression
    against the totals."""
    query = _aggregate_query(referentiel, questionnaire, territoire, periode, depuis, jusqu_a, departement,
                             instrument, frameworks, ventilation)
    return await service.aggregates(session, query, _threshold(request, seuil))


@router.get("/agregats/progression")
async def progress_aggregates(request: Request, _: Reader, session: SessionDep, frameworks: FrameworksDep,
                              referentiel: str, questionnaire: str | None = None,
                              territoire: Literal["commune", "epci", "departement"] = "commune",
                              depuis: datetime | None = None, jusqu_a: datetime | None = None,
                              departement: Annotated[str | None, Query(pattern=r"^(\d{2,3}|2[AB])$")] = None,
                              instrument: Instrument = None, seuil: Threshold = None) -> ProgressAggregates:
    """Pre/post progress per territory × dimension over paired respondents only, with the same suppression."""
    query = _aggregate_query(referentiel, questionnaire, territoire, "annee", depuis, jusqu_a, departement,
                             instrument, frameworks)
    return await service.paired_progress(session, query, _threshold(request, seuil))


@router.get("/exports/reponses", response_class=Response,
            responses={200: {"content": {"text/csv": {}, XLSX: {}}, "description": "Réponses, une ligne chacune"}})
async def export_responses(request: Request, _: Coordinator, session: SessionDep, frameworks: FrameworksDep,
                           questionnaire: str, campagne: str | None = None,
                           format: Literal["csv", "xlsx"] = "csv") -> Response:
    """Responses to every version of a questionnaire (or one campaign): one stable column per question key, plus
    questionnaire_version and the scores; CSV (UTF-8 with BOM) or XLSX."""
    versions = await exports.versions_of(session, questionnaire)
    if not versions:
        raise NothingToExport(f"Aucun questionnaire {questionnaire}")
    if campagne is not None:
        await campaigns.get_campaign(session, campagne)
    answer_columns, score_columns = exports.columns(versions, frameworks)
    header = exports.header(answer_columns, score_columns)
    batches = exports.rows(request.app.state.sessions, questionnaire, campagne, answer_columns, score_columns)
    filename = f"{questionnaire}-reponses-{utcnow().date().isoformat()}"
    if format == "xlsx":
        return Response(await exports.workbook(header, batches), media_type=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{filename}.xlsx"'})
    return StreamingResponse(exports.csv_chunks(header, batches), media_type=CSV,
                             headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'})
