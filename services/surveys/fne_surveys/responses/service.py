"""Responses: pseudonymous respondents, consent, answers saved in parts and resumed, completion with scoring,
idempotent submissions and an edit trail.

Everything is checked before anything is written; functions only flush(), the request dependency commits.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Select, String, bindparam, delete, exists, func, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from fne_kernel.db import utcnow
from fne_kernel.errors import InvalidInput, field_error
from fne_kernel.pagination import PageRequest
from fne_surveys.campaigns import service as campaigns
from fne_surveys.campaigns.exceptions import CampaignNotFound
from fne_surveys.campaigns.models import Campaign
from fne_surveys.frameworks.registry import Frameworks
from fne_surveys.ids import new_id
from fne_surveys.questionnaires import answers as answer_rules
from fne_surveys.questionnaires import service as questionnaires
from fne_surveys.questionnaires.definition import Definition
from fne_surveys.questionnaires.models import Questionnaire
from fne_surveys.questionnaires.scoring import DimensionScore, score
from fne_surveys.responses import pseudonyms
from fne_surveys.responses.batch import Batch
from fne_surveys.responses.exceptions import (
    DuplicateSubmission,
    PhaseAlreadyCompleted,
    ResponseNotFound,
    ResumeTokenInvalid,
    VersionConflict,
)
from fne_surveys.responses.models import Consent, Respondent, Response, ResponseChange, ResponseScore
from fne_surveys.responses.schemas import Attributes, ConsentInput
from fne_surveys.territories import communes


@dataclass(frozen=True)
class Who:
    """Who fills: the source channel and the account administering (never the beneficiary)."""

    source: str  # mediator | public | pix_orga
    actor: str  # Principal.subject, or "public"


@dataclass(frozen=True)
class Opening:
    """What a new response needs besides its answers."""

    campaign_id: str
    beneficiary_code: str | None
    phase: str | None
    attributes: Attributes | None
    consent: ConsentInput | None
    idempotency_key: str | None = None


def resume_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def _respondent(session: AsyncSession, pseudonym_key: bytes, code: str | None) -> Respondent | None:
    if code is None:
        return None
    return await session.scalar(
        select(Respondent).where(Respondent.pseudonym == pseudonyms.pseudonym(pseudonym_key, code))
    )


def _consent_row(respondent_id: str, consent: ConsentInput, actor: str, now: datetime) -> dict[str, Any]:
    return {
        "respondent_id": respondent_id,
        "purpose": consent.finalite,
        "given_at": now,
        "sharing": "partage" if consent.partage else "a_partager",
        "shared_at": now if consent.partage else None,
        "recorded_by": actor,
    }


ATTRIBUTE_COLUMNS = ("age_band", "commune_code", "epci_code", "gender", "social_status")
# The public attribute names (French) → the respondent's columns.
_COLUMN_OF = {
    "tranche_age": "age_band",
    "commune": "commune_code",
    "genre": "gender",
    "statut_social": "social_status",
}


def _attributes(attributes: Attributes | None) -> dict[str, Any]:
    """The respondent's columns set by these attributes, the EPCI derived from the commune."""
    given = attributes.model_dump(exclude_unset=True) if attributes else {}
    values = {_COLUMN_OF[name]: value for name, value in given.items()}
    if "commune_code" in values:
        commune = communes().get(values["commune_code"]) if values["commune_code"] else None
        values["epci_code"] = commune.epci_code if commune else None
    return values


def _check_commune(attributes: Attributes | None) -> None:
    code = attributes.commune if attributes else None
    if code is not None and code not in communes():
        raise InvalidInput([field_error("attributs.commune", f"code INSEE de commune inconnu : {code}")])


def _duplicate(exc: IntegrityError) -> DuplicateSubmission:
    # Two submissions at the same moment with the same idempotency key, or completing the same phase of the
    # same person, or opening the first session of the same person: the unique constraints decide.
    return DuplicateSubmission(
        "Une réponse identique (même clé, même phase ou même personne) vient d'être enregistrée"
    )


