"""Check the gold of the real-papers dev set against an independent text extraction.

For every answerable question, the `answer_quote` must occur on at least one of the pages
listed for its relevant document, as extracted by pdfminer.six (or PDFium with
`--extractor pypdfium2`), never by pypdf, which BriefQA itself ingests with. Text and quote
are compared after Unicode NFKC normalisation, with typographic quotes and dashes made plain
and all whitespace and hyphens removed, so line breaks, double spaces and line-end
hyphenation do not matter.

The extractors are not dependencies of BriefQA; install one beside it, for example
`pip install pdfminer.six`, then run `python eval/sets/real_papers/check_gold.py`.
Exit status: 0 when every quote is found, 1 when some are not, 2 on a usage problem.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_SET = HERE.parent / "real_papers.jsonl"
DEFAULT_PDFS = HERE / "pdfs"

_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00ad": "",
    }
)
_SQUEEZE = re.compile(r"[\s\-\u2010\u2011]+")

PageTexts = list[str]


def normalise(text: str) -> str:
    """The comparable form of a text: NFKC, plain quotes and dashes, no whitespace or hyphens."""
    text = unicodedata.normalize("NFKC", text).replace("(cid:127)", "").translate(_PLAIN)
    return _SQUEEZE.sub("", text)


def _load(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        sys.exit(f"error: {module} is not installed; install it beside BriefQA to run this check")


def pdfminer_pages(path: Path) -> PageTexts:
    high_level: Any = _load("pdfminer.high_level")
    pdfpage: Any = _load("pdfminer.pdfpage")
    with path.open("rb") as handle:
        count = sum(1 for _ in pdfpage.PDFPage.get_pages(handle))
    return [str(high_level.extract_text(str(path), page_numbers=[i])) for i in range(count)]


def pdfium_pages(path: Path) -> PageTexts:
    pdfium: Any = _load("pypdfium2")
    document = pdfium.PdfDocument(str(path))
    try:
        pages: PageTexts = []
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            pages.append(str(textpage.get_text_range()).replace("\ufffe", "-"))
        return pages
    finally:
        document.close()


EXTRACTORS: dict[str, Callable[[Path], PageTexts]] = {
    "pdfminer": pdfminer_pages,
    "pypdfium2": pdfium_pages,
}


@dataclass
class Report:
    checked: int = 0
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check(set_path: Path, pdf_dir: Path, extract: Callable[[Path], PageTexts]) -> Report:
    report = Report()
    cache: dict[str, list[str]] = {}

    def pages_of(source: str) -> list[str]:
        if source not in cache:
            cache[source] = [normalise(text) for text in extract(pdf_dir / source)]
        return cache[source]

    for number, line in enumerate(set_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        question: dict[str, Any] = json.loads(line)
        qid = str(question.get("id", f"line {number}"))
        for relevant in question.get("relevant", []):
            source = relevant.get("source")
            if source is not None and not (pdf_dir / source).is_file():
                report.failures.append(f"{qid}: {source} is not in {pdf_dir.name}/")
        quote = question.get("answer_quote")
        if question.get("answerable", True) is False or not quote:
            continue
        report.checked += 1
        wanted = normalise(str(quote))
        found_on: list[str] = []
        elsewhere: list[str] = []
        for relevant in question.get("relevant", []):
            source = relevant.get("source")
            if source is None or not (pdf_dir / source).is_file():
                continue
            texts = pages_of(source)
            listed = set(relevant.get("pages", range(1, len(texts) + 1)))
            for page in sorted(listed):
                if not 1 <= page <= len(texts):
                    report.failures.append(f"{qid}: {source} has no page {page}")
            for page, text in enumerate(texts, 1):
                if wanted in text:
                    (found_on if page in listed else elsewhere).append(f"{source} p{page}")
        if not found_on:
            where = f" (it is on {', '.join(elsewhere)})" if elsewhere else ""
            report.failures.append(f"{qid}: quote not on a listed page{where}: {quote!r}")
        elif elsewhere:
            report.notes.append(f"{qid}: the quote also occurs on unlisted {', '.join(elsewhere)}")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("set", nargs="?", type=Path, default=DEFAULT_SET)
    parser.add_argument("--pdfs", type=Path, default=DEFAULT_PDFS)
    parser.add_argument("--extractor", choices=sorted(EXTRACTORS), default="pdfminer")
    parser.add_argument("--verbose", action="store_true", help="also list unlisted occurrences")
    args = parser.parse_args(argv)
    if not args.set.is_file() or not args.pdfs.is_dir():
        print(f"error: need a set file and a PDF folder ({args.set}, {args.pdfs})")
        return 2
    report = check(args.set, args.pdfs, EXTRACTORS[args.extractor])
    for failure in report.failures:
        print(f"FAIL {failure}")
    if args.verbose:
        for note in report.notes:
            print(f"note {note}")
    found = report.checked - sum(1 for f in report.failures if "quote not on" in f)
    print(
        f"{found}/{report.checked} quotes found on a listed page ({args.extractor}); "
        f"{len(report.failures)} problem(s)"
    )
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
