"""`briefqa ask`: the same Answerer as POST /v1/ask, printed for a terminal or as JSON."""

from __future__ import annotations

import textwrap

import typer

from index.opening import index_embedder
from index.reader import IndexReader
from index.types import SearchFilters, SearchMode

from ..answer.answerer import Answerer
from ..answer.labels import source_label
from ..answer.question import check_question
from ..answer.types import Answer
from ..settings import QUERY_THREADS, Settings
from ..shapes import AskOut


def run_ask(
    settings: Settings,
    question: str,
    k: int,
    mode: SearchMode,
    filters: SearchFilters,
    as_json: bool,
) -> Answer:
    question = check_question(question)
    embedder = index_embedder(settings.index_dir, settings.embedder_spec(threads=QUERY_THREADS))
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
        typer.echo(source_label(citation.n, citation.hit))
        typer.echo(f"    {citation.hit.document.source}  id {citation.hit.document.id[:12]}")