async def _completed_phases(
    session: AsyncSession, campaign_id: str, respondent_id: str | None, source: str
) -> set[str]:
    """The phases this person has completed in the campaign through this channel's instrument (a PIX Orga
    import of the same phase is another measure, not a second answer)."""
    if respondent_id is None:
        return set()
    instrument = Response.source == "pix_orga" if source == "pix_orga" else Response.source != "pix_orga"
    return set(
        await session.scalars(
            select(Response.phase).where(
                Response.campaign_id == campaign_id,
                Response.respondent_id == respondent_id,
                Response.status == "completed",
                instrument,
            )
        )
    )


def _phase(requested: str | None, done: set[str]) -> str:
    if requested is not None:
        if requested in done and requested != "follow_up":
            raise PhaseAlreadyCompleted(
                f"Phase {requested} déjà remplie dans cette campagne : choisissez post ou follow_up",
                completed_phases=sorted(done),
            )
        return requested
    return "pre" if "pre" not in done else "post" if "post" not in done else "follow_up"


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _score_rows(
    response: Response, scores: list[DimensionScore], scoring_version: str
) -> list[dict[str, Any]]:
    return [
        {
            "response_id": response.id,
            "framework": found.framework,
            "dimension": found.dimension,
            "framework_version": found.framework_version,
            "scoring_version": scoring_version,
            "raw": found.raw,
            "maximum": found.maximum,
            "percent": found.percent,
            "level": found.level,
            "items": found.items,
        }
        for found in scores
    ]


def _scoring_version(questionnaire: Questionnaire, definition: Definition) -> str:
    scoring = definition.scoring.version if definition.scoring else "none"
    return f"{questionnaire.code}@{questionnaire.version}/{scoring}"


def _checked_answers(
    definition: Definition, current: dict[str, Any], changes: dict[str, Any], complete: bool
) -> dict[str, Any]:
    merged, errors = answer_rules.merge(definition, current, changes)
    if not errors and complete:
        merged, errors = answer_rules.completed(definition, merged)
    if errors:
        raise InvalidInput(errors)
    return merged


async def _complete(session: AsyncSession, response: Response, campaign: Campaign, now: datetime) -> None:
    await campaigns.check_quota(session, campaign)
    response.status, response.completed_at, response.resume_token_hash = "completed", now, None


def _scored(
    response: Response, questionnaire: Questionnaire, definition: Definition, frameworks: Frameworks
) -> list[dict[str, Any]]:
    return _score_rows(
        response, score(definition, response.answers, frameworks), _scoring_version(questionnaire, definition)
    )


async def _accepting(
    session: AsyncSession, campaign: Campaign, source: str, complete: bool, now: datetime
) -> Campaign:
    campaigns.check_accepting(campaign, source, now)
    if complete and campaign.quota is not None:
        # Serialises the last responses of a campaign with a quota (a no-op on SQLite, which writes one at a
        # time).
        campaign = await campaigns.get_campaign(session, campaign.id, for_update=True)
    return campaign


async def _campaign_for_answers(
    session: AsyncSession, campaign_id: str, source: str, complete: bool, now: datetime
) -> Campaign:
    return await _accepting(
        session, await campaigns.get_campaign(session, campaign_id), source, complete, now
    )


@dataclass(frozen=True)
class Saved:
    """A response as just written, with its scores (so that answering needs no second read)."""

    response: Response
    questionnaire: Questionnaire  # held here: the session's identity map keeps objects only while referenced
    scores: list[ResponseScore] | None  # None: not at hand, to be read
    resume_token: str | None = None


@dataclass(frozen=True)
class Context:
    """What a new submission needs from the database: the campaign, its questionnaire version (without the
    definition: published versions are parsed once and cached by content hash), an earlier submission with the
    same idempotency key, the person (from their pseudonym) and whether they have consented."""

    campaign: Campaign
    questionnaire: Questionnaire
    replay_of: str | None
    respondent_id: str | None
    consented: bool


