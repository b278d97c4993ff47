"""`briefqa eval` end to end: question sets in process and over HTTP, BEIR sets, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from beir_sample import write_beir
from typer.testing import CliRunner

from service.cli.main import build_app

runner = CliRunner()


def run_eval(*args: str):
    return runner.invoke(build_app(), ["eval", *args])


def test_a_malformed_set_exits_2_naming_the_line(tmp_path: Path, small_index: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "a", "question": "Q?", "relevant": [{"source": "x.pdf"}]}\n'
        '{"id": "b", "question": "Q?", "relevant": [{"source": "x.pdf", "pages": ["two"]}]}\n'
    )
    result = run_eval(str(bad), "--index", str(small_index), "--modes", "bm25")
    assert result.exit_code == 2
    assert "bad.jsonl, line 2: field 'relevant.0.pages.0'" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--modes", "bm25,sparse"], "--modes takes a comma-separated list of dense, bm25, hybrid"),
        (["--index", "{tmp}/nowhere"], "no index at"),
        (["--url", "ftp://example"], "is not an http(s) URL"),
        (["--url", "http://127.0.0.1:9"], "cannot reach the BriefQA server at http://127.0.0.1:9"),
        (["--url", "http://127.0.0.1:9", "--corpus", "{tmp}"], "drop --index and --corpus"),
    ],
)
def test_bad_options_exit_2_with_a_message(
    tmp_path: Path, small_set: Path, args: list[str], message: str
) -> None:
    result = run_eval(str(small_set), *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_an_unknown_source_in_the_set_is_a_clear_error(tmp_path: Path, small_index: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('{"id": "a", "question": "Q?", "relevant": [{"source": "gone.pdf"}]}\n')
    result = run_eval(str(path), "--index", str(small_index), "--modes", "bm25", "--no-answers")
    assert result.exit_code == 2
    assert "question 'a': no indexed document has the source 'gone.pdf'" in result.stderr


def test_bm25_on_a_small_index_end_to_end(
    tmp_path: Path, small_index: Path, small_set: Path
) -> None:
    out, plot = tmp_path / "report.json", tmp_path / "chart.png"
    args = [
        str(small_set),
        "--index",
        str(small_index),
        "--modes",
        "bm25",
        "--no-answers",
        "-k",
        "10",
    ]
    result = run_eval(*args, "--json", "--out", str(out), "--plot", str(plot))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert json.loads(out.read_text()) == report
    assert plot.read_bytes().startswith(b"\x89PNG")
    (bm25,) = report["results"]
    assert bm25["mode"] == "bm25"
    # Each question's words appear only in its own brief: every document ranks first.
    assert bm25["documents"] == {
        "queries": 3,
        "metrics": {m: 1.0 for m in bm25["documents"]["metrics"]},
    }
    assert bm25["pages"]["queries"] == 2  # question "b" names no pages
    assert bm25["answers"] is None
    # The report carries the settings and the manifest of the index that produced it.
    assert report["settings"]["modes"] == ["bm25"] and report["settings"]["k"] == 10
    assert report["settings"]["config"]["index_dir"] == str(small_index)
    assert report["index"]["manifest"]["model_id"] == "test/hashed-words"
    assert report["index"]["manifest"]["documents"] == 3
    assert report["set"] == {
        "name": "small",
        "path": str(small_set),
        "kind": "questions",
        "queries": 3,
        "split": None,
    }

    table = run_eval(*args)
    assert table.exit_code == 0, table.output
    assert "Documents (3 questions judged)" in table.stdout
    assert "Pages (2 questions judged)" in table.stdout
    assert "bm25        1.000" in table.stdout


@pytest.mark.slow
def test_the_sample_set_in_process_and_over_http_agree(
    corpus_index: Path, sample_subset: Path, briefqa_server: str, tmp_path: Path
) -> None:
    local = run_eval(str(sample_subset), "--index", str(corpus_index), "--json")
    assert local.exit_code == 0, local.output
    remote = run_eval(str(sample_subset), "--url", briefqa_server, "--json")
    assert remote.exit_code == 0, remote.output
    local_report, remote_report = json.loads(local.stdout), json.loads(remote.stdout)
    assert remote_report["index"]["target"] == "http"
    assert remote_report["index"]["readyz"]["status"] == "ready"
    assert local_report["index"]["manifest"]["model_id"] == "sentence-transformers/all-MiniLM-L6-v2"
    for here, there in zip(local_report["results"], remote_report["results"], strict=True):
        assert here["mode"] == there["mode"]
        for level in ("documents", "pages"):
            # Same index, same model and precision, one query thread each: the same rankings.
            assert here[level]["queries"] == there[level]["queries"] > 0
            assert here[level]["metrics"] == pytest.approx(there[level]["metrics"], abs=1e-6)
        for answers in (here["answers"], there["answers"]):
            assert answers["verbatim"] == 1.0  # the citation contract
            assert answers["answered"] >= answers["questions"] - 2
            assert answers["cites_relevant"] >= 0.8
        # The questions name their brief's topic: the right brief is nearly always in the top 5.
        assert here["documents"]["metrics"]["recall@5"] >= 0.9


@pytest.mark.slow
def test_a_beir_folder_is_ingested_once_then_reused(tmp_path: Path) -> None:
    folder = write_beir(tmp_path / "tiny")
    briefqa = str(Path(sys.executable).with_name("briefqa"))
    command = [briefqa, "eval", str(folder), "--work", str(tmp_path / "work"), "--json"]
    first = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    second = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert one["corpus"]["reused_cached_index"] is False
    assert two["corpus"]["reused_cached_index"] is True
    assert one["corpus"]["failed"] == 1 and one["corpus"]["same_content_merged"] == 1
    assert one["set"]["kind"] == "beir" and one["set"]["queries"] == 4
    assert [r["mode"] for r in one["results"]] == ["dense", "bm25", "hybrid"]
    for result in one["results"]:
        assert result["answers"] is None and result["pages"]["queries"] == 0
        # q5's document has no text: at most 3 of the 4 judged queries can be found.
        assert result["documents"]["metrics"]["recall@100"] == pytest.approx(0.75)
    assert [r["documents"] for r in two["results"]] == [r["documents"] for r in one["results"]]
