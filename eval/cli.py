"""`briefqa eval`: evaluate retrieval modes side by side on an evaluation set."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from contextlib import ExitStack, closing
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from service.cli.main import StoreUriOption

if TYPE_CHECKING:
    from index.types import SearchMode
    from service.settings import Settings

    from .answer_metrics import AnswerGold
    from .judgments import Judgments
    from .report import ReportOut, SetOut
    from .target import Target

app = typer.Typer(
    help="Score dense, BM25 and hybrid retrieval side by side on a question set or a BEIR set: "
    "nDCG@10, Recall@5/10/100, MRR@10 and latency, at document and page level, plus answer "
    "checks, and answer metrics for sets with answer golds (list items, quotes, cited pages, "
    "refusals, intents). Prints a table (or JSON with --json).",
    no_args_is_help=True,
    subcommand_metavar="",
    # Options may follow the SET argument (a group's default is options first).
    context_settings={"allow_interspersed_args": True},
)

T = TypeVar("T")
ALL_MODES = "dense,bm25,hybrid"


@app.callback(invoke_without_command=True)
def evaluate(
    eval_set: Annotated[
        Path,
        typer.Argument(
            metavar="SET",
            help="A JSONL question set (see eval/sets/README.md) or a BEIR folder "
            "(corpus.jsonl, queries.jsonl, qrels/<split>.tsv).",
            show_default=False,
        ),
    ],
    modes: Annotated[
        str, typer.Option(help="Retrieval modes to compare, comma-separated.")
    ] = ALL_MODES,
    k: Annotated[
        int,
        typer.Option(
            "--k",
            "-k",
            min=1,
            max=1000,
            help="Passages retrieved per question (the API allows 100).",
        ),
    ] = 100,
    index: Annotated[
        Path | None,
        typer.Option(
            help="Index to evaluate a question set against "
            "(env BRIEFQA_INDEX_DIR; default ./data/index).",
            show_default=False,
        ),
    ] = None,
    store_uri: StoreUriOption = None,
    corpus: Annotated[
        list[Path] | None,
        typer.Option(
            help="Ingest these briefs (files or folders) into --index (or --store-uri) first "
            "(repeatable).",
            show_default=False,
        ),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(
            help="Evaluate a running BriefQA server over HTTP instead (question sets only).",
            show_default=False,
        ),
    ] = None,
    split: Annotated[str, typer.Option(help="BEIR qrels split (qrels/<split>.tsv).")] = "test",
    work: Annotated[
        Path,
        typer.Option(
            help="Where BEIR corpora are indexed and kept for re-runs (a BEIR set always gets "
            "its own embedded index here, built from its corpus.jsonl, so --index and "
            "--store-uri apply to question sets only)."
        ),
    ] = Path("data/eval"),
    answers: Annotated[
        bool | None,
        typer.Option(
            "--answers/--no-answers",
            help="Also check /v1/ask answers (default: on for question sets, off for BEIR sets).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write the JSON report to this file.", show_default=False)
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the JSON report, not the table.")
    ] = False,
    plot: Annotated[
        Path | None, typer.Option(help="Save a bar chart (PNG) of the metrics.", show_default=False)
    ] = None,
    progress: Annotated[bool, typer.Option(help="Show progress bars.")] = True,
) -> None:
    """Score retrieval modes side by side on SET."""
    chosen = _or_exit(lambda: _parse_modes(modes))
    show_progress = progress and not as_json and sys.stderr.isatty()
    report = _or_exit(
        lambda: _run(
            eval_set,
            chosen,
            k,
            index=index,
            store_uri=store_uri,
            corpus=corpus or [],
            url=url,
            split=split,
            work=work,
            answers=answers,
            progress=show_progress,
        )
    )
    text = report.model_dump_json(indent=2)
    if out is not None:
        _or_exit(lambda: _write(out, text))
    if plot is not None:
        from .plot import plot_report

        _or_exit(lambda: plot_report(report, plot))
    if as_json:
        typer.echo(text)
    else:
        from .report import render_table

        typer.echo(render_table(report))


def _run(
    eval_set: Path,
    modes: list[SearchMode],
    k: int,
    *,
    index: Path | None,
    store_uri: str | None,
    corpus: list[Path],
    url: str | None,
    split: str,
    work: Path,
    answers: bool | None,
    progress: bool,
) -> ReportOut:
    from .beir import is_beir_folder
    from .errors import EvalError

    if is_beir_folder(eval_set):
        if url or index or store_uri or corpus:
            raise EvalError(
                "a BEIR set is ingested into its own index under --work: "
                "--url, --index, --store-uri and --corpus apply to question sets only"
            )
        return _run_beir(eval_set, modes, k, split, work, bool(answers), progress)
    if eval_set.is_dir():
        raise EvalError(
            f"{eval_set} is a folder without corpus.jsonl: give a JSONL question "
            "set or a BEIR folder"
        )
    if url and (index or corpus):
        raise EvalError("--url evaluates the server's own index: drop --index and --corpus")
    if url and store_uri:
        raise EvalError("--url evaluates the server's own index: drop --store-uri")
    return _run_questions(
        eval_set, modes, k, index, store_uri, corpus, url, answers is not False, progress
    )


def _run_questions(
    path: Path,
    modes: list[SearchMode],
    k: int,
    index: Path | None,
    store_uri: str | None,
    corpus: list[Path],
    url: str | None,
    answers: bool,
    progress: bool,
) -> ReportOut:
    from .answer_metrics import AnswerGold
    from .judgments import judgments_from_questions
    from .questions import load_questions
    from .report import SetOut

    questions = load_questions(path)
    options: dict[str, Any] = {}
    target: Target
    with ExitStack() as resources:
        if url:
            from .remote import HttpTarget

            target = resources.enter_context(closing(HttpTarget(url)))  # its kept-alive socket
            options["url"] = url
        else:
            target, config = _local_target(index, store_uri, corpus, modes, answers, progress)
            options["config"] = config
        judgments = judgments_from_questions(path.stem, questions, target.documents())
        set_info = SetOut(name=path.stem, path=str(path), kind="questions", queries=len(questions))
        golds = (
            {q.id: AnswerGold.of(q) for q in questions}
            if any(q.has_answer_golds for q in questions)
            else None
        )
        return _evaluate(
            target, judgments, set_info, modes, k, options, answers, progress, golds=golds
        )


def _local_target(
    index: Path | None,
    store_uri: str | None,
    corpus: list[Path],
    modes: list[SearchMode],
    answers: bool,
    progress: bool,
) -> tuple[Target, dict[str, Any]]:
    from index.opening import index_embedder
    from index.reader import IndexReader
    from index.types import SearchMode
    from service.settings import QUERY_THREADS, load_settings, reranker_of

    from .local import LocalTarget

    settings = load_settings(index, store_uri)
    if corpus:
        _ingest(settings, corpus, progress)
    needs_model = answers or any(m is not SearchMode.bm25 for m in modes)
    spec = settings.embedder_spec(threads=QUERY_THREADS)
    location = settings.location()
    embedder = index_embedder(location, spec) if needs_model else None
    reader = IndexReader(
        location, embedder, reranker=reranker_of(settings), fusion=settings.search.fusion
    )
    return LocalTarget(reader, embedder), settings.redacted()


def _ingest(settings: Settings, corpus: list[Path], progress: bool) -> None:
    from index.ingestion import ingest_paths
    from index.types import FileStatus
    from ingest.embed import load_embedder

    report = ingest_paths(
        settings.location(),
        corpus,
        load_embedder(settings.embedder_spec()),
        chunker=settings.chunker(),
        limits=settings.parse_limits(),
        progress=progress,
    )
    for f in report.files:
        if f.status is FileStatus.failed:
            typer.secho(f"not ingested: {f.path}: {f.reason}", err=True, fg=typer.colors.YELLOW)
    typer.echo(
        f"corpus: {report.count(FileStatus.added) + report.count(FileStatus.replaced)} added or "
        f"replaced, {report.count(FileStatus.unchanged)} unchanged, "
        f"{report.count(FileStatus.failed)} failed; index {settings.location()}",
        err=True,
    )


def _run_beir(
    folder: Path,
    modes: list[SearchMode],
    k: int,
    split: str,
    work: Path,
    answers: bool,
    progress: bool,
) -> ReportOut:
    from index.opening import index_embedder
    from index.reader import IndexReader
    from index.types import SearchMode
    from ingest.embed import canonical_model_id, load_embedder, resolve_precision
    from service.settings import QUERY_THREADS, load_settings, reranker_of

    from .beir import read_beir
    from .beir_index import build_beir_index
    from .judgments import Judgments
    from .local import LocalTarget
    from .report import SetOut

    beir = read_beir(folder, split)
    settings = load_settings()
    built = build_beir_index(
        beir,
        work,
        lambda: load_embedder(settings.embedder_spec()),
        model_id=canonical_model_id(settings.embedding.model),
        precision=resolve_precision(settings.embedding.precision),
        chunker=settings.chunker(),
        limits=settings.parse_limits(),
        progress=progress,
    )
    settings = settings.model_copy(update={"index_dir": built.index_dir})
    needs_model = answers or any(m is not SearchMode.bm25 for m in modes)
    spec = settings.embedder_spec(threads=QUERY_THREADS)
    embedder = index_embedder(built.index_dir, spec) if needs_model else None
    reader = IndexReader(
        built.index_dir, embedder, reranker=reranker_of(settings), fusion=settings.search.fusion
    )
    target = LocalTarget(reader, embedder)
    judgments = Judgments(
        name=beir.name,
        queries=beir.queries,
        documents=beir.qrels,
        pages={},
        doc_keys=built.doc_keys,
    )
    options = {"split": beir.split, "work": str(work), "config": settings.redacted()}
    set_info = SetOut(
        name=beir.name, path=str(folder), kind="beir", queries=len(beir.queries), split=beir.split
    )
    return _evaluate(
        target, judgments, set_info, modes, k, options, answers, progress, built.summary()
    )


def _evaluate(
    target: Target,
    judgments: Judgments,
    set_info: SetOut,
    modes: list[SearchMode],
    k: int,
    extra: dict[str, Any],
    answers: bool,
    progress: bool,
    corpus: dict[str, Any] | None = None,
    golds: Mapping[str, AnswerGold] | None = None,
) -> ReportOut:
    from .answers import ANSWER_K
    from .report import build_report
    from .runner import evaluate_modes

    options = {
        "modes": [m.value for m in modes],
        "k": k,
        "answers": answers,
        "answer_k": ANSWER_K if answers else None,
        **extra,
    }
    results = evaluate_modes(
        target, judgments, modes, k, answers=answers, progress=progress, golds=golds
    )
    return build_report(set_info, options, target.describe(), results, corpus)


def _parse_modes(text: str) -> list[SearchMode]:
    from index.types import SearchMode

    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    valid = [m.value for m in SearchMode]
    unknown = [n for n in names if n not in valid]
    if unknown or not names:
        raise ValueError(
            f"--modes takes a comma-separated list of {', '.join(valid)}; got {text!r}"
        )
    return [SearchMode(n) for n in dict.fromkeys(names)]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n")


def _or_exit(action: Callable[[], T]) -> T:
    """Domain errors (ours and the evaluation's) become one line and exit status 2."""
    from service.cli.edge import run_or_exit

    from .errors import EvalError

    return run_or_exit(action, also=(EvalError,))
