"""The HTTP app in process: three Markdown briefs indexed with the fake embedder, real settings,
a real ServiceState, and no model loaded, so route logic is tested in milliseconds per request."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers import FakeEmbedder

from index.ingestion import ingest_bytes
from service.api.state import ServiceState
from service.settings import LimitSettings, ServerSettings, Settings

SHORE = "shore-power.md"
SOLAR = "solar-duties.md"
BATTERY = "battery-minerals.md"
HARBOUR_SERIES = "Harbour Policy Brief"
# One Markdown page each: series, number and date come from the line under the title.
BRIEFS = {
    SHORE: """# Shore Power for Ships at Berth

Harbour Policy Brief 3 | 2024-05-14

By Ada Example

## Summary

Ships at berth burn marine fuel to keep their lights and cranes running. Electricity from shore \
power is cleaner, but the connection fees in northern ports are high.

## Recommendations

Port authorities should publish a common tariff for shore power every year. Member states \
should exempt shore power from electricity taxes until the end of the decade.
""",
    SOLAR: """# Solar Modules and Trade Defence

Meridian Policy Brief 12 | 2023-02-01

By Bo Sample

## Summary

Solar module prices fell by half as factories in Asia expanded their capacity. Anti-dumping \
duties on imported modules followed within a year and raised installation costs.

## Recommendations

The Commission should phase out the duties and support domestic wafer production with grants \
instead.
""",
    BATTERY: """# Lithium Refining and Battery Supply Chains

Harbour Policy Brief 4 | 2025-01-20

By Cy Writer

## Summary

Lithium refining is concentrated in very few places, so battery makers depend on a handful of \
suppliers. New cathode plants in Europe still import most of their refined lithium.

## Recommendations

Governments should sign offtake agreements with refiners in partner countries and fund \
recycling of spent batteries.
""",
}
# Shares its words with one sentence of the shore power brief (answered with the fake embedder).
ON_TOPIC = "Which tariff should port authorities publish for shore power?"
ANSWER_SENTENCE = "Port authorities should publish a common tariff for shore power every year."
# Its best sentence scores 0.29 with the fake embedder, well under the 0.43 threshold.
OFF_TOPIC = "Who won the football world cup in 2022?"
# A fourth brief, for uploads.
NEW_BRIEF = (
    b"# Dredging Access Channels\n\nHarbour Policy Brief 5 | 2024-09-02\n\n## Summary\n\n"
    b"Dredging keeps access channels deep enough for container ships. Sediment disposal rules "
    b"decide what the dredging of a channel costs each year.\n"
)
# `open_app(index_dir, **server_settings)`: the conftest fixture that opens a TestClient.
OpenApp = Callable[..., TestClient]
# Per-file upload limit of the test apps (0.05 MB), so a too-large file is small to send.
MAX_FILE_MB = 0.05


def build_index(folder: Path) -> Path:
    """An index of BRIEFS written by the real ingest path with the fake embedder."""
    inputs = [(name, name, text.encode()) for name, text in BRIEFS.items()]
    report = ingest_bytes(folder, inputs, FakeEmbedder())
    assert [f.status.value for f in report.files] == ["added"] * len(BRIEFS), report
    return folder


def app_settings(
    index_dir: Path, limits: dict[str, object] | None = None, **server: object
) -> Settings:
    """Settings for a test app, unaffected by any BRIEFQA_* variable of the environment:
    `limits` beside the small file size limit, and `server` settings."""
    with pytest.MonkeyPatch.context() as patch:
        for name in os.environ:
            if name.startswith("BRIEFQA_"):
                patch.delenv(name)
        return Settings(
            index_dir=index_dir,
            limits=LimitSettings.model_validate({"max_file_mb": MAX_FILE_MB, **(limits or {})}),
            server=ServerSettings.model_validate(server),
        )


def fake_state(settings: Settings) -> ServiceState:
    """The server's state with the fake embedder for queries and uploads alike."""
    embedder = FakeEmbedder()
    return ServiceState(settings, embedder, ingest_embedder=embedder)
