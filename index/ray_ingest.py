"""Parse, chunk and embed on a Ray cluster as Ray Data stages (the only module that imports ray).

    files (index, pickled FileJob) -> parse + chunk + statements in Ray tasks
        -> embed in a pool of Ray actors that load the model once -> back to the caller,
        whose writer loop (`index.ingestion.ingest_bytes`) writes them like local results.

A file travels by its path (`ingest_paths` gives paths when a source is set) and is read by the
task that parses it: the driver never holds the batch's bytes. On a remote cluster the paths must
therefore name the same files on every node (shared storage), and every node needs the same
environment (`pip install 'briefqa[ray]'`, and a model folder at the same path if one is
configured). Use it as

    with ray_session("auto"):
        ingest_paths(index_dir, paths, embedder, source=ray_source(embedder, spec))
"""

from __future__ import annotations

import logging
import pickle
import socket
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

import numpy as np

from ingest.chunk import TokenCounter
from ingest.embed import Embedder, EmbedderSpec, load_embedder, portable_counter
from ingest.errors import IngestError, UnreadableFileError
from ingest.prepare import prepare

from .errors import RayUnavailableError
from .ingestion import Embedded, EmbedSource, FileJob, embed_prepared

INSTALL_HINT = "pip install 'briefqa[ray]'"
# Object store of a local Ray started for one command: blocks here are a few parsed files each
# (about 0.1 MB a brief), so a small store is plenty and leaves the memory to the model.
LOCAL_OBJECT_STORE_BYTES = 512 * 2**20
# Files embedded by one actor call. Eight 8-page briefs are about 300 texts: enough for batches
# of near-equal length, small enough that results stream back to the writer steadily.
FILES_PER_BATCH = 8
# Torch threads of a CPU embedding actor. Each actor reserves one CPU fewer than it runs
# threads when the cluster is that small (2 CPUs: one actor, and one CPU for parse tasks), the
# same oversubscription as the single-process path (two torch threads and a parse process).
ACTOR_THREADS = 2
# A parse task uses one CPU: the tokenizer and any OpenMP code stay single-threaded, as in the
# single-process path's parse worker.
PARSE_ENVIRONMENT = {"TOKENIZERS_PARALLELISM": "false", "OMP_NUM_THREADS": "1"}
# Seconds to wait for a cluster's head to accept a connection before saying it cannot be reached.
REACH_TIMEOUT_SECONDS = 5.0
# More parse blocks than this and each block holds several files (fewer tasks to schedule).
MAX_PARSE_BLOCKS = 2000
# Ray Data gathers a task's output into blocks of up to 128 MiB by default, and an actor task
# takes every parsed file waiting for it: the writer then saw nothing until the actor had
# embedded all of them, and wrote the whole batch after the last vector. A tiny target makes
# each embedded batch its own block, so this process writes while the actor embeds the next.
OUTPUT_BLOCK_BYTES = 1


def _ray() -> ModuleType:
    try:
        import ray
        import ray.data  # a subpackage: `import ray` alone does not load it
    except ImportError as exc:
        raise RayUnavailableError(
            f"ingest on Ray needs the ray extra, which is not installed: {INSTALL_HINT}"
        ) from exc
    return ray


@contextmanager
def ray_session(address: str | None = None) -> Iterator[None]:
    """Ray for the block: a local Ray started for it (`address` None), or a connection to a
    cluster ("auto", "ray://head:10001", "head:6379"). A Ray session this process already has is
    used as it is and left open."""
    ray = _ray()
    if ray.is_initialized():
        yield
        return
    if address is not None:
        check_reachable(address)
    try:
        if address is None:
            # "local" starts a new instance even when RAY_ADDRESS names a cluster.
            ray.init(
                address="local",
                include_dashboard=False,
                object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                logging_level=logging.WARNING,
            )
        else:
            ray.init(address=address, logging_level=logging.WARNING)
    except ConnectionError as exc:
        raise RayUnavailableError(f"cannot reach the Ray cluster at {address}: {exc}") from exc
    try:
        yield
    finally:
        ray.shutdown()


def check_reachable(address: str, timeout: float = REACH_TIMEOUT_SECONDS) -> None:
    """Fail at once on a cluster address nothing answers at: `ray.init` would retry it for
    minutes. "auto" (the cluster this machine belongs to) is left to Ray."""
    if address == "auto":
        return
    host_port = address.removeprefix("ray://")
    host, _, port = host_port.rpartition(":")
    if not host or not port.isdigit():
        raise RayUnavailableError(
            f"not a Ray cluster address: {address!r}; give 'auto', ray://HEAD:10001 or HEAD:6379"
        )
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else exc.strerror or str(exc)
        raise RayUnavailableError(
            f"cannot reach the Ray cluster at {address}: {reason}; check the head node runs "
            "(`ray status` there) and that this machine can reach its port"
        ) from exc


@dataclass(frozen=True)
class ActorPlan:
    """How the embedding stage uses the cluster."""

    cpus: int  # the cluster's, as planned for
    actors: int
    num_cpus: float
    num_gpus: float
    threads: int | None  # torch threads per actor (None on GPUs)
    device: str


