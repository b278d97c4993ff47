"""The `briefqa` command line: ingest report and exit codes, search --json, docs, index folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import FakeEmbedder, copy_index, write_files
from pdfs import generated_brief, page_bomb_pdf, png_bytes, render
from typer.testing import CliRunner

from index.ingestion import ingest_paths
from service.cli.main import build_app
from service.shapes import DocumentOut, HitOut, SearchOut

BRIEFQA = Path(sys.executable).parent / "briefqa"
HIT_KEYS = {
    "rank",
    "score",
    "ranks",
    "chunk_id",
    "text",
    "page_start",
    "page_end",
    "section",
    "char_start",
    "char_end",
    "role",
    "document",
}
DOCUMENT_KEYS = {
    "id",
    "source",
    "title",
    "series",
    "number",
    "date",
    "authors",
    "url",
    "kind",
    "publisher",
    "publisher_acronym",
    "pages",
    "chunks",
    "added_at",
    "failed_pages",
}


@pytest.fixture(autouse=True)
def _no_index_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFQA_INDEX_DIR", raising=False)


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(build_app(), list(args), env=env)


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("briefs")
    write_files(folder, {f"brief-{n}.pdf": render(generated_brief(n)) for n in (1, 2, 3)})
    return folder


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory: pytest.TempPathFactory, briefs: Path):
    """An index built by `briefqa ingest` from three briefs and two broken files, with the real
    model (tests that use it are marked slow)."""
    folder = tmp_path_factory.mktemp("cli") / "index"
    broken = write_files(
        tmp_path_factory.mktemp("broken"), {"empty.pdf": b"", "photo.pdf": png_bytes()}
    )
    result = CliRunner().invoke(
        build_app(), ["ingest", str(briefs), *map(str, broken), "--index", str(folder)]
    )
    return folder, result


@pytest.mark.slow
def test_ingest_prints_a_line_per_file_and_fails_when_a_file_failed(cli_index) -> None:
    _, result = cli_index
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    added = [line for line in lines if line.startswith("+ added")]
    assert len(added) == 3
    assert all("pages" in line and "chunks" in line for line in added)
    failed = [line for line in lines if line.startswith("! failed")]
    assert len(failed) == 2
    assert any("empty.pdf" in line and "empty_file:" in line for line in failed)
    assert any(
        "photo.pdf" in line and "unsupported_type:" in line and "PNG" in line for line in failed
    )
    assert "3 added, 0 replaced, 0 unchanged, 2 failed" in lines[-1]
    assert "index generation 1" in lines[-1]


@pytest.mark.slow
def test_ingest_again_reports_unchanged_and_replaced(cli_index, briefs, tmp_path) -> None:
    folder = copy_index(cli_index[0], tmp_path / "index")
    again = run("ingest", str(briefs), "--index", str(folder))
    assert again.exit_code == 0, again.output
    assert again.stdout.count("= unchanged") == 3
    assert "0 added, 0 replaced, 3 unchanged, 0 failed" in again.stdout
    assert "generation" not in again.stdout.splitlines()[-1]

    changed = write_files(tmp_path / "v2", {"brief-2.pdf": render(generated_brief(22))})
    replaced = run("ingest", str(changed[0]), "--index", str(folder), "--json")
    assert replaced.exit_code == 0, replaced.output
    report = json.loads(replaced.stdout)
    assert (report["added"], report["replaced"], report["failed"]) == (0, 1, 0)
    assert report["generation"] == 2
    (outcome,) = report["files"]
    assert outcome["status"] == "replaced" and outcome["reason"].startswith("replaced ")
    assert outcome["chunks"] > 0 and outcome["doc_id"]


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["dense", "bm25", "hybrid"])
def test_search_json_has_the_documented_shape(cli_index, mode: str) -> None:
    folder, _ = cli_index
    query = "This brief is about icebreakers"
    result = run("search", query, "--mode", mode, "-k", "4", "--index", str(folder), "--json")
    assert result.exit_code == 0, result.output
    raw = json.loads(result.stdout)
    assert set(raw) == {"query", "mode", "k", "hits"}
    assert (raw["query"], raw["mode"], raw["k"]) == (query, mode, 4)
    assert 1 <= len(raw["hits"]) <= 4
    for position, hit in enumerate(raw["hits"], start=1):
        assert set(hit) == HIT_KEYS
        assert set(hit["document"]) == DOCUMENT_KEYS
        assert hit["rank"] == position
        assert set(hit["ranks"]) <= {"dense", "bm25"}
        assert hit["page_start"] <= hit["page_end"] <= hit["document"]["pages"]
        assert hit["char_end"] - hit["char_start"] == len(hit["text"])
        HitOut.model_validate(hit)
    parsed = SearchOut.model_validate(raw)
    assert parsed.hits[0].document.source == "brief-1.pdf"  # the icebreakers brief


@pytest.mark.slow
def test_search_filters(cli_index) -> None:
    folder, _ = cli_index
    listing = json.loads(run("docs", "list", "--index", str(folder), "--json").stdout)
    brief_2 = next(d for d in listing if d["source"] == "brief-2.pdf")
    result = run(
        "search",
        "rail links",
        "--mode",
        "bm25",
        "--doc",
        brief_2["id"],
        "-k",
        "20",
        "--index",
        str(folder),
        "--json",
    )
    assert {h["document"]["id"] for h in json.loads(result.stdout)["hits"]} == {brief_2["id"]}
    short = brief_2["id"][:12]  # as `docs list` prints it
    result = run("search", "rail links", "--doc", short, "--index", str(folder), "--json")
    assert {h["document"]["id"] for h in json.loads(result.stdout)["hits"]} == {brief_2["id"]}
    dated = run(
        "search",
        "rail links",
        "--mode",
        "bm25",
        "--from",
        brief_2["date"],
        "--to",
        brief_2["date"],
        "--series",
        "harbour policy brief",
        "--index",
        str(folder),
        "--json",
    )
    assert {h["document"]["id"] for h in json.loads(dated.stdout)["hits"]} == {brief_2["id"]}
    none = run("search", "rail links", "--mode", "bm25", "--series", "Nope", "--index", str(folder))
    assert none.exit_code == 0 and "No passages found." in none.stdout


@pytest.mark.slow
def test_search_prints_cited_passages(cli_index) -> None:
    folder, _ = cli_index
    result = run("search", "icebreakers", "--mode", "bm25", "-k", "2", "--index", str(folder))
    assert result.exit_code == 0, result.output
    assert "[1] Brief 1 on Icebreakers and European Ports" in result.stdout
    assert "Harbour Policy Brief No. 1, p" in result.stdout
    assert "brief-1.pdf  id " in result.stdout


@pytest.mark.slow
def test_docs_list_json(cli_index) -> None:
    folder, _ = cli_index
    result = run("docs", "list", "--index", str(folder), "--json")
    assert result.exit_code == 0, result.output
    listing = json.loads(result.stdout)
    assert sorted(d["source"] for d in listing) == ["brief-1.pdf", "brief-2.pdf", "brief-3.pdf"]
    for document in listing:
        assert set(document) == DOCUMENT_KEYS
        DocumentOut.model_validate(document)
        assert document["kind"] == "pdf" and document["chunks"] > 0
    text = run("docs", "list", "--index", str(folder))
    assert text.stdout.splitlines()[-1] == "3 documents"


@pytest.mark.slow
def test_docs_rm_by_id_prefix(cli_index, tmp_path) -> None:
    folder = copy_index(cli_index[0], tmp_path / "index")
    listing = json.loads(run("docs", "list", "--index", str(folder), "--json").stdout)
    victim = next(d for d in listing if d["source"] == "brief-1.pdf")
    result = run("docs", "rm", victim["id"][:10], "--index", str(folder))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"removed {victim['id']}"
    after = json.loads(run("docs", "list", "--index", str(folder), "--json").stdout)
    assert victim["id"] not in {d["id"] for d in after} and len(after) == 2
    hits = json.loads(
        run("search", "icebreakers", "--mode", "bm25", "--index", str(folder), "--json").stdout
    )["hits"]
    assert victim["id"] not in {h["document"]["id"] for h in hits}
    missing = run("docs", "rm", "ffffffffff", "--index", str(folder))
    assert missing.exit_code == 2
    assert "no document" in missing.stderr


@pytest.mark.slow
def test_index_folder_from_the_environment(cli_index, tmp_path) -> None:
    folder, _ = cli_index
    by_env = run("docs", "list", "--json", env={"BRIEFQA_INDEX_DIR": str(folder)})
    assert by_env.exit_code == 0, by_env.output
    assert len(json.loads(by_env.stdout)) == 3
    empty = tmp_path / "nothing-here"
    overridden = run("docs", "list", "--index", str(empty), env={"BRIEFQA_INDEX_DIR": str(folder)})
    assert overridden.exit_code == 2
    assert "no index at" in overridden.stderr


def test_search_on_an_index_of_another_model_is_a_clear_error(tmp_path, briefs) -> None:
    folder = tmp_path / "index"
    ingest_paths(folder, [briefs / "brief-1.pdf"], FakeEmbedder(model_id="test/other-model"))
    for mode in ("dense", "hybrid"):
        result = run("search", "ports", "--mode", mode, "--index", str(folder))
        assert result.exit_code == 2
        assert "test/other-model" in result.stderr
        assert "BRIEFQA_EMBEDDING__MODEL" in result.stderr
        assert "Traceback" not in result.output
    bm25 = run("search", "icebreakers", "--mode", "bm25", "--index", str(folder), "--json")
    assert bm25.exit_code == 0  # keyword search needs no model


@pytest.mark.slow
def test_empty_query_is_refused(cli_index) -> None:
    result = run("search", "   ", "--mode", "bm25", "--index", str(cli_index[0]))
    assert result.exit_code == 2
    assert "empty" in result.stderr


@pytest.mark.slow
def test_real_subprocess_ingest_and_search(tmp_path, briefs) -> None:
    assert BRIEFQA.exists()
    env = {**os.environ, "BRIEFQA_INDEX_DIR": str(tmp_path / "index")}
    bad = write_files(tmp_path / "bad", {"photo.pdf": png_bytes()})
    ingest = subprocess.run(
        [str(BRIEFQA), "ingest", str(briefs / "brief-3.pdf"), str(bad[0])],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert ingest.returncode == 1, ingest.stderr
    assert "+ added" in ingest.stdout and "! failed" in ingest.stdout
    assert "1 added, 0 replaced, 0 unchanged, 1 failed" in ingest.stdout
    search = subprocess.run(
        [str(BRIEFQA), "search", "rail links", "--mode", "hybrid", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert search.returncode == 0, search.stderr
    out = SearchOut.model_validate_json(search.stdout)
    assert out.hits and {h.document.source for h in out.hits} == {"brief-3.pdf"}


@pytest.mark.slow  # the real model
def test_ingest_refuses_a_file_over_the_parse_budget_and_goes_on(tmp_path: Path) -> None:
    """The command parses under the same budget as an upload (BRIEFQA_LIMITS__PARSE_*)."""
    folder = tmp_path / "briefs"
    files = {f"brief-{n}.pdf": render(generated_brief(n)) for n in (4, 5, 6, 7)}
    write_files(folder, {**files, "bomb.pdf": page_bomb_pdf(40, 3_800_000)})
    env = {"BRIEFQA_LIMITS__PARSE_CPU_SECONDS": "1", "BRIEFQA_LIMITS__PARSE_WALL_SECONDS": "5"}
    result = run("ingest", str(folder), "--index", str(tmp_path / "index"), env=env)
    assert result.exit_code == 1, result.output
    failed = [line for line in result.stdout.splitlines() if line.startswith("! failed")]
    assert len(failed) == 1 and "bomb.pdf" in failed[0] and "too_slow:" in failed[0]
    assert "4 added, 0 replaced, 0 unchanged, 1 failed" in result.stdout
