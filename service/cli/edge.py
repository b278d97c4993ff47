"""The command line's error edge: domain errors become one line on stderr and exit status 2."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import typer

from index.errors import IndexStoreError
from ingest.embed import ModelNotFoundError
from ingest.errors import IngestError

T = TypeVar("T")

# What a user can cause and fix (a missing index, a bad file, a wrong option value); anything
# else is a bug and keeps its traceback.
DOMAIN_ERRORS: tuple[type[Exception], ...] = (
    IndexStoreError,
    IngestError,
    ModelNotFoundError,
    ValueError,
    OSError,
)


def fail(message: str) -> typer.Exit:
    """Print `error: message` in red on stderr; raise the returned Exit (status 2)."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(2)


def run_or_exit(action: Callable[[], T], also: tuple[type[Exception], ...] = ()) -> T:
    """Run `action`; a domain error (or one of `also`, e.g. a plug-in's own errors) ends the
    command with a one-line message and exit status 2 instead of a stack trace."""
    try:
        return action()
    except (*DOMAIN_ERRORS, *also) as exc:
        raise fail(str(exc)) from None
