"""BriefQA settings: one pydantic-settings object, environment prefix BRIEFQA_, built on demand."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.location import DEFAULT_COLLECTION, Location, MilvusLocation
from ingest.budget import ParseBudget
from ingest.chunk import ChunkerSettings
from ingest.embed import DEFAULT_MODEL, CrossEncoderScorer, EmbedderSpec, PairScorer
from ingest.parse import ParseLimits

# One intra-op thread on the query path: measured here, two threads let a busy neighbouring
# process push p95 query embedding from about 10 ms to 120-130 ms.
QUERY_THREADS = 1


class EmbeddingSettings(BaseModel):
    model: str = Field(
        DEFAULT_MODEL,
        description="sentence-transformers model: the bundled default, a local folder, or a "
        "name already in the local cache (nothing is downloaded).",
    )
    precision: Literal["auto", "fp32", "bf16"] = Field(
        "auto", description="auto uses bf16 on CPUs with AVX512-BF16 or AMX, else fp32."
    )
    batch_size: int = Field(32, ge=1, le=1024, description="Chunks encoded per batch.")


class ChunkingSettings(BaseModel):
    max_tokens: int = Field(192, ge=16, description="Chunk size in the model's word pieces.")
    overlap_tokens: int = Field(32, ge=0, description="Whole sentences repeated between chunks.")


class SearchSettings(BaseModel):
    fusion: Literal["rrf", "minmax"] = Field(
        "rrf",
        description="How hybrid search fuses the dense and keyword rankings: reciprocal rank "
        "fusion, or the sum of min-max scaled scores.",
    )
    reranker: str | None = Field(
        None,
        description="Folder of a sentence-transformers cross-encoder that reorders the best 30 "
        "passages of every search (none by default: BriefQA ships no cross-encoder).",
    )


class LimitSettings(BaseModel):
    max_file_mb: float = Field(
        50.0, gt=0, description="Larger files are refused (in MiB: 1 MiB = 1,048,576 bytes)."
    )
    max_pages: int = Field(500, ge=1, description="PDFs with more pages are refused.")
    parse_cpu_seconds: float = Field(
        60.0,
        gt=0,
        description="CPU seconds parsing one file may take (an upload, or a file of "
        "`briefqa ingest`); over it the file is refused as too_slow.",
    )
    parse_wall_seconds: float = Field(
        120.0,
        gt=0,
        description="Seconds on the clock parsing one file may take (a backstop to the CPU "
        "budget on a busy machine).",
    )


class ServerSettings(BaseModel):
    host: str = Field("127.0.0.1", description="Interface to listen on.")
    port: int = Field(8000, ge=1, le=65535, description="TCP port.")
    workers: int = Field(
        0,
        ge=0,
        description="Server processes, each with the model; the index is mapped from its files, "
        "so they share one copy of the vectors. 0: one per CPU core.",
    )
    api_key: SecretStr | None = Field(
        None, description="When set, write endpoints need `Authorization: Bearer <key>`."
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS (none by default)."
    )
    allow_uploads: bool = Field(True, description="Accept POST /v1/documents.")
    upload_dir: Path | None = Field(
        None, description="Where uploaded files are kept (default: <index_dir>/uploads)."
    )
    write_wait_seconds: float = Field(
        10.0,
        ge=0,
        description="How long an upload or deletion waits for another write to finish before "
        "it is answered 429 index_busy.",
    )


class StoreSettings(BaseModel):
    backend: Literal["embedded", "milvus"] = Field(
        "embedded",
        description="Where the index lives: embedded (FAISS, bm25s and SQLite files in the index "
        "folder) or milvus (a Milvus Lite file or a Milvus server, through pymilvus; install "
        "briefqa[milvus]).",
    )
    uri: str | None = Field(
        None,
        description="Milvus address: a local .db file (Milvus Lite: one process at a time, so "
        "the server runs one worker) or http://host:19530 (Milvus Standalone or Distributed). "
        "Default: milvus.db in the index folder.",
    )
    token: SecretStr | None = Field(
        None, description="Milvus token (user:password or an API key) for authenticated servers."
    )
    collection: str = Field(
        DEFAULT_COLLECTION,
        pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,200}$",
        description="Prefix of the index's Milvus collection names (several indexes can share "
        "one Milvus).",
    )
    vectors: Literal["flat", "ivf"] | None = Field(
        None,
        description="The embedded store's vector index, applied by the next ingest or deletion: "
        "flat (exact) or ivf (FAISS inverted lists from 50,000 chunks on, recall@10 >= 0.95 "
        "against exact search measured by `briefqa bench scale`). Unset keeps the index's own "
        "(a new index is flat).",
    )


def reranker_of(settings: Settings) -> PairScorer | None:
    """The configured cross-encoder, loaded (None when none is configured)."""
    return CrossEncoderScorer(settings.search.reranker) if settings.search.reranker else None


class Settings(BaseSettings):
    """Every knob, from arguments, then BRIEFQA_* environment variables, then defaults."""

    model_config = SettingsConfigDict(
        env_prefix="BRIEFQA_", env_nested_delimiter="__", extra="ignore"
    )

    index_dir: Path = Field(Path("data/index"), description="The index folder.")
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings)
    search: SearchSettings = Field(default_factory=SearchSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)

    def location(self) -> Location:
        """Where the index is: the index folder, or the Milvus store the settings name."""
        if self.store.backend == "embedded":
            return self.index_dir
        token = self.store.token.get_secret_value() if self.store.token else None
        uri = self.store.uri or str(self.index_dir / "milvus.db")
        return MilvusLocation(uri=uri, token=token, collection=self.store.collection)

    def single_process_store(self) -> bool:
        """True when the store is a Milvus Lite file, which one process at a time may open."""
        location = self.location()
        return isinstance(location, MilvusLocation) and location.is_local

    def embedder_spec(self, threads: int | None = None) -> EmbedderSpec:
        return EmbedderSpec(
            model=self.embedding.model,
            precision=self.embedding.precision,
            batch_size=self.embedding.batch_size,
            threads=threads,
        )

    def chunker(self) -> ChunkerSettings:
        return ChunkerSettings(
            max_tokens=self.chunking.max_tokens, overlap_tokens=self.chunking.overlap_tokens
        )

    def parse_limits(self) -> ParseLimits:
        return ParseLimits(
            max_bytes=int(self.limits.max_file_mb * 1024 * 1024), max_pages=self.limits.max_pages
        )

    def parse_budget(self) -> ParseBudget:
        return ParseBudget(
            cpu_seconds=self.limits.parse_cpu_seconds, wall_seconds=self.limits.parse_wall_seconds
        )

    def uploads_folder(self) -> Path:
        return self.server.upload_dir or self.index_dir / "uploads"

    def redacted(self) -> dict[str, Any]:
        """Settings as plain data with secrets masked (for `briefqa config show`)."""
        data = self.model_dump(mode="json")
        if self.server.api_key is not None:
            data["server"]["api_key"] = "********"
        if self.store.token is not None:
            data["store"]["token"] = "********"
        return data


def load_settings(index_dir: Path | None = None, store_uri: str | None = None) -> Settings:
    """Build settings now (never at import); an explicit index folder wins over the environment,
    and so does an explicit Milvus URI (which selects the milvus backend)."""
    settings = Settings()
    if index_dir is not None:
        settings = settings.model_copy(update={"index_dir": index_dir})
    if store_uri is not None:
        store = settings.store.model_copy(update={"backend": "milvus", "uri": store_uri})
        settings = settings.model_copy(update={"store": store})
    return settings
