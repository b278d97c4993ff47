"""Our evaluation set format: one question per JSONL line with its relevant documents and pages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .errors import EvalSetError

# The questions over the sample briefs, shipped inside the package.
SAMPLE_SET = Path(__file__).resolve().parent / "sets" / "sample_briefs.jsonl"

NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
AnswerIntent = Literal["recommendations", "position", "comparison", "fact"]


class RelevantDocument(BaseModel):
    """A document that answers the question, named by file name or id, optionally with pages."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: NonBlank | None = Field(None, description="File name as indexed, e.g. 01-x.pdf.")
    doc_id: NonBlank | None = Field(None, description="Document id (sha256) or a unique prefix.")
    pages: tuple[Annotated[int, Field(ge=1)], ...] | None = Field(
        None, description="1-based pages holding the answer, as a PDF viewer numbers them."
    )

    @model_validator(mode="after")
    def _one_name(self) -> RelevantDocument:
        if (self.source is None) == (self.doc_id is None):
            raise ValueError("give exactly one of 'source' or 'doc_id'")
        if self.pages is not None and not self.pages:
            raise ValueError("'pages' must list at least one page (or be left out)")
        return self


class Question(BaseModel):
    """One line of an evaluation set."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: NonBlank
    question: NonBlank
    # Declared before the fields whose checks depend on it (validation follows this order).
    answerable: bool = Field(
        True, description="False: the briefs do not answer it, and the answer should refuse."
    )
    relevant: tuple[RelevantDocument, ...] = Field(
        (),
        description="Documents that answer it; at least one unless 'answerable' is false.",
        validate_default=True,
    )
    answer: NonBlank | None = Field(None, description="A reference answer (for people reading).")
    intent: AnswerIntent | None = Field(None, description="What the question asks for.")
    items: tuple[NonBlank, ...] | None = Field(
        None, description="Every entry a full list answer holds, verbatim from the brief."
    )
    answer_quote: NonBlank | None = Field(
        None, description="A short verbatim quote of the brief (PDF text) that answers it."
    )
    actor: NonBlank | None = Field(
        None, description="The party whose position a position question asks about."
    )
    actor_names: tuple[NonBlank, ...] = Field(
        (),
        description="Other names the brief gives that party (an acronym, a short form): an "
        "item held under one of them is held by the party.",
    )
    note: NonBlank | None = Field(None, description="For maintainers, e.g. what the briefs lack.")

    @field_validator("relevant")
    @classmethod
    def _relevant_unless_unanswerable(
        cls, value: tuple[RelevantDocument, ...], info: ValidationInfo
    ) -> tuple[RelevantDocument, ...]:
        if not value and info.data.get("answerable", True):
            raise ValueError(
                'list at least one relevant document (or mark the question "answerable": false)'
            )
        return value

    @field_validator("items", "answer_quote")
    @classmethod
    def _no_gold_answer_if_unanswerable(cls, value: object, info: ValidationInfo) -> object:
        if value is not None and info.data.get("answerable") is False:
            raise ValueError("an unanswerable question has no gold answer")
        if value == ():
            raise ValueError("list at least one item (or leave 'items' out)")
        return value

    @property
    def has_answer_golds(self) -> bool:
        """Whether the line carries anything the answer metrics score."""
        return not self.answerable or any(
            v is not None for v in (self.intent, self.items, self.answer_quote, self.actor)
        )


def load_questions(path: Path) -> list[Question]:
    """Read and validate a JSONL evaluation set; errors name the line and the field."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalSetError(f"cannot read {path}: {exc}") from None
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}, line {number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalSetError(
                f"{where}: not valid JSON ({exc.msg} at column {exc.colno})"
            ) from None
        if not isinstance(raw, dict):
            raise EvalSetError(f"{where}: expected a JSON object, got {type(raw).__name__}")
        try:
            question = Question.model_validate(raw)
        except ValidationError as exc:
            raise EvalSetError(f"{where}: {_first_problem(exc)}") from None
        if question.id in seen:
            raise EvalSetError(
                f"{where}: id {question.id!r} is already used on line {seen[question.id]}"
            )
        seen[question.id] = number
        questions.append(question)
    if not questions:
        raise EvalSetError(f"{path} holds no questions")
    return questions


def _first_problem(exc: ValidationError) -> str:
    # An invalid item also empties its list ("at least 1 item"): that is not a problem of its own.
    found = exc.errors(include_url=False)
    errors = [
        e
        for e in found
        if not any(o is not e and o["loc"][: len(e["loc"])] == e["loc"] for o in found)
    ] or found
    first = errors[0]
    field = ".".join(str(part) for part in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return (f"field '{field}': {message}" if field else message) + more
