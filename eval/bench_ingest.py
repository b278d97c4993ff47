"""Ingest benchmark: our pipeline against bare sentence-transformers encoding, in one process,
and (with `ray`) the same files through Ray Data stages on a local Ray."""

from __future__ import annotations

import os
import random
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import psutil

from index.ingestion import ingest_paths, local_source
from index.reader import IndexReader
from index.store import published_chunk_texts
from index.types import IngestReport, SearchMode
from ingest.chunk import chunk_document
from ingest.embed import Embedder, EmbedderSpec, load_embedder
from ingest.parse import parse_bytes
from service.settings import Settings

from .baselines import bare_sentence_transformer
from .bench_commands import CommandTimes, time_commands
from .bench_stream import StreamClock, StreamTimes
from .errors import BenchmarkError
from .questions import SAMPLE_SET, load_questions
from .synthetic import SAMPLE_BRIEFS, SAMPLE_SOURCES, CorpusSpec, build_corpus, load_prose

BARE_BATCH_SIZE = 32  # sentence-transformers' default, what frameworks pass through
WARM_UP_BRIEFS = 4
NOISY_NEIGHBOURS = 0.10
GOAL_VS_FP32 = 2.0
GOAL_VS_SAME_PRECISION = 0.85
GOAL_TOP10_OVERLAP = 0.98
GOAL_RAY_VS_SINGLE = 0.85  # Ray's overhead on one machine: at most 15 %


@dataclass(frozen=True)
class BenchOptions:
    """What to ingest and which phases to run."""

    corpus: CorpusSpec = field(default_factory=CorpusSpec)
    work_dir: Path = Path("data/bench")
    prose_dir: Path | None = SAMPLE_SOURCES
    samples_dir: Path | None = SAMPLE_BRIEFS
    eval_set: Path | None = SAMPLE_SET
    skip_fp32: bool = False
    skip_agreement: bool = False
    max_queries: int | None = None
    threads: int | None = None  # torch intra-op threads for every phase; None: all cores
    ray: bool = False  # also ingest on a local Ray started for the phase (the `ray` extra)
    commands: bool = False  # with `ray`: also time both commands end to end, as a user runs them


@dataclass(frozen=True)
class Throughput:
    """One timed phase over the corpus's chunk texts."""

    name: str
    precision: str
    seconds: float
    chunks: int
    pages: int
    others_cpu: float  # share of the machine's CPU that other processes used meanwhile
    cpu_seconds: float = 0.0  # CPU time the phase's own processes used
    stream: StreamTimes | None = None  # an ingest's start-up and settled rate

    @property
    def cpu_ms_per_chunk(self) -> float:
        """What a chunk cost in CPU: unlike chunks/s, barely moved by other processes' load."""
        return 1000 * self.cpu_seconds / self.chunks if self.chunks else 0.0

    @property
    def chunks_per_s(self) -> float:
        return self.chunks / self.seconds if self.seconds else 0.0

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class RayPhase:
    """The same files ingested on a local Ray: parse tasks, embedding actors, our writer."""

    throughput: Throughput
    cpus: int
    actors: int
    start_seconds: float  # ray.init of a local Ray
    stop_seconds: float  # ray.shutdown
    peak_rss_mb: float  # this process and every Ray process, summed (shared pages counted twice)


@dataclass(frozen=True)
class Agreement:
    """Dense retrieval with fp32 against bf16 indexes, each queried in its own precision."""

    queries: int
    query_source: str
    documents: int
    top10_overlap: float
    top1_agreement: float


