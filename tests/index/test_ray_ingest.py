"""Ingest on Ray (parse tasks, embedding actors) stores what the single-process path stores."""

from __future__ import annotations

import random
import socket
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from helpers import FakeEmbedder, write_files
from pdfs import generated_brief, harbour_brief, image_only_pdf, render

from index.errors import RayUnavailableError
from index.ingestion import FileJob, ingest_bytes, ingest_paths
from index.reader import IndexReader
from index.types import FileStatus, IngestReport, SearchMode
from ingest.context import indexed_text
from ingest.embed import EmbedderSpec
from ingest.errors import IngestCancelledError

pytestmark = pytest.mark.usefixtures("ray_local")

QUERIES = (
    "harbour dredging and port fees",
    "what does the brief recommend about financing",
    "shipping emissions",
)


def _ray_ingest(index_dir: Path, paths: list[Path], embedder, spec=None, **options) -> IngestReport:
    from index.ray_ingest import ray_session, ray_source

    with ray_session():  # the test run's Ray, already started: used as it is
        return ingest_paths(
            index_dir, paths, embedder, source=ray_source(embedder, spec), **options
        )


def _chunks(index_dir: Path) -> dict[tuple[object, ...], int]:
    """Every stored chunk (document, ordinal, text, pages, offsets, section) and its row."""
    generation = IndexReader(index_dir).generation
    probe = np.zeros(generation.manifest.dim, dtype=np.float32)
    probe[0] = 1.0
    rows = [row for row, _ in generation.dense(probe, 100_000, None)]
    return {
        (
            document.id,
            chunk.ordinal,
            chunk.text,
            chunk.page_start,
            chunk.page_end,
            chunk.section,
            chunk.char_start,
            chunk.char_end,
            document.title,
        ): row
        for row, (chunk, document) in generation.chunks_by_rows(rows).items()
    }


@pytest.fixture
def bad_files(tmp_path: Path) -> list[Path]:
    noise = bytes(random.Random(3).randrange(256) for _ in range(5000))
    return write_files(
        tmp_path / "bad",
        {
            "broken.pdf": b"%PDF-1.7\n" + noise,
            "locked.pdf": render(harbour_brief(), user_password="secret"),
            "scan.pdf": image_only_pdf(),
        },
    )


@pytest.mark.slow  # the real model, in the test and in a Ray actor
def test_ray_stores_the_chunks_vectors_and_rankings_of_the_local_path(
    tmp_path: Path, small_corpus: list[Path], small_index: Path, embedder, bad_files: list[Path]
) -> None:
    """`small_index` is the same corpus through the single-process path, with the same model."""
    index_dir = tmp_path / "ray-index"
    spec = EmbedderSpec()
    report = _ray_ingest(index_dir, [*small_corpus, *bad_files], embedder, spec)

    statuses = {Path(f.path).name: f.status for f in report.files}
    assert [statuses[p.name] for p in small_corpus] == [FileStatus.added] * len(small_corpus)
    failed = {Path(f.path).name: f.error_code for f in report.files if f.error_code}
    assert failed == {"broken.pdf": "corrupt", "locked.pdf": "encrypted", "scan.pdf": "no_text"}

    local, remote = _chunks(small_index), _chunks(index_dir)
    assert sorted(remote) == sorted(local)
    # Each stored vector is the model's vector of the chunk's indexed text, on both paths.
    keys = sorted(local)
    texts = [indexed_text(key[8], key[5], key[2]) for key in keys]  # title, section, text
    fresh = embedder.embed_documents(texts)
    local_gen = IndexReader(small_index).generation
    remote_gen = IndexReader(index_dir).generation
    for key, vector in zip(keys, fresh, strict=True):
        on_local = local_gen.similarities(vector, [local[key]])[0]
        on_ray = remote_gen.similarities(vector, [remote[key]])[0]
        assert on_ray == pytest.approx(on_local, abs=1e-4)
        assert on_ray > 0.999

    local_reader, ray_reader = IndexReader(small_index, embedder), IndexReader(index_dir, embedder)
    for query in QUERIES:
        for mode in (SearchMode.dense, SearchMode.hybrid):
            expected = local_reader.search(query, 5, mode)
            got = ray_reader.search(query, 5, mode)
            assert [h.chunk.id for h in got] == [h.chunk.id for h in expected]
            assert [h.score for h in got] == pytest.approx([h.score for h in expected], abs=1e-4)


def test_bad_files_are_reported_like_the_local_path_reports_them(
    tmp_path: Path, bad_files: list[Path]
) -> None:
    good = write_files(tmp_path / "good", {f"g{n}.pdf": render(generated_brief(n)) for n in (4, 5)})
    paths = [bad_files[0], good[0], bad_files[1], good[1], bad_files[2], tmp_path / "missing.pdf"]
    local = ingest_paths(tmp_path / "local", paths, FakeEmbedder())
    on_ray = _ray_ingest(tmp_path / "ray", paths, FakeEmbedder())

    def summary(report: IngestReport) -> list[tuple[object, ...]]:
        return [(f.path, f.status, f.error_code, f.reason, f.chunks) for f in report.files]

    assert summary(on_ray) == summary(local)
    assert on_ray.documents == 2
    assert on_ray.chunks == local.chunks


