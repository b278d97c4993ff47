"""Uploaded briefs: safe file names, type checks by their bytes, and the kept originals.

Each received file is copied (in blocks, never whole in memory) into the upload folder under a
hidden temporary name before anything else, so a folder that cannot be written is reported at
once; the copies of briefs that were added or replaced are then renamed to their final names and
the others removed.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
import uuid
from collections.abc import Collection, Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from index.storage import storage_guard
from index.types import DocumentInfo
from ingest.errors import EmptyFileError, UnsupportedFileError
from ingest.sniff import resolve_kind
from ingest.types import content_id

from .errors import ApiError
from .sizes import describe_size

MAX_NAME_CHARS = 120
# One upload request may carry this many files at the per-file size limit.
MAX_FILES_PER_UPLOAD = 20
_UNSAFE = re.compile(r"[^\w.()+ -]+")
_COPY_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class Received:
    """A file part of an upload request, as the form parser spooled it."""

    original: str  # the name the client sent
    file: BinaryIO
    size: int


@dataclass(frozen=True)
class Upload:
    name: str  # sanitised: a plain file name, safe to join to the storage folder
    original: str
    path: Path  # the received bytes, in the upload folder under a temporary name
    size: int


def safe_name(original: str) -> str:
    """A plain file name from whatever a client sent: no folders, no dot files, no odd bytes;
    a name that is nothing but dots before its extension becomes `upload.ext`."""
    base = PurePosixPath(original.replace("\\", "/")).name
    base = unicodedata.normalize("NFKC", base)
    base = _UNSAFE.sub("_", base).rstrip(" ._")
    suffix = PurePosixPath(base).suffix if base.strip(".") else ""
    stem = base[: len(base) - len(suffix)].lstrip(" ._").rstrip(" .") or "upload"
    if len(stem) + len(suffix) > MAX_NAME_CHARS:
        keep = MAX_NAME_CHARS - len(suffix)
        stem = stem[:keep] if keep > 0 else stem[:MAX_NAME_CHARS]
        suffix = suffix if keep > 0 else ""
    return stem + suffix


def too_large(original: str, size: int, max_bytes: int) -> ApiError:
    return ApiError(
        413,
        "too_large",
        f"{original!r} is {describe_size(size)}, over the {describe_size(max_bytes)} limit per "
        "file: split it or raise BRIEFQA_LIMITS__MAX_FILE_MB",
    )


def receive(folder: Path, files: Sequence[Received]) -> list[Upload]:
    """Copy each received file into `folder` under a temporary name (a StorageError when the
    folder cannot be written; nothing is left behind)."""
    uploads: list[Upload] = []
    try:
        with storage_guard(folder):
            folder.mkdir(parents=True, exist_ok=True)
            for received in files:
                name = safe_name(received.original)
                path = folder / f".{uuid.uuid4().hex}.{name}.part"
                uploads.append(Upload(name, received.original, path, received.size))
                received.file.seek(0)
                with open(path, "wb") as out:
                    shutil.copyfileobj(received.file, out, _COPY_BLOCK)
    except BaseException:
        discard(uploads)
        raise
    return uploads


def check_uploads(uploads: Sequence[Upload], max_bytes: int) -> None:
    """413 when a file is over the limit; 415 (400 when all are empty) when no file is usable.
    Files are read one at a time."""
    for up in uploads:
        if up.size > max_bytes:
            raise too_large(up.original, up.size, max_bytes)
    problems = {}
    for up in uploads:
        try:
            resolve_kind(up.name, up.path.read_bytes())
            return
        except (UnsupportedFileError, EmptyFileError) as exc:
            problems[up.original] = (exc.code, str(exc))
    if problems and all(code == "empty_file" for code, _ in problems.values()):
        raise ApiError(400, "empty_file", "every uploaded file is empty: send the briefs' bytes")
    details = [
        {"file": name, "code": code, "reason": reason} for name, (code, reason) in problems.items()
    ]
    raise ApiError(
        415,
        "unsupported_type",
        "no uploaded file is a PDF, text, Markdown or HTML file by its bytes: "
        + "; ".join(f"{d['file']}: {d['reason']}" for d in details[:3]),
        details,
    )


def keep(folder: Path, uploads: Sequence[Upload], names: Collection[str]) -> None:
    """Give the uploads named in `names` their final names (replacing older copies)."""
    with storage_guard(folder):
        for up in uploads:
            if up.name in names and up.path.exists():
                os.replace(up.path, folder / up.name)


def discard(uploads: Sequence[Upload]) -> None:
    """Remove the temporary copies still there."""
    for up in uploads:
        with suppress(FileNotFoundError):
            up.path.unlink()


def remove_kept(folder: Path, document: DocumentInfo) -> None:
    """Remove a deleted document's original, when the file kept under its name is that
    document (same bytes), not an unrelated file of the same name."""
    path = folder / document.source
    if path.name != document.source or not path.is_file():
        return
    with storage_guard(folder):
        if content_id(path.read_bytes()) == document.id:
            path.unlink()
