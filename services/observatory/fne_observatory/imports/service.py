"""Dataset versions: storing a validated file or a computation, publishing it, withdrawing it.

Publishing version n of a dataset replaces its earlier published version (status `remplace`); withdrawing
version n brings back the version it had replaced. Values another dataset publishes are never overwritten:
publishing over them is a conflict. Each change rebuilds the published values of the (indicator, period)
pairs concerned, in the same transaction.
"""

import hashlib
from typing import Any, cast

import orjson
from pydantic import ValidationError
from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.db import utcnow
from fne_kernel.errors import InvalidInput, field_errors
from fne_observatory.imports.exceptions import (
    ImportConflict,
    ImportInvalid,
    ImportNotFound,
    ImportStateConflict,
    UnreadableUpload,
)
from fne_observatory.imports.models import DatasetImport, ImportKind, ImportStatus, Observation
from fne_observatory.imports.reader import UnreadableFile, read_table
from fne_observatory.imports.schemas import ImportOut, ImportParameters
from fne_observatory.imports.validation import Validated, validate
from fne_observatory.indicators.values import Pair, recompute

BATCH_SIZE = 2000
MAX_CONFLICTS_LISTED = 20


def import_out(item: DatasetImport) -> ImportOut:
    return ImportOut(
        id=item.id,
        jeu=item.dataset,
        version=item.version,
        type=item.kind,
        titre=item.title,
        source=item.source,
        millesime=item.vintage,
        statut_valeurs=item.value_status,
        statut=item.status,
        fichier=item.filename,
        empreinte_sha256=item.file_sha256,
        parametres=item.mapping,
        rapport=item.report,
        observations=item.observation_count,
        cree_le=item.created_at,
        cree_par=item.created_by,
        publie_le=item.published_at,
        publie_par=item.published_by,
        retire_le=item.withdrawn_at,
        retire_par=item.withdrawn_by,
        note=item.note,
        verifie_le=item.checked_at,
    )


async def get_import(session: AsyncSession, import_id: str) -> DatasetImport:
    item = await session.get(DatasetImport, import_id)
    if item is None:
        raise ImportNotFound(f"Aucun import {import_id}", import_id=import_id)
    return item


async def list_imports(
    session: AsyncSession, dataset: str | None, status: ImportStatus | None, limit: int, offset: int
) -> tuple[list[DatasetImport], int]:
    conditions = []
    if dataset:
        conditions.append(DatasetImport.dataset == dataset)
    if status:
        conditions.append(DatasetImport.status == status)
    total = await session.scalar(select(func.count()).select_from(DatasetImport).where(*conditions)) or 0
    items = await session.scalars(
        select(DatasetImport)
        .where(*conditions)
        .order_by(DatasetImport.created_at.desc(), DatasetImport.id)
        .limit(limit)
        .offset(offset)
    )
    return list(items), total


async def check_file(
    session: AsyncSession, content: bytes, filename: str, parameters: ImportParameters
) -> Validated:
    """Reads and validates, storing nothing. A mapping error raises a 422 naming the field."""
    try:
        table = read_table(content, parameters.feuille)
    except UnreadableFile as exc:
        raise UnreadableUpload(str(exc), fichier=filename) from exc
    if not table.rows:
        raise UnreadableUpload("aucune ligne de données sous l'en-tête", fichier=filename)
    details = {
        "nom": filename,
        "octets": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        **table.details,
    }
    return await validate(session, parameters, table, details)


async def _next_version(session: AsyncSession, dataset: str) -> int:
    return (
        await session.scalar(select(func.max(DatasetImport.version)).where(DatasetImport.dataset == dataset))
        or 0
    ) + 1


async def _store(
    session: AsyncSession, item: DatasetImport, observations: list[dict[str, Any]]
) -> DatasetImport:
    session.add(item)
    try:
        await session.flush()
    except IntegrityError as exc:  # another version of the same dataset was stored at the same moment
        raise ImportStateConflict(
            f"Une autre version de {item.dataset} vient d'être enregistrée : réessayez", jeu=item.dataset
        ) from exc
    rows = [{**observation, "import_id": item.id} for observation in observations]
    for start in range(0, len(rows), BATCH_SIZE):
        # Core, not ORM, bulk insert: several times faster for tens of thousands of rows.
        await session.execute(insert(cast(Table, Observation.__table__)), rows[start : start + BATCH_SIZE])
    await session.flush()
    return item


async def create_import(
    session: AsyncSession, content: bytes, filename: str, parameters: ImportParameters, actor: str
) -> DatasetImport:
    """A new version of the dataset, validated and stored, not public: publishing is the next step."""
    validated = await check_file(session, content, filename, parameters)
    if not validated.valid:
        raise ImportInvalid(
            f"{len(validated.report['erreurs'])} erreur(s) listée(s) : rien n'a été enregistré",
            rapport=validated.report,
        )
    return await _store(
        session,
        DatasetImport(
            dataset=parameters.jeu,
            version=await _next_version(session, parameters.jeu),
            kind=ImportKind.FILE,
            title=parameters.titre,
            source=parameters.source,
            vintage=parameters.millesime,
            value_status=parameters.statut,
            status=ImportStatus.VALID,
            filename=filename,
            file_sha256=validated.report["fichier"]["sha256"],
            mapping=parameters.model_dump(mode="json"),
            report=validated.report,
            observation_count=len(validated.observations),
            created_at=utcnow(),
            created_by=actor,
            note=parameters.note,
        ),
        validated.observations,
    )


def content_hash(title: str, source: str, observations: list[dict[str, Any]]) -> str:
    """The values of a computation, whatever their order: equal hashes, equal published values."""
    cells = sorted(
        observations,
        key=lambda row: (row["indicator_code"], row["period"], row["territory_level"], row["territory_code"]),
    )
    return hashlib.sha256(orjson.dumps([title, source, cells], option=orjson.OPT_SORT_KEYS)).hexdigest()


async def store_computation(
    session: AsyncSession,
    *,
    dataset: str,
    kind: ImportKind,
    title: str,
    source: str,
    vintage: str,
    observations: list[dict[str, Any]],
    report: dict[str, Any],
    actor: str,
) -> DatasetImport:
    """A computation's results (from the directory, the surveys, the roadmap's sources), stored and published
    at once — unless they are the published version's very values: that version is then only marked as
    checked now (`checked_at`), and no new version is stored."""
    digest = content_hash(title, source, observations)
    now = utcnow()
    published = await session.scalar(
        select(DatasetImport).where(
            DatasetImport.dataset == dataset, DatasetImport.status == ImportStatus.PUBLISHED
        )
    )
    if published is not None and published.content_sha256 == digest:
        published.checked_at = now
        await session.flush()
        return published
    item = await _store(
        session,
        DatasetImport(
            dataset=dataset,
            version=await _next_version(session, dataset),
            kind=kind,
            title=title,
            source=source,
            vintage=vintage,
            value_status="provisoire" if kind == ImportKind.SURVEYS else "definitif",
            status=ImportStatus.VALID,
            content_sha256=digest,
            mapping={},
            report=report,
            observation_count=len(observations),
            created_at=now,
            checked_at=now,
            created_by=actor,
        ),
        observations,
    )
    return await publish(session, item, actor)


async def _pairs(session: AsyncSession, import_ids: list[str]) -> set[Pair]:
    if not import_ids:
        return set()
    rows = await session.execute(
        select(Observation.indicator_code, Observation.period)
        .where(Observation.import_id.in_(import_ids))
        .distinct()
    )
    return {(indicator, period) for indicator, period in rows}


