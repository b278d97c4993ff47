"""Start `briefqa serve` as a child process, wait until it is ready, and stop it cleanly.

The demo, the serving benchmark and the tests all start servers through here. Standard library
only: the service does not depend on an HTTP client.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

READY_PATH = "/readyz"
SETTINGS_PREFIX = "BRIEFQA_"
POLL_SECONDS = 0.25
LOG_TAIL_LINES = 40


class LaunchError(RuntimeError):
    """`briefqa` is not installed, or the server exited or was not ready in time."""


def briefqa_command() -> list[str]:
    """The `briefqa` command beside this interpreter (its virtualenv), else the one on PATH."""
    here = shutil.which("briefqa", path=str(Path(sys.executable).parent))
    found = here or shutil.which("briefqa")
    if not found:
        raise LaunchError("the `briefqa` command is not installed; run `make install` first")
    return [found]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port free on `host` right now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def local_address(host: str) -> str:
    """The address a client on this machine uses for a server bound to `host`: a wildcard
    address is reached through loopback."""
    return {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)


def client_url(host: str, port: int) -> str:
    """The base URL (no trailing slash) of a server bound to `host` and `port`."""
    address = local_address(host)
    return f"http://[{address}]:{port}" if ":" in address else f"http://{address}:{port}"


class ServerProcess:
    """A running `briefqa serve`. Use it as a context manager, or call `stop()`."""

    def __init__(self, process: subprocess.Popen[bytes], base_url: str, log: Path | None) -> None:
        self.process = process
        self.base_url = base_url  # e.g. http://127.0.0.1:8000, no trailing slash
        self.log = log  # the server's output, when it was sent to a file

    def wait(self) -> int:
        """Block until the server exits; its exit status."""
        return self.process.wait()

    def stop(self, timeout: float = 15.0) -> int:
        """Ask the server to shut down (SIGINT, as Ctrl-C does), kill it if it has not exited
        after `timeout` seconds; its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def log_tail(self, lines: int = LOG_TAIL_LINES) -> str:
        """The last lines of the server's log file ("" without one)."""
        if self.log is None:
            return ""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


def start_server(
    index_dir: Path | None = None,
    *,
    host: str = "127.0.0.1",
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    isolated: bool = False,
    args: Sequence[str] = (),
    log: Path | None = None,
    ready_path: str = READY_PATH,
    timeout: float = 120.0,
) -> ServerProcess:
    """Start `briefqa serve` and return once `ready_path` answers 200.

    `index_dir` is passed as `--index` (None: the server's own setting). `port` None picks a
    free one. The server gets this process's environment plus `env`; with `isolated`, this
    process's BRIEFQA_* variables are dropped first, so its settings come only from `env` and
    the arguments. `args` are more `serve` options. Output goes to the file `log`, or to this
    process's stdout and stderr. Raises LaunchError, with the log's tail, if the server exits
    first or is not ready within `timeout` seconds (it is stopped then).
    """
    if port is None:
        port = free_port(local_address(host))
    command = [*briefqa_command(), "serve", "--host", host, "--port", str(port), *args]
    if index_dir is not None:
        command += ["--index", str(index_dir)]
    environment = {
        k: v for k, v in os.environ.items() if not (isolated and k.startswith(SETTINGS_PREFIX))
    }
    environment.update(env or {})
    if log is None:
        process = subprocess.Popen(command, env=environment)
    else:
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, env=environment
            )
    server = ServerProcess(process, client_url(host, port), log)
    try:
        _wait_ready(server, ready_path, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_ready(server: ServerProcess, path: str, timeout: float) -> None:
    # Loopback never goes through a proxy, whatever http_proxy says.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while True:
        status = server.process.poll()
        if status is not None:
            raise LaunchError(_with_log(f"briefqa serve exited with status {status}", server))
        try:
            with opener.open(server.base_url + path, timeout=2) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as exc:  # not ready yet (503)
            exc.close()
        except (OSError, http.client.HTTPException):
            pass  # not listening yet
        if time.monotonic() > deadline:
            message = f"briefqa serve was not ready at {server.base_url}{path} in {timeout:.0f} s"
            raise LaunchError(_with_log(message, server))
        time.sleep(POLL_SECONDS)


def _with_log(message: str, server: ServerProcess) -> str:
    tail = server.log_tail()
    if server.log is None:
        return message + " (see its messages above)"
    return f"{message}; the end of {server.log}:\n{tail}" if tail else message