@dataclass(frozen=True)
class IngestBenchResult:
    cpu: str
    cores: int
    threads: int
    briefs: int
    pages: int
    chunks: int
    ours: Throughput
    peak_rss_mb: float
    rss_before_mb: float
    bare_fp32: Throughput | None
    bare_same: Throughput | None
    cosine_mean: float | None
    cosine_min: float | None
    agreement: Agreement | None
    load_before: float
    load_after: float
    notes: tuple[str, ...] = field(default=())
    ray: RayPhase | None = None
    commands: CommandTimes | None = None

    @property
    def ray_vs_single(self) -> float | None:
        return _ratio(self.ray.throughput, self.ours) if self.ray else None

    @property
    def ray_steady_vs_single(self) -> float | None:
        """Settled rates, each path's start-up left out (what a long ingest sees)."""
        ray = self.ray.throughput.stream if self.ray else None
        single = self.ours.stream
        if ray is None or single is None or not single.steady_chunks_per_s:
            return None
        return ray.steady_chunks_per_s / single.steady_chunks_per_s

    @property
    def ray_cpu_vs_single(self) -> float | None:
        """Single-process CPU per chunk over Ray's: 0.87 means Ray spends 15 % more a chunk."""
        if self.ray is None or not self.ray.throughput.cpu_ms_per_chunk:
            return None
        return self.ours.cpu_ms_per_chunk / self.ray.throughput.cpu_ms_per_chunk

    @property
    def vs_fp32(self) -> float | None:
        return _ratio(self.ours, self.bare_fp32)

    @property
    def vs_same_precision(self) -> float | None:
        return _ratio(self.ours, self.bare_same)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("ours", "bare_fp32", "bare_same"):
            phase = getattr(self, name)
            if phase is not None:
                data[name].update(
                    chunks_per_s=phase.chunks_per_s,
                    pages_per_s=phase.pages_per_s,
                    cpu_ms_per_chunk=phase.cpu_ms_per_chunk,
                )
        if self.ray is not None:
            data["ray"]["throughput"].update(
                chunks_per_s=self.ray.throughput.chunks_per_s,
                cpu_ms_per_chunk=self.ray.throughput.cpu_ms_per_chunk,
            )
        data["ratios"] = {
            "ray_vs_single_process": self.ray_vs_single,
            "ray_vs_single_process_cpu_per_chunk": self.ray_cpu_vs_single,
            "ray_vs_single_process_steady": self.ray_steady_vs_single,
            "ray_vs_single_process_commands": (
                self.commands.ray_vs_single if self.commands else None
            ),
            "goal_ray_vs_single_process": GOAL_RAY_VS_SINGLE,
            "ours_vs_bare_fp32": self.vs_fp32,
            "goal_vs_bare_fp32": GOAL_VS_FP32,
            "ours_vs_bare_same_precision": self.vs_same_precision,
            "goal_vs_bare_same_precision": GOAL_VS_SAME_PRECISION,
            "top10_overlap": self.agreement.top10_overlap if self.agreement else None,
            "goal_top10_overlap": GOAL_TOP10_OVERLAP,
        }
        return data


def _ratio(ours: Throughput, bare: Throughput | None) -> float | None:
    return ours.chunks_per_s / bare.chunks_per_s if bare and bare.chunks_per_s else None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or "unknown"


class CpuWatch:
    """Wall time of a block and the share of the machine's CPU other processes took meanwhile
    (a shared machine's neighbours slow any phase they overlap: this says how much they did).
    With `tree`, the processes this one started and still runs (a local Ray's) count as its own.
    """

    def __init__(self, tree: bool = False) -> None:
        self.tree = tree

    def __enter__(self) -> CpuWatch:
        self._start = (time.perf_counter(), _machine_busy(), _own_cpu(self.tree))
        return self

    def __exit__(self, *_: object) -> None:
        wall0, busy0, own0 = self._start
        self.seconds = time.perf_counter() - wall0
        self.own_seconds = _own_cpu(self.tree) - own0
        others = (_machine_busy() - busy0) - self.own_seconds
        self.others_cpu = max(0.0, others / (self.seconds * (os.cpu_count() or 1)))


def _machine_busy() -> float:
    t = psutil.cpu_times()
    return float(t.user + t.nice + t.system + getattr(t, "irq", 0) + getattr(t, "softirq", 0))


def _own_cpu(tree: bool = False) -> float:
    process = psutil.Process()
    t = process.cpu_times()
    total = t.user + t.system + t.children_user + t.children_system
    for child in process.children(recursive=True) if tree else ():
        with suppress(psutil.Error):  # ended meanwhile
            c = child.cpu_times()
            total += c.user + c.system
    return float(total)


@contextmanager
def peak_rss(interval: float = 0.02, tree: bool = False) -> Iterator[list[int]]:
    """Sample resident memory while the block runs: this process's, or with `tree` the sum
    over it and all its descendants (a local Ray's processes); yields [peak bytes]."""
    process = psutil.Process()

    def measure() -> int:
        rss = process.memory_info().rss
        for child in process.children(recursive=True) if tree else ():
            with suppress(psutil.Error):  # ended meanwhile
                rss += child.memory_info().rss
        return int(rss)

    peak = [measure()]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(interval):
            peak[0] = max(peak[0], measure())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        done.set()
        sampler.join()
        peak[0] = max(peak[0], measure())


