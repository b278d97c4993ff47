"""The JSONL question-set format: valid sets load, malformed ones fail naming line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.errors import EvalSetError
from eval.judgments import IndexedDocument, judgments_from_questions
from eval.questions import SAMPLE_SET, load_questions

GOOD = {"id": "q1", "question": "Why?", "relevant": [{"source": "a.pdf", "pages": [2, 3]}]}


def write_set(path: Path, *lines: object) -> Path:
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    path.write_text(text + "\n")
    return path


def test_a_valid_set_loads(tmp_path: Path) -> None:
    second = {"id": "q2", "question": "Who?", "relevant": [{"doc_id": "abc123"}], "answer": "Them."}
    questions = load_questions(write_set(tmp_path / "s.jsonl", GOOD, "", second))
    assert [q.id for q in questions] == ["q1", "q2"]
    assert questions[0].relevant[0].pages == (2, 3)
    assert questions[1].relevant[0].pages is None and questions[1].answer == "Them."


@pytest.mark.parametrize(
    ("bad_line", "expected"),
    [
        ('{"id": "q2", "question": ', "line 2: not valid JSON"),
        ("[1, 2]", "line 2: expected a JSON object"),
        (
            {"id": "q2", "relevant": [{"source": "a.pdf"}]},
            "line 2: field 'question': Field required",
        ),
        ({"id": "q2", "question": "  ", "relevant": [{"source": "a"}]}, "line 2: field 'question'"),
        ({"id": "q2", "question": "Q?", "relevant": []}, "line 2: field 'relevant'"),
        (
            {"id": "q2", "question": "Q?", "relevant": [{"source": "a", "doc_id": "b"}]},
            "line 2: field 'relevant.0': give exactly one of 'source' or 'doc_id'",
        ),
        (
            {"id": "q2", "question": "Q?", "relevant": [{"source": "a", "pages": [0]}]},
            "line 2: field 'relevant.0.pages.0'",
        ),
        ({**GOOD, "id": "q2", "extra": 1}, "line 2: field 'extra': Extra inputs are not permitted"),
        (GOOD, "line 2: id 'q1' is already used on line 1"),
    ],
)
def test_malformed_lines_are_reported_with_their_line_number(
    tmp_path: Path, bad_line: object, expected: str
) -> None:
    path = write_set(tmp_path / "bad.jsonl", GOOD, bad_line)
    with pytest.raises(EvalSetError) as caught:
        load_questions(path)
    assert expected in str(caught.value)


def test_an_empty_set_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(EvalSetError, match="holds no questions"):
        load_questions(write_set(tmp_path / "empty.jsonl", ""))


def test_sources_and_id_prefixes_resolve_against_the_index() -> None:
    questions = load_questions(SAMPLE_SET)  # any valid set will do for the shapes
    indexed = [IndexedDocument("f" * 64, "other.pdf")] + [
        IndexedDocument(f"{i:064d}", rel.source or "")
        for i, rel in enumerate({r.source: r for q in questions for r in q.relevant}.values())
    ]
    judgments = judgments_from_questions("sample", questions, indexed)
    by_source = {d.source: d.id for d in indexed}
    first = questions[0]
    assert set(judgments.documents[first.id]) == {by_source[r.source or ""] for r in first.relevant}
    assert set(judgments.pages[first.id]) == {
        f"{by_source[r.source or '']}#p{p}" for r in first.relevant for p in r.pages or ()
    }


def test_unknown_sources_and_ambiguous_ids_are_errors(tmp_path: Path) -> None:
    indexed = [
        IndexedDocument("abcdef01" + "0" * 56, "a.pdf"),
        IndexedDocument("abcdef02" + "0" * 56, "b.pdf"),
    ]
    missing = load_questions(
        write_set(tmp_path / "m.jsonl", {**GOOD, "relevant": [{"source": "z.pdf"}]})
    )
    with pytest.raises(EvalSetError, match=r"no indexed document has the source 'z\.pdf'"):
        judgments_from_questions("m", missing, indexed)
    ambiguous = load_questions(
        write_set(tmp_path / "a.jsonl", {**GOOD, "relevant": [{"doc_id": "abcdef"}]})
    )
    with pytest.raises(EvalSetError, match="is ambiguous"):
        judgments_from_questions("a", ambiguous, indexed)
    unique = load_questions(
        write_set(tmp_path / "u.jsonl", {**GOOD, "relevant": [{"doc_id": "abcdef02"}]})
    )
    assert list(judgments_from_questions("u", unique, indexed).documents["q1"]) == [indexed[1].id]


def test_questions_without_pages_are_judged_at_document_level_only(tmp_path: Path) -> None:
    path = write_set(tmp_path / "s.jsonl", {**GOOD, "relevant": [{"source": "a.pdf"}]})
    judgments = judgments_from_questions(
        "s", load_questions(path), [IndexedDocument("d" * 64, "a.pdf")]
    )
    assert judgments.documents == {"q1": {"d" * 64: 1}}
    assert judgments.pages == {}


def test_the_sample_briefs_set_is_valid_and_large_enough() -> None:
    questions = load_questions(SAMPLE_SET)
    assert len(questions) >= 40
    assert all(r.pages for q in questions for r in q.relevant)


def test_only_real_problems_are_counted(tmp_path: Path) -> None:
    # A bad page also leaves 'relevant' without a valid item; that is not a second problem.
    one = write_set(tmp_path / "one.jsonl", {**GOOD, "relevant": [{"source": "a", "pages": [0]}]})
    with pytest.raises(EvalSetError) as caught:
        load_questions(one)
    assert str(caught.value).endswith(
        "line 1: field 'relevant.0.pages.0': Input should be greater than or equal to 1"
    )
    two = write_set(
        tmp_path / "two.jsonl", {"id": "x", "relevant": [{"source": "a", "pages": [0]}]}
    )
    with pytest.raises(EvalSetError, match=r"field 'question': Field required \(and 1 more\)$"):
        load_questions(two)
