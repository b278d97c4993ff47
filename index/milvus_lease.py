"""One writer per collection prefix across processes: a lease row in the meta collection.

Milvus has no lock and no compare-and-set, so a writer claims a store by writing a lease row
(a random owner token and an expiry time) and reading it back after a short settle; a daemon
thread renews it every third of its time to live, and the writer deletes it when it finishes.
A lease left unrenewed past its expiry (its writer died) is taken over by the next writer. What
this does not guarantee is in docs/decisions/0004-milvus-store.md. A Milvus Lite file takes no
lease: its file lock already admits one process, and is let go of when that process dies.

The row reuses the meta collection's fields, so stores made before the lease need no new
schema: `key` is LEASE_KEY, `revision` the owner's token, `next_row` the expiry (Unix
milliseconds) and `manifest` a JSON note of who holds it (host, pid, since) for messages.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from .errors import IndexBusyError
from .milvus_schema import DUMMY_VECTOR, META
from .milvus_store import Collections

_log = logging.getLogger(__name__)

LEASE_KEY = "writer_lease"
DEFAULT_TTL = 60.0  # seconds a lease lasts unrenewed: how long a crashed writer blocks the next
# Seconds between writing a lease and reading it back: a rival that read the lease as free and
# writes its own within this time is seen (the later write wins, for both of them).
SERVER_SETTLE = 0.5
_RETRY = 0.5  # seconds between attempts while waiting for a busy store


@dataclass(frozen=True)
class LeaseHolder:
    """Who holds a store's lease, and until when (Unix seconds)."""

    token: int
    expires: float
    host: str
    pid: int
    since: float

    def describe(self) -> str:
        return f"host {self.host}, pid {self.pid}, since {_iso(self.since)}"


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).replace(microsecond=0).isoformat()


def read_lease(collections: Collections) -> LeaseHolder | None:
    """The lease row of `collections`' store, expired or not (None: nobody holds it)."""
    rows = collections.query(META, f'key == "{LEASE_KEY}"', ["revision", "next_row", "manifest"])
    if not rows:
        return None
    row = rows[0]
    note = json.loads(str(row["manifest"]))
    return LeaseHolder(
        token=int(row["revision"]),
        expires=int(row["next_row"]) / 1000,
        host=str(note["host"]),
        pid=int(note["pid"]),
        since=float(note["since"]),
    )


class WriterLease:
    """This writer's claim on a store: `acquire`, then `ensure` before each change and `renew`
    before publishing, `release` when done. A daemon thread renews it meanwhile, so a long
    pause between writes (embedding a large batch) does not lose it."""

    def __init__(
        self, collections: Collections, *, ttl: float = DEFAULT_TTL, settle: float = SERVER_SETTLE
    ) -> None:
        if ttl <= 0:
            raise ValueError("a lease needs a positive time to live")
        self._collections = collections
        self.ttl = ttl
        self._needed = not collections.location.is_local  # a Lite file is locked already
        self._settle = settle
        self.token = secrets.randbits(63) or 1
        self._since = time.time()
        self._expires = 0.0
        self._held = False
        self._wrote = False  # a row of ours may exist (even if a failed claim left it)
        self._taken_by: LeaseHolder | None = None  # set when another writer took it over
        self._lost = False
        self._guard = threading.Lock()  # the thread's renewals and the writer's do not interleave
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def lost(self) -> bool:
        """True once another writer holds the store: this one must not touch its rows."""
        return self._lost

    def acquire(self, timeout: float = 0.0) -> None:
        """Claim the store, waiting up to `timeout` seconds for its holder to finish; else
        IndexBusyError naming the holder and when its lease expires."""
        if not self._needed:
            return
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            holder = self._claim()
            if holder is not None and holder.token == self.token:
                break
            left = deadline - time.monotonic()
            if left <= 0:
                raise IndexBusyError(self._busy_message(holder))
            time.sleep(min(_RETRY, left))
        self._held = True
        self._thread = threading.Thread(
            target=self._renew_until_stopped, name="milvus-writer-lease", daemon=True
        )
        self._thread.start()

    def _claim(self) -> LeaseHolder | None:
        """One attempt: the holder afterwards (this lease's own when it won)."""
        held = read_lease(self._collections)
        now = time.time()
        if held is not None and held.expires > now:
            return held
        if held is not None:
            _log.warning(
                "taking over the writer lease of %s on %s: it expired at %s (that writer "
                "stopped without finishing; its staged rows are rolled back)",
                held.describe(),
                self._collections.location,
                _iso(held.expires),
            )
        self._since = now
        self._write()
        if self._settle:
            time.sleep(self._settle)
        return read_lease(self._collections)

    def _write(self) -> None:
        expires = time.time() + self.ttl
        note = {"host": socket.gethostname(), "pid": os.getpid(), "since": self._since}
        row = {
            "key": LEASE_KEY,
            "revision": self.token,
            "next_row": int(expires * 1000),
            "manifest": json.dumps(note),
            "vector": DUMMY_VECTOR,
        }
        self._wrote = True
        self._collections.upsert(META, [row])
        self._expires = expires

    def renew(self) -> None:
        """Extend the lease, first checking that it is still ours (IndexBusyError if not)."""
        if not self._held:
            return
        with self._guard:
            if not self._lost:
                held = read_lease(self._collections)
                if held is not None and held.token == self.token:
                    self._write()
                    return
                self._lost, self._taken_by = True, held
            raise IndexBusyError(self._lost_message())

    def ensure(self) -> None:
        """Before a change: fail if the lease was lost; renew here if the thread fell behind
        (a paused process), so no row is written on a lease that may have expired."""
        if self._lost:
            raise IndexBusyError(self._lost_message())
        if self._held and time.time() > self._expires - self.ttl / 3:
            self.renew()

    def release(self) -> None:
        """Stop renewing and delete the lease row if it is still ours."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._held = False
        if not self._wrote or self._lost:
            return
        self._wrote = False
        try:
            # Only our row: the token in the filter keeps a rival's lease.
            self._collections.delete(META, f'key == "{LEASE_KEY}" and revision == {self.token}')
        except Exception as exc:  # the row expires by itself; the work is done either way
            _log.warning(
                "could not release the writer lease on %s (it expires at %s): %s",
                self._collections.location,
                _iso(self._expires),
                exc,
            )

    def _renew_until_stopped(self) -> None:
        while not self._stop.wait(self.ttl / 3):
            try:
                self.renew()
            except IndexBusyError as exc:
                _log.error("%s", exc)
                return
            except Exception as exc:  # a passing outage: try again; ensure() guards writes
                _log.warning("could not renew the writer lease: %s", exc)

    def _busy_message(self, holder: LeaseHolder | None) -> str:
        where = self._collections.location
        if holder is None:
            return f"another writer is claiming {where} at the same time; try again"
        return (
            f"another ingest is writing the collection prefix {where.collection!r} at "
            f"{where.uri} ({holder.describe()}); try again when it finishes. If that writer "
            f"died, its lease expires at {_iso(holder.expires)} and the next writer takes over "
            "then"
        )

    def _lost_message(self) -> str:
        where = self._collections.location
        by = f" by {self._taken_by.describe()}" if self._taken_by else ""
        return (
            f"this writer's lease on {where} was taken over{by}: it went unrenewed for more "
            f"than {self.ttl:g} s. This batch is not published, though rows it wrote after the "
            "takeover may appear with the other writer's: run it again, and delete any brief "
            "listed twice"
        )
