from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Response, UploadFile

from fne_kernel.db import SessionDep
from fne_kernel.pagination import Page, PageParams
from fne_observatory.access import Writer, actor_name
from fne_observatory.imports import service
from fne_observatory.imports.models import ImportStatus
from fne_observatory.imports.schemas import ImportOut

router = APIRouter(prefix="/imports", tags=["imports"])
Upload = Annotated[UploadFile, File(description="CSV (UTF-8, BOM, Windows-1252 ou Latin-1 ; , ou ;) ou XLSX")]
Parameters = Annotated[
    str,
    Form(
        description="JSON : jeu, titre, source, millesime, statut, niveau, colonne_code, "
        "periode ou colonne_periode, indicateurs {code: colonne}, feuille"
    ),
]
INVALID: dict[int | str, dict[str, Any]] = {
    422: {
        "description": "Paramètres invalides, fichier illisible, ou rapport de validation avec erreurs "
        "(rien n'est enregistré)"
    }
}


@router.post("/validation", responses=INVALID)
async def check_upload(
    fichier: Upload, parametres: Parameters, _: Writer, session: SessionDep
) -> dict[str, Any]:
    """Validation report of a file and its mapping, without storing anything."""
    parameters = service.parse_parameters(parametres)
    validated = await service.check_file(
        session, await fichier.read(), fichier.filename or "fichier", parameters
    )
    return validated.report


@router.post("", status_code=201, responses=INVALID)
async def create_import(
    fichier: Upload, parametres: Parameters, actor: Writer, session: SessionDep, response: Response
) -> ImportOut:
    """Upload a new version of a dataset: validated, stored, not yet public (publish it next)."""
    parameters = service.parse_parameters(parametres)
    item = await service.create_import(
        session, await fichier.read(), fichier.filename or "fichier", parameters, actor_name(actor)
    )
    response.headers["Location"] = f"/imports/{item.id}"
    return service.import_out(item)


@router.get("")
async def list_imports(
    _: Writer,
    session: SessionDep,
    pagination: PageParams,
    jeu: Annotated[str | None, Query(max_length=80)] = None,
    statut: ImportStatus | None = None,
) -> Page[ImportOut]:
    """Every dataset version, newest first: status, report, who published or withdrew it."""
    items, total = await service.list_imports(session, jeu, statut, pagination.size, pagination.offset)
    return Page.of([service.import_out(item) for item in items], total, pagination)


@router.get("/{import_id}")
async def read_import(import_id: str, _: Writer, session: SessionDep) -> ImportOut:
    """One dataset version with its validation report."""
    return service.import_out(await service.get_import(session, import_id))


@router.post("/{import_id}/publication", responses={409: {"description": "Valeurs d'un autre jeu, ou état"}})
async def publish_import(import_id: str, actor: Writer, session: SessionDep) -> ImportOut:
    """Publish a version: its values become public, replacing the dataset's previous version."""
    item = await service.publish(session, await service.get_import(session, import_id), actor_name(actor))
    return service.import_out(item)


@router.post("/{import_id}/retrait", responses={409: {"description": "L'import n'est pas publié"}})
async def withdraw_import(import_id: str, actor: Writer, session: SessionDep) -> ImportOut:
    """Withdraw a published version; the version it had replaced is published again."""
    item = await service.withdraw(session, await service.get_import(session, import_id), actor_name(actor))
    return service.import_out(item)


@router.delete("/{import_id}", status_code=204, responses={409: {"description": "Import publié ou remplacé"}})
async def discard_import(import_id: str, _: Writer, session: SessionDep) -> Response:
    """Delete a version that was never public, or was withdrawn."""
    await service.discard(session, await service.get_import(session, import_id))
    return Response(status_code=204)