async def _conflicts(session: AsyncSession, item: DatasetImport) -> tuple[int, list[dict[str, str]]]:
    """Cells of this import already published by another dataset."""
    mine = (
        select(
            Observation.indicator_code,
            Observation.period,
            Observation.territory_level,
            Observation.territory_code,
        )
        .where(Observation.import_id == item.id)
        .subquery()
    )
    theirs = (
        select(
            Observation.indicator_code,
            Observation.period,
            Observation.territory_level,
            Observation.territory_code,
            DatasetImport.dataset,
            DatasetImport.version,
        )
        .join(DatasetImport, DatasetImport.id == Observation.import_id)
        .join(
            mine,
            (mine.c.indicator_code == Observation.indicator_code)
            & (mine.c.period == Observation.period)
            & (mine.c.territory_level == Observation.territory_level)
            & (mine.c.territory_code == Observation.territory_code),
        )
        .where(DatasetImport.status == ImportStatus.PUBLISHED, DatasetImport.dataset != item.dataset)
    )
    count = await session.scalar(select(func.count()).select_from(theirs.subquery())) or 0
    examples = [
        {
            "indicateur": indicator,
            "periode": period,
            "territoire": f"{level}:{code}",
            "jeu": dataset,
            "version": str(version),
        }
        for indicator, period, level, code, dataset, version in await session.execute(
            theirs.limit(MAX_CONFLICTS_LISTED)
        )
    ]
    return count, examples


async def publish(session: AsyncSession, item: DatasetImport, actor: str) -> DatasetImport:
    if item.status not in (ImportStatus.VALID, ImportStatus.WITHDRAWN):
        raise ImportStateConflict(
            f"Import {item.status} : seul un import validé ou retiré se publie", statut=item.status
        )
    count, examples = await _conflicts(session, item)
    if count:
        raise ImportConflict(
            f"{count} valeur(s) déjà publiées par un autre jeu : retirez-le, ou importez ce fichier "
            "comme une nouvelle version de ce jeu",
            conflits=count,
            exemples=examples,
        )
    replaced = list(
        await session.scalars(
            select(DatasetImport).where(
                DatasetImport.dataset == item.dataset, DatasetImport.status == ImportStatus.PUBLISHED
            )
        )
    )
    for previous in replaced:
        previous.status = ImportStatus.REPLACED
    item.status, item.published_at, item.published_by = ImportStatus.PUBLISHED, utcnow(), actor
    item.withdrawn_at = item.withdrawn_by = None
    await session.flush()
    await recompute(session, await _pairs(session, [item.id, *(previous.id for previous in replaced)]))
    return item


async def withdraw(session: AsyncSession, item: DatasetImport, actor: str) -> DatasetImport:
    """Unpublishes a version; the version it replaced (the latest one published before it) comes back."""
    if item.status != ImportStatus.PUBLISHED:
        raise ImportStateConflict(
            f"Import {item.status} : seul un import publié se retire", statut=item.status
        )
    item.status, item.withdrawn_at, item.withdrawn_by = ImportStatus.WITHDRAWN, utcnow(), actor
    restored = await session.scalar(
        select(DatasetImport)
        .where(DatasetImport.dataset == item.dataset, DatasetImport.status == ImportStatus.REPLACED)
        .order_by(DatasetImport.published_at.desc())
        .limit(1)
    )
    if restored is not None:
        restored.status = ImportStatus.PUBLISHED
    await session.flush()
    await recompute(session, await _pairs(session, [item.id, *([restored.id] if restored else [])]))
    return item


async def discard(session: AsyncSession, item: DatasetImport) -> None:
    """Deletes a version that is not public (validated or withdrawn), with its observations."""
    if item.status in (ImportStatus.PUBLISHED, ImportStatus.REPLACED):
        raise ImportStateConflict(
            "Un import publié (ou remplacé, qui peut revenir) ne se supprime pas : retirez-le d'abord",
            statut=item.status,
        )
    await session.execute(delete(Observation).where(Observation.import_id == item.id))
    await session.delete(item)
    await session.flush()


def parse_parameters(raw: str) -> ImportParameters:
    """The `parametres` form field: JSON, validated, errors named under `parametres`."""
    try:
        return ImportParameters.model_validate_json(raw)
    except ValidationError as exc:
        errors = [{**error, "loc": ("body", "parametres", *error["loc"])} for error in exc.errors()]
        raise InvalidInput(field_errors(errors)) from exc
