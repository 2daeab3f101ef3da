import csv
import io
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from fne_directory.access import EDITORS as REVIEWERS
from fne_directory.access import RUNNERS, Runner
from fne_directory.access import Editor as Reviewer
from fne_directory.dependencies import DirectorySettings, GeocoderDep
from fne_directory.sync import place_merges, service, sources
from fne_directory.sync.connectors.files import FORMATS, FileConnector
from fne_directory.sync.schemas import (
    CandidateOut,
    JobOut,
    PlaceMergeIn,
    PlaceMergeOut,
    ProvenanceOut,
    ReconciliationPage,
    RecordDetail,
    RecordOut,
    SourceOut,
)
from fne_kernel.db import SessionDep, SessionsDep, after_commit
from fne_kernel.errors import InvalidInput, field_error
from fne_kernel.pagination import Page, PageParams
from fne_kernel.spreadsheets import safe_row

router = APIRouter(prefix="/sync", tags=["synchronisation"])
CSV = "text/csv; charset=utf-8"
if TYPE_CHECKING:  # the formats are known when the module runs; to the type checker, a format is a string
    FileFormat = str
else:
    FileFormat = Literal[FORMATS]


def _started(request: Request, session: SessionDep, response: Response, job_run: service.Run) -> None:
    after_commit(session, lambda: service.launch(request.app, job_run))
    response.headers["Location"] = f"/sync/taches/{job_run.job_id}"


@router.get("/sources", dependencies=RUNNERS)
async def list_sources(settings: DirectorySettings, session: SessionDep) -> list[SourceOut]:
    """Sources: configured or not, schedule, last run (files imported so far included)."""
    return await service.list_sources(session, settings)


@router.post("/sources/{source}/taches", status_code=202)
@router.post(
    "/sources/{source}/runs", status_code=202, include_in_schema=False
)  # deprecated alias, one release
async def run_source(
    source: str,
    actor: Runner,
    request: Request,
    settings: DirectorySettings,
    sessions: SessionsDep,
    session: SessionDep,
    response: Response,
    geocode: GeocoderDep,
) -> JobOut:
    """Start synchronising a source (409 if it is already running); follow the job at its Location."""
    connector = sources.connector_for(settings, source)
    job = await service.start_job(session, source, "api", actor.name or actor.subject)
    _started(
        request,
        session,
        response,
        service.run_for(sessions, settings, job, connector, geocode),
    )
    return JobOut.of(job)


@router.post(
    "/imports",
    status_code=202,
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "Le fichier lui-même : CSV ou JSON du standard national, JSON data·inclusion",
            "content": {"text/csv": {"schema": {"type": "string"}}, "application/json": {"schema": {}}},
        }
    },
)
async def import_file(
    actor: Runner,
    request: Request,
    settings: DirectorySettings,
    sessions: SessionsDep,
    session: SessionDep,
    response: Response,
    geocode: GeocoderDep,
    source: Annotated[
        str,
        Query(
            pattern=r"^[a-z0-9][a-z0-9-]{0,50}$",
            description="Nom du fichier-source, ex. cd73-france-services",
        ),
    ],
    format: Annotated[
        FileFormat | None,
        Query(description="Détecté si absent"),
    ] = None,
    complet: Annotated[
        bool, Query(description="Le fichier liste tous les lieux de cette source : les absents sont retirés")
    ] = False,
) -> JobOut:
    """Import a file (request body) as source `fichier-<source>`; it is checked before the job starts."""
    content = await request.body()
    if not content:
        raise InvalidInput([field_error("fichier", "corps de requête vide : envoyez le fichier lui-même")])
    connector = FileConnector(sources.FILE_PREFIX + source, content, format, complete=complet)
    job = await service.start_job(session, connector.source, "import", actor.name or actor.subject)
    _started(
        request,
        session,
        response,
        service.run_for(sessions, settings, job, connector, geocode),
    )
    return JobOut.of(job)


@router.get("/taches", dependencies=RUNNERS)
@router.get("/jobs", dependencies=RUNNERS, include_in_schema=False)  # deprecated alias, one release
async def list_jobs(session: SessionDep, paging: PageParams, source: str | None = None) -> Page[JobOut]:
    """Runs, most recent first, with their counts and errors."""
    jobs, total = await service.list_jobs(session, source, paging.offset, paging.size)
    return Page.of([JobOut.of(job) for job in jobs], total, paging)


