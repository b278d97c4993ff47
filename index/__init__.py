"""The stored corpus: an index folder of SQLite, FAISS and BM25 files, and retrieval over it."""
