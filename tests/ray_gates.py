"""An embedder for Ray actors that waits, on its second batch, for a sign from the test."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from helpers import FakeEmbedder


@dataclass
class GatedEmbedder(FakeEmbedder):
    """Embeds its first batch at once; before the second it waits up to `patience` seconds
    for `sign` to exist, and records in `seen` whether it came (a file: the actor is another
    process). A writer that receives results while later batches embed creates the sign."""

    sign: Path = Path()
    seen: Path = Path()
    patience: float = 30.0
    calls: int = field(default=0)

    def embed_documents(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        self.calls += 1
        if self.calls == 2:
            deadline = time.monotonic() + self.patience
            while not self.sign.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            self.seen.write_text("yes" if self.sign.exists() else "no")
        return super().embed_documents(texts, progress)
