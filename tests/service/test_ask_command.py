"""`briefqa ask`: the same answers as the HTTP API, for a terminal and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli.main import build_app

runner = CliRunner()


@pytest.mark.slow  # the real model over the sample briefs
def test_ask_prints_the_cited_answer_and_sources(samples_index: Path) -> None:
    result = runner.invoke(
        build_app(),
        ["ask", "Why was TikTok fined by the Irish regulator?", "--index", str(samples_index)],
    )
    assert result.exit_code == 0, result.output
    assert "[1]" in result.output and "Sources:" in result.output
    assert "12-cross-border-data-governance.pdf" in result.output


@pytest.mark.slow  # the real model over the sample briefs
def test_ask_json_matches_the_http_shape(samples_index: Path) -> None:
    result = runner.invoke(
        build_app(),
        [
            "ask",
            "What share of Russia's machine tool imports came from China?",
            "--json",
            "-k",
            "3",
            "--index",
            str(samples_index),
        ],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["answered"] is True and body["mode"] == "hybrid"
    assert set(body) == {
        "question",
        "mode",
        "intent",
        "answered",
        "answer",
        "items",
        "documents",
        "sentences",
        "citations",
        "closest",
        "timings",
    }
    by_n = {c["n"]: c for c in body["citations"]}
    for sentence in body["sentences"]:
        assert sentence["text"] in by_n[sentence["citation"]]["text"]


@pytest.mark.slow  # the real model over the sample briefs
def test_ask_off_topic_and_empty(samples_index: Path) -> None:
    off = runner.invoke(
        build_app(), ["ask", "How long should I roast a chicken?", "--index", str(samples_index)]
    )
    assert off.exit_code == 0 and "do not answer" in off.output and "Sources:" not in off.output
    empty = runner.invoke(build_app(), ["ask", "  ", "--index", str(samples_index)])
    assert empty.exit_code == 2 and "empty" in empty.output


def test_ask_without_an_index_says_how_to_build_one(tmp_path: Path) -> None:
    result = runner.invoke(
        build_app(), ["ask", "anything at all?", "--index", str(tmp_path / "none")]
    )
    assert result.exit_code == 2 and "briefqa ingest" in result.output
