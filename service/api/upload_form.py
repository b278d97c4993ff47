"""Read a multipart upload as it streams in: at most MAX_FILES_PER_UPLOAD files, each measured
while it arrives and refused (413, with its real size) once it is over the limit.

File parts spool to temporary files (in memory up to 1 MiB each, then on disk), so a request
holds little memory whatever it sends; bytes of a part over the limit are counted, not kept.
The route reads the form itself, after the API key and origin checks, rather than declaring it
as a parameter: FastAPI would read and spool the whole body before any check.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import ClientDisconnect, Request

from ingest.errors import IngestCancelledError

from .errors import ApiError
from .uploads import MAX_FILES_PER_UPLOAD, Received, too_large

FIELD = "files"
# Plain form fields are not used; a few are tolerated (clients add their own).
MAX_FIELDS = 16

# The request body as OpenAPI states it (the route declares no body parameter).
OPENAPI_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": [FIELD],
                    "properties": {
                        FIELD: {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "maxItems": MAX_FILES_PER_UPLOAD,
                            "description": "One or more briefs: PDF, txt, md or html "
                            f"(at most {MAX_FILES_PER_UPLOAD} files).",
                        }
                    },
                }
            }
        },
    }
}


class _FileOverLimit(Exception):
    def __init__(self, filename: str, size: int) -> None:
        super().__init__(filename)
        self.filename = filename
        self.size = size


class _TooManyFiles(Exception):
    pass


class _LimitedParser(MultiPartParser):
    """Starlette's parser, with a per-file size limit applied while the bytes arrive.

    It relies on `_current_part`, the part being parsed: tests of the limits pin it."""

    def __init__(self, request: Request, max_file_bytes: int) -> None:
        super().__init__(
            request.headers,
            request.stream(),
            max_files=MAX_FILES_PER_UPLOAD + 1,  # one more, so that our own count reports it
            max_fields=MAX_FIELDS,
        )
        self.max_file_bytes = max_file_bytes
        self.files_seen = 0
        self._part_bytes = 0

    def on_part_begin(self) -> None:
        super().on_part_begin()
        self._part_bytes = 0

    def on_headers_finished(self) -> None:
        super().on_headers_finished()
        if self._current_part.file is not None:
            self.files_seen += 1
            if self.files_seen > MAX_FILES_PER_UPLOAD:
                raise _TooManyFiles()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._current_part.file is not None:
            self._part_bytes += end - start
            if self._part_bytes > self.max_file_bytes:
                return  # measured to the end of the part for the message, never stored
        super().on_part_data(data, start, end)

    def on_part_end(self) -> None:
        part = self._current_part
        if part.file is not None and self._part_bytes > self.max_file_bytes:
            raise _FileOverLimit(part.file.filename or "upload", self._part_bytes)
        super().on_part_end()


@asynccontextmanager
async def upload_form(request: Request, max_file_bytes: int) -> AsyncIterator[list[Received]]:
    """The files of the `files` field, spooled; closed when the block ends."""
    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/form-data"):
        raise _missing_files()
    parser = _LimitedParser(request, max_file_bytes)
    try:
        form: FormData = await parser.parse()
    except _FileOverLimit as exc:
        raise too_large(exc.filename, exc.size, max_file_bytes) from None
    except _TooManyFiles:
        raise ApiError(
            413,
            "too_many_files",
            f"one upload may carry at most {MAX_FILES_PER_UPLOAD} files: send the rest in "
            "another request",
        ) from None
    except MultiPartException as exc:
        message = f"the multipart body is invalid ({exc.message}): send files as form-data"
        raise ApiError(400, "malformed_upload", message) from None
    except ClientDisconnect:
        raise IngestCancelledError("the client went away while sending the upload") from None
    try:
        files = [
            Received(value.filename or "upload", value.file, value.size or 0)
            for value in form.getlist(FIELD)
            if isinstance(value, UploadFile)
        ]
        if not files:
            raise _missing_files()
        yield files
    finally:
        await form.close()


def _missing_files() -> ApiError:
    problem = "send one or more files in the multipart field `files`"
    return ApiError(
        422,
        "invalid_request",
        f"{FIELD}: {problem}",
        [{"field": FIELD, "problem": problem, "type": "missing"}],
    )
