"""Questionnaire versions: drafts, publication (immutable, content hash, stable keys), retirement.

Functions take the request's session and only flush(); the request dependency commits.
"""

from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession

from fne_kernel.db import utcnow
from fne_kernel.errors import InvalidInput, field_error, field_errors
from fne_kernel.identity import Principal
from fne_kernel.pagination import PageRequest
from fne_surveys.frameworks.registry import Frameworks
from fne_surveys.questionnaires.definition import Definition, QuestionType, problems
from fne_surveys.questionnaires.exceptions import (
    DraftAlreadyOpen,
    NotADraft,
    NotPublished,
    QuestionnaireNotFound,
    QuestionnaireRetired,
)
from fne_surveys.questionnaires.models import Questionnaire
from fne_surveys.questionnaires.xlsform import XLSFormError, from_xlsform

# Published versions never change: their parsed definitions are kept, keyed by id and content hash.
_published_definitions: dict[tuple[str, str], Definition] = {}


def definition_of(questionnaire: Questionnaire) -> Definition:
    if questionnaire.content_hash is None:
        return Definition.model_validate(questionnaire.definition)
    key = (questionnaire.id, questionnaire.content_hash)
    if key not in _published_definitions:
        if len(_published_definitions) > 1000:
            _published_definitions.clear()
        _published_definitions[key] = Definition.model_validate(questionnaire.definition)
    return _published_definitions[key]


def checked(definition: Definition, frameworks: Frameworks) -> Definition:
    errors = problems(definition, frameworks)
    if errors:
        raise InvalidInput(errors)
    return definition


def parsed_xlsform(document: dict[str, Any], frameworks: Frameworks) -> Definition:
    try:
        payload = from_xlsform(document)
        return checked(Definition.model_validate(payload), frameworks)
    except XLSFormError as exc:
        raise InvalidInput(exc.errors) from exc
    except ValidationError as exc:
        raise InvalidInput(field_errors(exc.errors(), location="definition")) from exc


async def get_questionnaire(session: AsyncSession, questionnaire_id: str) -> Questionnaire:
    questionnaire = await session.get(Questionnaire, questionnaire_id)
    if questionnaire is None:
        raise QuestionnaireNotFound(f"Aucun questionnaire {questionnaire_id}")
    return questionnaire


async def list_questionnaires(
    session: AsyncSession, paging: PageRequest, code: str | None, status: str | None
) -> tuple[list[Questionnaire], int]:
    query = select(Questionnaire)
    if code:
        query = query.where(Questionnaire.code == code)
    if status:
        query = query.where(Questionnaire.status == status)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(
        query.order_by(Questionnaire.code, Questionnaire.version).offset(paging.offset).limit(paging.size)
    )
    return list(rows), total


async def create_draft(
    session: AsyncSession, definition: Definition, actor: Principal, frameworks: Frameworks
) -> Questionnaire:
    checked(definition, frameworks)
    versions = list(await session.scalars(select(Questionnaire).where(Questionnaire.code == definition.code)))
    if any(version.status == "draft" for version in versions):
        raise DraftAlreadyOpen(f"Publiez ou supprimez le brouillon en cours de {definition.code} d'abord")
    now = utcnow()
    questionnaire = Questionnaire(
        code=definition.code,
        version=max((version.version for version in versions), default=0) + 1,
        status="draft",
        title=definition.title["fr"],
        definition=definition.model_dump(mode="json", exclude_none=True),
        created_at=now,
        created_by=actor.subject,
        updated_at=now,
    )
    session.add(questionnaire)
    await session.flush()
    return questionnaire


async def replace_draft(
    session: AsyncSession, questionnaire: Questionnaire, definition: Definition, frameworks: Frameworks
) -> Questionnaire:
    if questionnaire.status != "draft":
        raise NotADraft("Une version publiée est immuable : créez une nouvelle version")
    if definition.code != questionnaire.code:
        raise InvalidInput(
            [field_error("code", f"le code d'un brouillon ne change pas ({questionnaire.code})")]
        )
    checked(definition, frameworks)
    questionnaire.definition = definition.model_dump(mode="json", exclude_none=True)
    questionnaire.title = definition.title["fr"]
    questionnaire.updated_at = utcnow()
    await session.flush()
    return questionnaire


