"""Responses and scores as the API shows them, with the frameworks' labels."""

from sqlalchemy.ext.asyncio import AsyncSession

from fne_surveys.frameworks.registry import Frameworks
from fne_surveys.responses import service
from fne_surveys.responses.models import Response, ResponseScore
from fne_surveys.responses.schemas import RadarOut, ResponseOut, ScoreChange, ScoreOut


def score_out(row: ResponseScore, frameworks: Frameworks) -> ScoreOut:
    framework = frameworks.get(row.framework, row.framework_version)
    dimension = framework.dimension(row.dimension) if framework else None
    level = (
        next((level for level in framework.levels if level.level == row.level), None) if framework else None
    )
    return ScoreOut(
        framework=row.framework,
        framework_version=row.framework_version,
        dimension=row.dimension,
        label=dimension.label if dimension else row.dimension,
        raw=row.raw,
        maximum=row.maximum,
        percent=row.percent,
        level=row.level,
        level_label=level.label if level else str(row.level),
        scoring_version=row.scoring_version,
    )


async def response_out(session: AsyncSession, saved: service.Saved, frameworks: Frameworks) -> ResponseOut:
    response, questionnaire, scores = saved.response, saved.questionnaire, saved.scores
    if scores is None:
        scores = (await service.scores_of(session, [response.id]))[response.id]
    return ResponseOut(
        id=response.id,
        campaign_id=response.campaign_id,
        questionnaire_id=response.questionnaire_id,
        questionnaire_code=questionnaire.code,
        questionnaire_version=questionnaire.version,
        respondent_id=response.respondent_id,
        phase=response.phase,
        status=response.status,  # type: ignore[arg-type]
        source=response.source,
        answers=response.answers,
        version=response.version,
        started_at=response.started_at,
        updated_at=response.updated_at,
        completed_at=response.completed_at,
        scores=[
            score_out(row, frameworks)
            for row in sorted(scores, key=lambda row: (row.framework, row.dimension))
        ],
    )


async def radar(session: AsyncSession, response: Response, frameworks: Frameworks) -> RadarOut:
    """The scores of this response and, for a returning person, the change per dimension since last time."""
    previous = await service.previous_response(session, response)
    ids = [response.id] + ([previous.id] if previous else [])
    found = await service.scores_of(session, ids)
    current = [score_out(row, frameworks) for row in found[response.id]]
    before = (
        {(row.framework, row.dimension): row.percent for row in found.get(previous.id, [])}
        if previous
        else {}
    )
    changes = [
        ScoreChange(
            framework=score.framework,
            dimension=score.dimension,
            label=score.label,
            before=before[(score.framework, score.dimension)],
            after=score.percent,
            delta=round(score.percent - before[(score.framework, score.dimension)], 2),
        )
        for score in current
        if (score.framework, score.dimension) in before
    ]
    return RadarOut(
        response_id=response.id,
        phase=response.phase,
        scores=current,
        previous_response_id=previous.id if previous else None,
        previous_phase=previous.phase if previous else None,  # type: ignore[arg-type]
        changes=changes,
    )
