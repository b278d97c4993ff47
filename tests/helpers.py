"""Test helpers shared across test packages: a fake embedder and file utilities.

Import them with `from helpers import ...` (the tests folder is on the import path through its
conftest); importing from `conftest` is ambiguous once a package has a conftest of its own.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.published import StoreWriter
from service.launcher import ServerProcess as ServeProcess
from service.launcher import briefqa_command, start_server

__all__ = [
    "FakeEmbedder",
    "ServeProcess",
    "briefqa_command",
    "copy_index",
    "milvus_lite_server",
    "stage_brief",
    "start_serve",
    "write_files",
]

_WORD = re.compile(r"\w+")


@dataclass
class FakeEmbedder:
    """Deterministic bag-of-hashed-words vectors: for unit tests of storage and fusion logic.

    Texts sharing words get similar vectors, so searches behave sensibly; a token is a word.
    """

    model_id: str = "test/hashed-words"
    dim: int = 64
    max_tokens: int = 254
    precision: str = "fp32"

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(_WORD.findall(text)) for text in texts]

    def embed_documents(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                vectors[row, int.from_bytes(digest, "little") % self.dim] += 1.0
            norm = np.linalg.norm(vectors[row])
            vectors[row] = vectors[row] / norm if norm else vectors[row]
            if not norm:
                vectors[row, 0] = 1.0
        return vectors

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


def write_files(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write name -> bytes into `folder`; return the paths in the given order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def copy_index(source: Path, target: Path) -> Path:
    """A private copy of an index folder, for tests that change it."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".lock"))
    return target


# -- a real `briefqa serve` process ---------------------------------------------------------------


def start_serve(
    index_dir: Path,
    log: Path,
    env: dict[str, str] | None = None,
    ready_path: str = "/healthz",
    timeout: float = 120.0,
) -> ServeProcess:
    """`briefqa serve --index index_dir` on a free loopback port, with BRIEFQA_* taken only from
    `env` (one server process unless `env` says otherwise), once `ready_path` answers 200
    (LaunchError with the log's end otherwise); its output goes to `log`. Call `stop()` when
    done, or use it as a context manager."""
    environment = {"BRIEFQA_SERVER__WORKERS": "1", **(env or {})}
    return start_server(
        index_dir, env=environment, isolated=True, log=log, ready_path=ready_path, timeout=timeout
    )


# -- a Milvus Lite server in its own process ------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def milvus_lite_server(data_dir: Path, timeout: float = 60.0) -> Iterator[str]:
    """`milvus-lite server` on a free loopback port, storing in `data_dir`: a Milvus server any
    number of processes can use (a `.db` file admits one). Yields its `http://` address once it
    accepts connections; stopped on exit. Its output goes to `data_dir`.log."""
    port = _free_port()
    command = [sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(data_dir)]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    with open(f"{data_dir}.log", "wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"milvus-lite server exited: see {data_dir}.log")
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"milvus-lite server not up in {timeout:g} s") from None
                    time.sleep(0.1)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def stage_brief(writer: StoreWriter, name: str, text: str, embedder: FakeEmbedder) -> None:
    """Parse, chunk and embed a Markdown brief and `add` it to `writer` (not committed)."""
    from ingest.chunk import ChunkerSettings
    from ingest.parse import ParseLimits
    from ingest.prepare import prepare

    parsed = prepare(name, text.encode(), ParseLimits(), ChunkerSettings(), embedder.count_tokens)
    texts = [c.text for c in parsed.chunks] + [s.text for s in parsed.statements]
    vectors = embedder.embed_documents(texts)
    n = len(parsed.chunks)
    writer.add(parsed.document, parsed.chunks, vectors[:n], parsed.statements, vectors[n:])
