"""Every cited passage is really on the cited pages, checked against pypdf's own extraction.

The check does not use our parser: each page of the source PDF is extracted with pypdf, lines
found on half the pages or more (running headers, footers) are dropped, and the text is reduced to
its letters and digits (after NFKC), which makes line-end hyphens, ligatures, justification
spaces and line breaks irrelevant. Every sentence of a hit must occur in the cited pages; the
first must start on `page_start` and the last must end on `page_end`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from index.reader import IndexReader
from index.types import Hit, SearchMode

QUESTIONS = [
    "How should ports finance shore power and hydrogen terminals?",
    "Why do dredging costs keep rising?",
    "Who should screen foreign investment in port terminals?",
    "What does the brief recommend about hinterland rail links?",
    "cyber attacks on terminal operating systems",
    "Which countries aligned their semiconductor export controls with the United States?",
    "What does the EU Battery Regulation require?",
    "How did China's coal plant approvals change after 2021?",
    "debt restructuring under the Common Framework",
]


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).lower()


@cache
def independent_pages(path: Path) -> tuple[str, ...]:
    """Each page's letters and digits, without lines found on half the pages or more."""
    pages = [(page.extract_text() or "").splitlines() for page in PdfReader(path).pages]
    masked = Counter(key for lines in pages for key in {_mask(line) for line in lines})
    running = max(2, (len(pages) + 1) // 2)
    return tuple(
        _key(" ".join(line for line in lines if masked[_mask(line)] < running)) for lines in pages
    )


def _mask(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip())


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|\n\n", text)
    return [p for p in parts if _key(p)]


def check_citation(hit: Hit, sources: dict[str, Path]) -> None:
    chunk = hit.chunk
    pages = independent_pages(sources[hit.document.source])
    cited = pages[chunk.page_start - 1 : chunk.page_end]
    assert len(cited) == chunk.page_end - chunk.page_start + 1
    starts = [sum(len(p) for p in cited[:i]) for i in range(len(cited))]
    joined = "".join(cited)
    sentences = [_key(s) for s in _sentences(chunk.text)]
    where = f"{hit.document.source} pp. {chunk.page_start}-{chunk.page_end}"
    for sentence in sentences:
        assert sentence in joined, f"not on {where}: {sentence[:80]}"
    first = joined.find(sentences[0])
    assert first < (starts[1] if len(starts) > 1 else len(joined)), f"starts after {where}"
    last = joined.rfind(sentences[-1]) + len(sentences[-1])
    assert last > starts[-1], f"ends before page {chunk.page_end}: {sentences[-1][:80]}"


def _check_all(index_dir: Path, embedder, files: list[Path]) -> int:
    reader = IndexReader(index_dir, embedder)
    sources = {path.name: path for path in files}
    checked = 0
    for question in QUESTIONS:
        for mode in SearchMode:
            hits = reader.search(question, 10, mode)
            if mode is not SearchMode.bm25:
                assert len(hits) == 10
            for hit in hits:
                check_citation(hit, sources)
                checked += 1
    return checked


@pytest.mark.slow  # the real model over the small corpus
def test_citations_on_generated_briefs(small_index, small_corpus, embedder) -> None:
    assert _check_all(small_index, embedder, small_corpus) >= 200


@pytest.mark.slow
def test_citations_on_the_sample_briefs(samples_index, sample_briefs, embedder) -> None:
    assert _check_all(samples_index, embedder, sample_briefs) >= 200


@pytest.mark.slow  # the real model over the small corpus
def test_the_check_catches_a_wrong_page(small_index, small_corpus, embedder) -> None:
    """The independent check is not vacuous: shifting a hit's pages makes it fail."""
    from dataclasses import replace

    reader = IndexReader(small_index, embedder)
    sources = {path.name: path for path in small_corpus}
    hit = next(
        h
        for h in reader.search("cyber attacks on terminal operating systems", 20)
        if h.chunk.page_start > 1
    )
    check_citation(hit, sources)
    for shift in (-1, 1):
        start, end = hit.chunk.page_start + shift, hit.chunk.page_end + shift
        if start >= 1 and end <= hit.document.n_pages:
            moved = replace(hit, chunk=replace(hit.chunk, page_start=start, page_end=end))
            with pytest.raises(AssertionError):
                check_citation(moved, sources)
