"""The demo: ingest the bundled sample briefs, start the server, print how to query it."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

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


def _briefqa() -> str:
    found = shutil.which("briefqa", path=str(Path(sys.executable).parent)) or shutil.which(
        "briefqa"
    )
    if not found:
        sys.exit("error: the `briefqa` command is not installed; run `make install` first")
    return found


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((host, port)) != 0


def _wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    return False


def _curl(base: str, path: str, body: dict[str, object]) -> str:
    # shlex.quote keeps the command pasteable whatever the question contains (e.g. apostrophes).
    payload = shlex.quote(json.dumps(body))
    return f"curl -s {base}{path} -H 'Content-Type: application/json' -d {payload}"


def main() -> int:
    settings = load_settings()
    command = _briefqa()
    index = str(settings.index_dir)
    if not SAMPLES.is_dir():
        sys.exit(f"error: the sample briefs folder {SAMPLES} is missing")
    print(f"Ingesting the sample briefs into {index} (unchanged files are skipped)...", flush=True)
    ingest = subprocess.run([command, "ingest", str(SAMPLES), "--index", index], check=False)
    if ingest.returncode not in (0, 1):
        return ingest.returncode
    host, port = settings.server.host, settings.server.port
    if not _port_free(host, port):
        sys.exit(
            f"error: port {port} on {host} is in use; stop what runs there or choose another "
            f"port, e.g. BRIEFQA_SERVER__PORT={port + 1} make demo"
        )
    base = f"http://{host}:{port}"
    print(f"Starting the server on {base} ...", flush=True)
    server = subprocess.Popen(
        [command, "serve", "--index", index, "--host", host, "--port", str(port)],
        env=os.environ.copy(),
    )
    try:
        if not _wait_ready(base, server):
            print("error: the server did not become ready; see its messages above", file=sys.stderr)
            server.terminate()
            return 1
        print("\nBriefQA is serving the sample briefs.")
        print(f"  Web page:  {base}/")
        print(f"  API docs:  {base}/docs")
        print("\nTry, from another terminal:")
        for path, body in EXAMPLE_QUESTIONS:
            print(f"  {_curl(base, path, body)}")
        print("\nPress Ctrl-C to stop the server.\n", flush=True)
        return server.wait()
    except KeyboardInterrupt:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        print("\nServer stopped.")
        return 0


if __name__ == "__main__":
    sys.exit(main())
