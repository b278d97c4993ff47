"""Chunking with the real model's tokenizer: size limits, overlap, sentence and section bounds."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from ingest.chunk import ChunkerSettings, chunk_document
from ingest.parse import parse_bytes
from ingest.types import Chunk, Document

SETTINGS = [
    ChunkerSettings(),
    ChunkerSettings(max_tokens=64, overlap_tokens=16),
    ChunkerSettings(max_tokens=128, overlap_tokens=0),
    ChunkerSettings(max_tokens=254, overlap_tokens=48),
]
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def _label(settings: ChunkerSettings) -> str:
    return f"max{settings.max_tokens}-overlap{settings.overlap_tokens}"


@pytest.fixture(scope="module")
def harbour(harbour_pdf: bytes) -> Document:
    return parse_bytes("harbour-20.pdf", harbour_pdf)


@pytest.fixture(scope="module")
def odd_markdown() -> Document:
    """Headings without text, a one-sentence section, a sentence longer than any chunk and
    a URL longer than the model reads."""
    url = "https://data.example.org/" + "/".join(f"seg{i}.part-{i}" for i in range(150))
    register = ", ".join(f"berth {i} in basin {i % 7}" for i in range(160))
    source = f"""# Ports register

## 1. Infrastructure

### 1.1 Berths

The register lists {register}. It is updated every year.

## 2. A short section

Only one sentence here.

## 3. Links

