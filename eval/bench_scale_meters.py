"""What the scale benchmark reads off this process: resident memory, size on disk, latency."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import psutil
from tqdm import tqdm

from .bench_scale_types import Percentiles

WARM_UP = 10


def rss() -> int:
    """Resident bytes of this process and its children (Milvus Lite runs a server process)."""
    process = psutil.Process()
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            total += child.memory_info().rss
    return int(total)


def release_memory() -> None:
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def disk_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def timed(calls: Sequence[Callable[[], object]], label: str) -> Percentiles:
    """p50 and p95 of `calls`, each run once in turn after the first WARM_UP run once."""
    for call in calls[:WARM_UP]:
        call()
    seconds = []
    for call in tqdm(calls, desc=label, leave=False):
        started = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - started)
    return Percentiles.of(seconds)
