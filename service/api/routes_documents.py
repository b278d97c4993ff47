"""Routes that list, upload and remove indexed briefs under /v1/documents."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from enum import Enum
from typing import Annotated

import anyio
from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool

from index.errors import DocumentNotFoundError
from index.types import FileStatus, IngestReport

from ..shapes import DocumentOut, IngestReportOut, StatementListOut, StatementOut
from .deps import StateDep, UploadsEnabled, WriteAccess
from .errors import ApiError
from .schemas import DeletedOut, DocumentListOut, error_responses
from .state import ServiceState
from .upload_form import OPENAPI_BODY, upload_form
from .uploads import Received, check_uploads, discard, keep, receive, remove_kept

router = APIRouter(prefix="/v1/documents", tags=["documents"])


class StatementKind(str, Enum):  # noqa: UP042 (StrEnum would change str() of members)
    recommendation = "recommendation"
    position = "position"
    finding = "finding"


DocId = Annotated[
    str,
    Path(
        min_length=1, max_length=64, description="Document id, or a unique prefix of 6+ characters."
    ),
]


@router.get("")
def list_documents(state: StateDep) -> DocumentListOut:
    """Every indexed brief (empty while there is no index)."""
    return DocumentListOut(documents=[DocumentOut.of(d) for d in state.documents()])


@router.get("/{doc_id}", responses=error_responses(404, 422))
def get_document(doc_id: DocId, state: StateDep) -> DocumentOut:
    """One brief's metadata by id or unique id prefix."""
    snapshot = state.maybe_snapshot()
    if snapshot is None:
        raise DocumentNotFoundError(f"no document with id {doc_id!r}: the index is empty")
    return DocumentOut.of(snapshot.reader.document(doc_id))


@router.get("/{doc_id}/statements", responses=error_responses(404, 422))
def get_statements(
    doc_id: DocId,
    state: StateDep,
    kind: Annotated[
        StatementKind | None, Query(description="Only this kind (default: every kind).")
    ] = None,
) -> StatementListOut:
    """A brief's recommendations (with addressees), the positions it reports (with who holds
    them) and its findings, in the brief's order, each verbatim with pages and section."""
    snapshot = state.maybe_snapshot()
    if snapshot is None:
        raise DocumentNotFoundError(f"no document with id {doc_id!r}: the index is empty")
    document = snapshot.reader.document(doc_id)
    kinds = (kind.value,) if kind is not None else ()
    listed = snapshot.reader.statements.of_documents({document.id}, kinds)
    return StatementListOut(
        document=DocumentOut.of(document),
        statements=[StatementOut.of(h.statement) for h in listed],
    )


@router.post(
    "",
    dependencies=[WriteAccess, UploadsEnabled],
    responses=error_responses(400, 401, 403, 413, 415, 422, 429, 503, 507),
    openapi_extra=OPENAPI_BODY,
)
async def upload_documents(request: Request, state: StateDep) -> IngestReportOut:
    """Add briefs to the index (changed files with the same name are replaced); searches go on
    meanwhile and see the new briefs as soon as this returns. Nothing is published when every
    file fails (422) or when the client goes away before the end."""
    async with upload_form(request, state.settings.parse_limits().max_bytes) as files:
        report = await _until_done_or_gone(request, lambda gone: _ingest(state, files, gone))
    if report.files and all(f.status is FileStatus.failed for f in report.files):
        raise _all_failed(report)
    return IngestReportOut.of(report)


def _ingest(
    state: ServiceState, files: Sequence[Received], gone: Callable[[], bool]
) -> IngestReport:
    folder = state.settings.uploads_folder()
    uploads = receive(folder, files)
    try:
        check_uploads(uploads, state.settings.parse_limits().max_bytes)
        report = state.ingest([(u.name, u.name, u.path) for u in uploads], cancelled=gone)
        kept = {o.path for o in report.files if o.status in (FileStatus.added, FileStatus.replaced)}
        keep(folder, uploads, kept)
    finally:
        discard(uploads)
    return report


async def _until_done_or_gone(
    request: Request, work: Callable[[Callable[[], bool]], IngestReport]
) -> IngestReport:
    """`work(gone)` in a worker thread, where `gone()` turns true once the client disconnects."""
    gone = threading.Event()

    async def watch() -> None:
        # The body is read: the next message is the disconnect, whenever it comes.
        while (await request.receive())["type"] != "http.disconnect":
            pass
        gone.set()

    failure: Exception | None = None
    report: IngestReport | None = None
    async with anyio.create_task_group() as group:
        group.start_soon(watch)
        try:
            report = await run_in_threadpool(work, gone.is_set)
        except Exception as exc:  # raised after the watcher is stopped, not as a group
            failure = exc
        group.cancel_scope.cancel()
    if failure is not None:
        raise failure
    assert report is not None
    return report


def _all_failed(report: IngestReport) -> ApiError:
    codes = {f.error_code or "ingest_error" for f in report.files}
    code = codes.pop() if len(codes) == 1 else "ingest_failed"
    reasons = "; ".join(f"{f.path}: {f.reason}" for f in report.files[:3])
    return ApiError(
        422,
        code,
        f"no uploaded file could be ingested ({reasons}); nothing was changed",
        [
            {"file": f.path, "code": f.error_code, "reason": f.reason, "doc_id": f.doc_id}
            for f in report.files
        ],
    )


@router.delete(
    "/{doc_id}",
    dependencies=[WriteAccess],
    responses=error_responses(401, 403, 404, 422, 429, 503, 507),
)
def delete_document(doc_id: DocId, state: StateDep) -> DeletedOut:
    """Remove a brief from every part of the index, and its uploaded original."""
    if state.maybe_snapshot() is None:
        raise DocumentNotFoundError(f"no document with id {doc_id!r}: the index is empty")
    document = state.delete(doc_id)
    remove_kept(state.settings.uploads_folder(), document)
    return DeletedOut(deleted=document.id)
