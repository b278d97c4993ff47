"""Read a dataset in the BEIR layout: corpus.jsonl, queries.jsonl and qrels/<split>.tsv."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BeirFormatError


@dataclass(frozen=True)
class BeirDocument:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class BeirSet:
    """Queries judged in the split, and their judgments (grade 0: judged not relevant)."""

    name: str
    folder: Path
    split: str
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]

    @property
    def corpus_path(self) -> Path:
        return self.folder / "corpus.jsonl"


def is_beir_folder(path: Path) -> bool:
    return path.is_dir() and (path / "corpus.jsonl").is_file()


def read_beir(folder: Path, split: str = "test") -> BeirSet:
    """Queries and qrels of one split (the only qrels file when there is just one)."""
    if not is_beir_folder(folder):
        raise BeirFormatError(f"{folder} is not a BEIR folder: it has no corpus.jsonl")
    qrels_file = _qrels_file(folder, split)
    qrels = read_qrels(qrels_file)
    queries = {}
    for line, raw in _json_lines(folder / "queries.jsonl"):
        qid, text = (
            _field(raw, "_id", "queries.jsonl", line),
            _field(raw, "text", "queries.jsonl", line),
        )
        if qid in qrels:
            queries[qid] = text
    unknown = sorted(set(qrels) - set(queries))
    if unknown:
        raise BeirFormatError(
            f"{len(unknown)} queries in the qrels are missing from queries.jsonl "
            f"(first: {unknown[0]!r})"
        )
    return BeirSet(folder.name, folder, qrels_file.stem, queries, qrels)


def iter_corpus(path: Path) -> Iterator[BeirDocument]:
    for line, raw in _json_lines(path):
        title = raw.get("title") or ""
        if not isinstance(title, str):
            raise BeirFormatError(f"{path.name}, line {line}: 'title' must be a string")
        yield BeirDocument(
            _field(raw, "_id", path.name, line),
            title,
            _field(raw, "text", path.name, line, empty=True),
        )


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """query-id, corpus-id, score per row, tab-separated, after a header row."""
    qrels: dict[str, dict[str, int]] = {}
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = csv.reader(handle, delimiter="\t")
            next(rows, None)
            for number, row in enumerate(rows, start=2):
                if not row or not "".join(row).strip():
                    continue
                if len(row) < 3 or not row[2].strip().lstrip("-").isdigit():
                    raise BeirFormatError(
                        f"{path.name}, line {number}: expected query-id, corpus-id and an integer "
                        f"score separated by tabs, got {row!r}"
                    )
                qrels.setdefault(row[0], {})[row[1]] = int(row[2])
    except OSError as exc:
        raise BeirFormatError(f"cannot read {path}: {exc}") from None
    if not qrels:
        raise BeirFormatError(f"{path} holds no judgments")
    return qrels


def _qrels_file(folder: Path, split: str) -> Path:
    wanted = folder / "qrels" / f"{split}.tsv"
    if wanted.is_file():
        return wanted
    available = sorted((folder / "qrels").glob("*.tsv"))
    if len(available) == 1:
        return available[0]
    names = ", ".join(p.stem for p in available) or "none"
    raise BeirFormatError(f"{folder} has no qrels/{split}.tsv (splits found: {names}); use --split")


def _json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise BeirFormatError(f"cannot read {path}: {exc}") from None
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BeirFormatError(
                    f"{path.name}, line {number}: not valid JSON ({exc.msg})"
                ) from None
            if not isinstance(raw, dict):
                raise BeirFormatError(f"{path.name}, line {number}: expected a JSON object")
            yield number, raw


def _field(raw: dict[str, Any], name: str, file: str, line: int, empty: bool = False) -> str:
    value = raw.get(name)
    if isinstance(value, int) and not isinstance(value, bool) and name == "_id":
        value = str(value)
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise BeirFormatError(f"{file}, line {line}: '{name}' must be a non-empty string")
    return value
