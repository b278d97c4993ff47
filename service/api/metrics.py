"""Prometheus metrics: request counts and latency histograms per route, plus the index's size."""

from __future__ import annotations

import threading
import time
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
UNMATCHED = "unmatched"


@dataclass
class _Histogram:
    counts: list[int] = field(default_factory=lambda: [0] * len(BUCKETS))
    total: float = 0.0
    n: int = 0

    def observe(self, seconds: float) -> None:
        i = bisect_left(BUCKETS, seconds)
        if i < len(BUCKETS):
            self.counts[i] += 1
        self.total += seconds
        self.n += 1


class Metrics:
    """Thread-safe counters, rendered in the Prometheus text exposition format."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self._latency: dict[tuple[str, str], _Histogram] = defaultdict(_Histogram)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        with self._lock:
            self._requests[(method, route, status)] += 1
            self._latency[(method, route)].observe(seconds)

    def render(self, gauges: dict[str, tuple[str, float]]) -> str:
        """The exposition text; `gauges` maps a metric name to (help text, value)."""
        lines = [
            "# HELP briefqa_requests_total HTTP requests by method, route and status.",
            "# TYPE briefqa_requests_total counter",
        ]
        with self._lock:
            requests = sorted(self._requests.items())
            latency = sorted((k, _copy(h)) for k, h in self._latency.items())
        for (method, route, status), count in requests:
            labels = f'method="{method}",route="{_escape(route)}",status="{status}"'
            lines.append(f"briefqa_requests_total{{{labels}}} {count}")
        lines += [
            "# HELP briefqa_request_duration_seconds HTTP request latency by method and route.",
            "# TYPE briefqa_request_duration_seconds histogram",
        ]
        for (method, route), hist in latency:
            labels = f'method="{method}",route="{_escape(route)}"'
            cumulative = 0
            for bound, count in zip(BUCKETS, hist.counts, strict=True):
                cumulative += count
                lines.append(
                    f'briefqa_request_duration_seconds_bucket{{{labels},le="{bound}"}} {cumulative}'
                )
            lines.append(f'briefqa_request_duration_seconds_bucket{{{labels},le="+Inf"}} {hist.n}')
            lines.append(f"briefqa_request_duration_seconds_sum{{{labels}}} {hist.total:.6f}")
            lines.append(f"briefqa_request_duration_seconds_count{{{labels}}} {hist.n}")
        for name, (help_text, value) in gauges.items():
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name} {value:g}"]
        return "\n".join(lines) + "\n"


def _copy(h: _Histogram) -> _Histogram:
    return _Histogram(list(h.counts), h.total, h.n)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


class MetricsMiddleware:
    """Times each HTTP request to the end of its body and records it under its route template."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_watch)
        finally:
            route = getattr(scope.get("route"), "path", None) or _mount_path(scope)
            self.metrics.observe(scope["method"], route, status, time.perf_counter() - started)


def _mount_path(scope: Scope) -> str:
    # Static files are served by a mount, which has no route template of its own.
    path = str(scope.get("path", ""))
    return "/static" if path.startswith("/static/") else UNMATCHED