def run_ingest_benchmark(
    options: BenchOptions, settings: Settings, say: Callable[[str], None] = lambda _: None
) -> IngestBenchResult:
    """Ours, then bare encoding at our precision, then bare fp32, then retrieval agreement."""
    threads = options.threads or os.cpu_count() or 1
    load_before = os.getloadavg()[0]
    say(f"corpus: {options.corpus.briefs} briefs of {options.corpus.pages} pages")
    paths = build_corpus(options.work_dir, options.corpus, load_prose(options.prose_dir))
    spec = settings.embedder_spec(threads=threads)
    embedder = load_embedder(spec)
    warm_up = _warm_up_texts(paths, embedder, settings)
    embedder.embed_documents(warm_up)

    say(f"ours: ingest_paths, {embedder.precision}, {threads} threads")
    index_dir = _fresh(options.work_dir / "index-ours")
    rss_before = psutil.Process().memory_info().rss
    clock = StreamClock(local_source(embedder, parse_ahead=True))
    with peak_rss() as peak, CpuWatch() as watch:
        report = _ingest(index_dir, paths, embedder, settings, clock)
    failed = [f.path for f in report.files if f.status.value == "failed"]
    if failed:
        raise BenchmarkError(f"the benchmark corpus failed to ingest: {failed[:3]}")
    pages = sum(f.pages for f in report.files)
    texts = published_chunk_texts(index_dir)
    ours = Throughput(
        "ours (ingest_paths)",
        embedder.precision,
        watch.seconds,
        len(texts),
        pages,
        watch.others_cpu,
        watch.own_seconds,
        clock.times(),
    )

    bare_same = bare_fp32 = None
    same_vectors = fp32_vectors = None
    if embedder.precision == "bf16":
        say("bare: SentenceTransformer.encode after model.bfloat16()")
        model = bare_sentence_transformer(spec.model).bfloat16()
        bare_same, same_vectors = _bare_encode(model, texts, warm_up, pages, "bf16")
    if not options.skip_fp32:
        say("bare: SentenceTransformer.encode, fp32")
        model = bare_sentence_transformer(spec.model)
        bare_fp32, fp32_vectors = _bare_encode(model, texts, warm_up, pages, "fp32")
    notes = []
    if embedder.precision != "bf16":
        bare_same = bare_fp32
        notes.append("this CPU has no native bf16: ours runs fp32, the same as the bare baseline")
    cosines = _cosines(fp32_vectors, same_vectors)

    ray = None
    if options.ray:
        say("ray: the same files as Ray Data stages on a local Ray")
        ray = _ray_phase(options, settings, spec, embedder, paths, len(texts), pages)
    commands = None
    if options.ray and options.commands:
        say("commands: briefqa ingest, then briefqa ingest --ray, each a fresh process")
        commands = time_commands(paths, options.work_dir)

    agreement = None
    if not options.skip_agreement and embedder.precision == "bf16":
        say("retrieval agreement: fp32 index against bf16 index")
        agreement = _agreement(options, settings, spec, embedder, paths)
    return IngestBenchResult(
        cpu=cpu_model(),
        cores=os.cpu_count() or 1,
        threads=threads,
        briefs=len(paths),
        pages=pages,
        chunks=len(texts),
        ours=ours,
        peak_rss_mb=peak[0] / 2**20,
        rss_before_mb=rss_before / 2**20,
        bare_fp32=bare_fp32,
        bare_same=bare_same,
        cosine_mean=float(cosines.mean()) if cosines is not None else None,
        cosine_min=float(cosines.min()) if cosines is not None else None,
        agreement=agreement,
        load_before=load_before,
        load_after=os.getloadavg()[0],
        notes=tuple(notes),
        ray=ray,
        commands=commands,
    )


def _ray_phase(
    options: BenchOptions,
    settings: Settings,
    spec: EmbedderSpec,
    embedder: Embedder,
    paths: Sequence[Path],
    chunks: int,
    pages: int,
) -> RayPhase:
    """Ray's start and stop timed apart from the ingest; the timed ingest includes starting the
    actors and loading the model in them (the single-process phase had its model loaded)."""
    from index.ray_ingest import current_plan, ray_session, ray_source

    index_dir = _fresh(options.work_dir / "index-ray")
    with peak_rss(0.2, tree=True) as peak:
        started = time.perf_counter()
        with ray_session():
            start_seconds = time.perf_counter() - started
            plan = current_plan()
            clock = StreamClock(ray_source(embedder, spec))
            with CpuWatch(tree=True) as watch:
                report = _ingest(index_dir, paths, embedder, settings, clock)
            stopping = time.perf_counter()
        stop_seconds = time.perf_counter() - stopping
    stored = len(published_chunk_texts(index_dir))
    if report.failed or stored != chunks:
        raise BenchmarkError(f"the Ray ingest stored {stored} chunks, the single-process {chunks}")
    return RayPhase(
        throughput=Throughput(
            f"ray ({plan.actors} embedding actor{'s' if plan.actors > 1 else ''})",
            embedder.precision,
            watch.seconds,
            stored,
            pages,
            watch.others_cpu,
            watch.own_seconds,
            clock.times(),
        ),
        cpus=plan.cpus,
        actors=plan.actors,
        start_seconds=start_seconds,
        stop_seconds=stop_seconds,
        peak_rss_mb=peak[0] / 2**20,
    )