@lru_cache(maxsize=4)
def _context_query(with_key: bool, with_pseudonym: bool) -> Select[Any]:
    """The read of `_context`, built once per shape: its values are bound parameters."""
    nothing = literal(None, String)
    replay = (
        select(Response.id)
        .where(Response.campaign_id == Campaign.id, Response.idempotency_key == bindparam("key"))
        .scalar_subquery()
        if with_key
        else nothing
    )
    pseudonym = bindparam("pseudonym", type_=String)
    person = (
        select(Respondent.id).where(Respondent.pseudonym == pseudonym).scalar_subquery()
        if with_pseudonym
        else nothing
    )
    consented = (
        exists().where(
            Consent.respondent_id == Respondent.id,
            Respondent.pseudonym == pseudonym,
            Consent.withdrawn_at.is_(None),
        )
        if with_pseudonym
        else literal(False)
    )
    return (
        select(
            Campaign,
            Questionnaire,
            replay.label("replay"),
            person.label("person"),
            consented.label("consented"),
        )
        .join(Questionnaire, Questionnaire.id == Campaign.questionnaire_id)
        .where(Campaign.id == bindparam("campaign_id"))
        .options(defer(Questionnaire.definition))
    )


async def _context(
    session: AsyncSession, campaign_id: str, idempotency_key: str | None, pseudonym: str | None
) -> Context:
    """One read (a new person's submission needs no other): each round trip costs more than these lookups."""
    query = _context_query(idempotency_key is not None, pseudonym is not None)
    found = (
        await session.execute(
            query, {"campaign_id": campaign_id, "key": idempotency_key, "pseudonym": pseudonym}
        )
    ).first()
    if found is None:
        raise CampaignNotFound(f"Aucune campagne {campaign_id}")
    return Context(found[0], found[1], found.replay, found.person, bool(found.consented))


async def open_response(
    session: AsyncSession,
    opening: Opening,
    changes: dict[str, Any],
    complete: bool,
    who: Who,
    pseudonym_key: bytes,
    frameworks: Frameworks,
) -> Saved:
    """Creates a response (and its respondent and consent when new), with the resume token of an unfinished
    public response (given once, stored hashed).

    The hot path of the benchmark: a new person's submission is one read and one write (on PostgreSQL),
    whatever the number of answers and dimensions."""
    now = utcnow()
    pseudonym = (
        pseudonyms.pseudonym(pseudonym_key, opening.beneficiary_code) if opening.beneficiary_code else None
    )
    context = await _context(session, opening.campaign_id, opening.idempotency_key, pseudonym)
    campaign, questionnaire = context.campaign, context.questionnaire
    campaign = await _accepting(session, campaign, who.source, complete, now)
    definition = await questionnaires.answerable(session, questionnaire)
    if context.replay_of is not None:
        raise DuplicateSubmission("Rien n'a été enregistré une seconde fois", reponse_id=context.replay_of)
    phase = _phase(
        opening.phase, await _completed_phases(session, campaign.id, context.respondent_id, who.source)
    )
    if opening.consent is None and not context.consented:
        raise InvalidInput(
            [
                field_error(
                    "consentement", "consentement requis la première fois qu'une personne répond", "missing"
                )
            ]
        )
    answers = _checked_answers(definition, {}, changes, complete)
    _check_commune(opening.attributes)

    batch = Batch()
    attributes = _attributes(opening.attributes)
    respondent_id = context.respondent_id
    if respondent_id is None:
        respondent_id = new_id()
        batch.add(
            Respondent.__table__,
            [
                {
                    "id": respondent_id,
                    "created_at": now,
                    "pseudonym": pseudonym,
                    **dict.fromkeys(ATTRIBUTE_COLUMNS),
                    **attributes,
                }
            ],
        )
    elif attributes:
        await session.execute(update(Respondent).where(Respondent.id == respondent_id).values(attributes))
    if opening.consent is not None and not context.consented:
        batch.add(Consent.__table__, [_consent_row(respondent_id, opening.consent, who.actor, now)])
    resume_token = secrets.token_urlsafe(32) if who.source == "public" and not complete else None
    response = Response(
        id=new_id(),
        campaign_id=campaign.id,
        questionnaire_id=questionnaire.id,
        respondent_id=respondent_id,
        phase=phase,
        status="in_progress",
        source=who.source,
        answers=answers,
        administered_by=who.actor,
        idempotency_key=opening.idempotency_key,
        version=1,
        started_at=now,
        updated_at=now,
        completed_at=None,
        resume_token_hash=resume_token_hash(resume_token) if resume_token else None,
    )
    if complete:
        await _complete(session, response, campaign, now)
    batch.add(
        Response.__table__, [{column.key: getattr(response, column.key) for column in Response.__table__.c}]
    )
    scores = _scored(response, questionnaire, definition, frameworks) if complete else []
    batch.add(ResponseScore.__table__, scores)
    batch.add(
        ResponseChange.__table__,
        [_change(response, "complete" if complete else "start", who.actor, now, _diff({}, answers))],
    )
    try:
        await batch.write(session)
    except IntegrityError as exc:
        raise _duplicate(exc) from exc
    # Shown from the values written: answering needs no second read.
    return Saved(response, questionnaire, [ResponseScore(**row) for row in scores], resume_token)


