"""Run parsing in a child process under a CPU and wall-time budget; over budget, kill it.

A 25 KB PDF whose pages share one huge content stream kept pypdf busy for minutes (206 CPU
seconds for 40 pages). Parsing in the server's own process would hold a core, and Python code
cannot be interrupted safely, so each file is parsed in a child process that is killed when its
budget runs out: the CPU limit is the kernel's (RLIMIT_CPU, SIGXCPU), the wall-time limit the
parent's. The child is a fresh interpreter (not a fork: the server is multi-threaded), started
on first use and replaced after a kill; it runs at a lower priority than the query path.
"""

from __future__ import annotations

import importlib
import math
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from .errors import CorruptFileError, IngestCancelledError, TooSlowError

T = TypeVar("T")

_HEADER = struct.Struct("!Q")
# How often a wait for the child looks at the caller's cancel flag.
POLL_SECONDS = 0.2
# A fresh interpreter imports what it needs in about a second; far more means it is broken.
STARTUP_SECONDS = 60.0
# The child yields the CPU to the query path when both want it.
CHILD_NICENESS = 10
# The child's own environment: one thread for tokenizers and OpenMP, as in the parse-ahead worker.
CHILD_ENVIRONMENT = {"TOKENIZERS_PARALLELISM": "false", "OMP_NUM_THREADS": "1"}


@dataclass(frozen=True)
class ParseBudget:
    """What parsing one file may cost: CPU seconds (the measure of work) and seconds on the clock
    (a backstop for a child that waits instead of working)."""

    cpu_seconds: float = 60.0
    wall_seconds: float = 120.0


