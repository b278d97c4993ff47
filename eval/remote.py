"""Evaluate a running BriefQA server through its HTTP API (v1), one kept-alive connection."""

from __future__ import annotations

import http.client
import json
import time
from typing import Any
from urllib.parse import urlsplit

from index.types import SearchMode

from .answers import AnswerItemRecord, AnswerRecord, CitedPassage
from .errors import ServerError
from .judgments import IndexedDocument
from .rankings import Passage

# The API caps k for /v1/search at 100 and for /v1/ask at 20.
MAX_SEARCH_K = 100
MAX_ASK_K = 20


class HttpTarget:
    """A BriefQA server at `url` (e.g. http://127.0.0.1:8000)."""

    def __init__(self, url: str, timeout: float = 60.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ServerError(f"{url!r} is not an http(s) URL such as http://127.0.0.1:8000")
        self.url = url.rstrip("/")
        self._parts = parts
        self._prefix = parts.path.rstrip("/")
        self._timeout = timeout
        self._conn: http.client.HTTPConnection | None = None

    # -- the API ----------------------------------------------------------------------------------
    def documents(self) -> list[IndexedDocument]:
        body = self._request("GET", "/v1/documents")
        return [IndexedDocument(d["id"], d["source"]) for d in body["documents"]]

    def search(self, query: str, k: int, mode: SearchMode) -> list[Passage]:
        if k > MAX_SEARCH_K:
            raise ServerError(f"the HTTP API returns at most {MAX_SEARCH_K} passages; lower --k")
        body = self._request("POST", "/v1/search", {"query": query, "k": k, "mode": mode.value})
        return [Passage(h["document"]["id"], h["page_start"], h["page_end"]) for h in body["hits"]]

    def ask(self, question: str, k: int, mode: SearchMode) -> AnswerRecord:
        started = time.perf_counter()
        body = self._request(
            "POST", "/v1/ask", {"question": question, "k": min(k, MAX_ASK_K), "mode": mode.value}
        )
        elapsed = (time.perf_counter() - started) * 1000
        return AnswerRecord(
            answered=bool(body["answered"]),
            sentences=tuple((s["text"], int(s["citation"])) for s in body["sentences"]),
            citations=tuple(
                CitedPassage(
                    int(c["n"]),
                    c["document"]["id"],
                    c["text"],
                    int(c["page_start"]),
                    int(c["page_end"]),
                )
                for c in body["citations"]
            ),
            total_ms=elapsed,
            intent=body.get("intent"),
            text=body.get("answer", ""),
            items=tuple(
                AnswerItemRecord(
                    i["text"], int(i["citation"]), i["kind"], i["doc_id"], i.get("actor")
                )
                for i in body.get("items", ())
            ),
        )

    def describe(self) -> dict[str, Any]:
        return {"target": "http", "url": self.url, "readyz": self._request("GET", "/readyz")}

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # -- transport --------------------------------------------------------------------------------
    def _request(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        data = json.dumps(payload).encode() if payload is not None else None
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        status, raw = self._send(method, self._prefix + path, data, headers)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        if status >= 400 or body is None:
            raise ServerError(f"{method} {path} failed: {_error_text(status, body, raw)}")
        return body

    def _send(
        self, method: str, path: str, data: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        for attempt in (1, 2):  # a kept-alive connection the server has closed is retried once
            conn = self._connection()
            try:
                conn.request(method, path, body=data, headers=headers)
                response = conn.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, OSError) as exc:
                self.close()
                if attempt == 2 or isinstance(exc, ConnectionRefusedError | TimeoutError):
                    raise ServerError(
                        f"cannot reach the BriefQA server at {self.url}: {exc}"
                    ) from None
        raise ServerError(f"cannot reach the BriefQA server at {self.url}")

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            parts = self._parts
            cls = (
                http.client.HTTPSConnection
                if parts.scheme == "https"
                else http.client.HTTPConnection
            )
            self._conn = cls(parts.hostname or "", parts.port, timeout=self._timeout)
        return self._conn


def _error_text(status: int, body: Any, raw: bytes) -> str:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        return f"HTTP {status} {error.get('code', '')}: {error.get('message', '')}".strip()
    return f"HTTP {status}: {raw[:200].decode(errors='replace')}"
