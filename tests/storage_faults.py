"""Folders that really refuse writes, for tests that run as root (where chmod stops nothing):
an immutable folder, a small tmpfs mounted read-only, and a small tmpfs filled to the brim.
Each checks that writing there truly fails, and skips the test when this machine cannot make
such a folder (no chattr, no permission to mount)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _write_fails(folder: Path) -> bool:
    try:
        (folder / ".fault-check").write_bytes(b"x" * 65536)
    except OSError:
        return True
    (folder / ".fault-check").unlink()
    return False


@contextmanager
def immutable(folder: Path) -> Iterator[Path]:
    """`folder` with the immutable flag: nothing can be created or removed in it, even by root."""
    done = _run("chattr", "+i", str(folder)) if shutil.which("chattr") else None
    if done is None or done.returncode != 0:
        pytest.skip(f"cannot make a folder immutable here: {done.stderr if done else 'no chattr'}")
    try:
        assert _write_fails(folder), "an immutable folder accepted a file"
        yield folder
    finally:
        _run("chattr", "-i", str(folder))


@contextmanager
def tmpfs(mount_point: Path, size_kib: int) -> Iterator[Path]:
    """A fresh tmpfs of `size_kib` KiB at `mount_point` (lazily unmounted at the end)."""
    mount_point.mkdir(parents=True, exist_ok=True)
    done = _run("mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(mount_point))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        _run("umount", "-l", str(mount_point))


def make_read_only(mount_point: Path) -> None:
    """Remount a tmpfs from `tmpfs()` read-only, and check that it is."""
    done = _run("mount", "-o", "remount,ro", str(mount_point))
    assert done.returncode == 0, done.stderr
    assert _write_fails(mount_point), "a read-only mount accepted a file"


def fill(mount_point: Path, leave_bytes: int) -> None:
    """Fill a file system until only about `leave_bytes` are free, and check a larger write
    fails."""
    stats = os.statvfs(mount_point)
    free = stats.f_bavail * stats.f_frsize
    (mount_point / "filler").write_bytes(b"\0" * max(0, free - leave_bytes))
    with pytest.raises(OSError):
        (mount_point / ".fault-check").write_bytes(b"x" * (leave_bytes + 65536))
    (mount_point / ".fault-check").unlink(missing_ok=True)
