"""Whether a write request came from a web page on another origin, which must be refused.

A browser sends a multipart POST from any page without asking first (a CORS "simple request"),
so without this check a page on any site could upload to, or replace briefs on, a BriefQA
running on the visitor's machine. Browsers name the page's origin in `Origin` on every
cross-origin POST and DELETE; clients that are not browsers (curl, SDKs) send none and are
governed by the API key alone. A page is allowed when it is one of the configured CORS origins,
or when it is this server's own page: same scheme, host and port as the request's `Host`, and,
on a loopback server, a loopback host name (a page on a name that merely resolves to 127.0.0.1,
DNS rebinding, is not the server's own).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_loopback(host: str) -> bool:
    """True for localhost names and loopback addresses (IPv6 with or without brackets)."""
    name = host.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _authority(scheme: str, netloc: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) with the scheme's default port filled in, or None if malformed."""
    try:
        parts = urlsplit(f"{scheme}://{netloc}")
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None
    return scheme, parts.hostname.lower(), port


def cross_origin_problem(
    origin: str | None,
    host: str | None,
    scheme: str,
    server_address: str | None,
    allowed_origins: Sequence[str],
) -> str | None:
    """Why a write request must be refused, or None when it may go on.

    `origin` and `host` are the request's headers, `scheme` its URL's scheme, `server_address`
    the address of the socket it arrived on."""
    if origin is None:
        return None
    if origin.rstrip("/").lower() in {o.rstrip("/").lower() for o in allowed_origins}:
        return None
    refused = (
        f"write requests from a web page on another origin ({origin}) are refused, so that no "
        "site a browser visits can change this server's briefs: add the page's origin to "
        "BRIEFQA_SERVER__CORS_ORIGINS to allow it"
    )
    page = urlsplit(origin) if origin != "null" else None
    page_authority = _authority(page.scheme, page.netloc) if page and page.scheme else None
    own = _authority(scheme, host or "")
    if page_authority is None or own is None or page_authority != own:
        return refused
    if server_address is not None and is_loopback(server_address) and not is_loopback(own[1]):
        return (
            f"this server listens on loopback but the page calls it {own[1]!r}, a name that "
            "only resolves to it: open the page at http://127.0.0.1 or http://localhost, or add "
            "its origin to BRIEFQA_SERVER__CORS_ORIGINS"
        )
    return None
