"""Routes that list, upload and remove indexed briefs under /v1/documents."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, File, Path, Query, UploadFile

from index.errors import DocumentNotFoundError

from ..shapes import DocumentOut, IngestReportOut, StatementListOut, StatementOut
from .deps import StateDep, UploadsEnabled, WriteAccess
from .schemas import DeletedOut, DocumentListOut, error_responses
from .uploads import Upload, check_uploads, safe_name, store_upload

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
    responses=error_responses(400, 401, 403, 413, 415, 422, 429, 503),
)
def upload_documents(
    files: Annotated[
        list[UploadFile], File(description="One or more briefs: PDF, txt, md or html.")
    ],
    state: StateDep,
) -> IngestReportOut:
    """Add briefs to the index (changed files with the same name are replaced); searches go on
    meanwhile and see the new briefs as soon as this returns."""
    limits = state.settings.parse_limits()
    uploads = []
    for f in files:
        original = f.filename or "upload"
        uploads.append(Upload(safe_name(original), original, f.file.read(limits.max_bytes + 1)))
    check_uploads(uploads, limits.max_bytes)
    report = state.ingest([(u.name, u.name, u.data) for u in uploads])
    folder = state.settings.server.upload_dir or state.settings.index_dir / "uploads"
    stored = {o.path for o in report.files if o.status.value in ("added", "replaced")}
    for u in uploads:
        if u.name in stored:
            store_upload(folder, u)
    return IngestReportOut.of(report)


@router.delete(
    "/{doc_id}", dependencies=[WriteAccess], responses=error_responses(401, 404, 422, 429, 503)
)
def delete_document(doc_id: DocId, state: StateDep) -> DeletedOut:
    """Remove a brief from every part of the index."""
    if state.maybe_snapshot() is None:
        raise DocumentNotFoundError(f"no document with id {doc_id!r}: the index is empty")
    return DeletedOut(deleted=state.delete(doc_id).id)
