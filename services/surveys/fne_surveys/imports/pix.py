"""Import of a PIX Orga campaign export (CSV, UTF-8 with BOM, `;`-separated): each shared participant's level
per competence becomes their scores on the PIX/CRCN framework, for the same pseudonymous respondent as their
questionnaires. Participants' names are read past and never stored; unshared results are not imported."""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.db import utcnow
from fne_kernel.errors import InvalidInput, field_error
from fne_kernel.identity import Principal
from fne_surveys.campaigns import service as campaigns
from fne_surveys.campaigns.models import Campaign
from fne_surveys.frameworks.models import Framework
from fne_surveys.responses import pseudonyms
from fne_surveys.responses.models import Consent, Respondent, Response, ResponseScore

FRAMEWORK = "pix-crcn"
SCORING_VERSION = "pix-orga-csv/1"
LEVEL_COLUMN = "Niveau pour la compétence "
PIX_COLUMN = "Nombre de pix pour la compétence "
SHARED_COLUMN = "Partage (O/N)"
TOTAL_COLUMN = "Nombre de pix total"
PIX_PER_LEVEL = 8
MAX_LEVEL = 8


def _folded(text: str) -> str:
    """Names compared without accents, case or punctuation: PIX writes ’ where the decree writes '."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@dataclass
class ImportReport:
    imported: int = 0
    not_shared: int = 0
    already_imported: int = 0
    competences: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    levels: dict[str, int]
    pix: dict[str, int]


def _table(content: bytes) -> list[dict[str, str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput([field_error("fichier", "CSV UTF-8 attendu (l'export PIX Orga l'est)")]) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def _competence_columns(header: list[str], framework: Framework) -> dict[str, tuple[str, str | None]]:
    """competence code → (level column, pix column) by the competences' names; unknown names are errors."""
    by_name = {
        _folded(dimension.label): dimension.code for dimension in framework.dimensions if dimension.parent
    }
    found: dict[str, tuple[str, str | None]] = {}
    errors = []
    for column in header:
        if column.startswith(LEVEL_COLUMN):
            name = column[len(LEVEL_COLUMN) :]
            code = by_name.get(_folded(name))
            if code is None:
                errors.append(field_error(f"colonnes.{column}", f"compétence inconnue du CRCN : {name}"))
                continue
            pix_column = PIX_COLUMN + name
            found[code] = (column, pix_column if pix_column in header else None)
    if errors:
        raise InvalidInput(errors)
    if not found:
        raise InvalidInput(
            [
                field_error(
                    "colonnes",
                    f"aucune colonne « {LEVEL_COLUMN}… » : est-ce un export "
                    "PIX Orga de campagne d'évaluation ou de collecte de profils ?",
                )
            ]
        )
    return found


def _rows(
    table: list[dict[str, str]], identifier: str, columns: dict[str, tuple[str, str | None]]
) -> tuple[list[_Row], int]:
    rows, errors, not_shared = [], [], 0
    for line, record in enumerate(table, start=2):
        if (record.get(SHARED_COLUMN) or "").strip().upper() != "O":
            not_shared += 1
            continue
        code = (record.get(identifier) or "").strip()
        reason = pseudonyms.refusal(code) if code else "identifiant vide"
        if reason:
            errors.append(field_error(f"lignes.{line}.{identifier}", reason))
            continue
        levels, pix = {}, {}
        for competence, (level_column, pix_column) in columns.items():
            level_text = (record.get(level_column) or "").strip()
            if not level_text:
                continue
            if not level_text.isdigit() or int(level_text) > MAX_LEVEL:
                errors.append(field_error(f"lignes.{line}.{level_column}", f"niveau 0 à {MAX_LEVEL} attendu"))
                continue
            levels[competence] = int(level_text)
            pix_text = (record.get(pix_column) or "").strip() if pix_column else ""
            pix[competence] = int(pix_text) if pix_text.isdigit() else int(level_text) * PIX_PER_LEVEL
        if levels:
            rows.append(_Row(line, code, levels, pix))
    if errors:
        raise InvalidInput(errors)
    return rows, not_shared


