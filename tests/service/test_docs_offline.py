"""The interactive API documentation loads everything it needs from this server, not a CDN."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.api.app import create_app
from service.cli.main import build_app
from service.settings import load_settings


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    # Not entered as a context manager: the lifespan (model and index) is not needed here.
    return TestClient(create_app(load_settings(tmp_path_factory.mktemp("index"))))


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_documentation_pages_load_their_assets_from_this_server(
    client: TestClient, page: str
) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', response.text)
    assert assets, response.text
    for asset in assets:
        assert asset.startswith("/"), f"{page} loads {asset} from another host"
        fetched = client.get(asset)
        assert fetched.status_code == 200, asset
        assert len(fetched.content) > 10_000, asset  # the real bundle, not a stub


def test_the_ask_help_shows_the_citation_marker() -> None:
    result = CliRunner().invoke(build_app(), ["ask", "--help"])
    assert result.exit_code == 0
    assert "each cited [n], then the" in " ".join(result.output.split())


def test_the_readme_states_the_k_limits() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert "`k` is 1-100 passages for `search` and 1-20 for `ask`" in readme