def _ingest(
    index_dir: Path,
    paths: Sequence[Path],
    embedder: Embedder,
    settings: Settings,
    clock: StreamClock,
) -> IngestReport:
    """The timed ingest of a phase: the same files and settings, through the phase's source."""
    return ingest_paths(
        index_dir,
        paths,
        embedder,
        chunker=settings.chunker(),
        limits=settings.parse_limits(),
        source=clock,
    )


def _warm_up_texts(paths: Sequence[Path], embedder: Embedder, settings: Settings) -> list[str]:
    """Chunks of the first briefs: every timed encoder first runs these once, so each starts
    with the kernels for realistic batch shapes already prepared (a first pass is ~10% slower)."""
    texts = []
    for path in paths[:WARM_UP_BRIEFS]:
        document = parse_bytes(path.name, path.read_bytes(), settings.parse_limits())
        texts += [
            c.text for c in chunk_document(document, embedder.count_tokens, settings.chunker())
        ]
    return texts


def _cosines(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    if a is None or b is None:
        return None
    cosines: np.ndarray = np.sum(a * b, axis=1) / (
        np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1)
    )
    return cosines


def _fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    return folder


def _bare_encode(
    model: Any, texts: list[str], warm_up: list[str], pages: int, precision: str
) -> tuple[Throughput, np.ndarray]:
    model.encode(warm_up, batch_size=BARE_BATCH_SIZE, normalize_embeddings=True)
    with CpuWatch() as watch:
        vectors = model.encode(texts, batch_size=BARE_BATCH_SIZE, normalize_embeddings=True)
    phase = Throughput(
        f"bare encode {precision}",
        precision,
        watch.seconds,
        len(texts),
        pages,
        watch.others_cpu,
        watch.own_seconds,
    )
    return phase, np.asarray(vectors, np.float32)


def _agreement(
    options: BenchOptions,
    settings: Settings,
    spec: EmbedderSpec,
    bf16: Embedder,
    corpus: Sequence[Path],
) -> Agreement:
    samples = sorted(options.samples_dir.glob("*.pdf")) if options.samples_dir else []
    questions = _eval_questions(options.eval_set) if samples else []
    documents = samples or list(corpus[:12])
    fp32 = load_embedder(replace(spec, precision="fp32"))
    readers = {}
    for name, embedder in (("fp32", fp32), ("bf16", bf16)):
        folder = _fresh(options.work_dir / f"index-agreement-{name}")
        ingest_paths(folder, documents, embedder, chunker=settings.chunker())
        readers[name] = IndexReader(folder, embedder)
    source = "evaluation set"
    if not questions:
        texts = published_chunk_texts(readers["fp32"].index_dir)
        questions, source = _generated_queries(texts, 60), "generated from the corpus"
    questions = questions[: options.max_queries] if options.max_queries else questions
    overlaps, same_top1 = [], 0
    for question in questions:
        ids = {
            name: [h.chunk.id for h in reader.search(question, 10, SearchMode.dense)]
            for name, reader in readers.items()
        }
        overlaps.append(len(set(ids["fp32"]) & set(ids["bf16"])) / max(1, len(ids["fp32"])))
        same_top1 += ids["fp32"][:1] == ids["bf16"][:1]
    return Agreement(
        queries=len(questions),
        query_source=source,
        documents=len(documents),
        top10_overlap=float(np.mean(overlaps)) if overlaps else 1.0,
        top1_agreement=same_top1 / max(1, len(questions)),
    )


def _eval_questions(path: Path | None) -> list[str]:
    if not path or not path.is_file():
        return []
    return [q.question for q in load_questions(path)]


def _generated_queries(texts: Sequence[str], n: int, seed: int = 11) -> list[str]:
    """Questions stand-ins: the first dozen words of sentences picked from the chunks."""
    rng = random.Random(seed)
    sentences = [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if len(s.split()) >= 8]
    picked = rng.sample(sentences, min(n, len(sentences)))
    return [" ".join(s.split()[:12]) for s in picked]


