"""The raw-library baselines the benchmarks time ours against: a plain SentenceTransformer and a
plain faiss.IndexFlatIP, with nothing of ours in between.

This module is the second importer of sentence-transformers (and torch) and faiss (after
ingest/embed.py and index/vectors.py) on purpose: a baseline must be the bare library, not our
wrapper around it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import faiss

from index.generations import current_generation
from index.vectors import VECTORS_NAME
from ingest.embed import DEFAULT_MODEL, model_location, passive_openmp_waits


def bare_sentence_transformer(model: str = DEFAULT_MODEL, threads: int | None = None) -> Any:
    """The library model, fp32 on the CPU, as frameworks load it by default; `threads` sets
    torch's intra-op threads (None keeps torch's default).

    It runs under the same OpenMP wait policy as our Embedder, so the comparison is fair.
    Callers use its own `encode(...)` and `bfloat16()`.
    """
    passive_openmp_waits()
    import torch
    from sentence_transformers import SentenceTransformer

    if threads:
        torch.set_num_threads(threads)
    return SentenceTransformer(model_location(model)[1], device="cpu", local_files_only=True)


def bare_flat_index(index_dir: Path) -> Any:
    """The published generation's vectors copied into a plain faiss.IndexFlatIP.

    Callers use its own `search(...)`.
    """
    _, generation = current_generation(index_dir)
    stored = faiss.read_index(str(generation / VECTORS_NAME))
    inner = faiss.downcast_index(stored.index) if hasattr(stored, "index") else stored
    flat = faiss.IndexFlatIP(inner.d)
    flat.add(inner.reconstruct_n(0, inner.ntotal))
    return flat
