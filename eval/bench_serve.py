"""Serving benchmark: latency and throughput of a real `briefqa serve` against the bare floor.

The floor is what one query costs with nothing of ours in between: SentenceTransformer.encode
of the query plus faiss IndexFlatIP.search over the same vectors, timed in the same run.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import random
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from service.launcher import briefqa_command, start_server

from .errors import BenchmarkError
from .questions import SAMPLE_SET, load_questions
from .synthetic import SAMPLE_SOURCES, Prose, load_prose, recombine

GENERATOR_VERSION = 1
# About this many words of a generated brief end up in one 192-piece chunk (overlap included).
WORDS_PER_CHUNK = 118
WORDS_PER_BRIEF = 4500
GOAL_SEARCH_VS_BARE = 1.5
GOAL_WORKERS_GAIN = 1.5
SERIES = "Bench Policy Brief"


@dataclass(frozen=True)
class ServeBenchOptions:
    chunks: int = 10_000
    work_dir: Path = Path("data/bench")
    prose_dir: Path | None = SAMPLE_SOURCES
    eval_set: Path | None = SAMPLE_SET
    requests: int = 200  # per search run; ask runs use a quarter of it
    concurrency: tuple[int, ...] = (1, 8)
    seed: int = 11
    # Server processes compared on /v1/search hybrid at the highest concurrency.
    workers: tuple[int, ...] = (1, 2)


@dataclass(frozen=True)
class Latency:
    """One load run against one endpoint at one concurrency."""

    name: str
    concurrency: int
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float
    workers: int = 1  # server processes

    @property
    def per_s(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Bare:
    queries: int
    precision: str
    threads: int
    encode_p50_ms: float
    search_p50_ms: float
    total_p50_ms: float
    total_p95_ms: float


@dataclass
class ServeBenchResult:
    chunks: int
    documents: int
    index_dir: str
    build_seconds: float | None
    bare: Bare | None = None
    runs: list[Latency] = field(default_factory=list)

    def run(self, name: str, concurrency: int, workers: int = 1) -> Latency | None:
        return next(
            (
                r
                for r in self.runs
                if r.name == name and r.concurrency == concurrency and r.workers == workers
            ),
            None,
        )

    def workers_gain(self, workers: int) -> float | None:
        """req/s of /v1/search hybrid with `workers` processes over one, at the highest
        concurrency measured with both."""
        pairs = [
            (one, many)
            for one in self.runs
            if one.name == "search hybrid" and one.workers == 1
            for many in self.runs
            if many.name == one.name
            and many.workers == workers
            and many.concurrency == one.concurrency
        ]
        if not pairs:
            return None
        one, many = max(pairs, key=lambda pair: pair[0].concurrency)
        return many.per_s / one.per_s if one.per_s else None

    @property
    def search_vs_bare(self) -> float | None:
        search = self.run("search hybrid", 1)
        if not (search and self.bare and self.bare.total_p50_ms):
            return None
        return search.p50_ms / self.bare.total_p50_ms

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["runs"] = [{**asdict(r), "per_s": round(r.per_s, 2)} for r in self.runs]
        data["search_vs_bare"] = self.search_vs_bare
        data["goal_search_vs_bare"] = GOAL_SEARCH_VS_BARE
        data["workers_gain"] = {
            str(w): self.workers_gain(w) for w in sorted({r.workers for r in self.runs}) if w > 1
        }
        return data


# -- the corpus ---------------------------------------------------------------------------------
def _brief(number: int, rng: random.Random, prose: Prose) -> str:
    """A Markdown brief of about WORDS_PER_BRIEF words recombined from the sample briefs."""
    year, month, day = 2020 + number % 6, 1 + number % 12, 1 + number % 28
    title = f"{rng.choice(prose.headings)}: {rng.choice(prose.headings)}"
    lines = [
        "---",
        f"title: {title}",
        f"series: {SERIES}",
        f"number: {number}",
        f"date: {year:04d}-{month:02d}-{day:02d}",
        "---",
        "",
        f"# {title}",
        "",
    ]
    words = 0
    while words < WORDS_PER_BRIEF:
        lines += [f"## {rng.choice(prose.headings)}", ""]
        for _ in range(rng.randint(2, 4)):
            paragraph = recombine(rng, prose, swap=0.4)
            words += len(paragraph.split())
            lines += [paragraph, ""]
    return "\n".join(lines)


def corpus_files(work_dir: Path, options: ServeBenchOptions, prose: Prose) -> list[Path]:
    """Enough generated Markdown briefs for about `options.chunks` chunks, cached on disk."""
    count = max(1, round(options.chunks * WORDS_PER_CHUNK / WORDS_PER_BRIEF))
    folder = work_dir / f"serve-briefs-v{GENERATOR_VERSION}-seed{options.seed}-{prose.digest}"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(1, count + 1):
        path = folder / f"brief-{number:05d}.md"
        if not path.exists():
            text = _brief(number, random.Random(options.seed * 100_003 + number), prose)
            partial = path.with_suffix(".part")
            partial.write_text(text, encoding="utf-8")
            os.replace(partial, path)
        paths.append(path)
    return paths


def build_index(
    options: ServeBenchOptions, settings: Any, say: Callable[[str], None]
) -> tuple[Path, float | None]:
    """The benchmark index (built once by `briefqa ingest`, then reused) and its build time.

    The build runs in its own process with every core; this process must not load torch or
    FAISS before it has set the server's OpenMP settings for the bare floor.
    """
    from index.generations import current_marker

    prose = load_prose(options.prose_dir)
    files = corpus_files(options.work_dir, options, prose)
    index_dir = options.work_dir / f"serve-index-{len(files)}-v{GENERATOR_VERSION}-{prose.digest}"
    if current_marker(index_dir) is not None:
        return index_dir, None
    say(f"building the index of {len(files)} generated briefs in {index_dir} (once)")
    started = time.perf_counter()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFQA_INDEX", "OMP_"))}
    log = options.work_dir / "bench-ingest.log"  # its per-file report; stdout is for ours
    with log.open("wb") as out:
        done = subprocess.run(
            [*briefqa_command(), "ingest", str(files[0].parent), "--index", str(index_dir)],
            env=env,
            stdout=out,
            check=False,
        )
    if done.returncode != 0:
        raise BenchmarkError(
            f"building the benchmark index failed (exit {done.returncode}); see {log}"
        )
    return index_dir, time.perf_counter() - started


def queries(options: ServeBenchOptions, count: int) -> list[str]:
    """`count` distinct realistic questions: the sample set's, then sentences of the briefs cut
    short; when those run out (little prose, many requests), the same sentences cut at other
    lengths, then two cuts joined."""
    found: list[str] = []
    if options.eval_set and options.eval_set.is_file():
        found = [q.question for q in load_questions(options.eval_set)]
    prose = load_prose(options.prose_dir)
    rng = random.Random(options.seed)
    pool = [s for p in prose.paragraphs for s in p if len(s.split()) >= 8]
    rng.shuffle(pool)
    found += [_cut(s, rng.randint(6, 14)) for s in pool]
    distinct = dict.fromkeys(found)
    more = _more_questions(pool)
    while len(distinct) < count:
        extra = next(more, None)
        if extra is None:
            raise BenchmarkError(
                f"the prose gives only {len(distinct)} distinct questions, {count} are needed: "
                "use fewer --requests"
            )
        distinct.setdefault(extra)
    return list(distinct)[:count]


def _cut(sentence: str, words: int) -> str:
    return " ".join(sentence.split()[:words]).rstrip(",;:") + "?"


def _more_questions(pool: Sequence[str]) -> Iterator[str]:
    """Each sentence cut at every length, then the starts of two sentences joined."""
    for words in range(6, 15):
        yield from (_cut(s, words) for s in pool)
    for first, second in itertools.product(range(6, 15), repeat=2):
        for a, b in itertools.permutations(pool, 2):
            yield f"{_cut(a, first)[:-1]} and {_cut(b, second)}"


# -- the bare floor -----------------------------------------------------------------------------
class BareProbe:
    """SentenceTransformer.encode + faiss IndexFlatIP.search over the index's vectors, with one
    intra-op thread and the index's precision, as the server runs them."""

    def __init__(self, index_dir: Path, model: str) -> None:
        from index.opening import current_manifest

        from .baselines import bare_flat_index, bare_sentence_transformer

        self.precision = current_manifest(index_dir).precision
        model_ = bare_sentence_transformer(model, threads=1)
        self.model = model_.bfloat16() if self.precision == "bf16" else model_
        self.flat = bare_flat_index(index_dir)

    def time(self, text: str) -> tuple[float, float]:
        """Seconds to encode `text` and to search its vector (top 5)."""
        t0 = time.perf_counter()
        vector = self.model.encode([text], normalize_embeddings=True, convert_to_numpy=True)
        t1 = time.perf_counter()
        self.flat.search(vector.astype("float32"), 5)
        return t1 - t0, time.perf_counter() - t1