def plan_actors(resources: dict[str, float], actors: int | None = None) -> ActorPlan:
    """One actor per GPU when the cluster has GPUs; otherwise one per ACTOR_THREADS CPUs, each
    reserving what it uses but always leaving a CPU to the parse tasks."""
    gpus = int(resources.get("GPU", 0))
    cpus = max(1, int(resources.get("CPU", 1)))
    if gpus:
        return ActorPlan(cpus, actors or gpus, num_cpus=1, num_gpus=1, threads=None, device="cuda")
    count = actors or max(1, (cpus - 1) // ACTOR_THREADS)
    # On one CPU the actor reserves none, or no parse task could ever be scheduled.
    reserve = max(1, min(ACTOR_THREADS, (cpus - 1) // count)) if cpus > 1 else 0
    return ActorPlan(cpus, count, num_cpus=reserve, num_gpus=0, threads=ACTOR_THREADS, device="cpu")


def current_plan(actors: int | None = None) -> ActorPlan:
    """The plan for the Ray session this process has."""
    return plan_actors(_ray().cluster_resources(), actors)


def ray_source(
    embedder: Embedder, spec: EmbedderSpec | None = None, *, actors: int | None = None
) -> EmbedSource:
    """A source for `ingest_bytes`/`ingest_paths` that runs on the current Ray session.

    Actors load the model from `spec`, with the precision pinned to `embedder.precision` (what
    the manifest records, however `auto` would resolve on a worker); without a spec, `embedder`
    itself is pickled into them (a small or fake model). Parse tasks count word pieces with the
    model's tokenizer file, or else with `embedder.count_tokens`.
    """
    counter: TokenCounter = portable_counter(embedder) or embedder.count_tokens

    def run(
        jobs: Sequence[FileJob],
    ) -> Generator[tuple[FileJob, Embedded | IngestError], None, None]:
        if not jobs:
            return
        plan = current_plan(actors)
        model: EmbedderSpec | Embedder = embedder
        if spec is not None:
            model = replace(
                spec, precision=embedder.precision, threads=plan.threads, device=plan.device
            )
        yield from _stream(_ray(), jobs, model, counter, plan)

    return run


def _stream(
    ray: ModuleType,
    jobs: Sequence[FileJob],
    model: EmbedderSpec | Embedder,
    counter: TokenCounter,
    plan: ActorPlan,
) -> Generator[tuple[FileJob, Embedded | IngestError], None, None]:
    from ray.data import ActorPoolStrategy

    by_index = {job.index: job for job in jobs}
    rows = [{"index": job.index, "job": pickle.dumps(job)} for job in jobs]
    dataset = ray.data.from_items(rows, override_num_blocks=min(len(rows), MAX_PARSE_BLOCKS))
    context = dataset.context
    # Results arrive in input order, so the index is the one the local path builds.
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False  # the writer loop has its own bar
    context.print_on_execution_start = False
    context.target_max_block_size = OUTPUT_BLOCK_BYTES
    # The parse tasks' own environment also keeps Ray Data from fusing them into the actors
    # (it fuses a task stage into the next stage when their remote arguments match), which
    # would parse inside the embedding actors, one file after another.
    parsed = dataset.map(
        _prepare_row,
        fn_kwargs={"count_tokens": counter},
        num_cpus=1,
        runtime_env={"env_vars": PARSE_ENVIRONMENT},
    )
    embedded = parsed.map_batches(
        _EmbedActor,
        fn_constructor_args=(model,),
        batch_size=FILES_PER_BATCH,
        batch_format="numpy",
        compute=ActorPoolStrategy(size=plan.actors),
        num_cpus=plan.num_cpus,
        num_gpus=plan.num_gpus,
    )
    with _quiet_ray_data():
        for row in embedded.iter_rows():
            yield by_index[int(row["index"])], pickle.loads(row["result"])


@contextmanager
def _quiet_ray_data() -> Iterator[None]:
    """Ray Data's per-run notices stay in its log files; its warnings still show, except the
    one saying that its progress bars are off (the writer loop shows one)."""
    levels = {"ray.data": logging.WARNING, "ray.data._internal.progress": logging.ERROR}
    loggers = {logging.getLogger(name): level for name, level in levels.items()}
    before = {logger: logger.level for logger in loggers}
    for logger, level in loggers.items():
        logger.setLevel(level)
    try:
        yield
    finally:
        for logger, level in before.items():
            logger.setLevel(level)


def _prepare_row(row: dict[str, Any], count_tokens: TokenCounter) -> dict[str, Any]:
    """Ray task: one file to its document, chunks and statements (or why it failed)."""
    job: FileJob = pickle.loads(row["job"])
    result: Any
    try:
        result = prepare(job.name, job.data, job.limits, job.chunker, count_tokens)
    except IngestError as exc:
        result = exc
    except OSError as exc:  # gone, or not on this node's storage
        result = UnreadableFileError(f"cannot read it on the Ray worker: {exc.strerror or exc}")
    return {"index": row["index"], "result": pickle.dumps(result)}


class _EmbedActor:
    """Ray actor: loads the model once, then embeds batches of prepared files."""

    def __init__(self, model: EmbedderSpec | Embedder) -> None:
        self._embedder = load_embedder(model) if isinstance(model, EmbedderSpec) else model

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        results = [pickle.loads(r) for r in batch["result"]]
        ok = [r for r in results if not isinstance(r, IngestError)]
        vectors = iter(embed_prepared(ok, self._embedder))
        out = [
            pickle.dumps(r if isinstance(r, IngestError) else Embedded(r, next(vectors)))
            for r in results
        ]
        return {"index": batch["index"], "result": np.array(out, dtype=object)}
