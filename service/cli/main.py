"""The `briefqa` command line: ingest, search, ask, docs, serve, config (eval and bench plug in)."""

from __future__ import annotations

import json
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Annotated

import typer

from index.types import FileStatus, IngestReport, SearchFilters, SearchMode

from ..answer.labels import page_label, series_label
from ..answer.question import MAX_ASK_K, MAX_SEARCH_K, question_problem
from ..settings import QUERY_THREADS, Settings, load_settings
from ..shapes import DocumentOut, HitOut, IngestReportOut, SearchOut
from .edge import fail, run_or_exit

app = typer.Typer(
    name="briefqa",
    no_args_is_help=True,
    add_completion=False,
    help="Question answering over policy briefs, every passage cited to brief, page and section.",
)
docs_app = typer.Typer(no_args_is_help=True, help="List and remove indexed documents.")
config_app = typer.Typer(no_args_is_help=True, help="Show the effective configuration.")
app.add_typer(docs_app, name="docs")
app.add_typer(config_app, name="config")

IndexOption = Annotated[
    Path | None,
    typer.Option(
        "--index",
        help="Index folder (env BRIEFQA_INDEX_DIR; default ./data/index).",
        show_default=False,
    ),
]
StoreUriOption = Annotated[
    str | None,
    typer.Option(
        "--store-uri",
        help="Keep the index in Milvus: a local .db file (Milvus Lite) or http://host:19530 "
        "(env BRIEFQA_STORE__URI with BRIEFQA_STORE__BACKEND=milvus).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _settings(index: Path | None, store_uri: str | None = None) -> Settings:
    return run_or_exit(lambda: load_settings(index, store_uri))


@app.command()
def ingest(
    paths: Annotated[
        list[Path], typer.Argument(help="Files or folders of briefs (PDF, txt, md, html).")
    ],
    index: IndexOption = None,
    store_uri: StoreUriOption = None,
    as_json: JsonOption = False,
    progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True,
    ray: Annotated[
        bool,
        typer.Option(
            "--ray",
            help="Parse, chunk and embed as Ray Data stages, on a local Ray started for this "
            "command (or on the cluster of --ray-address). Needs pip install 'briefqa\\[ray]'.",
        ),
    ] = False,
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray-address",
            help="Run on this Ray cluster (implies --ray): 'auto' (the one this machine is part "
            "of), ray://HEAD:10001 or HEAD:6379. Its workers read the files: give paths that "
            "every node sees (shared storage).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Add briefs to the index: new files are added, changed ones replaced, unchanged skipped."""
    from functools import partial

    from index.ingestion import ingest_paths
    from ingest.budget import BudgetWorker
    from ingest.embed import describe_embedder, load_embedder

    settings = _settings(index, store_uri)

    def work() -> IngestReport:
        spec = settings.embedder_spec()
        # On Ray the actors embed: this process needs the model's description, not its weights.
        embedder = describe_embedder(spec) if ray or ray_address else load_embedder(spec)
        run = partial(
            ingest_paths,
            settings.location(),
            paths,
            embedder,
            chunker=settings.chunker(),
            limits=settings.parse_limits(),
            progress=progress and not as_json and sys.stderr.isatty(),
            vector_index=settings.store.vectors,
        )
        if not (ray or ray_address):
            # Each file is parsed under the same budget as an upload: a pathological PDF is
            # reported as too_slow and the batch goes on.
            worker = BudgetWorker(settings.parse_budget(), preload=("ingest.prepare",))
            try:
                return run(budget=worker)
            finally:
                worker.close()
        from index.ray_ingest import ray_session, ray_source

        with ray_session(ray_address):
            return run(source=ray_source(embedder, spec))

    report = run_or_exit(work)
    if as_json:
        typer.echo(IngestReportOut.of(report).model_dump_json(indent=2))
    else:
        _print_ingest_report(report)
    if report.failed:
        raise typer.Exit(1)


def _print_ingest_report(report: IngestReport) -> None:
    marks = {
        FileStatus.added: "+",
        FileStatus.replaced: "~",
        FileStatus.unchanged: "=",
        FileStatus.failed: "!",
    }
    for f in report.files:
        detail = f"{f.pages} pages, {f.chunks} chunks" if f.chunks else ""
        if f.status is FileStatus.failed:
            detail = f"{f.error_code}: {f.reason}"
        elif f.reason:
            detail = f"{detail} ({f.reason})" if detail else f.reason
        line = f"{marks[f.status]} {f.status.value:<9} {f.path}" + (f"  {detail}" if detail else "")
        typer.secho(line, fg=typer.colors.RED if f.status is FileStatus.failed else None)
        for failure in f.failed_pages:
            typer.secho(
                f"    page {failure.page} skipped: {failure.reason}", fg=typer.colors.YELLOW
            )
    summary = (
        f"{report.count(FileStatus.added)} added, {report.count(FileStatus.replaced)} replaced, "
        f"{report.count(FileStatus.unchanged)} unchanged, "
        f"{report.count(FileStatus.failed)} failed; "
        f"{report.chunks} chunks in {report.seconds:.1f}s"
    )
    if report.generation is not None:
        summary += f"; index generation {report.generation}"
    typer.echo(summary)


def _filters(
    doc: list[str] | None, series: str | None, date_from: str | None, date_to: str | None
) -> SearchFilters:
    return SearchFilters(
        doc_ids=tuple(doc or ()), series=series, date_from=date_from, date_to=date_to
    )


ModeOption = Annotated[SearchMode, typer.Option("--mode", "-m", help="Retrieval mode.")]
KOption = Annotated[
    int, typer.Option("-k", "--k", min=1, max=MAX_SEARCH_K, help="Passages to return.")
]
DocOption = Annotated[
    list[str] | None, typer.Option("--doc", help="Only this document id (repeatable).")
]
SeriesOption = Annotated[str | None, typer.Option("--series", help="Only briefs of this series.")]
FromOption = Annotated[
    str | None, typer.Option("--from", help="Only briefs dated on or after (YYYY-MM-DD).")
]
ToOption = Annotated[
    str | None, typer.Option("--to", help="Only briefs dated on or before (YYYY-MM-DD).")
]


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Question or keywords.")],
    mode: ModeOption = SearchMode.hybrid,
    k: KOption = 5,
    doc: DocOption = None,
    series: SeriesOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    index: IndexOption = None,
    store_uri: StoreUriOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print the passages that best match QUERY, each with brief, pages, section and score."""
    from index.opening import open_index

    settings = _settings(index, store_uri)
    filters = _filters(doc, series, date_from, date_to)
    problem = question_problem(query)
    if problem is not None:
        raise fail(problem.replace("question", "query"))
    # bm25 needs no model: keyword search starts without loading it.
    spec = settings.embedder_spec(threads=QUERY_THREADS) if mode is not SearchMode.bm25 else None
    hits = run_or_exit(
        lambda: open_index(
            settings.location(),
            spec,
            fusion=settings.search.fusion,
            reranker=settings.search.reranker,
        ).search(query, k, mode, filters)
    )
    out = SearchOut(query=query, mode=mode.value, k=k, hits=[HitOut.of(h) for h in hits])
    if as_json:
        typer.echo(out.model_dump_json(indent=2))
        return
    if not hits:
        typer.echo("No passages found.")
    for hit in out.hits:
        _print_passage(hit)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question in words.")],
    mode: ModeOption = SearchMode.hybrid,
    k: Annotated[
        int, typer.Option("-k", "--k", min=1, max=MAX_ASK_K, help="Passages to draw from.")
    ] = 5,
    doc: DocOption = None,
    series: SeriesOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    index: IndexOption = None,
    store_uri: StoreUriOption = None,
    as_json: JsonOption = False,
) -> None:
    """Answer QUESTION with sentences from the briefs, each cited \\[n], then the sources."""
    from .ask import run_ask

    settings = _settings(index, store_uri)
    filters = _filters(doc, series, date_from, date_to)
    run_or_exit(lambda: run_ask(settings, question, k, mode, filters, as_json))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface [default: 127.0.0.1].")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port [default: 8000].")] = None,
    index: IndexOption = None,
    store_uri: StoreUriOption = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Server processes, each with the model; they share the index's vectors "
            "[default: BRIEFQA_SERVER__WORKERS, else one per CPU core].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the HTTP API (and the web page); an empty index folder is fine: upload briefs."""
    from ..api.server import serve as run_server

    run_server(_settings(index, store_uri), host, port, workers)


def _print_passage(hit: HitOut) -> None:
    d = hit.document
    pages = page_label(hit.page_start, hit.page_end)
    series = series_label(d.series, d.number)
    typer.secho(f"[{hit.rank}] {d.title}", bold=True)
    typer.echo(
        f"    {series + ', ' if series else ''}{pages}"
        + (f", {hit.section}" if hit.section else "")
        + f"  (score {hit.score:.3f})"
    )
    typer.echo(f"    {d.source}  id {d.id[:12]}")
    for line in _wrap(hit.text, 96):
        typer.echo(f"    {line}")
    typer.echo("")


def _wrap(text: str, width: int) -> list[str]:
    import textwrap

    return [line for para in text.split("\n\n") for line in (textwrap.wrap(para, width) or [""])]


@docs_app.command("list")
def docs_list(
    index: IndexOption = None, store_uri: StoreUriOption = None, as_json: JsonOption = False
) -> None:
    """List indexed documents (does not load the embedding model)."""
    from index.reader import IndexReader

    settings = _settings(index, store_uri)
    documents = run_or_exit(lambda: IndexReader(settings.location()).documents())
    rows = [DocumentOut.of(d) for d in documents]
    if as_json:
        typer.echo(json.dumps([r.model_dump() for r in rows], indent=2))
        return
    for r in rows:
        label = series_label(r.series, r.number) or r.kind
        typer.echo(
            f"{r.id[:12]}  {r.date or ' ' * 10}  {label:<28.28}  "
            f"{r.pages:>3}p {r.chunks:>4}c  {r.title[:70]}"
        )
        if r.failed_pages:
            skipped = ", ".join(str(f.page) for f in r.failed_pages)
            typer.echo(f"{'':14}unreadable pages skipped: {skipped}")
    typer.echo(f"{len(rows)} documents")


@docs_app.command("rm")
def docs_rm(
    doc_ids: Annotated[
        list[str], typer.Argument(help="Document ids (or unique prefixes of 6+ characters).")
    ],
    index: IndexOption = None,
    store_uri: StoreUriOption = None,
) -> None:
    """Remove documents from every part of the index."""
    from index.ingestion import delete_documents
    from index.reader import IndexReader

    settings = _settings(index, store_uri)

    def work() -> list[str]:
        reader = IndexReader(settings.location())
        full = [reader.document(d).id for d in doc_ids]
        delete_documents(settings.location(), full)
        return full

    for doc_id in run_or_exit(work):
        typer.echo(f"removed {doc_id}")


@config_app.command("show")
def config_show(index: IndexOption = None, store_uri: StoreUriOption = None) -> None:
    """Print the effective settings as JSON (secrets redacted)."""
    typer.echo(json.dumps(_settings(index, store_uri).redacted(), indent=2))


_plugins_registered = False


def build_app() -> typer.Typer:
    """The full CLI: our commands plus `eval` and `bench`, which sit above service in the layers
    and so plug in through the `briefqa.commands` entry point group."""
    global _plugins_registered
    if not _plugins_registered:
        for entry in entry_points(group="briefqa.commands"):
            sub = entry.load()
            if isinstance(sub, typer.Typer):
                app.add_typer(sub, name=entry.name)
        _plugins_registered = True
    return app


def main() -> None:
    build_app()()
