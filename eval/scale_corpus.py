"""The scale benchmark's corpus: generated chunk texts, clustered vectors, briefs to store.

Texts are generated briefs' paragraphs (for BM25 and SQLite). Vectors are clustered: each is a
real embedding of a generated paragraph plus part of another and Gaussian noise, normalised.
Uniform random unit vectors in 384 dimensions have no neighbourhoods, which no approximate index
handles and no real corpus looks like; these keep the distances real embeddings have (a query's
best cosine about 0.6).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from ingest.embed import Embedder
from ingest.types import Chunk, Document, chunk_id

from .synthetic import Prose, recombine

NOISE = 0.6  # norm of the Gaussian noise added to a unit embedding
MIX = 0.6  # at most this much of a second embedding is mixed in
CHUNKS_PER_DOCUMENT = 40
CHUNKS_PER_PAGE = 4
Floats = npt.NDArray[np.float32]


def corpus_texts(count: int, prose: Prose, seed: int) -> list[str]:
    """`count` chunk texts: generated briefs' paragraphs (about 60-200 words each)."""
    rng = random.Random(seed)
    return [recombine(rng, prose, swap=0.4) for _ in tqdm(range(count), desc="texts", leave=False)]


def base_vectors(count: int, work_dir: Path, prose: Prose, embedder: Embedder, seed: int) -> Floats:
    """Real embeddings of `count` generated paragraphs, cached in `work_dir`."""
    key = f"{embedder.model_id}-{embedder.precision}-{prose.digest}-{seed}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:10]
    path = work_dir / f"scale-bases-{count}-{digest}.npy"
    if path.exists():
        cached: Floats = np.load(path).astype(np.float32)
        return cached
    texts = corpus_texts(count, prose, seed + 1)
    vectors = embedder.embed_documents(texts, progress=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def clustered_vectors(bases: Floats, count: int, seed: int) -> Floats:
    """normalise(a + w b + noise): a, b random base embeddings, w uniform in [0, MIX], noise of
    norm about NOISE. Every vector has neighbours, as real chunks of one corpus do."""
    rng = np.random.default_rng(seed)
    dim = bases.shape[1]
    out = np.empty((count, dim), dtype=np.float32)
    for start in tqdm(range(0, count, 100_000), desc="vectors", leave=False):
        n = min(100_000, count - start)
        first = bases[rng.integers(0, len(bases), n)]
        second = bases[rng.integers(0, len(bases), n)]
        weight = rng.uniform(0, MIX, (n, 1)).astype(np.float32)
        noise = rng.standard_normal((n, dim), dtype=np.float32) * (NOISE / math.sqrt(dim))
        block = first + weight * second + noise
        out[start : start + n] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def exact_top(
    vectors: Floats, query_vectors: Floats, k: int, block: int = 200_000
) -> npt.NDArray[np.int64]:
    """Positions of the exact top k for each query (numpy, `block` vectors at a time)."""
    best_scores = np.full((len(query_vectors), 0), -np.inf, dtype=np.float32)
    best = np.empty((len(query_vectors), 0), dtype=np.int64)
    for start in range(0, len(vectors), block):
        scores = query_vectors @ vectors[start : start + block].T
        top = np.argpartition(-scores, min(k, scores.shape[1] - 1), axis=1)[:, :k]
        best_scores = np.concatenate([best_scores, np.take_along_axis(scores, top, 1)], 1)
        best = np.concatenate([best, top + start], 1)
        keep = np.argsort(-best_scores, axis=1, kind="stable")[:, :k]
        best_scores, best = (
            np.take_along_axis(best_scores, keep, 1),
            np.take_along_axis(best, keep, 1),
        )
    return best


def documents(
    texts: Sequence[str], vectors: Floats
) -> Iterator[tuple[Document, list[Chunk], Floats]]:
    """Briefs of CHUNKS_PER_DOCUMENT chunks; chunk ids name the chunk's position in `texts`."""
    for start in range(0, len(texts), CHUNKS_PER_DOCUMENT):
        part = texts[start : start + CHUNKS_PER_DOCUMENT]
        doc_id = hashlib.sha256(f"scale-{start}".encode()).hexdigest()
        pages = [
            "\n".join(part[i : i + CHUNKS_PER_PAGE]) for i in range(0, len(part), CHUNKS_PER_PAGE)
        ]
        document = Document(
            id=doc_id,
            source=f"scale-{start // CHUNKS_PER_DOCUMENT:07d}.md",
            title=f"Scale Policy Brief {start // CHUNKS_PER_DOCUMENT + 1}",
            pages=tuple(pages),
            kind="md",
        )
        offsets = document.page_offsets
        chunks = []
        for ordinal, text in enumerate(part):
            page = ordinal // CHUNKS_PER_PAGE
            before = sum(len(t) + 1 for t in part[page * CHUNKS_PER_PAGE : ordinal])
            begin = offsets[page] + before
            chunks.append(
                Chunk(
                    chunk_id(doc_id, ordinal),
                    doc_id,
                    ordinal,
                    text,
                    page + 1,
                    page + 1,
                    None,
                    begin,
                    begin + len(text),
                )
            )
        yield document, chunks, vectors[start : start + len(part)]


def chunk_positions(size: int) -> dict[str, int]:
    """Chunk id -> position in the corpus's texts, for the briefs `documents` makes."""
    return {
        chunk_id(hashlib.sha256(f"scale-{s}".encode()).hexdigest(), i): s + i
        for s in range(0, size, CHUNKS_PER_DOCUMENT)
        for i in range(min(CHUNKS_PER_DOCUMENT, size - s))
    }