async def delete_draft(session: AsyncSession, questionnaire: Questionnaire) -> None:
    if questionnaire.status != "draft":
        raise NotADraft("Une version publiée n'est jamais supprimée : retirez-la")
    await session.delete(questionnaire)
    await session.flush()


def _comparable_shape(shape: dict[str, Any]) -> dict[str, Any]:
    """What must not change for a key to keep its meaning: its type and, for numbers on a scale, the scale.
    Choices may be added or dropped and grid rows too (each row has its own key)."""
    bounded = shape["type"] in (QuestionType.SCALE.value, QuestionType.GRID.value)
    return {
        "type": shape["type"],
        **({"minimum": shape["minimum"], "maximum": shape["maximum"]} if bounded else {}),
    }


async def _meaning_changes(
    session: AsyncSession, questionnaire: Questionnaire, definition: Definition
) -> list[dict[str, Any]]:
    earlier = await session.scalars(
        select(Questionnaire).where(Questionnaire.code == questionnaire.code, Questionnaire.status != "draft")
    )
    known: dict[str, tuple[int, dict[str, Any]]] = {}
    for version in sorted(earlier, key=lambda found: found.version):
        for question in definition_of(version).questions:
            known.setdefault(question.key, (version.version, _comparable_shape(question.shape())))
    errors = []
    for index, question in enumerate(definition.questions):
        if question.key in known and known[question.key][1] != _comparable_shape(question.shape()):
            meant_in, shape = known[question.key]
            errors.append(
                field_error(
                    f"questions.{index}.key",
                    f"la clé {question.key} a un autre sens depuis la version {meant_in} "
                    f"({shape}) : une clé publiée ne change jamais de sens, choisissez-en une nouvelle",
                    "key_reused",
                )
            )
    return errors


async def publish(
    session: AsyncSession, questionnaire: Questionnaire, frameworks: Frameworks
) -> Questionnaire:
    if questionnaire.status != "draft":
        raise NotADraft("Version déjà publiée" if questionnaire.status == "published" else "Version retirée")
    definition = checked(Definition.model_validate(questionnaire.definition), frameworks)
    errors = await _meaning_changes(session, questionnaire, definition)
    if errors:
        raise InvalidInput(errors)
    now = utcnow()
    questionnaire.status, questionnaire.published_at, questionnaire.updated_at = "published", now, now
    questionnaire.content_hash = definition.content_hash()
    await session.flush()
    return questionnaire


async def retire(session: AsyncSession, questionnaire: Questionnaire) -> Questionnaire:
    if questionnaire.status == "draft":
        raise NotPublished("Un brouillon se supprime, il ne se retire pas")
    if questionnaire.status == "published":
        now = utcnow()
        questionnaire.status, questionnaire.retired_at, questionnaire.updated_at = "retired", now, now
        await session.flush()
    return questionnaire


async def answerable(session: AsyncSession, questionnaire: Questionnaire) -> Definition:
    """The definition of a version that may receive answers now (published, not retired).

    Submissions read the version without its definition (`defer`): a published one is parsed once per process,
    from the cache keyed by its content hash, and read from the database only when missing there."""
    if questionnaire.status == "retired":
        raise QuestionnaireRetired(
            f"{questionnaire.code} v{questionnaire.version} ne reçoit plus de réponses"
        )
    if questionnaire.status != "published":
        raise NotPublished(f"{questionnaire.code} v{questionnaire.version} est un brouillon")
    cached = _published_definitions.get((questionnaire.id, questionnaire.content_hash or ""))
    if cached is not None:
        return cached
    if "definition" in inspect(questionnaire).unloaded:
        await session.refresh(questionnaire, ["definition"])
    return definition_of(questionnaire)
