"""BEIR sets: reading the layout, ingesting the corpus once into a work folder, scoring it."""

from __future__ import annotations

from pathlib import Path

import pytest
from beir_sample import write_beir

from eval.beir import iter_corpus, read_beir
from eval.beir_index import build_beir_index
from eval.errors import BeirFormatError
from eval.judgments import Judgments
from eval.local import LocalTarget
from eval.runner import evaluate_modes
from index.reader import IndexReader
from index.types import SearchMode
from ingest.chunk import ChunkerSettings


def test_reading_a_beir_folder(tmp_path: Path) -> None:
    beir = read_beir(write_beir(tmp_path / "tiny"))
    assert beir.name == "tiny" and beir.split == "test"
    assert sorted(beir.queries) == ["q1", "q2", "q3", "q5"]  # q4 has no judgments
    assert beir.qrels["q3"] == {"d3": 2, "d6": 0}
    assert [d.id for d in iter_corpus(beir.corpus_path)] == ["d1", "d2", "d3", "d4", "d5", "d6"]


def test_the_only_qrels_file_is_used_whatever_its_split(tmp_path: Path) -> None:
    assert read_beir(write_beir(tmp_path / "tiny", split="dev")).split == "dev"
    assert read_beir(tmp_path / "tiny", split="dev").qrels["q1"] == {"d1": 1}


def test_layout_errors_are_clear(tmp_path: Path) -> None:
    folder = write_beir(tmp_path / "tiny")
    (folder / "qrels" / "dev.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t1\n")
    with pytest.raises(BeirFormatError, match=r"no qrels/train\.tsv \(splits found: dev, test\)"):
        read_beir(folder, split="train")
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\tvery\n")
    with pytest.raises(BeirFormatError, match=r"test\.tsv, line 2: expected query-id"):
        read_beir(folder)
    (folder / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq9\td1\t1\n")
    with pytest.raises(BeirFormatError, match=r"missing from queries\.jsonl"):
        read_beir(folder)
    (folder / "corpus.jsonl").write_text('{"_id": "d1", "text": "fine"}\n{"text": "no id"}\n')
    with pytest.raises(BeirFormatError, match=r"corpus\.jsonl, line 2: '_id' must be"):
        list(iter_corpus(folder / "corpus.jsonl"))
    with pytest.raises(BeirFormatError, match=r"no corpus\.jsonl"):
        read_beir(tmp_path)


def test_the_corpus_is_ingested_once_and_scored(tmp_path: Path, fake_embedder) -> None:
    beir = read_beir(write_beir(tmp_path / "tiny"))
    loads = []

    def make_embedder():
        loads.append(1)
        return fake_embedder

    def build():
        return build_beir_index(
            beir,
            tmp_path / "work",
            make_embedder,
            model_id=fake_embedder.model_id,
            precision=fake_embedder.precision,
            chunker=ChunkerSettings(),
        )

    built = build()
    assert built.summary() | {"index_dir": ""} == {
        "documents": 6,
        "indexed": 4,
        "same_content_merged": 1,
        "failed": 1,
        "index_dir": "",
        "reused_cached_index": False,
    }
    assert list(built.failed) == ["d5"]
    assert sorted(ids for ids in built.doc_keys.values()) == [
        ("d1",),
        ("d2", "d4"),
        ("d3",),
        ("d6",),
    ]
    again = build()
    assert again.reused and again.doc_keys == built.doc_keys and len(loads) == 1

    reader = IndexReader(built.index_dir, fake_embedder)
    assert sorted(d.source for d in reader.documents()) == ["d1.txt", "d2.txt", "d3.txt", "d6.txt"]
    judgments = Judgments("tiny", beir.queries, beir.qrels, {}, built.doc_keys)
    results = evaluate_modes(
        LocalTarget(reader, fake_embedder), judgments, [SearchMode.bm25, SearchMode.hybrid], k=10
    )
    for result in results:
        # q1, q2 (both duplicate ids at once) and q3 rank their documents first; q5's document
        # could not be indexed, so it scores 0: every mean is 3/4.
        assert result.documents.queries == 4
        assert result.documents.per_query["q5"]["recall@100"] == 0.0
        assert result.documents.means == pytest.approx({m: 0.75 for m in result.documents.means})
        assert result.pages.queries == 0
        assert result.latency.mean_ms > 0


def test_a_changed_corpus_gets_a_fresh_index(tmp_path: Path, fake_embedder) -> None:
    folder = write_beir(tmp_path / "tiny")

    def build():
        return build_beir_index(
            read_beir(folder),
            tmp_path / "work",
            lambda: fake_embedder,
            model_id=fake_embedder.model_id,
            precision=fake_embedder.precision,
            chunker=ChunkerSettings(),
        )

    first = build()
    with (folder / "corpus.jsonl").open("a") as handle:
        handle.write(
            '{"_id": "d7", "title": "", "text": "Ports and pilots, once more, for good measure."}\n'
        )
    second = build()
    assert second.index_dir != first.index_dir and not second.reused
    assert second.documents == 7
