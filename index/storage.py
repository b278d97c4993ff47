"""Tell a storage failure (read-only, no permission, disk full) from other errors, and say what
to fix. The libraries that write an index report them in different ways (OSError, SQLite's
"database or disk is full", a FAISS RuntimeError with the C library's message), so a failure is
judged by its errno or message and, failing that, by trying to write a small file there."""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import (
    IndexStoreError,
    StorageError,
    StorageFullError,
    StorageNotWritableError,
    StorageReadOnlyError,
)

_BY_ERRNO: dict[int, type[StorageError]] = {
    errno.ENOSPC: StorageFullError,
    errno.EDQUOT: StorageFullError,
    errno.EFBIG: StorageFullError,  # a file size limit (RLIMIT_FSIZE) on the writing process
    errno.EROFS: StorageReadOnlyError,
    errno.EACCES: StorageNotWritableError,
    errno.EPERM: StorageNotWritableError,
    errno.ENOTDIR: StorageNotWritableError,
}
# How libraries that do not raise OSError word the same failures.
_BY_MESSAGE: tuple[tuple[str, type[StorageError]], ...] = (
    *((os.strerror(n).lower(), kind) for n, kind in _BY_ERRNO.items()),
    ("database or disk is full", StorageFullError),
)
PROBE_BYTES = 64 * 1024


def storage_problem(folder: Path, exc: BaseException) -> StorageError | None:
    """The storage error behind `exc` while writing under `folder`, or None when `exc` is not
    about storage (a bug, bad input), so it is not passed off as one."""
    kind = _kind_of(exc)
    reason = str(exc)
    if kind is None:
        probed = probe(folder)
        if probed is None:
            return None
        kind, reason = _BY_ERRNO[probed.errno or 0], probed.strerror or str(probed)
    return kind(_message(kind, folder, reason))


def probe(folder: Path) -> OSError | None:
    """Write, sync and remove a small file in `folder` (or its nearest existing parent): the
    error that stopped it, when it is a storage error, else None."""
    target = folder
    while not target.exists() and target.parent != target:
        target = target.parent
    path = target / f".write-probe-{os.getpid()}-{threading.get_ident()}"
    try:
        with open(path, "wb") as handle:
            handle.write(b"\0" * PROBE_BYTES)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        return exc if exc.errno in _BY_ERRNO else None
    finally:
        with suppress(OSError):
            path.unlink()
    return None


@contextmanager
def storage_guard(folder: Path) -> Iterator[None]:
    """Re-raise storage failures inside the block as StorageError subclasses."""
    try:
        yield
    except IndexStoreError:
        raise
    except Exception as exc:
        problem = storage_problem(folder, exc)
        if problem is None:
            raise
        raise problem from exc


def _kind_of(exc: BaseException) -> type[StorageError] | None:
    seen: BaseException | None = exc
    while seen is not None:  # the error itself, then what caused it
        if isinstance(seen, OSError) and seen.errno in _BY_ERRNO:
            return _BY_ERRNO[seen.errno]
        text = str(seen).lower()
        for words, kind in _BY_MESSAGE:
            if words in text:
                return kind
        seen = seen.__cause__ or seen.__context__
    return None


def _message(kind: type[StorageError], folder: Path, reason: str) -> str:
    kept = "; nothing was changed and the current briefs are still served"
    if kind is StorageFullError:
        return (
            f"no space left to write to {folder} ({reason}): free disk space (or raise the "
            f"quota) and retry{kept}"
        )
    if kind is StorageReadOnlyError:
        return (
            f"{folder} is on a read-only file system ({reason}): remount it read-write or "
            f"move the index to a writable folder{kept}"
        )
    return (
        f"cannot write to {folder} ({reason}): give the user running BriefQA write "
        f"permission there, and check that it is a folder with no immutable flag{kept}"
    )
