"""Property-based tests of the real server against its own OpenAPI schema (schemathesis).

Checks that every response is documented, well typed and never a server error, that write
endpoints refuse missing or wrong keys, and that the Allow header lists what a path serves.
Three heuristic checks are left out on purpose: `positive_data_acceptance` (the server rightly
refuses some schema-valid bodies, e.g. a chat without a user message or a file of zero bytes),
`negative_data_rejection` (a multipart part has no type, so "an object where a file was
expected" is still a file; and an oversized body gets 413, which the check does not count as a
rejection), and `ensure_resource_availability` (it follows the doc_id of files that failed).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,response_headers_conformance,missing_required_header,"
    "unsupported_method,allow_header_conformance,use_after_free,ignored_auth"
)


@pytest.mark.slow
def test_schemathesis_finds_nothing(start_server, samples_index: Path, tmp_path: Path) -> None:
    folder = tmp_path / "index"
    shutil.copytree(samples_index, folder, ignore=shutil.ignore_patterns(".lock"))
    key = "schemathesis-key"
    server = start_server(folder, api_key=key)
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "run",
        f"{server.base}/openapi.json",
        "--header",
        f"Authorization: Bearer {key}",
        "--checks",
        CHECKS,
        "--max-examples",
        "30",
        "--workers",
        "1",
        "--seed",
        "20240601",
        "--request-timeout",
        "60",
        "--generation-database",
        "none",
        "--no-color",
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert "Traceback" not in server.log.read_text()
