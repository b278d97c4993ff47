"""Recall@K of a store's dense search against exact search over the same vectors, and the sweep
of dense search alone over IVF probe counts."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from index.embedded import Generation
from index.reader import IndexReader

from .bench_scale_types import K, Percentiles, ProbeSweep, ScaleCorpus
from .scale_corpus import Floats

PROBE_SWEEP = (16, 32, 64, 96, 128, 192)


def positions(reader: IndexReader, rows: Sequence[int], ids: dict[str, int]) -> list[int]:
    """The corpus positions of the chunks stored at `rows` (in their order)."""
    records = reader.generation.chunks_by_rows(rows)
    return [ids[records[r][0].id] for r in rows if r in records]


def recall(found: Sequence[Sequence[int]], exact: npt.NDArray[np.int64]) -> float:
    """Share of the exact top K found, over all queries."""
    hits = [len(set(f) & set(e.tolist())) for f, e in zip(found, exact, strict=True)]
    return sum(hits) / (K * len(hits)) if hits else 0.0


def dense_recall(reader: IndexReader, corpus: ScaleCorpus, vectors: Sequence[Floats]) -> float:
    """Recall@K of the store's dense search for the first len(vectors) queries."""
    generation = reader.generation
    found = [
        positions(reader, [r for r, _ in generation.dense(v, K, None)], corpus.ids) for v in vectors
    ]
    exact = corpus.exact[: len(found)]
    return recall(found, exact)


def probe_sweep(generation: Generation, corpus: ScaleCorpus) -> list[ProbeSweep]:
    """Recall and latency of dense search alone: the flat index, or the IVF one at several
    probe counts."""
    vectors = generation.vectors
    chosen = vectors.probes
    rows_to_positions = {
        row: corpus.ids[chunk.id]
        for row, (chunk, _) in generation.chunks_by_rows(
            [r for q in corpus.query_vectors for r, _ in vectors.search(q, K)]
        ).items()
    }
    sweeps = []
    for probes in sorted({*PROBE_SWEEP, chosen}) if vectors.lists else [0]:
        if probes > vectors.lists:
            continue
        vectors.probes = probes
        found, seconds = [], []
        for q in corpus.query_vectors:
            started = time.perf_counter()
            ranking = vectors.search(q, K)
            seconds.append(time.perf_counter() - started)
            found.append([r for r, _ in ranking])
        missing = {r for f in found for r in f} - rows_to_positions.keys()
        rows_to_positions.update(
            {
                row: corpus.ids[c.id]
                for row, (c, _) in generation.chunks_by_rows(list(missing)).items()
            }
        )
        found_positions = [[rows_to_positions[r] for r in f] for f in found]
        sweeps.append(
            ProbeSweep(
                len(corpus.texts),
                vectors.lists,
                probes,
                round(recall(found_positions, corpus.exact), 4),
                Percentiles.of(seconds),
            )
        )
    vectors.probes = chosen
    return sweeps