def _bare(probe: BareProbe, timings: Sequence[tuple[float, float]]) -> Bare:
    total = [e + s for e, s in timings]
    return Bare(
        queries=len(timings),
        precision=probe.precision,
        threads=1,
        encode_p50_ms=_ms(statistics.median(e for e, _ in timings)),
        search_p50_ms=_ms(statistics.median(s for _, s in timings)),
        total_p50_ms=_ms(statistics.median(total)),
        total_p95_ms=_ms(_percentile(total, 95)),
    )


# -- the server and the load --------------------------------------------------------------------
def _post_all(
    base: str, path: str, bodies: Sequence[dict[str, Any]], concurrency: int
) -> tuple[list[float], int, float]:
    """POST each body once, from `concurrency` threads with a kept-alive connection each;
    (latencies, errors, wall seconds). The stdlib client adds well under a millisecond per
    request, so the figures are the server's, not the load generator's."""
    host, port = base.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    queue = [json.dumps(b).encode() for b in reversed(bodies)]
    headers = {"Content-Type": "application/json"}

    def worker() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    body = queue.pop()
                t0 = time.perf_counter()
                try:
                    connection.request("POST", path, body, headers)
                    response = connection.getresponse()
                    response.read()
                    failed = response.status != 200
                except (OSError, http.client.HTTPException):
                    connection.close()  # counted as an error; the next request reconnects
                    failed = True
                elapsed = time.perf_counter() - t0
                with lock:
                    latencies.append(elapsed)
                    errors += failed
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - started


