"""Operational routes in process: health, readiness, Prometheus metrics, public config, CORS."""

from __future__ import annotations

import re
from pathlib import Path

from fake_app import BRIEFS, OpenApp
from fastapi.testclient import TestClient

from service.api.routes_ops import PROMETHEUS_TYPE

ORIGIN = "http://localhost:5173"


def test_health_and_readiness(api: TestClient) -> None:
    assert api.get("/healthz").json() == {"status": "ok"}
    ready = api.get("/readyz")
    assert ready.status_code == 200
    documents = api.get("/v1/documents").json()["documents"]
    assert ready.json() == {
        "status": "ready",
        "generation": "gen-000001",
        "documents": len(BRIEFS),
        "chunks": sum(d["chunks"] for d in documents),
    }


def test_metrics_count_requests_per_route_and_status(open_app: OpenApp, fake_index: Path) -> None:
    client = open_app(fake_index)
    for body in ({"query": "shore power"}, {"query": "lithium"}, {"query": ""}):
        client.post("/v1/search", json=body)
    client.get("/v1/documents/abcdef")
    client.get("/no-such-page")
    chunks = client.get("/readyz").json()["chunks"]
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"] == PROMETHEUS_TYPE
    lines = set(response.text.splitlines())
    search = 'method="POST",route="/v1/search"'
    assert f'briefqa_requests_total{{{search},status="200"}} 2' in lines
    assert f'briefqa_requests_total{{{search},status="422"}} 1' in lines
    assert f"briefqa_request_duration_seconds_count{{{search}}} 3" in lines
    assert f'briefqa_request_duration_seconds_bucket{{{search},le="+Inf"}} 3' in lines
    # Routes are counted by their template, unknown paths under one label.
    document = 'method="GET",route="/v1/documents/{doc_id}",status="404"'
    assert f"briefqa_requests_total{{{document}}} 1" in lines
    assert 'briefqa_requests_total{method="GET",route="unmatched",status="404"} 1' in lines
    assert not any("/no-such-page" in line for line in lines)
    assert {
        "briefqa_index_ready 1",
        f"briefqa_index_documents {len(BRIEFS)}",
        f"briefqa_index_chunks {chunks}",
        "briefqa_index_generation 1",
    } <= lines
    # Buckets are cumulative.
    buckets = [
        int(line.rsplit(" ", 1)[1])
        for line in response.text.splitlines()
        if line.startswith(f"briefqa_request_duration_seconds_bucket{{{search}")
    ]
    assert buckets == sorted(buckets) and buckets[-1] == 3


def test_metrics_histogram_lines_are_well_formed(open_app: OpenApp, fake_index: Path) -> None:
    client = open_app(fake_index)
    client.get("/healthz")
    text = client.get("/metrics").text
    sample = re.compile(r'^[a-z_]+(\{([a-z_]+="[^"]*",?)+\})? -?[0-9.e+]+$')
    for line in text.splitlines():
        assert line.startswith("# HELP ") or line.startswith("# TYPE ") or sample.match(line), line


def test_public_config_follows_the_settings(open_app: OpenApp, fake_index: Path) -> None:
    open_server = open_app(fake_index).get("/v1/config/public").json()
    locked = open_app(fake_index, api_key="k", allow_uploads=False).get("/v1/config/public")
    modes = {"modes": ["hybrid", "dense", "bm25"], "default_mode": "hybrid"}
    assert open_server == {"uploads_enabled": True, "auth_required": False, **modes}
    assert locked.json() == {"uploads_enabled": False, "auth_required": True, **modes}


def test_cors_only_for_the_configured_origin(open_app: OpenApp, fake_index: Path) -> None:
    client = open_app(fake_index, cors_origins=[ORIGIN])
    preflight = client.options(
        "/v1/ask",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in preflight.headers["access-control-allow-methods"]
    simple = client.get("/healthz", headers={"Origin": ORIGIN})
    assert simple.headers["access-control-allow-origin"] == ORIGIN
    other = client.get("/healthz", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers


def test_no_cors_headers_by_default(api: TestClient) -> None:
    response = api.get("/healthz", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in response.headers


def test_the_openapi_schema_lists_every_route(api: TestClient) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    assert {
        "/v1/search",
        "/v1/ask",
        "/v1/documents",
        "/v1/documents/{doc_id}",
        "/v1/models",
        "/v1/chat/completions",
        "/v1/config/public",
        "/healthz",
        "/readyz",
        "/metrics",
    } <= set(paths)
    assert set(paths["/v1/documents/{doc_id}"]) == {"get", "delete"}
