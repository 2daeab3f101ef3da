"""The ready questionnaires shipped with the service, as data: the PIX-aligned self-assessment and the citizen
survey are XLSForm-like files; each capacity web's questionnaire is built from its framework's definition file
(`"kind": "toile"`), so that adopting another grid (a new version of that file, or a file of another code)
gives a new version of the questionnaire, or a questionnaire of its own — without a change of code."""

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fne_kernel.identity import Principal
from fne_kernel.logging import get_logger
from fne_surveys.frameworks.models import Framework
from fne_surveys.frameworks.registry import Frameworks
from fne_surveys.questionnaires import service
from fne_surveys.questionnaires.definition import Definition
from fne_surveys.questionnaires.exceptions import DraftAlreadyOpen
from fne_surveys.questionnaires.models import Questionnaire

SHIPPED_DIR = Path(str(files("fne_surveys") / "data" / "questionnaires"))
AUTONOMY = "autonomie-cra"
INSTALLER = Principal(kind="system", subject="catalogue", name="Questionnaires fournis")

logger = get_logger("fne.surveys.catalogue")


def toile_definition(toile: Framework, autonomy: Framework) -> Definition:
    """One scale question per axis of the toile, on the toile's own scale, scored on its axis; then the
    national activity report's autonomy per topic, as a grid the mediator fills for the topics worked on."""
    low, high = toile.scale[0].value, toile.scale[-1].value
    scale_hint = " · ".join(f"{point.value} = {point.label}" for point in toile.scale)
    # Raw XLSForm-like documents, checked by Definition.model_validate below.
    questions: list[dict[str, Any]] = [
        {"key": "consigne", "type": "note", "label": {"fr": toile.description}}
    ]
    questions += [
        {
            "key": f"axe_{axis.code}",
            "type": "scale",
            "required": True,
            "minimum": low,
            "maximum": high,
            "label": {"fr": axis.question or axis.label},
            "hint": {"fr": scale_hint},
        }
        for axis in toile.dimensions
    ]
    topics = [
        topic
        for topic in autonomy.dimensions
        if topic.group == "mediation_numerique" or topic.code == "aide_aux_demarches_administratives"
    ]
    questions.append(
        {
            "key": "autonomie_thematiques",
            "type": "grid",
            "label": {
                "fr": "Pour les thématiques travaillées, autonomie constatée (compte rendu d'activité "
                "national)"
            },
            "hint": {"fr": "Rempli par le médiateur ; laissez vides les thématiques non abordées."},
            "choices": [{"value": point.code, "label": {"fr": point.label}} for point in autonomy.scale],
            "items": [{"key": topic.code, "label": {"fr": topic.label}} for topic in topics],
        }
    )
    rules: list[dict[str, Any]] = [
        {"question": f"axe_{axis.code}", "dimension": f"{toile.code}/{axis.code}", "kind": "value"}
        for axis in toile.dimensions
    ]
    rules += [
        {
            "question": f"autonomie_thematiques.{topic.code}",
            "dimension": f"{autonomy.code}/{topic.code}",
            "kind": "points",
            "points": {point.code: point.value for point in autonomy.scale},
        }
        for topic in topics
    ]
    return Definition.model_validate(
        {
            "code": toile.code,
            "mode": "mediator",
            "title": {"fr": toile.title},
            "questions": questions,
            "scoring": {
                "version": f"toile-{toile.version}",
                "frameworks": {toile.code: toile.version, autonomy.code: autonomy.version},
                "rules": rules,
            },
        }
    )


def shipped_definitions(frameworks: Frameworks) -> list[Definition]:
    definitions = []
    for path in sorted(SHIPPED_DIR.glob("*.json")):
        definitions.append(service.parsed_xlsform(json.loads(path.read_text(encoding="utf-8")), frameworks))
    autonomy = frameworks.latest(AUTONOMY)
    toiles = {
        framework.code: frameworks.latest(framework.code)
        for framework in frameworks.all()
        if framework.kind == "toile"
    }
    if autonomy is not None:
        definitions += [
            service.checked(toile_definition(toile, autonomy), frameworks)
            for _, toile in sorted(toiles.items())
            if toile is not None
        ]
    return definitions


async def install(session: AsyncSession, frameworks: Frameworks) -> list[Questionnaire]:
    """Publishes each shipped questionnaire whose content no version of its code has yet."""
    installed = []
    for definition in shipped_definitions(frameworks):
        content_hash = definition.content_hash()
        known = await session.scalar(
            select(Questionnaire.id).where(
                Questionnaire.code == definition.code, Questionnaire.content_hash == content_hash
            )
        )
        if known is None:
            try:
                draft = await service.create_draft(session, definition, INSTALLER, frameworks)
            except DraftAlreadyOpen:
                logger.warning(
                    "shipped questionnaire not installed: a draft is open", extra={"code": definition.code}
                )
                continue
            installed.append(await service.publish(session, draft, frameworks))
    return installed


async def install_at_start(sessions: async_sessionmaker[AsyncSession], frameworks: Frameworks) -> None:
    try:
        async with sessions() as session, session.begin():
            for questionnaire in await install(session, frameworks):
                logger.info(
                    "questionnaire installed",
                    extra={"code": questionnaire.code, "version": questionnaire.version},
                )
    except IntegrityError:
        logger.info("questionnaires installed by another worker")
    except Exception:  # a start-up convenience: the service serves without it, the log says why
        logger.exception("shipped questionnaires not installed")