The data is at {url} for anyone. Another sentence follows the link.
"""
    return parse_bytes("register.md", source.encode())


def _chunks(doc: Document, embedder, settings: ChunkerSettings) -> list[Chunk]:
    return chunk_document(doc, embedder.count_tokens, settings)


def _regions(doc: Document) -> list[tuple[int, int]]:
    """Text owned by each section (its heading excluded), and the text before the first."""
    starts = [s.start for s in doc.sections]
    bounds = [0, *starts, len(doc.text)]
    regions = []
    for i, (a, b) in enumerate(pairwise(bounds)):
        if i > 0:
            a += len(doc.sections[i - 1].heading)
        regions.append((a, b))
    return regions


@pytest.mark.parametrize("settings", SETTINGS, ids=_label)
@pytest.mark.parametrize("doc_name", ["harbour", "odd_markdown"])
def test_chunks_fit_the_model_and_the_setting(doc_name, settings, embedder, request) -> None:
    doc = request.getfixturevalue(doc_name)
    chunks = _chunks(doc, embedder, settings)
    counts = embedder.count_tokens([c.text for c in chunks])
    assert max(counts) <= settings.max_tokens
    assert max(counts) <= embedder.max_tokens
    # Chunks are filled: on average at least a third of the budget is used.
    assert sum(counts) / len(counts) >= settings.max_tokens / 3


@pytest.mark.parametrize("settings", SETTINGS, ids=_label)
@pytest.mark.parametrize("doc_name", ["harbour", "odd_markdown"])
def test_offsets_pages_and_ordinals(doc_name, settings, embedder, request) -> None:
    doc = request.getfixturevalue(doc_name)
    chunks = _chunks(doc, embedder, settings)
    page_starts = [sum(len(p) + 2 for p in doc.pages[:i]) for i in range(len(doc.pages))]
    for ordinal, chunk in enumerate(chunks):
        assert chunk.ordinal == ordinal
        assert chunk.doc_id == doc.id
        assert chunk.text == doc.text[chunk.char_start : chunk.char_end]
        assert chunk.text == chunk.text.strip() and chunk.text
        first = max(i for i, s in enumerate(page_starts) if s <= chunk.char_start) + 1
        last = max(i for i, s in enumerate(page_starts) if s < chunk.char_end) + 1
        assert (chunk.page_start, chunk.page_end) == (first, last)
        assert chunk.text[:40].split("\n\n")[0] in doc.pages[first - 1]
        assert chunk.text[-40:].split("\n\n")[-1] in doc.pages[last - 1]
    assert len({c.id for c in chunks}) == len(chunks)


@pytest.mark.parametrize("settings", SETTINGS, ids=_label)
def test_every_sentence_is_in_some_chunk(settings, harbour, embedder) -> None:
    chunks = _chunks(harbour, embedder, settings)
    covered = "\n".join(c.text for c in chunks)
    for sentence in re.split(r"(?<=[.!?])\s+|\n\n", harbour.text):
        assert sentence.strip() in covered


@pytest.mark.parametrize("settings", SETTINGS, ids=_label)
def test_chunks_start_and_end_at_sentence_bounds(settings, harbour, embedder) -> None:
    for chunk in _chunks(harbour, embedder, settings):
        before = harbour.text[: chunk.char_start].rstrip()
        after = harbour.text[chunk.char_end :]
        ends_sentence = _SENTENCE_END.search(chunk.text) or after.startswith("\n\n") or not after
        starts_sentence = (
            not before
            or harbour.text[: chunk.char_start].endswith("\n\n")
            or _SENTENCE_END.search(before)
        )
        assert ends_sentence, chunk.text[-80:]
        assert starts_sentence, chunk.text[:80]


def test_only_an_overlong_sentence_is_cut_inside(odd_markdown, embedder) -> None:
    settings = ChunkerSettings(max_tokens=64, overlap_tokens=16)
    register = odd_markdown.text.index("The register lists")
    register_end = odd_markdown.text.index("It is updated every year.")
    url_sentence = odd_markdown.text.index("The data is at")
    url_end = odd_markdown.text.index("Another sentence follows")
    for chunk in _chunks(odd_markdown, embedder, settings):
        inside_long = (register <= chunk.char_end <= register_end) or (
            url_sentence <= chunk.char_end <= url_end
        )
        after = odd_markdown.text[chunk.char_end :]
        if not inside_long:
            assert _SENTENCE_END.search(chunk.text) or after.startswith("\n\n") or not after


def test_overlap_repeats_whole_sentences(harbour, embedder) -> None:
    settings = ChunkerSettings(max_tokens=96, overlap_tokens=40)
    chunks = _chunks(harbour, embedder, settings)
    repeated = 0
    for a, b in pairwise(chunks):
        if a.section != b.section:
            assert b.char_start >= a.char_end  # no overlap across sections
            continue
        if b.char_start < a.char_end:
            repeated += 1
            shared = harbour.text[b.char_start : a.char_end]
            assert _SENTENCE_END.search(shared) or shared.endswith(("\n\n",)), shared
            assert embedder.count_tokens([shared])[0] <= settings.overlap_tokens
            assert b.char_end > a.char_end  # always moving forward
    assert repeated >= 5


def test_no_overlap_when_disabled(harbour, embedder) -> None:
    chunks = _chunks(harbour, embedder, ChunkerSettings(max_tokens=96, overlap_tokens=0))
    for a, b in pairwise(chunks):
        assert b.char_start >= a.char_end


def test_no_chunk_is_contained_in_another(odd_markdown, harbour, embedder) -> None:
    for doc in (odd_markdown, harbour):
        for settings in SETTINGS:
            chunks = _chunks(doc, embedder, settings)
            for a, b in pairwise(chunks):
                assert b.char_end > a.char_end, (a.text, b.text)


@pytest.mark.parametrize("settings", SETTINGS, ids=_label)
@pytest.mark.parametrize("doc_name", ["harbour", "odd_markdown"])
def test_a_chunk_never_spans_two_sections(doc_name, settings, embedder, request) -> None:
    doc = request.getfixturevalue(doc_name)
    regions = _regions(doc)
    for chunk in _chunks(doc, embedder, settings):
        touched = [
            i
            for i, (a, b) in enumerate(regions)
            if doc.text[max(a, chunk.char_start) : min(b, chunk.char_end)].strip()
        ]
        assert len(touched) == 1, (chunk.text[:120], [doc.sections[i - 1] for i in touched])
        region = touched[0]
        assert chunk.section == (doc.sections[region - 1].heading if region else None)


def test_a_heading_without_text_joins_its_first_subsection(odd_markdown, embedder) -> None:
    chunks = _chunks(odd_markdown, embedder, ChunkerSettings())
    berths = next(c for c in chunks if "1. Infrastructure" in c.text)
    assert berths.text.startswith(
        "Ports register\n\n1. Infrastructure\n\n1.1 Berths\n\nThe register lists"
    )
    assert berths.section == "1.1 Berths"
    short = [c for c in chunks if c.section == "2. A short section"]
    assert [c.text for c in short] == ["2. A short section\n\nOnly one sentence here."]


def test_settings_are_validated() -> None:
    with pytest.raises(ValueError):
        ChunkerSettings(max_tokens=8)
    with pytest.raises(ValueError):
        ChunkerSettings(max_tokens=64, overlap_tokens=40)


def test_a_sentence_broken_by_a_page_break_stays_in_one_chunk(embedder) -> None:
    filler = "Ports need money for quays and cranes. " * 9
    doc = Document(
        id="f" * 64,
        source="two-pages.pdf",
        title="Two pages",
        pages=(
            filler + "Rail operators have asked the Commission for",
            "more funding for inland terminals since 2024. " + filler,
        ),
    )
    settings = ChunkerSettings(max_tokens=48, overlap_tokens=0)
    chunks = _chunks(doc, embedder, settings)
    crossing = [c for c in chunks if "asked the Commission for" in c.text]
    assert len(crossing) == 1
    assert "Commission for\n\nmore funding for inland terminals since 2024." in crossing[0].text
    assert (crossing[0].page_start, crossing[0].page_end) == (1, 2)