def _change(
    response: Response, action: str, actor: str, now: datetime, changes: dict[str, Any]
) -> dict[str, Any]:
    return {
        "response_id": response.id,
        "version": response.version,
        "at": now,
        "action": action,
        "actor": actor,
        "changes": changes,
    }


async def resumable(
    session: AsyncSession, campaign_id: str, respondent: Respondent | None
) -> Response | None:
    """The person's unfinished response in this campaign, if any (a session interrupted earlier)."""
    if respondent is None:
        return None
    return await session.scalar(
        select(Response)
        .where(
            Response.campaign_id == campaign_id,
            Response.respondent_id == respondent.id,
            Response.status == "in_progress",
        )
        .order_by(Response.started_at.desc())
        .limit(1)
    )


async def start_session(
    session: AsyncSession, opening: Opening, who: Who, pseudonym_key: bytes, frameworks: Frameworks
) -> tuple[Saved, bool]:
    """A mediator's session with a beneficiary: the unfinished response is resumed, or a new one opened."""
    respondent = await _respondent(session, pseudonym_key, opening.beneficiary_code)
    unfinished = await resumable(session, opening.campaign_id, respondent)
    if unfinished is not None and opening.phase in (None, unfinished.phase):
        campaigns.check_accepting(
            await campaigns.get_campaign(session, opening.campaign_id), who.source, utcnow()
        )
        return await read_response(session, unfinished.id), True
    return await open_response(session, opening, {}, False, who, pseudonym_key, frameworks), False


async def get_response(session: AsyncSession, response_id: str) -> Response:
    response = await session.get(Response, response_id)
    if response is None:
        raise ResponseNotFound(f"Aucune réponse {response_id}")
    return response


async def read_response(session: AsyncSession, response_id: str) -> Saved:
    response = await get_response(session, response_id)
    return Saved(response, await questionnaires.get_questionnaire(session, response.questionnaire_id), None)


async def public_response(
    session: AsyncSession, campaign: Campaign, response_id: str, resume_token: str | None
) -> Response:
    """An unfinished public response, for whoever holds its resume token (and no one else)."""
    response = await session.get(Response, response_id)
    if response is None or response.campaign_id != campaign.id or response.source != "public":
        raise ResponseNotFound()
    expected = response.resume_token_hash
    if (
        not resume_token
        or expected is None
        or not secrets.compare_digest(expected, resume_token_hash(resume_token))
    ):
        raise ResumeTokenInvalid("Envoyez le jeton de reprise reçu à l'enregistrement dans X-Resume-Token")
    return response


def expected_version(if_match: str | None, response: Response) -> None:
    if if_match is not None and if_match.strip().strip('"').removeprefix("W/").strip('"') != str(
        response.version
    ):
        raise VersionConflict(f"Version actuelle : {response.version}", current_version=response.version)


