from datetime import UTC, datetime, time
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse

from fne_kernel.db import SessionDep, SessionsDep, utcnow
from fne_surveys.access import Exporter, Reader, may_export, may_read_results
from fne_surveys.campaigns import service as campaigns
from fne_surveys.config import Settings
from fne_surveys.dependencies import FrameworksDep, SurveysSettings
from fne_surveys.journal.service import record
from fne_surveys.results import exports, service
from fne_surveys.results.dependencies import Asked, AskedDep
from fne_surveys.results.exceptions import InvalidAggregateQuery, NothingToExport
from fne_surveys.results.schemas import Aggregates, CampaignResults, ProgressAggregates

router = APIRouter(tags=["résultats"])
CSV, XLSX = "text/csv; charset=utf-8", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERIOD_STARTS = {"annee": (1,), "trimestre": (1, 4, 7, 10), "mois": tuple(range(1, 13))}


Territory = Literal["commune", "epci", "departement"]
Department = Annotated[str | None, Query(pattern=r"^(\d{2,3}|2[AB])$")]


def _on_period(name: str, moment: datetime, period: str) -> None:
    """Windows are whole published periods: an arbitrary instant would publish the difference of two
    windows."""
    if moment.tzinfo is None:
        raise InvalidAggregateQuery(f"{name} : précisez le fuseau horaire")
    moment = moment.astimezone(UTC)
    if moment.month not in PERIOD_STARTS[period] or moment.day != 1 or moment.time() != time(0):
        raise InvalidAggregateQuery(
            f"{name} : une fenêtre commence et finit au début d'une période publiée "
            f"({period}), à minuit UTC le premier jour, par exemple 2026-01-01T00:00:00Z"
        )


def _aggregate_query(
    settings: Settings,
    framework: str,
    territory_level: service.TerritoryLevel,
    period: str | None,
    since: datetime | None,
    until: datetime | None,
    department: str | None,
    frameworks: FrameworksDep,
    asked: Asked,
    breakdown: service.Breakdown | None = None,
) -> service.AggregateQuery:
    if frameworks.latest(framework) is None:
        raise InvalidAggregateQuery(
            f"référentiel inconnu : {framework}", allowed=sorted({found.code for found in frameworks.all()})
        )
    published = settings.published_period
    if period is not None and period != published:
        raise InvalidAggregateQuery(
            f"période non publiée : {period} ; les agrégats sont publiés par {published} "
            "seulement (une seule période, pour qu'aucune ne se déduise des autres)",
            allowed=[published],
        )
    if asked.threshold is not None and asked.threshold != settings.min_cell_size:
        raise InvalidAggregateQuery(
            f"seuil : le seuil de diffusion est celui du service ({settings.min_cell_size})"
            " ; un autre seuil donnerait d'autres cellules à comparer"
        )
    for name, value in (("questionnaire", asked.questionnaire), ("instrument", asked.instrument)):
        if value is not None:
            raise InvalidAggregateQuery(
                f"{name} : filtre non proposé, les agrégats portent sur tout le "
                "référentiel (un sous-ensemble se déduirait par différence)"
            )
    if breakdown is not None and territory_level != "departement":
        raise InvalidAggregateQuery(
            "ventilation : proposée au niveau des départements seulement (territoire=departement)",
            allowed=["departement"],
        )
    for name, moment in (("depuis", since), ("jusqu_a", until)):
        if moment is not None:
            _on_period(name, moment, published)
    if since is not None and until is not None and until <= since:
        raise InvalidAggregateQuery("jusqu_a : la fin de la fenêtre vient après son début (depuis)")
    levels = tuple(
        sorted(
            {level.level for found in frameworks.all() if found.code == framework for level in found.levels}
        )
    )
    return service.AggregateQuery(
        framework,
        None,
        territory_level,
        published,
        since,
        until,
        department,
        None,
        levels,
        breakdown,
    )


