"""How sizes are written in messages: binary megabytes (MiB, as the limits are set) and bytes."""

from __future__ import annotations

MIB = 1024 * 1024


def describe_size(size: int) -> str:
    """E.g. "60.00 MiB (62,914,560 bytes)": the bytes keep a file just over a limit distinct."""
    return f"{size / MIB:,.2f} MiB ({size:,} bytes)"
