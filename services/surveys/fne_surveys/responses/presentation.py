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
        referentiel=row.framework,
        referentiel_version=row.framework_version,
        dimension=row.dimension,
        libelle=dimension.label if dimension else row.dimension,
        brut=row.raw,
        maximum=row.maximum,
        pourcentage=row.percent,
        niveau=row.level,
        niveau_libelle=level.label if level else str(row.level),
        notation_version=row.scoring_version,
    )


async def response_out(session: AsyncSession, saved: service.Saved, frameworks: Frameworks) -> ResponseOut:
    response, questionnaire, scores = saved.response, saved.questionnaire, saved.scores
    if scores is None:
        scores = (await service.scores_of(session, [response.id]))[response.id]
    return ResponseOut(
        id=response.id,
        campagne_id=response.campaign_id,
        questionnaire_id=response.questionnaire_id,
        questionnaire_code=questionnaire.code,
        questionnaire_version=questionnaire.version,
        repondant_id=response.respondent_id,
        phase=response.phase,
        statut=response.status,
        source=response.source,
        valeurs=response.answers,
        version=response.version,
        commence_le=response.started_at,
        modifie_le=response.updated_at,
        termine_le=response.completed_at,
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
            referentiel=score.referentiel,
            dimension=score.dimension,
            libelle=score.libelle,
            avant=before[(score.referentiel, score.dimension)],
            apres=score.pourcentage,
            ecart=round(score.pourcentage - before[(score.referentiel, score.dimension)], 2),
        )
        for score in current
        if (score.referentiel, score.dimension) in before
    ]
    return RadarOut(
        reponse_id=response.id,
        phase=response.phase,
        scores=current,
        reponse_precedente_id=previous.id if previous else None,
        phase_precedente=previous.phase if previous else None,
        evolutions=changes,
    )
