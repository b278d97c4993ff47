"""A tiny dataset in the BEIR layout, written by tests: three topics, a duplicate, an empty text."""

from __future__ import annotations

import json
from pathlib import Path

CORPUS = [
    {
        "_id": "d1",
        "title": "Harbour pilots",
        "text": "Harbour pilots guide large ships into port. "
        "A shortage of skilled pilots delays container traffic along the coast.",
    },
    {
        "_id": "d2",
        "title": "Solar modules",
        "text": "Solar module prices fell as factories "
        "expanded capacity, and anti-dumping duties on imported modules followed.",
    },
    {
        "_id": "d3",
        "title": "Battery supply chains",
        "text": "Lithium refining is concentrated in "
        "few places, so battery makers look for new cathode and refining partners.",
    },
    # Same title and text as d2: stored once, and a hit on it counts for both ids.
    {
        "_id": "d4",
        "title": "Solar modules",
        "text": "Solar module prices fell as factories "
        "expanded capacity, and anti-dumping duties on imported modules followed.",
    },
    {"_id": "d5", "title": "", "text": ""},  # nothing to index: reported as failed
    {
        "_id": "d6",
        "title": "Data flows",
        "text": "Cross-border data transfers need adequacy "
        "decisions or standard contractual clauses under European rules.",
    },
]
QUERIES = [
    {"_id": "q1", "text": "shortage of harbour pilots"},
    {"_id": "q2", "text": "anti-dumping duties on solar modules"},
    {"_id": "q3", "text": "lithium refining for batteries"},
    {"_id": "q4", "text": "a query without judgments is not evaluated"},
    {"_id": "q5", "text": "what the empty document says"},
]
QRELS = [
    ("q1", "d1", 1),
    ("q2", "d2", 1),
    ("q2", "d4", 1),
    ("q3", "d3", 2),
    ("q3", "d6", 0),
    ("q5", "d5", 1),
]


def write_beir(folder: Path, split: str = "test") -> Path:
    """Write the set under `folder` and return it."""
    (folder / "qrels").mkdir(parents=True)
    (folder / "corpus.jsonl").write_text("".join(json.dumps(d) + "\n" for d in CORPUS))
    (folder / "queries.jsonl").write_text("".join(json.dumps(q) + "\n" for q in QUERIES))
    rows = "".join(f"{q}\t{d}\t{s}\n" for q, d, s in QRELS)
    (folder / "qrels" / f"{split}.tsv").write_text("query-id\tcorpus-id\tscore\n" + rows)
    return folder
