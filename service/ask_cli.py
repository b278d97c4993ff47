"""`briefqa ask`: the same Answerer as POST /v1/ask, printed for a terminal or as JSON."""

from __future__ import annotations

import textwrap

import typer

from index.reader import IndexReader
from index.types import SearchFilters, SearchMode

from .answer import Answer, Answerer
from .api_schemas import MAX_QUESTION_CHARS, AskOut
from .chat import source_label
from .runtime import query_embedder
from .settings import Settings


def run_ask(
    settings: Settings,
    question: str,
    k: int,
    mode: SearchMode,
    filters: SearchFilters,
    as_json: bool,
) -> Answer:
    if not question.strip():
        raise ValueError("the question is empty: ask it in words")
    if len(question) > MAX_QUESTION_CHARS:
        raise ValueError(
            f"the question has {len(question)} characters; keep it to {MAX_QUESTION_CHARS}"
        )
    embedder = query_embedder(settings)
    reader = IndexReader(settings.index_dir, embedder)
    answer = Answerer(reader, embedder).ask(question, k, mode, filters if filters.active else None)
    if as_json:
        typer.echo(AskOut.of(answer, mode).model_dump_json(indent=2))
    else:
        print_answer(answer)
    return answer


def print_answer(answer: Answer) -> None:
    if not answer.answered:
        typer.echo(answer.text)
        return
    for line in textwrap.wrap(answer.text, 100):
        typer.echo(line)
    typer.echo("")
    typer.secho("Sources:", bold=True)
    for citation in answer.citations:
        typer.echo(source_label(citation))
        typer.echo(f"    {citation.hit.document.source}  id {citation.hit.document.id[:12]}")