def _scores(row: _Row, framework: Framework, response_id: str) -> list[dict[str, Any]]:
    """One score per competence (its PIX level) and per domain (the mean of its competences' levels)."""
    per_dimension: dict[str, list[tuple[int, int]]] = {}
    for competence, level in row.levels.items():
        for code in framework.ancestors(competence):
            per_dimension.setdefault(code, []).append((level, row.pix[competence]))
    scores = []
    for code, values in sorted(per_dimension.items()):
        percent = round(sum(level for level, _ in values) / len(values) / MAX_LEVEL * 100, 2)
        scores.append(
            {
                "response_id": response_id,
                "framework": FRAMEWORK,
                "dimension": code,
                "framework_version": framework.version,
                "scoring_version": SCORING_VERSION,
                "raw": float(sum(pix for _, pix in values)),
                "maximum": float(len(values) * MAX_LEVEL * PIX_PER_LEVEL),
                "percent": percent,
                "level": framework.level_for(percent).level,
                "items": len(values),
            }
        )
    return scores


async def import_pix_orga(
    session: AsyncSession,
    campaign: Campaign,
    content: bytes,
    identifier: str,
    phase: str,
    actor: Principal,
    framework: Framework,
    pseudonym_key: bytes,
) -> ImportReport:
    """All or nothing: a file with an invalid row imports no row. A participant already imported for this
    campaign and phase is skipped, so the same file can be sent twice."""
    table = _table(content)
    header = list(table[0].keys()) if table else []
    if identifier not in header:
        raise InvalidInput(
            [
                field_error(
                    "colonne_identifiant",
                    f"colonne absente du fichier : {identifier}",
                    allowed=[
                        column for column in header if not column.startswith((LEVEL_COLUMN, PIX_COLUMN))
                    ],
                )
            ]
        )
    columns = _competence_columns(header, framework)
    rows, not_shared = _rows(table, identifier, columns)
    now = utcnow()
    campaigns.check_accepting(campaign, "pix_orga", now)
    report = ImportReport(not_shared=not_shared, competences=sorted(columns))
    for row in rows:
        respondent = await _respondent(session, pseudonyms.pseudonym(pseudonym_key, row.code), actor, now)
        if (
            await session.scalar(
                select(Response.id).where(
                    Response.campaign_id == campaign.id,
                    Response.respondent_id == respondent.id,
                    Response.phase == phase,
                    Response.source == "pix_orga",
                )
            )
            is not None
        ):
            report.already_imported += 1
            continue
        response = Response(
            campaign_id=campaign.id,
            questionnaire_id=campaign.questionnaire_id,
            respondent_id=respondent.id,
            phase=phase,
            status="completed",
            source="pix_orga",
            answers={},
            administered_by=actor.subject,
            version=1,
            started_at=now,
            updated_at=now,
            completed_at=now,
        )
        session.add(response)
        await session.flush()
        await session.execute(insert(ResponseScore), _scores(row, framework, response.id))
        report.imported += 1
    await session.flush()
    return report


async def _respondent(session: AsyncSession, pseudonym: str, actor: Principal, now: datetime) -> Respondent:
    respondent = await session.scalar(select(Respondent).where(Respondent.pseudonym == pseudonym))
    if respondent is None:
        respondent = Respondent(pseudonym=pseudonym, created_at=now)
        session.add(respondent)
        await session.flush()
    if await session.scalar(select(Consent.id).where(Consent.respondent_id == respondent.id)) is None:
        # "Partage = O": the participant chose to share their PIX results with the structure.
        session.add(
            Consent(
                respondent_id=respondent.id,
                purpose="evaluation_autonomie",
                given_at=now,
                sharing="partage",
                shared_at=now,
                recorded_by=actor.subject,
            )
        )
    return respondent