def test_reingesting_unchanged_files_on_ray_changes_nothing(tmp_path: Path) -> None:
    paths = write_files(
        tmp_path / "briefs", {f"b{n}.pdf": render(generated_brief(n)) for n in (6, 7)}
    )
    index_dir = tmp_path / "index"
    first = _ray_ingest(index_dir, paths, FakeEmbedder())
    assert first.documents == 2 and first.generation == 1
    again = _ray_ingest(index_dir, paths, FakeEmbedder())
    assert [f.status for f in again.files] == [FileStatus.unchanged] * 2
    assert again.generation is None
    assert IndexReader(index_dir).manifest.generation == 1


def test_an_interrupted_ray_ingest_publishes_nothing(tmp_path: Path) -> None:
    paths = write_files(
        tmp_path / "briefs", {f"b{n}.pdf": render(generated_brief(n)) for n in (8, 9, 10)}
    )
    index_dir = tmp_path / "index"
    _ray_ingest(index_dir, paths[:1], FakeEmbedder())
    written = []

    def cancelled() -> bool:  # asked after each file is written: stop after the first
        written.append(True)
        return len(written) > 1

    from index.ray_ingest import ray_source

    inputs = [(path.name, str(path), path) for path in paths]
    with pytest.raises(IngestCancelledError):
        ingest_bytes(
            index_dir,
            inputs,
            FakeEmbedder(),
            source=ray_source(FakeEmbedder()),
            cancelled=cancelled,
        )
    reader = IndexReader(index_dir)
    assert reader.manifest.generation == 1
    assert len(reader.documents()) == 1


def test_files_reach_the_writer_while_later_ones_are_embedded(tmp_path: Path) -> None:
    """The writer gets each embedded batch as it is done, not the whole ingest at the end: the
    actor's second batch waits for a sign that the writer created on its first file."""
    from ray_gates import GatedEmbedder

    from index.ray_ingest import FILES_PER_BATCH, ray_source

    paths = write_files(
        tmp_path / "briefs",
        {
            f"note-{n}.md": f"# Note {n}\n\nHarbour dues rose in port number {n}.\n".encode()
            for n in range(FILES_PER_BATCH + 3)
        },
    )
    sign, seen = tmp_path / "first-file-written", tmp_path / "seen"
    embedder = GatedEmbedder(sign=sign, seen=seen)
    source = ray_source(embedder)

    def signalling(jobs: Sequence[FileJob]) -> Iterator[tuple[FileJob, object]]:
        for item in source(jobs):
            sign.touch()
            yield item

    report = ingest_paths(tmp_path / "index", paths, embedder, source=signalling)
    assert report.documents == len(paths)
    assert seen.read_text() == "yes"


def test_without_the_ray_extra_the_error_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from index.ray_ingest import ray_session

    monkeypatch.setitem(sys.modules, "ray", None)  # what `import ray` meets without the extra
    hint = r"pip install 'briefqa\[ray\]'"
    with pytest.raises(RayUnavailableError, match=hint), ray_session():
        pass


def test_actor_plan_follows_the_cluster() -> None:
    from index.ray_ingest import plan_actors

    gpus = plan_actors({"CPU": 16, "GPU": 4})
    assert (gpus.actors, gpus.num_gpus, gpus.device) == (4, 1, "cuda")
    small = plan_actors({"CPU": 2})
    assert (small.actors, small.num_cpus, small.threads) == (1, 1, 2)
    big = plan_actors({"CPU": 16})
    assert (big.actors, big.num_cpus) == (7, 2)
    assert big.actors * big.num_cpus < 16  # CPUs left for the parse tasks
    assert plan_actors({"CPU": 1}).num_cpus == 0


def _unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("scheme", ["", "ray://"])
def test_an_address_nothing_answers_at_fails_at_once_with_what_to_check(scheme: str) -> None:
    from index.ray_ingest import check_reachable

    address = f"{scheme}127.0.0.1:{_unused_port()}"
    started = time.monotonic()
    with pytest.raises(RayUnavailableError, match=r"cannot reach the Ray cluster at .*ray status"):
        check_reachable(address)
    assert time.monotonic() - started < 10  # not Ray's minutes of retries


def test_an_address_without_a_port_is_refused_with_the_forms_accepted() -> None:
    from index.ray_ingest import check_reachable

    with pytest.raises(RayUnavailableError, match=r"ray://HEAD:10001 or HEAD:6379"):
        check_reachable("head-node")


def test_a_reachable_head_and_auto_pass_the_check() -> None:
    from index.ray_ingest import check_reachable

    with socket.socket() as head:
        head.bind(("127.0.0.1", 0))
        head.listen()
        check_reachable(f"127.0.0.1:{head.getsockname()[1]}")
    check_reachable("auto")
