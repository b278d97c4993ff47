"""Starting `briefqa serve` as a child process: readiness, failures with the log's end, stop."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.launcher import LaunchError, client_url, start_server


def test_client_url_reaches_wildcard_addresses_through_loopback() -> None:
    assert client_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert client_url("0.0.0.0", 8000) == "http://127.0.0.1:8000"
    assert client_url("::", 8000) == "http://[::1]:8000"
    assert client_url("localhost", 9) == "http://localhost:9"


def test_a_server_that_exits_at_once_is_an_error_with_its_log(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with pytest.raises(LaunchError, match="exited with status 2") as caught:
        start_server(tmp_path / "index", args=["--no-such-option"], log=log, timeout=60)
    assert "--no-such-option" in str(caught.value)


@pytest.mark.slow  # a real server process, up to readiness
def test_ready_server_answers_and_stops_on_leaving_the_block(tmp_path: Path) -> None:
    import urllib.request

    log = tmp_path / "serve.log"
    with start_server(tmp_path / "empty", isolated=True, log=log, ready_path="/healthz") as server:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(server.base_url + "/healthz", timeout=10) as response:
            status = response.status
    assert status == 200
    assert server.process.returncode is not None