async def save_answers(
    session: AsyncSession,
    response: Response,
    changes: dict[str, Any],
    complete: bool,
    who: Who,
    frameworks: Frameworks,
) -> Saved:
    """A partial save, a completion, or a correction of a completed response (scores then recomputed, and the
    edit kept in the trail)."""
    now = utcnow()
    was_completed = response.status == "completed"
    campaign = await _campaign_for_answers(
        session, response.campaign_id, who.source, complete and not was_completed, now
    )
    questionnaire = await questionnaires.get_questionnaire(session, response.questionnaire_id)
    definition = await questionnaires.answerable(session, questionnaire)
    answers = _checked_answers(definition, response.answers, changes, complete or was_completed)
    changed = _diff(response.answers, answers)
    if not changed and (was_completed or not complete):
        return Saved(response, questionnaire, None)
    response.answers = answers
    response.version += 1
    response.updated_at = now
    scores = None
    if complete and not was_completed:
        _phase(
            response.phase,
            await _completed_phases(session, campaign.id, response.respondent_id, response.source),
        )
        await _complete(session, response, campaign, now)
    batch = Batch()
    if complete or was_completed:
        if was_completed:
            await session.execute(delete(ResponseScore).where(ResponseScore.response_id == response.id))
        rows = _scored(response, questionnaire, definition, frameworks)
        batch.add(ResponseScore.__table__, rows)
        scores = [ResponseScore(**row) for row in rows]
    action = "correct" if was_completed else "complete" if complete else "save"
    batch.add(ResponseChange.__table__, [_change(response, action, who.actor, now, changed)])
    try:
        await session.flush()
    except IntegrityError as exc:
        raise DuplicateSubmission("Cette phase vient d'être complétée par une autre réponse") from exc
    await batch.write(session)
    return Saved(response, questionnaire, scores if scores is not None else [])  # unfinished: no scores


async def list_responses(
    session: AsyncSession,
    paging: PageRequest,
    campaign_id: str | None,
    status: str | None,
    phase: str | None,
    administered_by: str | None,
) -> tuple[list[Response], int]:
    query = select(Response)
    for column, value in (
        (Response.campaign_id, campaign_id),
        (Response.status, status),
        (Response.phase, phase),
        (Response.administered_by, administered_by),
    ):
        if value is not None:
            query = query.where(column == value)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await session.scalars(
        query.order_by(Response.started_at.desc(), Response.id).offset(paging.offset).limit(paging.size)
    )
    return list(rows), total


async def scores_of(session: AsyncSession, response_ids: list[str]) -> dict[str, list[ResponseScore]]:
    found: dict[str, list[ResponseScore]] = {response_id: [] for response_id in response_ids}
    if response_ids:
        for row in await session.scalars(
            select(ResponseScore)
            .where(ResponseScore.response_id.in_(response_ids))
            .order_by(ResponseScore.framework, ResponseScore.dimension)
        ):
            found[row.response_id].append(row)
    return found


async def previous_response(session: AsyncSession, response: Response) -> Response | None:
    """The same person's latest completed response to the same questionnaire (any version) before this one."""
    if response.status != "completed" or response.completed_at is None:
        return None
    code = select(Questionnaire.code).where(Questionnaire.id == response.questionnaire_id).scalar_subquery()
    return await session.scalar(
        select(Response)
        .join(Questionnaire, Questionnaire.id == Response.questionnaire_id)
        .where(
            Response.respondent_id == response.respondent_id,
            Response.id != response.id,
            Response.status == "completed",
            Response.completed_at <= response.completed_at,
            Questionnaire.code == code,
        )
        .order_by(Response.completed_at.desc())
        .limit(1)
    )


async def history(session: AsyncSession, response: Response) -> list[ResponseChange]:
    return list(
        await session.scalars(
            select(ResponseChange)
            .where(ResponseChange.response_id == response.id)
            .order_by(ResponseChange.id)
        )
    )
