"""`briefqa eval`: evaluate retrieval modes side by side on an evaluation set."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, help="Evaluate retrieval on a question set or a BEIR set.")