@router.get("/taches/{job_id}", dependencies=RUNNERS)
@router.get("/jobs/{job_id}", dependencies=RUNNERS, include_in_schema=False)  # deprecated alias
async def read_job(job_id: str, session: SessionDep) -> JobOut:
    """A run: status, counts (fetched, created, updated, unchanged, withdrawn…), errors."""
    return JobOut.of(await service.get_job(session, job_id))


@router.post("/taches/{job_id}/annulation", dependencies=RUNNERS)
@router.post("/jobs/{job_id}/annulation", dependencies=RUNNERS, include_in_schema=False)  # deprecated alias
async def cancel_job(job_id: str, session: SessionDep) -> JobOut:
    """Cancel a run: it stops at its next batch, keeps what it stored and withdraws nothing."""
    return JobOut.of(await service.request_cancel(session, job_id))


@router.get("/enregistrements", dependencies=RUNNERS)
async def list_records(
    session: SessionDep,
    paging: PageParams,
    statut: Literal["active", "quarantined", "withdrawn", "out_of_scope"] | None = "quarantined",
    source: str | None = None,
) -> Page[RecordOut]:
    """Source records; by default the quarantine, with each record's reasons (fixed by the next sync)."""
    records, total = await service.list_records(session, statut, source, paging.offset, paging.size)
    return Page.of([RecordOut.model_validate(record) for record in records], total, paging)


@router.get("/enregistrements/{record_id}", dependencies=RUNNERS)
async def read_record(record_id: int, session: SessionDep) -> RecordDetail:
    """A source record as received (raw) and as read into the standard (normalised)."""
    return RecordDetail.model_validate(await service.get_record(session, record_id))


@router.post("/enregistrements/{record_id}/separation")
async def split_record(
    record_id: int, actor: Reviewer, settings: DirectorySettings, session: SessionDep, geocode: GeocoderDep
) -> RecordOut:
    """Undo a wrong merge: the record becomes a place of its own, never merged back into that place."""
    record = await service.split(session, settings, record_id, actor, geocode)
    return RecordOut.model_validate(record)


@router.get("/revue", dependencies=REVIEWERS)
async def review_queue(
    session: SessionDep,
    paging: PageParams,
    statut: Literal["pending", "confirmed", "rejected", "merged", "split"] = "pending",
) -> Page[CandidateOut]:
    """Possible duplicates to decide (best scores first), with both sides and each criterion's agreement."""
    candidates, total = await service.list_candidates(session, statut, paging.offset, paging.size)
    return Page.of(candidates, total, paging)


@router.post("/revue/{candidate_id}/confirmation")
async def confirm_candidate(
    candidate_id: int,
    actor: Reviewer,
    settings: DirectorySettings,
    session: SessionDep,
    geocode: GeocoderDep,
) -> dict[str, str]:
    """Same place: merge the record into the proposed place."""
    candidate = await service.confirm(session, settings, candidate_id, actor, geocode)
    return {"status": candidate.status, "place_id": candidate.place_id}


@router.post("/revue/{candidate_id}/rejet")
async def reject_candidate(candidate_id: int, actor: Reviewer, session: SessionDep) -> dict[str, str]:
    """Different places: the pair is never proposed again."""
    candidate = await service.reject(session, candidate_id, actor)
    return {"status": candidate.status, "place_id": candidate.place_id}


@router.get("/revue/lieux", dependencies=REVIEWERS)
async def place_review_queue(
    session: SessionDep,
    paging: PageParams,
    statut: Literal["pending", "merged", "rejected", "split"] = "pending",
) -> Page[PlaceMergeOut]:
    """Pairs of published places that may be one (best first), or merged, rejected, split; with evidence."""
    pairs, total = await place_merges.listing(session, statut, paging.offset, paging.size)
    return Page.of(await service.place_merges_out(session, pairs), total, paging)


@router.post("/revue/lieux/{pair_id}/confirmation")
async def confirm_place_pair(
    pair_id: int, actor: Reviewer, settings: DirectorySettings, session: SessionDep, geocode: GeocoderDep
) -> PlaceMergeOut:
    """Same place: the second place is retired into the first (kept), its address redirecting there."""
    pair = await place_merges.confirm(session, settings, pair_id, actor, geocode)
    [out] = await service.place_merges_out(session, [pair])
    return out


