"""Domain errors map to one status and code each, in one place."""

from __future__ import annotations

import pytest

from index.errors import (
    DocumentNotFoundError,
    IndexBusyError,
    IndexFormatError,
    IndexNotFoundError,
    ModelMismatchError,
)
from ingest.errors import (
    CorruptFileError,
    EmptyFileError,
    FileTooLargeError,
    UnsupportedFileError,
)
from service.api.errors import domain_error, error_body


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (DocumentNotFoundError("no such document"), 404, "document_not_found"),
        (IndexNotFoundError("no index"), 503, "index_not_ready"),
        (IndexBusyError("busy"), 429, "index_busy"),
        (ModelMismatchError("other model"), 503, "model_mismatch"),
        (IndexFormatError("format 9"), 503, "index_format"),
        (UnsupportedFileError("a PNG"), 415, "unsupported_type"),
        (FileTooLargeError("600 pages"), 413, "too_large"),
        (EmptyFileError("empty"), 400, "empty_file"),
        (CorruptFileError("truncated"), 422, "corrupt"),
    ],
)
def test_domain_errors_map_to_status_and_code(exc: Exception, status: int, code: str) -> None:
    mapped = domain_error(exc)
    assert mapped is not None
    assert (mapped.status, mapped.code, mapped.message) == (status, code, str(exc))
    assert ("Retry-After" in mapped.headers) == (status in (429, 503))


def test_other_exceptions_are_not_domain_errors() -> None:
    assert domain_error(RuntimeError("boom")) is None
    assert domain_error(KeyError("x")) is None


def test_error_body_shape() -> None:
    assert error_body("bad", "fix it") == {"error": {"code": "bad", "message": "fix it"}}
    assert error_body("bad", "fix it", [1]) == {
        "error": {"code": "bad", "message": "fix it", "details": [1]}
    }
