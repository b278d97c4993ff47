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
from ..settings import QUERY_THREADS, Settings, reranker_of
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
    embedder = index_embedder(settings.location(), settings.embedder_spec(threads=QUERY_THREADS))
    reader = IndexReader(
        settings.location(),
        embedder,
        reranker=reranker_of(settings),
        fusion=settings.search.fusion,
    )
    answer = Answerer(reader, embedder).ask(question, k, mode, filters if filters.active else None)
    if as_json:
        typer.echo(AskOut.of(answer, mode).model_dump_json(indent=2))
    else:
        print_answer(answer)
    return answer


def _print_items(answer: Answer) -> None:
    """A numbered list, with the brief's title above each brief's items."""
    titles = {c.n: c.hit.document.title for c in answer.citations}
    current = None
    for number, item in enumerate(answer.items, start=1):
        title = titles.get(item.citation)
        if title != current:
            typer.secho(title or "", bold=True)
            current = title
        lead = f"{number}. "
        extra = (
            f" (to {item.addressee})" if item.kind == "recommendation" and item.addressee else ""
        )
        if item.kind == "position" and item.actor:
            extra = f" ({item.actor})"
        text = f"{' '.join(item.text.split())} [{item.citation}]{extra}"
        lines = textwrap.wrap(text, 100, initial_indent=lead, subsequent_indent=" " * len(lead))
        for line in lines:
            typer.echo(line)


def print_answer(answer: Answer) -> None:
    for brief in answer.documents:
        typer.secho(f"From: {brief.title} (named by {brief.matched_by}: {brief.matched_text})")
    if not answer.answered:
        typer.echo(answer.text)
        if answer.closest:
            typer.echo("")
            typer.secho("Closest passages:", bold=True)
            for hit in answer.closest:
                typer.echo(source_label(hit.rank, hit))
        return
    if answer.items:
        _print_items(answer)
    else:
        for line in textwrap.wrap(answer.text, 100):
            typer.echo(line)
    typer.echo("")
    typer.secho("Sources:", bold=True)
    for citation in answer.citations:
        typer.echo(source_label(citation.n, citation.hit))
        typer.echo(f"    {citation.hit.document.source}  id {citation.hit.document.id[:12]}")
