from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Request, Response

from fne_kernel.db import SessionDep
from fne_kernel.errors import InvalidInput
from fne_kernel.pagination import Page, PageParams
from fne_surveys.access import Coordinator, Reader
from fne_surveys.dependencies import FrameworksDep
from fne_surveys.questionnaires import service
from fne_surveys.questionnaires.definition import Definition
from fne_surveys.questionnaires.schemas import QuestionnaireOut, QuestionnaireSummary
from fne_surveys.questionnaires.xlsform import XLSFormError, from_workbook, to_workbook, to_xlsform

router = APIRouter(prefix="/questionnaires", tags=["questionnaires"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _created(response: Response, questionnaire: QuestionnaireOut) -> QuestionnaireOut:
    response.headers["Location"] = f"/questionnaires/{questionnaire.id}"
    return questionnaire


@router.get("")
async def list_questionnaires(
    _: Reader,
    session: SessionDep,
    paging: PageParams,
    code: str | None = None,
    statut: Literal["draft", "published", "retired"] | None = None,
) -> Page[QuestionnaireSummary]:
    """Questionnaire versions, by code then version; filter by code or status."""
    found, total = await service.list_questionnaires(session, paging, code, statut)
    return Page.of([QuestionnaireSummary.of(item) for item in found], total, paging)


@router.post("", status_code=201)
async def create_questionnaire(
    body: Definition, actor: Coordinator, session: SessionDep, frameworks: FrameworksDep, response: Response
) -> QuestionnaireOut:
    """Create a draft: the first version of a new code, or the next version of an existing one."""
    questionnaire = await service.create_draft(session, body, actor, frameworks)
    return _created(response, QuestionnaireOut.of(questionnaire))


@router.post("/xlsform", status_code=201)
async def import_xlsform(
    document: Annotated[dict[str, Any], Body()],
    actor: Coordinator,
    session: SessionDep,
    frameworks: FrameworksDep,
    response: Response,
) -> QuestionnaireOut:
    """Create a draft from an XLSForm-like JSON document (settings, survey, choices, scoring sheets)."""
    definition = service.parsed_xlsform(document, frameworks)
    return _created(
        response, QuestionnaireOut.of(await service.create_draft(session, definition, actor, frameworks))
    )


@router.post(
    "/xlsform.xlsx",
    status_code=201,
    openapi_extra={"requestBody": {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
)
async def import_xlsform_workbook(
    request: Request, actor: Coordinator, session: SessionDep, frameworks: FrameworksDep, response: Response
) -> QuestionnaireOut:
    """Create a draft from an XLSForm spreadsheet (.xlsx) written in Excel or LibreOffice."""
    try:
        document = from_workbook(await request.body())
    except XLSFormError as exc:
        raise InvalidInput(exc.errors) from exc
    definition = service.parsed_xlsform(document, frameworks)
    return _created(
        response, QuestionnaireOut.of(await service.create_draft(session, definition, actor, frameworks))
    )


@router.get("/{questionnaire_id}")
async def read_questionnaire(questionnaire_id: str, _: Reader, session: SessionDep) -> QuestionnaireOut:
    """One questionnaire version with its questions, skip logic, constraints and scoring rules."""
    return QuestionnaireOut.of(await service.get_questionnaire(session, questionnaire_id))


@router.put("/{questionnaire_id}")
async def replace_questionnaire(
    questionnaire_id: str, body: Definition, _: Coordinator, session: SessionDep, frameworks: FrameworksDep
) -> QuestionnaireOut:
    """Replace a draft's content (409 once published: publish a new version instead)."""
    questionnaire = await service.get_questionnaire(session, questionnaire_id)
    return QuestionnaireOut.of(await service.replace_draft(session, questionnaire, body, frameworks))


@router.delete("/{questionnaire_id}", status_code=204)
async def delete_questionnaire(questionnaire_id: str, _: Coordinator, session: SessionDep) -> Response:
    """Delete a draft (published versions are retired, never deleted)."""
    await service.delete_draft(session, await service.get_questionnaire(session, questionnaire_id))
    return Response(status_code=204)


@router.post("/{questionnaire_id}/publication")
async def publish_questionnaire(
    questionnaire_id: str, _: Coordinator, session: SessionDep, frameworks: FrameworksDep
) -> QuestionnaireOut:
    """Publish a draft: it becomes immutable, gets its content hash, and its keys keep their meaning
    forever."""
    questionnaire = await service.get_questionnaire(session, questionnaire_id)
    return QuestionnaireOut.of(await service.publish(session, questionnaire, frameworks))


@router.post("/{questionnaire_id}/retrait")
async def retire_questionnaire(
    questionnaire_id: str, _: Coordinator, session: SessionDep
) -> QuestionnaireOut:
    """Retire a published version: it receives no more answers; its responses and scores stay."""
    questionnaire = await service.get_questionnaire(session, questionnaire_id)
    return QuestionnaireOut.of(await service.retire(session, questionnaire))


@router.get("/{questionnaire_id}/xlsform")
async def export_xlsform(questionnaire_id: str, _: Reader, session: SessionDep) -> dict[str, Any]:
    """The version as an XLSForm-like JSON document, to edit outside the application and import back."""
    questionnaire = await service.get_questionnaire(session, questionnaire_id)
    return to_xlsform(service.definition_of(questionnaire), questionnaire.version)


@router.get(
    "/{questionnaire_id}/xlsform.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}, "description": "Classeur XLSForm"}},
)
async def export_xlsform_workbook(questionnaire_id: str, _: Reader, session: SessionDep) -> Response:
    """The version as an XLSForm spreadsheet (.xlsx)."""
    questionnaire = await service.get_questionnaire(session, questionnaire_id)
    content = to_workbook(to_xlsform(service.definition_of(questionnaire), questionnaire.version))
    filename = f"{questionnaire.code}-v{questionnaire.version}.xlsx"
    return Response(
        content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )
