"""One JSON error shape for every HTTP error; domain exceptions mapped to status and code here."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from index.errors import (
    DocumentNotFoundError,
    EmbedderRequiredError,
    IndexBusyError,
    IndexFormatError,
    IndexNotFoundError,
    IndexStoreError,
    ModelMismatchError,
    StorageError,
    StorageFullError,
)
from ingest.embed import ModelNotFoundError
from ingest.errors import (
    EmptyFileError,
    FileTooLargeError,
    IngestCancelledError,
    IngestError,
    UnsupportedFileError,
)

log = logging.getLogger("briefqa.service")

NOT_READY_MESSAGE = (
    "no index is loaded yet: ingest briefs with `briefqa ingest PATH --index DIR` into the "
    "server's index folder, or upload them with POST /v1/documents"
)


class ApiError(Exception):
    """An error response: HTTP status, a stable snake_case code and a message saying what to fix."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = dict(headers or {})


def not_ready() -> ApiError:
    return ApiError(503, "index_not_ready", NOT_READY_MESSAGE)


# Domain exceptions, most specific first: (type, HTTP status, code or None to use the class's code).
_DOMAIN: tuple[tuple[type[Exception], int, str | None], ...] = (
    (DocumentNotFoundError, 404, None),
    (IndexNotFoundError, 503, "index_not_ready"),
    (IndexBusyError, 429, None),
    (ModelMismatchError, 503, None),
    (IndexFormatError, 503, None),
    (EmbedderRequiredError, 503, None),
    (StorageFullError, 507, None),
    (StorageError, 503, None),
    (IndexStoreError, 503, None),
    (ModelNotFoundError, 503, "embedding_model_unavailable"),
    (UnsupportedFileError, 415, None),
    (FileTooLargeError, 413, None),
    (EmptyFileError, 400, None),
    (IngestError, 422, None),
    # The client is gone and reads no answer; the status is for logs and metrics (nginx's 499).
    (IngestCancelledError, 499, None),
)

_HTTP_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "too_many_requests",
    503: "unavailable",
}


def domain_error(exc: Exception) -> ApiError | None:
    """The ApiError for a domain exception, or None when it is not one of ours."""
    for kind, status, code in _DOMAIN:
        if isinstance(exc, kind):
            headers = {"Retry-After": "5"} if status in (429, 503, 507) else None
            name = code or str(getattr(exc, "code", "error"))
            return ApiError(status, name, str(exc), headers=headers)
    return None


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


def error_response(err: ApiError) -> JSONResponse:
    return JSONResponse(
        error_body(err.code, err.message, err.details), status_code=err.status, headers=err.headers
    )


def validation_error(exc: RequestValidationError) -> ApiError:
    """422 listing each invalid field, or 400 when the body is not JSON at all."""
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        reason = next((e.get("ctx", {}).get("error") for e in errors if e.get("ctx")), None)
        message = "the request body is not valid JSON" + (f" ({reason})" if reason else "")
        return ApiError(400, "malformed_json", message + ": send a JSON object")
    details = [
        {"field": _field(e.get("loc", ())), "problem": _problem(e), "type": e.get("type")}
        for e in errors
    ]
    summary = "; ".join(
        f"{d['field']}: {d['problem']}" if d["field"] else d["problem"] for d in details[:3]
    )
    return ApiError(422, "invalid_request", summary or "the request is invalid", details)


def _field(loc: Any) -> str:
    """The field's dotted name: the location's first part says where it was (body, query...),
    the rest names it, even a field called `query`."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(parts)


def _problem(error: Mapping[str, Any]) -> str:
    if error.get("type") == "model_attributes_type" and not _field(error.get("loc", ())):
        return "the body must be a JSON object sent with Content-Type: application/json"
    if error.get("type") == "missing" and tuple(error.get("loc", ())) == ("body",):
        return "the request needs a JSON body sent with Content-Type: application/json"
    message = str(error.get("msg", "invalid value"))
    return message.removeprefix("Value error, ")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette lists only the first route's).

    Each method is tried on every route: FastAPI (0.165) puts an included router's routes behind
    one entry of `app.routes` that has no `methods` of its own, but it matches like them.
    """
    routes = [r for r in request.app.routes if not isinstance(r, Mount)]
    return sorted(
        method
        for method in _HTTP_METHODS
        if any(r.matches({**request.scope, "method": method})[0] is Match.FULL for r in routes)
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every failure into the one error shape."""

    async def on_api_error(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return error_response(exc)

    async def on_validation(_: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return error_response(validation_error(exc))

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
            message = "the request body is not valid UTF-8: send a JSON object encoded as UTF-8"
            return error_response(ApiError(400, "malformed_json", message))
        code = _STATUS_CODES.get(exc.status_code, "error")
        detail = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
        if exc.status_code in (404, 405) and detail in ("Not Found", "Method Not Allowed"):
            what = "no such route" if exc.status_code == 404 else "method not allowed on"
            detail = f"{what} {request.method} {request.url.path}: see /docs for the API"
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return error_response(ApiError(exc.status_code, code, detail, headers=headers))

    async def on_domain(_: Request, exc: Exception) -> JSONResponse:
        mapped = domain_error(exc)
        if mapped is None:
            return await on_unexpected(_, exc)
        return error_response(mapped)

    async def on_unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return error_response(ApiError(500, "internal_error", "an unexpected error occurred"))

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    for kind in (IndexStoreError, IngestError, ModelNotFoundError, IngestCancelledError):
        app.add_exception_handler(kind, on_domain)
    app.add_exception_handler(Exception, on_unexpected)