def format_report(result: IngestBenchResult) -> str:
    """A plain-text table of the phases and the goal ratios."""
    lines = [
        f"CPU: {result.cpu} ({result.cores} cores, torch threads {result.threads})",
        f"corpus: {result.briefs} briefs, {result.pages} pages, {result.chunks} chunks",
        f"load average: {result.load_before:.2f} before, {result.load_after:.2f} after",
        "",
        f"{'phase':<28} {'precision':<9} {'seconds':>8} {'chunks/s':>9} {'pages/s':>8} "
        f"{'others':>7} {'CPU ms/chunk':>12}",
    ]
    ray_phase = result.ray.throughput if result.ray else None
    candidates = (result.ours, ray_phase, result.bare_fp32, result.bare_same)
    phases = list(dict.fromkeys(p for p in candidates if p))
    for phase in phases:
        lines.append(
            f"{phase.name:<28} {phase.precision:<9} {phase.seconds:>8.1f} "
            f"{phase.chunks_per_s:>9.1f} {phase.pages_per_s:>8.1f} {phase.others_cpu:>7.0%} "
            f"{phase.cpu_ms_per_chunk:>12.1f}"
        )
    lines += [
        "",
        f"peak RSS during ours: {result.peak_rss_mb:.0f} MB "
        f"(+{result.peak_rss_mb - result.rss_before_mb:.0f} MB over the loaded model)",
    ]
    if result.ray:
        lines.append(
            f"ray on {result.ray.cpus} CPUs: start {result.ray.start_seconds:.1f} s, stop "
            f"{result.ray.stop_seconds:.1f} s (outside its timed phase); peak RSS of this process "
            f"and Ray's {result.ray.peak_rss_mb:.0f} MB"
        )
    if result.commands:
        c = result.commands
        lines.append(
            f"whole commands: briefqa ingest {c.single_seconds:.1f} s, briefqa ingest --ray "
            f"{c.ray_seconds:.1f} s (model loading, Ray's start and stop included)"
        )
    for phase in phases:
        if phase.stream is not None:
            lines.append(
                f"{phase.name}: first file written after {phase.stream.first_seconds:.1f} s, "
                f"then {phase.stream.steady_chunks_per_s:.1f} chunks/s (settled rate)"
            )
    if result.cosine_mean is not None:
        lines.append(
            f"cosine fp32 vs bf16: mean {result.cosine_mean:.5f}, min {result.cosine_min:.5f}"
        )
    if result.agreement:
        a = result.agreement
        lines.append(
            f"retrieval fp32 vs bf16 ({a.queries} queries, {a.query_source}, {a.documents} "
            f"briefs): top-10 overlap {a.top10_overlap:.3f}, top-1 agreement {a.top1_agreement:.3f}"
        )
    lines.append("")
    if result.ray:
        lines.append(_goal("ray / single process", result.ray_vs_single, GOAL_RAY_VS_SINGLE))
        lines.append(
            _goal("ray / single, CPU a chunk", result.ray_cpu_vs_single, GOAL_RAY_VS_SINGLE)
        )
        lines.append(
            _goal("ray / single, settled", result.ray_steady_vs_single, GOAL_RAY_VS_SINGLE)
        )
    if result.commands:
        lines.append(
            _goal("ray / single, commands", result.commands.ray_vs_single, GOAL_RAY_VS_SINGLE)
        )
    lines += [
        _goal("ours / bare fp32", result.vs_fp32, GOAL_VS_FP32),
        _goal("ours / bare same precision", result.vs_same_precision, GOAL_VS_SAME_PRECISION),
        _goal(
            "top-10 overlap",
            result.agreement.top10_overlap if result.agreement else None,
            GOAL_TOP10_OVERLAP,
        ),
    ]
    lines += [f"note: {n}" for n in result.notes]
    lines.append("others: share of the machine's CPU that other processes used during the phase")
    busy = [p.name for p in phases if p.others_cpu > NOISY_NEIGHBOURS]
    if busy:
        lines.append(
            f"warning: other processes took over {NOISY_NEIGHBOURS:.0%} of the CPU during "
            f"{', '.join(busy)}: those figures are low; rerun on a quiet machine"
        )
    return "\n".join(lines)


def _goal(label: str, value: float | None, goal: float) -> str:
    if value is None:
        return f"{label:<28} not measured (goal >= {goal})"
    verdict = "met" if value >= goal else "NOT met"
    return f"{label:<28} {value:6.3f}  (goal >= {goal}: {verdict})"
