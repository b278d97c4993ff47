"""Where an index lives: an embedded folder (a Path) or a Milvus deployment (uri, token, prefix)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_COLLECTION = "briefqa"


@dataclass(frozen=True)
class MilvusLocation:
    """A Milvus store: `uri` is a local `.db` file (Milvus Lite, one process at a time) or a
    server address such as `http://host:19530`; `collection` prefixes the collection names, so
    several indexes can share one deployment."""

    uri: str
    token: str | None = field(default=None, repr=False)
    collection: str = DEFAULT_COLLECTION

    @property
    def is_local(self) -> bool:
        """True for a Milvus Lite file: readable and writable by one process at a time."""
        return "://" not in self.uri

    def __str__(self) -> str:
        return f"milvus {self.uri} ({self.collection})"


# The embedded store is addressed by its folder, as it always was.
Location = Path | MilvusLocation


def describe(location: Location) -> str:
    """How messages name a location (never with its token)."""
    return str(location)
