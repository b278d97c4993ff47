"""Server settings over real HTTP: uploads switched off, CORS origins, the public config."""

from __future__ import annotations

from pathlib import Path

import pytest
from http_checks import assert_error_shape

# A real server process; test_routes_*.py check the same settings in process in the fast tier.
pytestmark = pytest.mark.slow

ORIGIN = "http://localhost:5173"


@pytest.fixture(scope="module")
def locked_server(start_server, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("locked") / "index"
    return start_server(
        folder,
        api_key="locked-key",
        BRIEFQA_SERVER__ALLOW_UPLOADS="false",
        BRIEFQA_SERVER__CORS_ORIGINS=f'["{ORIGIN}"]',
    )


def test_uploads_disabled_is_403_even_with_the_key(locked_server) -> None:
    with locked_server.client() as client:
        response = client.post(
            "/v1/documents",
            files={"files": ("a.txt", b"A brief about ports.")},
            headers=locked_server.auth(),
        )
        assert_error_shape(response, 403, "uploads_disabled")
        assert_error_shape(client.post("/v1/documents", files={"files": ("a.txt", b"x")}), 401)
        config = client.get("/v1/config/public").json()
    assert config["uploads_enabled"] is False and config["auth_required"] is True
    assert not (Path(locked_server.index_dir) / "uploads").exists()


def test_cors_allows_only_the_configured_origin(locked_server) -> None:
    with locked_server.client() as client:
        allowed = client.options(
            "/v1/ask",
            headers={
                "Origin": ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
        )
        other = client.get("/healthz", headers={"Origin": "https://elsewhere.example"})
        simple = client.get("/healthz", headers={"Origin": ORIGIN})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in allowed.headers["access-control-allow-methods"]
    assert simple.headers["access-control-allow-origin"] == ORIGIN
    assert "access-control-allow-origin" not in other.headers