@router.post("/revue/lieux/{pair_id}/rejet")
async def reject_place_pair(pair_id: int, actor: Reviewer, session: SessionDep) -> PlaceMergeOut:
    """Two places: the pair is never proposed again."""
    pair = await place_merges.reject(session, pair_id, actor)
    [out] = await service.place_merges_out(session, [pair])
    return out


@router.post("/revue/lieux/{pair_id}/separation")
async def split_place_pair(
    pair_id: int, actor: Reviewer, settings: DirectorySettings, session: SessionDep, geocode: GeocoderDep
) -> PlaceMergeOut:
    """Undo a merge of two places: the retired place is published again with what the merge moved."""
    pair = await place_merges.split(session, settings, pair_id, actor, geocode)
    [out] = await service.place_merges_out(session, [pair])
    return out


@router.post("/lieux/{place_id}/fusion", status_code=201)
async def merge_places(
    place_id: str,
    body: PlaceMergeIn,
    actor: Reviewer,
    settings: DirectorySettings,
    session: SessionDep,
    geocode: GeocoderDep,
) -> PlaceMergeOut:
    """Merge another place (`doublon`) into this one: it is retired, its address redirects here."""
    pair = await place_merges.merge_by_hand(session, settings, place_id, body.doublon, actor, geocode)
    [out] = await service.place_merges_out(session, [pair])
    return out


@router.get("/lieux/{place_id}/provenance", dependencies=REVIEWERS)
async def place_provenance(place_id: str, session: SessionDep) -> ProvenanceOut:
    """Which source gave each field of a place, and the source records behind it."""
    return await service.provenance(session, place_id)


@router.delete("/lieux/{place_id}/manuel/{champ}")
async def release_manual_field(
    place_id: str,
    champ: str,
    actor: Reviewer,
    settings: DirectorySettings,
    session: SessionDep,
    geocode: GeocoderDep,
) -> ProvenanceOut:
    """Release a field edited by hand (and its group): its sources give it again, the place is recomputed
    now."""
    return await service.release_manual(session, settings, place_id, champ, actor, geocode)


@router.get("/rapprochement", dependencies=REVIEWERS)
async def reconciliation(
    settings: DirectorySettings, sessions: SessionsDep, paging: PageParams
) -> ReconciliationPage:
    """Places missing from a configured source, and fields whose values differ between sources."""
    entries = [entry async for entry in service.reconciliation_entries(sessions, settings)]
    return ReconciliationPage(
        items=entries[paging.offset : paging.offset + paging.size],
        total=len(entries),
        page=paging.page,
        size=paging.size,
        sources=sources.configured(settings),
    )


@router.get(
    "/rapprochement.csv",
    dependencies=REVIEWERS,
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Une ligne par lieu absent d'une source ou par champ divergent",
            "content": {"text/csv": {}},
        }
    },
)
async def reconciliation_csv(settings: DirectorySettings, sessions: SessionsDep) -> StreamingResponse:
    """The reconciliation report as CSV: one row per missing source or differing field."""
    entries = service.reconciliation_entries(sessions, settings)

    async def rows() -> AsyncIterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["lieu_id", "nom", "commune", "ecart", "champ", "sources_presentes", "detail"])
        async for entry in entries:
            present = "|".join(entry.present_in)
            for name in entry.missing_from:
                writer.writerow(
                    safe_row(
                        [entry.place_id, entry.nom, entry.commune, "absent", "", present, f"absent de {name}"]
                    )
                )
            for difference in entry.differences:
                detail = " ; ".join(
                    f"{source} = {_cell(value)}" for source, value in difference.values.items()
                )
                writer.writerow(
                    safe_row(
                        [
                            entry.place_id,
                            entry.nom,
                            entry.commune,
                            "saisie manuelle" if difference.manual else "divergence",
                            difference.field,
                            present,
                            detail,
                        ]
                    )
                )
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue().encode()

    return StreamingResponse(
        rows(),
        media_type=CSV,
        headers={"Content-Disposition": 'attachment; filename="rapprochement-sources.csv"'},
    )


def _cell(value: object) -> str:
    return "|".join(map(str, value)) if isinstance(value, list) else str(value)
