"""Uploaded briefs: safe file names, size and type checks by their bytes, keeping the originals."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ingest.errors import EmptyFileError, UnsupportedFileError
from ingest.sniff import resolve_kind

from .errors import ApiError

MAX_NAME_CHARS = 120
# One upload request may carry this many files at the per-file size limit.
MAX_FILES_PER_UPLOAD = 20
_UNSAFE = re.compile(r"[^\w.()+ -]+")


@dataclass(frozen=True)
class Upload:
    name: str  # sanitised: a plain file name, safe to join to the storage folder
    original: str
    data: bytes


def safe_name(original: str) -> str:
    """A plain file name from whatever a client sent: no folders, no dot files, no odd bytes."""
    base = PurePosixPath(original.replace("\\", "/")).name
    base = unicodedata.normalize("NFKC", base)
    base = _UNSAFE.sub("_", base).strip(" ._")
    if not base or base.startswith("."):
        base = "upload" + (base if base.startswith(".") else "")
    stem, dot, suffix = base.rpartition(".")
    if len(base) > MAX_NAME_CHARS:
        keep = MAX_NAME_CHARS - len(suffix) - 1
        base = (stem[:keep] + dot + suffix) if dot and keep > 0 else base[:MAX_NAME_CHARS]
    return base


def check_uploads(uploads: list[Upload], max_bytes: int) -> None:
    """413 when a file is over the limit; 415 (400 when all are empty) when no file is usable."""
    for up in uploads:
        if len(up.data) > max_bytes:
            raise ApiError(
                413,
                "too_large",
                f"{up.original!r} is {len(up.data) / 1e6:.1f} MB, over the "
                f"{max_bytes / 1e6:.1f} MB limit per file: "
                "split it or raise BRIEFQA_LIMITS__MAX_FILE_MB",
            )
    problems = {}
    for up in uploads:
        try:
            resolve_kind(up.name, up.data)
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


def store_upload(folder: Path, upload: Upload) -> Path:
    """Keep the original bytes under the sanitised name, written whole or not at all."""
    folder.mkdir(parents=True, exist_ok=True)
    target = (folder / upload.name).resolve()
    if target.parent != folder.resolve():
        raise ApiError(400, "bad_file_name", f"the file name {upload.original!r} is not allowed")
    partial = target.with_name(f".{target.name}.part")
    partial.write_bytes(upload.data)
    os.replace(partial, target)
    return target