class BudgetWorker:
    """One child process that runs calls one at a time, each under the budget. Thread-safe."""

    def __init__(self, budget: ParseBudget, preload: Sequence[str] = ()) -> None:
        """`preload`: modules the child imports before its first call, so imports are not
        charged to the first file's budget."""
        self.budget = budget
        self._preload = tuple(preload)
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def run(
        self,
        function: Callable[..., T],
        *args: Any,
        cancelled: Callable[[], bool] | None = None,
    ) -> T:
        """`function(*args)` in the child (both picklable); its exception is raised here.

        TooSlowError when over budget, IngestCancelledError as soon as `cancelled()` is true:
        either way the child is killed and the next call starts a fresh one."""
        with self._lock:
            try:
                process = self._send((function, args, self.budget.cpu_seconds))
                deadline = time.monotonic() + self.budget.wall_seconds
                status, value = self._reply(process, deadline, cancelled)
            except BaseException:
                self._stop()
                raise
        if status == "error":
            raise value
        result: T = value
        return result

    def close(self) -> None:
        with self._lock:
            self._stop()

    # -- the parent's side ----------------------------------------------------------------------
    def _send(self, message: object) -> subprocess.Popen[bytes]:
        data = pickle.dumps(message)
        for attempt in (1, 2):
            process = self._started()
            assert process.stdin is not None
            try:
                process.stdin.write(_HEADER.pack(len(data)) + data)
                process.stdin.flush()
                return process
            except BrokenPipeError:  # the idle child was killed from outside: start another
                self._stop()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _started(self) -> subprocess.Popen[bytes]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._stop()
        environment = {**os.environ, **CHILD_ENVIRONMENT}
        # The child imports what the parent can: the same search path, tests' helpers included.
        environment["PYTHONPATH"] = os.pathsep.join(p or os.curdir for p in sys.path)
        process = subprocess.Popen(
            [sys.executable, "-m", __name__, *self._preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=environment,
            bufsize=0,
        )
        self._process = process
        try:
            status, value = self._reply(process, time.monotonic() + STARTUP_SECONDS, None)
        except (TooSlowError, CorruptFileError) as exc:
            raise RuntimeError("the parse worker did not start: see its messages") from exc
        if status != "ready":
            raise RuntimeError(f"the parse worker did not start: {value!r}")
        return process

    def _reply(
        self,
        process: subprocess.Popen[bytes],
        deadline: float | None,
        cancelled: Callable[[], bool] | None,
    ) -> tuple[str, Any]:
        """The child's next reply; `deadline` (monotonic clock) None waits as long as it takes."""
        assert process.stdout is not None
        fd = process.stdout.fileno()
        while True:
            left = POLL_SECONDS if deadline is None else deadline - time.monotonic()
            if left <= 0:
                raise TooSlowError(
                    f"parsing took more than {self.budget.wall_seconds:g} s, the parse budget "
                    "per file: the file is refused (if it is a genuine brief, raise the budget)"
                )
            if cancelled is not None and cancelled():
                raise IngestCancelledError("the request was withdrawn while a file was parsed")
            ready, _, _ = select.select([fd], [], [], min(left, POLL_SECONDS))
            if ready:
                header = _read_exactly(fd, _HEADER.size)
                if header is None:
                    raise self._ended(process)
                body = _read_exactly(fd, _HEADER.unpack(header)[0])
                if body is None:
                    raise self._ended(process)
                status, value = pickle.loads(body)
                return str(status), value

    def _ended(self, process: subprocess.Popen[bytes]) -> Exception:
        code = process.wait()
        self._stop()
        if code == -signal.SIGXCPU:
            return TooSlowError(
                f"parsing used more than {self.budget.cpu_seconds:g} s of CPU time, the parse "
                "budget per file: the file is refused (if it is a genuine brief, raise the budget)"
            )
        how = f"signal {-code}" if code < 0 else f"status {code}"
        return CorruptFileError(f"the parser process ended abruptly ({how}) on this file")

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()


def _read_exactly(fd: int, size: int) -> bytes | None:
    """`size` bytes from `fd`, or None at end of file."""
    parts, left = [], size
    while left:
        part = os.read(fd, min(left, 1 << 20))
        if not part:
            return None
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


# -- the child's side ---------------------------------------------------------------------------
def _serve(preload: Sequence[str]) -> None:
    """Answer calls until the parent closes the pipe (or goes away)."""
    replies = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # a stray print must not corrupt the replies
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU would otherwise dump a core
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)  # an ignored SIGXCPU is inherited through exec
    os.nice(CHILD_NICENESS)
    for module in preload:
        importlib.import_module(module)
    _exit_with_parent()
    _write(replies, ("ready", None))
    calls = sys.stdin.fileno()
    while True:
        header = _read_exactly(calls, _HEADER.size)
        if header is None:
            return
        body = _read_exactly(calls, _HEADER.unpack(header)[0])
        if body is None:
            return
        function, args, cpu_seconds = pickle.loads(body)
        _limit_cpu(cpu_seconds)
        try:
            reply: tuple[str, Any] = ("ok", function(*args))
        except Exception as exc:  # sent back and raised in the parent
            reply = ("error", exc)
        _limit_cpu(None)
        _write(replies, reply)


def _limit_cpu(seconds: float | None) -> None:
    """Let this process use `seconds` more CPU time from now (None: no limit)."""
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if seconds is None:
        soft = hard
    else:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        soft = math.ceil(usage.ru_utime + usage.ru_stime + seconds)
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _write(stream: IO[bytes], reply: tuple[str, Any]) -> None:
    try:
        data = pickle.dumps(reply)
    except Exception as exc:  # an unpicklable result or exception: say what it was
        data = pickle.dumps(("error", RuntimeError(f"the parse worker could not reply: {exc!r}")))
    stream.write(_HEADER.pack(len(data)) + data)


def _exit_with_parent() -> None:
    """End when the parent is gone, even in the middle of a call. (PR_SET_PDEATHSIG is no use
    here: it fires when the parent *thread* that started the child ends, and server threads
    come and go.)"""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


if __name__ == "__main__":
    _serve(sys.argv[1:])
