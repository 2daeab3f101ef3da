"""Exports of responses: one row per response, one stable column per question key across every version of the
questionnaire (a key never changes meaning), then the scores, as CSV or XLSX."""

import csv
import io
from collections.abc import AsyncIterator, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_kernel.spreadsheets import safe_row
from fne_surveys.frameworks.registry import Frameworks
from fne_surveys.questionnaires import service as questionnaires
from fne_surveys.questionnaires.models import Questionnaire
from fne_surveys.responses.models import Respondent, Response, ResponseScore

FIXED_COLUMNS = (
    "reponse_id",
    "repondant_id",
    "campagne_id",
    "questionnaire_code",
    "questionnaire_version",
    "phase",
    "statut",
    "source",
    "commence_le",
    "termine_le",
    "tranche_age",
    "commune",
    "genre",
    "statut_social",
)
BATCH = 1000


async def versions_of(session: AsyncSession, code: str) -> list[Questionnaire]:
    return list(await session.scalars(select(Questionnaire).where(Questionnaire.code == code)))


def columns(versions: list[Questionnaire], frameworks: Frameworks) -> tuple[list[str], list[str]]:
    """(answer columns, score columns) of every version of a code, in order of first appearance."""
    answer_columns: dict[str, None] = {}
    score_columns: dict[str, None] = {}
    for version in sorted(versions, key=lambda found: found.version):
        definition = questionnaires.definition_of(version)
        for question in definition.questions:
            answer_columns.update(dict.fromkeys(question.answer_keys()))
        if definition.scoring is None:
            continue
        for rule in definition.scoring.rules:
            framework_code, dimension = rule.dimension.split("/")
            framework = frameworks.get(framework_code, definition.scoring.frameworks[framework_code])
            chain = framework.ancestors(dimension) if framework else [dimension]
            score_columns.update(dict.fromkeys(f"score:{framework_code}/{code}" for code in reversed(chain)))
    return list(answer_columns), list(score_columns)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "|".join(str(item) for item in value)
    return value


def _flat_answers(answers: dict[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in answers.items():
        if isinstance(value, dict):
            flat |= {f"{key}.{row}": _cell(item) for row, item in value.items()}
        else:
            flat[key] = _cell(value)
    return flat


async def rows(
    sessions: async_sessionmaker[AsyncSession],
    code: str,
    campaign_id: str | None,
    answer_columns: list[str],
    score_columns: list[str],
) -> AsyncIterator[list[list[Any]]]:
    """The export's rows in batches, by response id (a keyset: no row is read twice or skipped)."""
    after = ""
    while True:
        async with sessions() as session:
            query = (
                select(Response, Respondent, Questionnaire)
                .join(Respondent, Respondent.id == Response.respondent_id)
                .join(Questionnaire, Questionnaire.id == Response.questionnaire_id)
                .where(Questionnaire.code == code, Response.id > after)
                .order_by(Response.id)
                .limit(BATCH)
            )
            if campaign_id:
                query = query.where(Response.campaign_id == campaign_id)
            batch = (await session.execute(query)).all()
            if not batch:
                return
            scores: dict[str, dict[str, float]] = {}
            for score in await session.scalars(
                select(ResponseScore).where(
                    ResponseScore.response_id.in_([response.id for response, _, _ in batch])
                )
            ):
                scores.setdefault(score.response_id, {})[f"score:{score.framework}/{score.dimension}"] = (
                    score.percent
                )
        yield [
            [
                response.id,
                respondent.id,
                response.campaign_id,
                questionnaire.code,
                questionnaire.version,
                response.phase,
                response.status,
                response.source,
                response.started_at.isoformat(),
                response.completed_at.isoformat() if response.completed_at else None,
                respondent.age_band,
                respondent.commune_code,
                respondent.gender,
                respondent.social_status,
                *(_flat_answers(response.answers).get(column) for column in answer_columns),
                *(scores.get(response.id, {}).get(column) for column in score_columns),
            ]
            for response, respondent, questionnaire in batch
        ]
        after = batch[-1][0].id


async def csv_chunks(header: list[str], batches: AsyncIterator[list[list[Any]]]) -> AsyncIterator[bytes]:
    """UTF-8 with a byte-order mark, so that spreadsheet software opens accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield ("\ufeff" + buffer.getvalue()).encode()
    async for batch in batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(safe_row(row) for row in batch)
        yield buffer.getvalue().encode()


async def workbook(header: list[str], batches: AsyncIterator[list[list[Any]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("reponses")
    sheet.append(header)
    async for batch in batches:
        for row in batch:
            sheet.append(safe_row(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def header(answer_columns: Iterable[str], score_columns: Iterable[str]) -> list[str]:
    return [*FIXED_COLUMNS, *answer_columns, *score_columns]
