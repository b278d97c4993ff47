"""`briefqa ingest` against `briefqa ingest --ray`, each a fresh process on the same files: what
a user waits for, model loading and Ray's start and stop included."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import BenchmarkError

# The command as its console script runs it, with this interpreter.
CLI = ("-c", "from service.cli.main import main; main()")
COMMAND_TIMEOUT_SECONDS = 3 * 3600


@dataclass(frozen=True)
class CommandTimes:
    """Wall-clock seconds of each command, and the chunks each stored."""

    single_seconds: float
    ray_seconds: float
    chunks: int

    @property
    def ray_vs_single(self) -> float:
        """Throughput of the Ray command over the single-process one's."""
        return self.single_seconds / self.ray_seconds if self.ray_seconds else 0.0


def time_commands(paths: Sequence[Path], work_dir: Path) -> CommandTimes:
    """Both commands on `paths`, each into a fresh index under `work_dir`."""
    single, chunks = _run(paths, work_dir / "index-command", [])
    on_ray, ray_chunks = _run(paths, work_dir / "index-command-ray", ["--ray"])
    if ray_chunks != chunks:
        raise BenchmarkError(
            f"briefqa ingest --ray stored {ray_chunks} chunks, briefqa ingest {chunks}"
        )
    return CommandTimes(single, on_ray, chunks)


def _run(paths: Sequence[Path], index_dir: Path, flags: list[str]) -> tuple[float, int]:
    shutil.rmtree(index_dir, ignore_errors=True)
    command = [sys.executable, *CLI, "ingest", *map(str, paths), "--index", str(index_dir)]
    command += ["--json", "--no-progress", *flags]
    started = time.perf_counter()
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_SECONDS, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        name = " ".join(["briefqa ingest", *flags])
        raise BenchmarkError(f"{name} failed (exit status {done.returncode}): {last}")
    return seconds, int(json.loads(done.stdout)["chunks"])
