"""The index folder's generations: a CURRENT pointer switched by rename, under one writer lock."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from filelock import FileLock, Timeout

from .errors import IndexBusyError, IndexNotFoundError

CURRENT_NAME = "CURRENT"
LOCK_NAME = ".lock"
_GEN = re.compile(r"^gen-(\d{6})$")
# Old generations kept so that readers still holding one are not pulled from under them.
KEEP_OLD_GENERATIONS = 2


def generation_name(number: int) -> str:
    return f"gen-{number:06d}"


def current_generation(index_dir: Path) -> tuple[int, Path]:
    """(number, folder) of the published generation, or IndexNotFoundError."""
    try:
        name = (index_dir / CURRENT_NAME).read_text().strip()
    except FileNotFoundError as exc:
        raise IndexNotFoundError(
            f"no index at {index_dir}: build one with `briefqa ingest PATH --index {index_dir}`"
        ) from exc
    match = _GEN.match(name)
    if not match or not (index_dir / name).is_dir():
        raise IndexNotFoundError(
            f"{index_dir / CURRENT_NAME} points at a missing generation {name!r}"
        )
    return int(match.group(1)), index_dir / name


def current_marker(index_dir: Path) -> str | None:
    """The CURRENT pointer's content: cheap to poll for a new generation."""
    try:
        return (index_dir / CURRENT_NAME).read_text().strip()
    except FileNotFoundError:
        return None


def writer_lock(index_dir: Path, timeout: float) -> FileLock:
    """The one-writer lock. It is an OS lock, so a killed writer releases it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(index_dir / LOCK_NAME))
    try:
        lock.acquire(timeout=timeout)
    except Timeout as exc:
        raise IndexBusyError(
            f"another process is writing to {index_dir}; try again when it finishes"
        ) from exc
    return lock


def staging_folder(index_dir: Path, number: int) -> Path:
    """A fresh folder for the next generation (any leftover of a killed writer is removed).

    Leftovers are staging folders and a generation folder that was renamed into place but
    never published: CURRENT still points at the one before it, so no reader uses it.
    """
    for leftover in index_dir.glob(".staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    unpublished = index_dir / generation_name(number)
    if unpublished.exists():
        shutil.rmtree(unpublished)
    folder = index_dir / f".staging-{generation_name(number)}"
    folder.mkdir()
    return folder


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(index_dir: Path, staging: Path, number: int) -> Path:
    """Make `staging` the current generation: durable files, rename, then switch CURRENT."""
    _fsync_tree(staging)
    final = index_dir / generation_name(number)
    staging.rename(final)
    pointer = index_dir / f".{CURRENT_NAME}.tmp"
    pointer.write_text(final.name + "\n")
    with open(pointer, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(pointer, index_dir / CURRENT_NAME)
    _fsync_dir(index_dir)
    _remove_old(index_dir, number)
    return final


def _remove_old(index_dir: Path, current: int) -> None:
    numbers = sorted(
        int(m.group(1)) for p in index_dir.iterdir() if (m := _GEN.match(p.name)) and p.is_dir()
    )
    for number in numbers:
        if number < current - KEEP_OLD_GENERATIONS:
            shutil.rmtree(index_dir / generation_name(number), ignore_errors=True)
