"""Small request-safety helpers shared by the features."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request


def safe_next(target: str | None) -> str | None:
    """A local path to return to, or None: never redirect to another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def client_address() -> str:
    return (request.remote_addr or "unknown")[:64]
