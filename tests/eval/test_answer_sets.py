"""Answer golds in question sets: the extended format, and the two answer sets over the samples."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from eval.errors import EvalSetError
from eval.questions import SAMPLE_SET, load_questions

SETS = SAMPLE_SET.parent
SAMPLE_SOURCES = Path(__file__).resolve().parents[2] / "samples" / "src"
GOOD = {"id": "q1", "question": "Why?", "relevant": [{"source": "a.pdf", "pages": [2]}]}


def write_set(path: Path, *lines: dict[str, object]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_answer_golds_load_and_old_lines_still_do(tmp_path: Path) -> None:
    listed = {
        **GOOD,
        "id": "q2",
        "intent": "recommendations",
        "items": ["Do this.", "Do that."],
        "answer_quote": "Do this",
        "note": "both items",
    }
    position = {**GOOD, "id": "q3", "intent": "position", "actor": "China"}
    refused = {"id": "q4", "question": "Arctic?", "answerable": False, "intent": "fact"}
    old, new, pos, near = load_questions(
        write_set(tmp_path / "s.jsonl", GOOD, listed, position, refused)
    )
    assert old.answerable and old.intent is None and old.items is None
    assert not old.has_answer_golds
    assert new.items == ("Do this.", "Do that.") and new.answer_quote == "Do this"
    assert new.has_answer_golds and pos.actor == "China"
    assert not near.answerable and near.relevant == () and near.has_answer_golds


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ({"id": "q2", "question": "Q?"}, "line 2: field 'relevant': list at least one relevant"),
        ({**GOOD, "id": "q2", "intent": "why"}, "line 2: field 'intent': Input should be"),
        ({**GOOD, "id": "q2", "items": []}, "line 2: field 'items': list at least one item"),
        ({**GOOD, "id": "q2", "items": ["ok", " "]}, "line 2: field 'items.1'"),
        (
            {"id": "q2", "question": "Q?", "answerable": False, "answer_quote": "x"},
            "line 2: field 'answer_quote': an unanswerable question has no gold answer",
        ),
        ({**GOOD, "id": "q2", "answerable": "perhaps"}, "line 2: field 'answerable'"),
    ],
)
def test_bad_golds_name_the_line_and_the_field(
    tmp_path: Path, line: dict[str, object], expected: str
) -> None:
    with pytest.raises(EvalSetError) as caught:
        load_questions(write_set(tmp_path / "bad.jsonl", GOOD, line))
    assert expected in str(caught.value)


def recommendations_of(source: str) -> list[str]:
    """The bullet items of a sample brief's "Policy recommendations" section, read independently
    of the answer layer's own extraction."""
    text = (SAMPLE_SOURCES / source.replace(".pdf", ".md")).read_text(encoding="utf-8")
    section = text.split("\n# Policy recommendations\n", 1)[1].split("\n# ", 1)[0]
    return [line[2:].strip() for line in section.splitlines() if line.startswith("- ")]


def test_the_answer_set_lists_every_recommendation_of_every_sample_brief() -> None:
    questions = load_questions(SETS / "sample_answers.jsonl")
    listed = [q for q in questions if q.items]
    sources = sorted(q.relevant[0].source or "" for q in listed)
    assert sources == sorted(p.with_suffix(".pdf").name for p in SAMPLE_SOURCES.glob("*.md"))
    assert len(sources) == 12
    for q in listed:
        assert q.intent == "recommendations"
        assert list(q.items or ()) == recommendations_of(q.relevant[0].source or ""), q.id
    others = [q for q in questions if not q.items]
    assert len(others) >= 30
    assert {q.intent for q in others} == {"recommendations", "position", "comparison", "fact"}
    for q in others:
        assert q.answerable and q.answer_quote and q.intent, q.id
        assert all(r.source and r.pages for r in q.relevant), q.id
        if q.intent == "position":
            assert q.actor, q.id
        if q.intent == "comparison":
            assert len(q.relevant) >= 2, q.id


def test_the_near_miss_set_asks_only_what_the_briefs_leave_out() -> None:
    questions = load_questions(SETS / "near_miss.jsonl")
    assert len(questions) >= 40
    assert all(not q.answerable and not q.relevant and q.note for q in questions)
    assert {q.intent for q in questions} == {"recommendations", "position", "comparison", "fact"}
    briefs = " ".join(
        p.read_text(encoding="utf-8").lower() for p in sorted(SAMPLE_SOURCES.glob("*.md"))
    )
    # A few of the specifics they ask about, which must stay absent from the briefs.
    for absent in ("arctic", "piraeus", "hinkley", "social credit", "beidou", "kvanefjeld"):
        assert not re.search(rf"\b{absent}\b", briefs), absent
