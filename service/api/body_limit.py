"""Refuse request bodies over a size limit before they are read whole (413 in the error shape)."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_body
from .sizes import describe_size

UPLOAD_PATH = "/v1/documents"
# JSON bodies (questions, chat histories) never need more than this.
MAX_JSON_BYTES = 4 * 1024 * 1024
# Room for one multipart part's boundary and headers (a long file name included).
PART_OVERHEAD = 16 * 1024


class BodyLimitMiddleware:
    """Checks Content-Length up front and counts streamed bytes for requests without one."""

    def __init__(self, app: ASGIApp, max_upload_bytes: int) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes

    def _limit(self, scope: Scope) -> int:
        return self.max_upload_bytes if scope.get("path") == UPLOAD_PATH else MAX_JSON_BYTES

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _send_413(send, _message(limit, declared))
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            msg = await receive()
            if msg["type"] == "http.request":
                received += len(msg.get("body", b""))
                if received > limit:
                    # FastAPI re-raises this from body reading; the error handler shapes it.
                    raise HTTPException(413, _message(limit, None))
            return msg

        await self.app(scope, counting_receive, send)


def _message(limit: int, size: int | None) -> str:
    what = "the request body is" + (f" {describe_size(size)}," if size is not None else "")
    return f"{what} over the {describe_size(limit)} limit: send less per request"


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _send_413(send: Send, message: str) -> None:
    body = json.dumps(error_body("too_large", message)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
