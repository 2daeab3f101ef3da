from typing import Annotated, Literal

from fastapi import APIRouter, Query
from starlette.requests import Request

from fne_kernel.db import SessionDep
from fne_kernel.errors import InvalidInput, field_error
from fne_surveys.access import Coordinator
from fne_surveys.campaigns import service as campaigns
from fne_surveys.dependencies import FrameworksDep, PseudonymKey
from fne_surveys.imports import pix
from fne_surveys.imports.schemas import PixImportOut
from fne_surveys.questionnaires import service as questionnaires

router = APIRouter(tags=["imports"])


@router.post(
    "/campagnes/{campaign_id}/imports/pix-orga",
    openapi_extra={"requestBody": {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def import_pix_orga(
    campaign_id: str,
    request: Request,
    actor: Coordinator,
    session: SessionDep,
    frameworks: FrameworksDep,
    key: PseudonymKey,
    phase: Literal["pre", "post", "follow_up"] = "pre",
    colonne_identifiant: Annotated[str, Query(max_length=200)] = "Identifiant externe",
) -> PixImportOut:
    """Import a PIX Orga campaign export (CSV): shared participants' competence levels become PIX/CRCN scores
    of the same pseudonymous respondents (the identifier column holds the beneficiary code; names are
    ignored)."""
    campaign = await campaigns.get_campaign(session, campaign_id)
    definition = questionnaires.definition_of(
        await questionnaires.get_questionnaire(session, campaign.questionnaire_id)
    )
    version = definition.scoring.frameworks.get(pix.FRAMEWORK) if definition.scoring else None
    framework = frameworks.get(pix.FRAMEWORK, version) if version else None
    if framework is None:
        raise InvalidInput(
            [
                field_error(
                    "campagne_id",
                    "le questionnaire de cette campagne ne se note pas sur le référentiel PIX/CRCN",
                )
            ]
        )
    report = await pix.import_pix_orga(
        session, campaign, await request.body(), colonne_identifiant, phase, actor, framework, key
    )
    return PixImportOut(
        importes=report.imported,
        non_partages=report.not_shared,
        deja_importes=report.already_imported,
        competences=report.competences,
    )