def _latency(
    name: str, concurrency: int, latencies: list[float], errors: int, seconds: float
) -> Latency:
    if not latencies:
        raise BenchmarkError(f"the {name} run at concurrency {concurrency} had no requests")
    return Latency(
        name=name,
        concurrency=concurrency,
        requests=len(latencies),
        errors=errors,
        seconds=round(seconds, 3),
        p50_ms=_ms(statistics.median(latencies)),
        p95_ms=_ms(_percentile(latencies, 95)),
    )


def load(
    base: str, path: str, bodies: Sequence[dict[str, Any]], concurrency: int, name: str
) -> Latency:
    return _latency(name, concurrency, *_post_all(base, path, bodies, concurrency))


def interleaved(
    base: str, probe: BareProbe, texts: Sequence[str], block: int = 10
) -> tuple[Bare, Latency]:
    """The bare floor and /v1/search (hybrid, concurrency 1) on the same queries, alternating
    in small blocks so that both see the same background load of the machine."""
    timings: list[tuple[float, float]] = []
    latencies: list[float] = []
    errors, seconds = 0, 0.0
    for i in range(0, len(texts), block):
        part = texts[i : i + block]
        timings += [probe.time(t) for t in part]
        lat, err, sec = _post_all(base, "/v1/search", [{"query": t, "k": 5} for t in part], 1)
        latencies += lat
        errors += err
        seconds += sec
    return _bare(probe, timings), _latency("search hybrid", 1, latencies, errors, seconds)


