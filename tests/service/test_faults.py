"""Faults and abuse against a real `briefqa serve`: a huge multi-file upload, a page-bomb PDF,
a client that goes away, web pages on other origins, and index folders that refuse writes.
The server must stay up, refuse clearly, keep its memory and its query latency, and lose
nothing. Each test prints its figures (run with -s to see them)."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psutil
import pytest
from conftest import Server, copy_tree
from http_checks import assert_error_shape
from pdfs import generated_brief, page_bomb_pdf, render
from storage_faults import fill, immutable, make_read_only, tmpfs

from service.launcher import free_port, start_server

pytestmark = pytest.mark.slow

MIB = 1024 * 1024
QUERY = {"query": "export controls on semiconductors", "k": 5}


@pytest.fixture
def index_copy(samples_index: Path, tmp_path: Path) -> Path:
    return copy_tree(samples_index, tmp_path / "index")


@pytest.fixture(scope="module")
def new_pdf() -> bytes:
    return render(generated_brief(7))


class RssPeak:
    """Samples a process's resident memory every 10 ms until stopped; the peak above the start."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.start = self.peak = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def growth(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak - self.start


class Searcher:
    """Runs /v1/search back to back in a thread and records each latency."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.latencies: list[float] = []
        self.errors: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Searcher:
        self._thread.start()
        return self

    def _run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=30) as client:
            while not self._stop.is_set():
                started = time.perf_counter()
                response = client.post("/v1/search", json=QUERY)
                self.latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    self.errors.append(response.status_code)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def p95_ms(self) -> float:
        return 1000 * statistics.quantiles(self.latencies, n=20)[-1]


def documents(server: Server) -> dict[str, str]:
    with server.client() as client:
        return {d["source"]: d["id"] for d in client.get("/v1/documents").json()["documents"]}


def generation(server: Server) -> str:
    with server.client() as client:
        return str(client.get("/readyz").json()["generation"])


# -- 1. memory ----------------------------------------------------------------------------------


def test_an_oversized_multi_file_upload_keeps_server_memory_flat(
    start_server, index_copy: Path
) -> None:
    server = start_server(index_copy, BRIEFQA_LIMITS__MAX_FILE_MB="10")
    # Ten files just under the limit, then one over it: 110 MiB, all of it read by the server.
    files = [("files", (f"f{n}.txt", b"p" * (10 * MIB - 4096))) for n in range(10)]
    files.append(("files", ("last.txt", b"q" * (11 * MIB))))
    with server.client() as client:
        warm = client.post("/v1/documents", files={"files": ("w.txt", b"\x89PNG\r\n\x1a\n")})
        assert warm.status_code == 415  # the upload path's code is loaded before measuring
        rss = RssPeak(server.pid)
        started = time.monotonic()
        response = client.post("/v1/documents", files=files)
        took = time.monotonic() - started
    growth = rss.growth()
    error = assert_error_shape(response, 413, "too_large")
    assert "'last.txt' is 11.00 MiB (11,534,336 bytes)" in error["message"]
    print(
        f"\nRSS growth during a 110 MiB upload of 11 files: {growth / MIB:.1f} MiB ({took:.1f} s)"
    )
    assert growth < 100 * MIB, growth
    uploads = index_copy / "uploads"
    assert not uploads.exists() or not list(uploads.iterdir())


# -- 2. parse budget ----------------------------------------------------------------------------


def test_a_page_bomb_is_refused_within_the_budget_while_searches_stay_fast(
    start_server, index_copy: Path, new_pdf: bytes
) -> None:
    budget = 3.0
    server = start_server(
        index_copy,
        BRIEFQA_LIMITS__PARSE_CPU_SECONDS=str(budget),
        BRIEFQA_LIMITS__PARSE_WALL_SECONDS=str(2 * budget),
        BRIEFQA_SERVER__WRITE_WAIT_SECONDS="1",
    )
    warm = b"# Harbour dues\n\nPort dues rose by a fifth in 2024 while traffic fell.\n"
    with server.client() as client:  # the parse worker starts at the first upload: not timed
        assert client.post("/v1/documents", files={"files": ("w.md", warm)}).status_code == 200
    before = generation(server)
    bomb = page_bomb_pdf(60, 3_800_000)  # about 9 CPU seconds of parsing here
    with Searcher(server.base) as quiet:
        time.sleep(3)
    result: dict[str, object] = {}

    def upload_bomb() -> None:
        with server.client() as client:
            started = time.monotonic()
            result["response"] = client.post("/v1/documents", files={"files": ("b.pdf", bomb)})
            result["seconds"] = time.monotonic() - started

    with Searcher(server.base) as during:
        thread = threading.Thread(target=upload_bomb)
        thread.start()
        time.sleep(0.5)
        with server.client() as client:  # another upload meanwhile waits a bounded time
            started = time.monotonic()
            busy = client.post("/v1/documents", files={"files": ("n.pdf", new_pdf)})
            busy_seconds = time.monotonic() - started
        thread.join()
    error = assert_error_shape(result["response"], 422, "too_slow")  # type: ignore[arg-type]
    seconds = float(result["seconds"])  # type: ignore[arg-type]
    assert_error_shape(busy, 429, "index_busy")
    print(
        f"\npage bomb refused in {seconds:.1f} s (budget {budget:g} CPU s, {2 * budget:g} s wall);"
        f" search p95 {quiet.p95_ms():.1f} ms before, {during.p95_ms():.1f} ms during"
        f" ({len(during.latencies)} searches); a second upload got 429 in {busy_seconds:.1f} s"
    )
    assert "parse budget" in error["message"]
    assert seconds < 2 * budget + 1.5
    assert busy_seconds < 1 + 1.5
    assert not during.errors and len(during.latencies) >= 20
    assert during.p95_ms() < 100
    assert generation(server) == before and "b.pdf" not in documents(server)
    assert "Traceback" not in server.log.read_text()


# -- 3. a client that goes away ----------------------------------------------------------------


def test_an_upload_whose_client_left_is_not_published(
    start_server, index_copy: Path, new_pdf: bytes
) -> None:
    server = start_server(index_copy, BRIEFQA_LIMITS__PARSE_CPU_SECONDS="60")
    before = generation(server)
    files = [
        ("files", ("bomb.pdf", page_bomb_pdf(60, 3_800_000))),  # seconds of parsing first
        ("files", ("left-behind.pdf", new_pdf)),
    ]
    with (
        httpx.Client(base_url=server.base, timeout=1.5) as client,
        pytest.raises(httpx.ReadTimeout),
    ):
        client.post("/v1/documents", files=files)  # gives up and closes the connection
    started = time.monotonic()
    with server.client() as client:
        small = b"# Harbour dues\n\nPort dues rose by a fifth in 2024 while traffic fell.\n"
        response = client.post("/v1/documents", files={"files": ("dues.md", small)})
    waited = time.monotonic() - started
    assert response.status_code == 200, response.text
    print(f"\nthe next upload, after a client left mid-parse, finished in {waited:.1f} s")
    assert waited < 5  # the abandoned parse was stopped, not run to the end
    sources = documents(server)
    assert "left-behind.pdf" not in sources and "bomb.pdf" not in sources
    assert "dues.md" in sources
    assert int(generation(server)[-6:]) == int(before[-6:]) + 1
    assert "Traceback" not in server.log.read_text()


# -- 4. web pages on other origins --------------------------------------------------------------


def test_cross_origin_writes_are_refused(start_server, index_copy: Path, new_pdf: bytes) -> None:
    server = start_server(index_copy)
    port = urlsplit(server.base).port
    before = documents(server)
    attacks = [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": f"http://evil.example:{port}", "Host": f"evil.example:{port}"},  # rebinding
    ]
    with server.client() as client:
        for headers in attacks:
            response = client.post(
                "/v1/documents", files={"files": ("x.pdf", new_pdf)}, headers=headers
            )
            assert_error_shape(response, 403, "cross_origin")
            some_id = next(iter(before.values()))
            assert_error_shape(client.delete(f"/v1/documents/{some_id}", headers=headers), 403)
        own_page = {"Origin": server.base}
        response = client.post(
            "/v1/documents", files={"files": ("x.pdf", new_pdf)}, headers=own_page
        )
        assert response.status_code == 200, response.text
    assert set(documents(server)) == set(before) | {"x.pdf"}


def test_listening_beyond_loopback_without_a_key_is_warned_about(
    index_copy: Path, tmp_path: Path
) -> None:
    logs = {}
    for host, key in [("0.0.0.0", None), ("0.0.0.0", "a-key"), ("127.0.0.1", None)]:
        log = tmp_path / f"{host}-{key}.log"
        env = {"BRIEFQA_SERVER__API_KEY": key} if key else {}
        with start_server(index_copy, host=host, port=free_port(), env=env, isolated=True, log=log):
            pass
        logs[(host, key)] = log.read_text()
    assert "BRIEFQA_SERVER__API_KEY" in logs[("0.0.0.0", None)]
    assert "WARNING" in logs[("0.0.0.0", None)]
    assert "beyond this machine" not in logs[("0.0.0.0", "a-key")]
    assert "beyond this machine" not in logs[("127.0.0.1", None)]


# -- 5. storage that refuses writes -------------------------------------------------------------


def assert_refused_then_served(
    server: Server, pdf: bytes, status: int, code: str, before: str
) -> None:
    """The upload is refused with `status` and `code`; on the same connection the server then
    answers a search from the generation it had."""
    with server.client() as client:
        response = client.post("/v1/documents", files={"files": ("new.pdf", pdf)})
        error = assert_error_shape(response, status, code)
        first = response.extensions["network_stream"].get_extra_info("client_addr")
        search = client.post("/v1/search", json=QUERY)
        again = search.extensions["network_stream"].get_extra_info("client_addr")
        ready = client.get("/readyz").json()
    print(f"\n{status} {code}: {error['message']}")
    assert search.status_code == 200 and search.json()["hits"]
    assert first == again, "the server dropped the connection"
    assert ready["generation"] == before
    assert "Traceback" not in server.log.read_text()


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "mnt", 256 * 1024) as mount:
        yield mount


def test_an_immutable_index_folder_is_503(start_server, index_copy: Path, new_pdf: bytes) -> None:
    (index_copy / "uploads").mkdir()
    server = start_server(index_copy)
    before = generation(server)
    with immutable(index_copy):
        assert_refused_then_served(server, new_pdf, 503, "storage_not_writable", before)
    with immutable(index_copy / "uploads"):
        assert_refused_then_served(server, new_pdf, 503, "storage_not_writable", before)


def test_a_read_only_index_folder_is_503(
    start_server, samples_index: Path, mounted: Path, new_pdf: bytes, tmp_path: Path
) -> None:
    folder = copy_tree(samples_index, mounted / "index")
    # Uploads are kept elsewhere, so that it is the index's own write that fails.
    server = start_server(folder, BRIEFQA_SERVER__UPLOAD_DIR=str(tmp_path / "uploads"))
    before = generation(server)
    make_read_only(mounted)
    assert_refused_then_served(server, new_pdf, 503, "storage_read_only", before)


def test_a_full_disk_is_507(
    start_server, samples_index: Path, mounted: Path, new_pdf: bytes
) -> None:
    folder = copy_tree(samples_index, mounted / "index")
    server = start_server(folder)
    before = generation(server)
    fill(mounted, 256 * 1024)
    assert_refused_then_served(server, new_pdf, 507, "storage_full", before)
    assert not list(folder.glob(".staging-*"))
    (mounted / "filler").unlink()  # space again: the same upload goes through
    with server.client() as client:
        response = client.post("/v1/documents", files={"files": ("new.pdf", new_pdf)})
    assert response.status_code == 200, response.text
