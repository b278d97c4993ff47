"""Retrieval evaluation (our JSONL sets and BEIR sets), metrics, reports and benchmarks."""