def run_serve_benchmark(
    options: ServeBenchOptions, settings: Any, say: Callable[[str], None]
) -> ServeBenchResult:
    from service.api.server import configure_process

    # The bare floor runs with the server's OpenMP settings: they must be set before anything
    # in this process loads FAISS or torch (the index is built in a child process without them).
    configure_process()
    from index.opening import current_manifest

    # Distinct questions for every run (the server caches sentence vectors per passage), known
    # before the index is built: too few is an error now, not after minutes of ingest.
    per_ask = max(8, options.requests // 4)
    texts = queries(options, options.requests + per_ask * len(options.concurrency) + 20)
    search_texts = texts[: options.requests]
    ask_texts = texts[options.requests : options.requests + per_ask * len(options.concurrency)]
    index_dir, build_seconds = build_index(options, settings, say)
    manifest = current_manifest(index_dir)
    result = ServeBenchResult(manifest.chunks, manifest.documents, str(index_dir), build_seconds)

    say("loading the bare model and IndexFlatIP")
    probe = BareProbe(index_dir, settings.embedding.model)
    for text in texts[-20:]:
        probe.time(text)  # warm up
    log = options.work_dir / "bench-serve.log"
    with start_server(index_dir, log=log, timeout=180, args=["--workers", "1"]) as server:
        base = server.base_url
        load(base, "/v1/search", [{"query": t} for t in texts[-20:]], 2, "warm-up")
        say(f"bare floor and /v1/search hybrid, interleaved, over {manifest.chunks} vectors")
        result.bare, headline = interleaved(base, probe, search_texts)
        for concurrency in options.concurrency:
            say(f"/v1/search dense at concurrency {concurrency}")
            bodies = [{"query": t, "k": 5, "mode": "dense"} for t in search_texts]
            result.runs.append(load(base, "/v1/search", bodies, concurrency, "search dense"))
            if concurrency == 1:
                result.runs.append(headline)
            else:
                say(f"/v1/search hybrid at concurrency {concurrency}")
                bodies = [{"query": t, "k": 5, "mode": "hybrid"} for t in search_texts]
                result.runs.append(load(base, "/v1/search", bodies, concurrency, "search hybrid"))
            say(f"/v1/ask at concurrency {concurrency}")
            batch, ask_texts = ask_texts[:per_ask], ask_texts[per_ask:]
            bodies = [{"question": t, "k": 5} for t in batch]
            result.runs.append(load(base, "/v1/ask", bodies, concurrency, "ask hybrid"))
    busiest = max(options.concurrency)
    bodies = [{"query": t, "k": 5, "mode": "hybrid"} for t in search_texts]
    for workers in (w for w in options.workers if w > 1):
        say(f"/v1/search hybrid at concurrency {busiest} with {workers} server processes")
        args = ["--workers", str(workers)]
        with start_server(index_dir, log=log, timeout=240, args=args) as server:
            load(server.base_url, "/v1/search", bodies[: 10 * workers], workers, "warm-up")
            run = load(server.base_url, "/v1/search", bodies, busiest, "search hybrid")
            result.runs.append(replace(run, workers=workers))
    return result


def format_report(result: ServeBenchResult) -> str:
    lines = [
        f"Index: {result.documents} documents, {result.chunks} chunks ({result.index_dir})",
    ]
    if result.build_seconds is not None:
        lines.append(f"Built in {result.build_seconds:.0f} s (cached for later runs)")
    if result.bare:
        b = result.bare
        lines.append(
            f"Bare floor ({b.precision}, {b.threads} thread, {b.queries} queries): encode "
            f"{b.encode_p50_ms:.2f} ms + IndexFlatIP.search {b.search_p50_ms:.2f} ms; "
            f"total p50 {b.total_p50_ms:.2f} ms, p95 {b.total_p95_ms:.2f} ms"
        )
    lines += [
        "",
        f"{'endpoint':<16}{'procs':>6}{'conc.':>6}{'requests':>10}{'p50 ms':>10}{'p95 ms':>10}"
        f"{'req/s':>9}",
    ]
    for r in result.runs:
        lines.append(
            f"{r.name:<16}{r.workers:>6}{r.concurrency:>6}{r.requests:>10}{r.p50_ms:>10.2f}"
            f"{r.p95_ms:>10.2f}{r.per_s:>9.1f}" + (f"  ({r.errors} errors)" if r.errors else "")
        )
    for workers in sorted({r.workers for r in result.runs if r.workers > 1}):
        gain = result.workers_gain(workers)
        if gain is not None:
            lines.append(
                f"/v1/search hybrid with {workers} server processes: {gain:.2f}x the requests per "
                f"second of one (goal: {GOAL_WORKERS_GAIN}x with 2 on 2 cores, load generator "
                "included)"
            )
    ratio = result.search_vs_bare
    if ratio is not None:
        verdict = "meets" if ratio <= GOAL_SEARCH_VS_BARE else "misses"
        lines += [
            "",
            f"/v1/search (hybrid) p50 at concurrency 1 is {ratio:.2f}x the bare floor: "
            f"{verdict} the goal of {GOAL_SEARCH_VS_BARE}x",
        ]
    return "\n".join(lines)


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[rank]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)
