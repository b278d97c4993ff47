"""`briefqa bench`: benchmarks that print figures against the raw libraries in the same run."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, help="Benchmarks: ingest throughput, serving latency.")
