"""The demo: ingest the bundled sample briefs, start the server, print how to query it."""

from __future__ import annotations

import json
import shlex
import socket
import subprocess
import sys
from pathlib import Path

from ..launcher import LaunchError, briefqa_command, client_url, start_server
from ..settings import load_settings

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "briefs"
EXAMPLE_QUESTIONS: tuple[tuple[str, dict[str, object]], ...] = (
    (
        "/v1/ask",
        {"question": "What should the EU do about China claiming neutrality in the Ukraine war?"},
    ),
    ("/v1/ask", {"question": "Which briefs discuss debt restructuring?", "k": 5}),
    ("/v1/search", {"query": "battery passport recycled content", "mode": "hybrid", "k": 3}),
)


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((host, port)) != 0


def _curl(base: str, path: str, body: dict[str, object]) -> str:
    # shlex.quote keeps the command pasteable whatever the question contains (e.g. apostrophes).
    payload = shlex.quote(json.dumps(body))
    return f"curl -s {base}{path} -H 'Content-Type: application/json' -d {payload}"


def main() -> int:
    settings = load_settings()
    try:
        command = briefqa_command()
    except LaunchError:
        sys.exit("error: the `briefqa` command is not installed; run `make install` first")
    index = str(settings.index_dir)
    if not SAMPLES.is_dir():
        sys.exit(f"error: the sample briefs folder {SAMPLES} is missing")
    print(f"Ingesting the sample briefs into {index} (unchanged files are skipped)...", flush=True)
    ingest = subprocess.run([*command, "ingest", str(SAMPLES), "--index", index], check=False)
    if ingest.returncode not in (0, 1):
        return ingest.returncode
    host, port = settings.server.host, settings.server.port
    if not _port_free(host, port):
        sys.exit(
            f"error: port {port} on {host} is in use; stop what runs there or choose another "
            f"port, e.g. BRIEFQA_SERVER__PORT={port + 1} make demo"
        )
    print(f"Starting the server on {client_url(host, port)} ...", flush=True)
    try:
        server = start_server(settings.index_dir, host=host, port=port)
    except LaunchError as exc:
        print(f"error: the server did not become ready: {exc}", file=sys.stderr)
        return 1
    base = server.base_url
    try:
        print("\nBriefQA is serving the sample briefs.")
        print(f"  Web page:  {base}/")
        print(f"  API docs:  {base}/docs")
        print("\nTry, from another terminal:")
        for path, body in EXAMPLE_QUESTIONS:
            print(f"  {_curl(base, path, body)}")
        print("\nPress Ctrl-C to stop the server.\n", flush=True)
        return server.wait()
    except KeyboardInterrupt:
        server.stop()
        print("\nServer stopped.")
        return 0


if __name__ == "__main__":
    sys.exit(main())
