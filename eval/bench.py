"""`briefqa bench`: benchmarks that print figures against the raw libraries in the same run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

app = typer.Typer(no_args_is_help=True, help="Benchmarks: ingest throughput, serving latency.")

T = TypeVar("T")


def _or_exit(action: Callable[[], T]) -> T:
    """Domain errors (ours, the evaluation's, a server that would not start) become one line
    and exit status 2."""
    from service.cli.edge import run_or_exit
    from service.launcher import LaunchError

    from .errors import EvalError

    return run_or_exit(action, also=(EvalError, LaunchError))


@app.command("ingest")
def ingest(
    briefs: Annotated[int, typer.Option(min=1, help="Generated briefs to ingest.")] = 200,
    pages: Annotated[int, typer.Option(min=1, help="Pages per generated brief.")] = 8,
    work_dir: Annotated[
        Path, typer.Option(help="Cache of generated PDFs and scratch indexes.")
    ] = Path("data/bench"),
    skip_fp32: Annotated[bool, typer.Option(help="Skip the bare fp32 encode.")] = False,
    skip_agreement: Annotated[
        bool, typer.Option(help="Skip the fp32-vs-bf16 retrieval agreement.")
    ] = False,
    quick: Annotated[
        bool, typer.Option(help="A tiny corpus and a few queries: checks the benchmark runs.")
    ] = False,
    ray: Annotated[
        bool,
        typer.Option(
            "--ray",
            help="Also ingest the same files on a local Ray (parse tasks, embedding actors) "
            "and compare with the single-process path; needs the ray extra.",
        ),
    ] = False,
    commands: Annotated[
        bool,
        typer.Option(
            "--commands",
            help="Also time `briefqa ingest` and `briefqa ingest --ray` end to end, each a fresh "
            "process (model loading and Ray's start and stop included); implies --ray.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Ingest a generated corpus; compare with bare SentenceTransformer.encode in fp32 and bf16
    (and, with --ray, with the same ingest on a local Ray)."""
    import json

    from eval.bench_ingest import BenchOptions, format_report, run_ingest_benchmark
    from eval.synthetic import CorpusSpec
    from service.settings import load_settings

    corpus = CorpusSpec(briefs=3, pages=2) if quick else CorpusSpec(briefs=briefs, pages=pages)
    options = BenchOptions(
        corpus=corpus,
        work_dir=work_dir,
        skip_fp32=skip_fp32,
        skip_agreement=skip_agreement,
        max_queries=8 if quick else None,
        samples_dir=None if quick else BenchOptions.samples_dir,
        ray=ray or commands,
        commands=commands,
    )
    say = (lambda _: None) if as_json else (lambda m: typer.echo(f"... {m}", err=True))
    result = _or_exit(lambda: run_ingest_benchmark(options, load_settings(), say))
    typer.echo(json.dumps(result.to_json(), indent=2) if as_json else format_report(result))


@app.command("serve")
def serve(
    chunks: Annotated[int, typer.Option(min=100, help="Chunks in the generated index.")] = 10_000,
    requests: Annotated[int, typer.Option(min=10, help="Search requests per run.")] = 200,
    work_dir: Annotated[
        Path, typer.Option(help="Cache of generated briefs and the benchmark index.")
    ] = Path("data/bench"),
    workers: Annotated[
        list[int] | None,
        typer.Option(
            min=1,
            help="Server processes to compare on /v1/search hybrid at concurrency 8 "
            "(repeatable) [default: 1 and 2].",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Latency (p50, p95) and requests/s of /v1/search and /v1/ask on a real server at
    concurrency 1 and 8, against bare encode + IndexFlatIP.search in the same run; then
    /v1/search with more server processes."""
    import json

    from eval.bench_serve import ServeBenchOptions, format_report, run_serve_benchmark
    from service.settings import load_settings

    options = ServeBenchOptions(
        chunks=chunks,
        requests=requests,
        work_dir=work_dir,
        workers=tuple(sorted({1, *(workers or (1, 2))})),
    )
    say = (lambda _: None) if as_json else (lambda m: typer.echo(f"... {m}", err=True))
    result = _or_exit(lambda: run_serve_benchmark(options, load_settings(), say))
    typer.echo(json.dumps(result.to_json(), indent=2) if as_json else format_report(result))


@app.command("scale")
def scale(
    sizes: Annotated[
        str, typer.Option(help="Corpus sizes in chunks, comma-separated.")
    ] = "100000,1000000",
    backends: Annotated[
        str,
        typer.Option(
            help="Comma-separated: flat (embedded, exact), ivf (embedded, approximate above "
            "50,000 chunks), milvus (Milvus Lite)."
        ),
    ] = "flat,ivf,milvus",
    queries: Annotated[int, typer.Option(min=20, help="Queries per mode.")] = 200,
    milvus_max: Annotated[
        int, typer.Option(help="Skip Milvus Lite above this many chunks (its memory).")
    ] = 100_000,
    bases: Annotated[
        int, typer.Option(min=10, help="Generated paragraphs embedded for the vectors (cached).")
    ] = 3_000,
    work_dir: Annotated[Path, typer.Option(help="Cache of embeddings and scratch indexes.")] = Path(
        "data/bench"
    ),
    keep: Annotated[bool, typer.Option(help="Keep the built indexes.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """Build time, memory, disk size, dense/BM25/hybrid latency (p50, p95) and recall@10 against
    exact search, per store backend, on generated corpora of 100k and 1M chunks. Everything
    runs with the server's OpenMP settings (one thread, passive waits), as a replica would."""
    import json

    from service.api.server import configure_process

    configure_process()  # before anything loads FAISS or torch
    from eval.bench_scale import (
        BACKENDS,
        ScaleOptions,
        ScaleResult,
        format_report,
        run_scale_benchmark,
    )
    from ingest.embed import load_embedder
    from service.settings import load_settings

    chosen = tuple(b.strip() for b in backends.split(",") if b.strip())
    unknown = sorted(set(chosen) - set(BACKENDS))
    if unknown:
        raise typer.BadParameter(f"unknown backend {', '.join(unknown)}: use {', '.join(BACKENDS)}")
    try:
        counts = tuple(int(s.replace("_", "")) for s in sizes.split(",") if s.strip())
    except ValueError as exc:
        raise typer.BadParameter(f"sizes must be whole numbers: {sizes!r}") from exc
    options = ScaleOptions(
        sizes=counts,
        backends=chosen,
        queries=queries,
        work_dir=work_dir,
        bases=bases,
        milvus_max=milvus_max,
        keep=keep,
    )
    say = (lambda _: None) if as_json else (lambda m: typer.echo(f"... {m}", err=True))

    def run() -> ScaleResult:
        embedder = load_embedder(load_settings().embedder_spec())
        return run_scale_benchmark(options, embedder, say)

    result = _or_exit(run)
    typer.echo(json.dumps(result.to_json(), indent=2) if as_json else format_report(result))
