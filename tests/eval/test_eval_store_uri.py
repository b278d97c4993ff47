"""`briefqa eval --store-uri`: a question set scored against an index kept in Milvus Lite, the
one-line error when another process holds the file, and the options it does not combine with."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from beir_sample import write_beir
from helpers import briefqa_command
from typer.testing import CliRunner

from index.ingestion import ingest_paths
from index.location import MilvusLocation
from service.cli.main import build_app
from service.settings import load_settings

BM25_ONLY = ["--modes", "bm25", "--no-answers", "-k", "10"]


@pytest.fixture(autouse=True)
def _no_store_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BRIEFQA_INDEX_DIR", "BRIEFQA_STORE__BACKEND", "BRIEFQA_STORE__URI"):
        monkeypatch.delenv(name, raising=False)


def run_eval(*args: str):
    return CliRunner().invoke(build_app(), ["eval", *args])


@pytest.fixture
def milvus_store(tmp_path: Path, small_index: Path, fake_embedder) -> Iterator[Path]:
    """The small set's three briefs (the folder `small_index` wrote) ingested with the fake
    embedder into a Milvus Lite file at the location `--store-uri` names; this process keeps
    the file open until the test ends."""
    from index.milvus_store import release

    db = tmp_path / "store" / "briefs.db"
    location = load_settings(store_uri=str(db)).location()
    assert location == MilvusLocation(str(db))
    report = ingest_paths(location, [tmp_path / "briefs"], fake_embedder)
    assert not report.failed and len(report.files) == 3
    try:
        yield db
    finally:
        release(location)


def test_eval_scores_the_milvus_store_that_store_uri_names(
    tmp_path: Path, milvus_store: Path, small_set: Path
) -> None:
    empty = tmp_path / "empty-index"  # --index names no index: only --store-uri finds one
    result = run_eval(
        str(small_set),
        "--store-uri",
        str(milvus_store),
        "--index",
        str(empty),
        *BM25_ONLY,
        "--json",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    (bm25,) = report["results"]
    assert bm25["mode"] == "bm25"
    # Each question's words appear only in its own brief: every document ranks first.
    assert bm25["documents"] == {
        "queries": 3,
        "metrics": {m: 1.0 for m in bm25["documents"]["metrics"]},
    }
    assert bm25["pages"]["queries"] == 2  # question "b" names no pages
    store = report["settings"]["config"]["store"]
    assert (store["backend"], store["uri"]) == ("milvus", str(milvus_store))
    assert report["index"]["index_dir"] == str(MilvusLocation(str(milvus_store)))
    assert report["index"]["manifest"]["model_id"] == "test/hashed-words"
    assert report["index"]["manifest"]["documents"] == 3

    without = run_eval(str(small_set), "--index", str(empty), *BM25_ONLY)
    assert without.exit_code == 2
    assert "no index at" in without.stderr and "Traceback" not in without.output


def test_eval_on_a_store_another_process_holds_is_one_line(
    milvus_store: Path, small_set: Path
) -> None:
    # This process holds the file (the ingest's client is still open).
    busy = subprocess.run(
        [*briefqa_command(), "eval", str(small_set), "--store-uri", str(milvus_store), *BM25_ONLY],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert busy.returncode == 2, busy.stderr
    assert busy.stderr.count("\n") == 1 and "open in another process" in busy.stderr
    assert busy.stderr.startswith("error: ")


@pytest.mark.slow
def test_eval_corpus_is_ingested_into_the_store_uri(
    tmp_path: Path, small_index: Path, small_set: Path
) -> None:
    """--corpus with --store-uri: the real model ingests the briefs into the Milvus Lite file,
    and dense and keyword search are scored on it."""
    from index.milvus_store import release

    db = tmp_path / "corpus.db"
    briefs = tmp_path / "briefs"  # the folder `small_index` wrote
    args = [str(small_set), "--store-uri", str(db), "--corpus", str(briefs)]
    try:
        result = run_eval(*args, "--modes", "dense,bm25", "--no-answers", "--json")
    finally:
        release(MilvusLocation(str(db)))
    assert result.exit_code == 0, result.output
    assert "3 added or replaced" in result.stderr and str(db) in result.stderr
    report = json.loads(result.stdout)
    assert [r["mode"] for r in report["results"]] == ["dense", "bm25"]
    for mode in report["results"]:
        assert mode["documents"]["queries"] == 3
        assert mode["documents"]["metrics"]["recall@5"] == 1.0
    assert report["index"]["manifest"]["model_id"] == "sentence-transformers/all-MiniLM-L6-v2"


@pytest.mark.parametrize(
    ("beir", "extra", "message"),
    [
        (True, [], "--url, --index, --store-uri and --corpus apply to question sets only"),
        (False, ["--url", "http://127.0.0.1:9"], "drop --store-uri"),
    ],
)
def test_store_uri_applies_to_question_sets_in_process_only(
    tmp_path: Path, small_set: Path, beir: bool, extra: list[str], message: str
) -> None:
    eval_set = write_beir(tmp_path / "tiny") if beir else small_set
    db = tmp_path / "unused.db"
    result = run_eval(str(eval_set), "--store-uri", str(db), *extra)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert not db.exists()
