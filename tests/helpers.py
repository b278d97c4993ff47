"""Test helpers shared across test packages: a fake embedder and file utilities.

Import them with `from helpers import ...` (the tests folder is on the import path through its
conftest); importing from `conftest` is ambiguous once a package has a conftest of its own.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

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


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def briefqa_command() -> list[str]:
    """The installed `briefqa` script beside this interpreter (or the module as a fallback)."""
    import sys

    script = Path(sys.executable).parent / "briefqa"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from service.cli.main import main; main()"]


@dataclass
class ServeProcess:
    """`briefqa serve` on a free loopback port, its output in `log`; stop() when done."""

    process: object
    base: str  # http://127.0.0.1:PORT, no trailing slash
    log: Path

    def stop(self) -> None:
        import subprocess

        process = self.process
        assert isinstance(process, subprocess.Popen)
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_serve(
    index_dir: Path,
    log: Path,
    env: dict[str, str] | None = None,
    ready_path: str = "/healthz",
    timeout: float = 120.0,
) -> ServeProcess:
    """Start `briefqa serve --index index_dir` with BRIEFQA_* taken only from `env`, and wait
    until `ready_path` answers 200; raise RuntimeError with the server's log otherwise."""
    import os
    import subprocess
    import time

    import httpx

    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFQA_")}
    environment.update(env or {})
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                *briefqa_command(),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--index",
                str(index_dir),
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=environment,
        )
    served = ServeProcess(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"briefqa serve exited ({process.returncode}):\n{log.read_text()}")
        try:
            if httpx.get(served.base + ready_path, timeout=2).status_code == 200:
                return served
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    served.stop()
    raise RuntimeError(f"briefqa serve was not ready in {timeout:.0f} s:\n{log.read_text()}")
