"""`briefqa eval` with answer golds: the answer-quality table in process and over HTTP.

The model is the deterministic fake embedder (the index is built with it, and the evaluation
and the server load it in place of the real model), so each run takes a second or two.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from helpers import FakeEmbedder
from typer.testing import CliRunner

from service.cli.main import build_app

BRIEFS = {
    "pilots.md": """# Harbour Pilots and Port Congestion

Harbour Policy Brief 7 | 2024-05-14

## Summary

Harbour pilots guide large ships into port. A shortage of skilled pilots delays container \
traffic along the coast, and training takes years.

## Policy recommendations

- Port authorities should fund a national pilot academy that trains forty new pilots a year.
- The ministry should let retired pilots return on part-time contracts during the busiest months.
""",
    "solar.md": """# Solar Modules and Trade Defence

Meridian Policy Brief 12 | 2023-02-01

## Summary

Solar module prices fell by half as factories expanded their capacity. Chinese officials argue \
that low module prices reflect efficiency, not subsidies.
""",
}
PILOT_ITEMS = [
    "Port authorities should fund a national pilot academy that trains forty new pilots a year.",
    "The ministry should let retired pilots return on part-time contracts during the busiest "
    "months.",
]
QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "all",
        "question": "What does Harbour Policy Brief 7 recommend?",
        "intent": "recommendations",
        "relevant": [{"source": "pilots.md", "pages": [1]}],
        "items": PILOT_ITEMS,
    },
    {
        "id": "fact",
        "question": "How long does it take to train a harbour pilot?",
        "intent": "fact",
        "relevant": [{"source": "pilots.md", "pages": [1]}],
        "answer_quote": "training takes years",
    },
    {
        "id": "pos",
        "question": "What is China's position on solar module prices?",
        "intent": "position",
        "actor": "China",
        "relevant": [{"source": "solar.md", "pages": [1]}],
    },
    {
        "id": "near",
        "question": "Which icebreakers escort ships along the Arctic route?",
        "intent": "fact",
        "answerable": False,
    },
]
runner = CliRunner()


@pytest.fixture
def answer_index(tmp_path: Path, fake_embedder: FakeEmbedder) -> Path:
    from index.ingestion import ingest_paths

    folder = tmp_path / "briefs"
    folder.mkdir()
    for name, text in BRIEFS.items():
        (folder / name).write_text(text)
    index = tmp_path / "index"
    report = ingest_paths(index, [folder], fake_embedder)
    assert not report.failed
    return index


@pytest.fixture
def answer_set(tmp_path: Path) -> Path:
    path = tmp_path / "golds.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in QUESTIONS))
    return path


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch, fake_embedder: FakeEmbedder) -> FakeEmbedder:
    """`briefqa eval` opens the index with the fake embedder instead of loading the model."""
    monkeypatch.setattr("index.opening.index_embedder", lambda index_dir, spec: fake_embedder)
    return fake_embedder


def run_eval(*args: str) -> Any:
    return runner.invoke(build_app(), ["eval", *args])


def test_a_set_with_answer_golds_gets_the_answer_quality_table(
    answer_index: Path, answer_set: Path, fake_model: FakeEmbedder
) -> None:
    args = [str(answer_set), "--index", str(answer_index), "--modes", "bm25,hybrid"]
    result = run_eval(*args, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    for mode in report["results"]:
        quality = mode["answer_quality"]
        assert (quality["answerable"], quality["unanswerable"]) == (3, 1)
        # The named brief's whole list, verbatim, every item on its page.
        assert quality["per_query"]["all"] == {
            "answered": 1.0,
            "intent": 1.0,
            "item_recall": 1.0,
            "item_precision": 1.0,
            "cited_page_precision": 1.0,
        }
        assert quality["per_brief_recall"] == {"pilots.md": 1.0}
        assert quality["item_questions"] == 1 and quality["item_recall"] == 1.0
        # Nothing in either brief is about the Arctic: refused, and not counted as relevant.
        assert quality["refusal_accuracy"] == 1.0 and quality["answered_unanswerable"] == []
        assert quality["intent_judged"] == 4
        assert quality["quote_questions"] == 1 and 0.0 <= quality["quote_coverage"] <= 1.0
        assert quality["position_questions"] == 1 and quality["attribution"] in (0.0, 1.0)
        assert mode["answers"]["verbatim"] == 1.0
        # Retrieval is judged only on the answerable questions.
        assert mode["documents"]["queries"] == 3

    table = run_eval(*args)
    assert table.exit_code == 0, table.output
    assert "Answer quality" in table.stdout
    assert "questions: 3 answerable, 1 unanswerable, 4 with an intent" in table.stdout
    assert "Item recall per brief" in table.stdout
    assert any(
        line.startswith("pilots.md") and line.split()[1:] == ["1.000", "1.000"]
        for line in table.stdout.splitlines()
    )


def test_a_set_without_answer_golds_has_no_answer_quality(
    answer_index: Path, tmp_path: Path, fake_model: FakeEmbedder
) -> None:
    plain = tmp_path / "plain.jsonl"
    plain.write_text(json.dumps({k: QUESTIONS[1][k] for k in ("id", "question", "relevant")}))
    result = run_eval(str(plain), "--index", str(answer_index), "--modes", "bm25", "--json")
    assert result.exit_code == 0, result.output
    (mode,) = json.loads(result.stdout)["results"]
    assert mode["answers"] is not None and mode["answer_quality"] is None


@pytest.fixture
def fake_server(answer_index: Path, fake_embedder: FakeEmbedder) -> Iterator[str]:
    """The real app on a free loopback port, serving `answer_index` with the fake embedder."""
    from service.api.app import create_app
    from service.api.state import ServiceState
    from service.settings import Settings

    settings = Settings(index_dir=answer_index)
    app = create_app(settings, lambda s: ServiceState(s, fake_embedder, fake_embedder))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_over_http_the_answer_metrics_match_in_process(
    answer_index: Path, answer_set: Path, fake_model: FakeEmbedder, fake_server: str
) -> None:
    local = run_eval(str(answer_set), "--index", str(answer_index), "--modes", "hybrid", "--json")
    remote = run_eval(str(answer_set), "--url", fake_server, "--modes", "hybrid", "--json")
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    (here,) = json.loads(local.stdout)["results"]
    (there,) = json.loads(remote.stdout)["results"]
    # Same index, same embedder: the server's AskOut carries what the answerer returned.
    assert there["answer_quality"] == here["answer_quality"]
    assert there["answer_quality"]["per_brief_recall"] == {"pilots.md": 1.0}