@router.get("/campagnes/{campaign_id}/resultats")
async def campaign_results(
    campaign_id: str,
    principal: Reader,
    session: SessionDep,
    frameworks: FrameworksDep,
    settings: SurveysSettings,
) -> CampaignResults:
    """A campaign's counts, and its protected figures per dimension and phase and paired progress."""
    campaign = await campaigns.get_campaign(session, campaign_id)
    may_read_results(principal, campaign)
    return await service.campaign_results(session, campaign, frameworks, settings.min_cell_size)


@router.get("/agregats")
async def aggregates(
    settings: SurveysSettings,
    _: Reader,
    session: SessionDep,
    frameworks: FrameworksDep,
    asked: AskedDep,
    referentiel: str,
    territoire: Territory = "commune",
    periode: Literal["mois", "trimestre", "annee"] | None = None,
    depuis: datetime | None = None,
    jusqu_a: datetime | None = None,
    departement: Department = None,
    ventilation: Annotated[
        service.Breakdown | None,
        Query(
            description="Avec territoire=departement : aussi par tranche d'âge, genre ou statut social "
            "(chaque cellule département × catégorie, et les totaux des catégories)"
        ),
    ] = None,
) -> Aggregates:
    """Disclosure-safe aggregates: territory × dimension × phase × published period (n, mean, distribution),
    each a view of one fixed set of tables protected together (docs/disclosure.md)."""
    query = _aggregate_query(
        settings,
        referentiel,
        territoire,
        periode,
        depuis,
        jusqu_a,
        departement,
        frameworks,
        asked,
        ventilation,
    )
    return await service.aggregates(session, query, settings.min_cell_size)


@router.get("/agregats/progression")
async def progress_aggregates(
    settings: SurveysSettings,
    _: Reader,
    session: SessionDep,
    frameworks: FrameworksDep,
    asked: AskedDep,
    referentiel: str,
    depuis: datetime,
    jusqu_a: datetime,
    territoire: Territory = "commune",
    departement: Department = None,
) -> ProgressAggregates:
    """Pre/post progress per territory × dimension over paired respondents, in one published period, protected
    as the aggregates are."""
    query = _aggregate_query(
        settings, referentiel, territoire, None, depuis, jusqu_a, departement, frameworks, asked
    )
    if not service.one_period(depuis, jusqu_a, query.period):
        raise InvalidAggregateQuery(
            f"depuis, jusqu_a : la progression porte sur une seule période publiée "
            f"({query.period}), par exemple du 2026-01-01 au 2027-01-01"
        )
    return await service.paired_progress(session, query, settings.min_cell_size)


@router.get(
    "/exports/reponses",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, XLSX: {}}, "description": "Réponses, une ligne chacune"}},
)
async def export_responses(
    sessions: SessionsDep,
    principal: Exporter,
    session: SessionDep,
    frameworks: FrameworksDep,
    questionnaire: str,
    campagne: str | None = None,
    format: Literal["csv", "xlsx"] = "csv",
) -> Response:
    """Raw responses to every version of a questionnaire (or one campaign), recorded in the access journal:
    one stable column per question key, questionnaire_version and the scores; CSV (UTF-8 with BOM) or XLSX."""
    versions = await exports.versions_of(session, questionnaire)
    if not versions:
        raise NothingToExport(f"Aucun questionnaire {questionnaire}")
    campaign = await campaigns.get_campaign(session, campagne) if campagne is not None else None
    may_export(principal, campaign)
    await record(
        session,
        principal,
        "export-reponses",
        {"questionnaire": questionnaire, "campagne": campagne, "format": format},
    )
    answer_columns, score_columns = exports.columns(versions, frameworks)
    header = exports.header(answer_columns, score_columns)
    batches = exports.rows(sessions, questionnaire, campagne, answer_columns, score_columns)
    filename = f"{questionnaire}-reponses-{utcnow().date().isoformat()}"
    if format == "xlsx":
        return Response(
            await exports.workbook(header, batches),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{filename}.xlsx"'},
        )
    return StreamingResponse(
        exports.csv_chunks(header, batches),
        media_type=CSV,
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )
