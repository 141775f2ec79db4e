"""Small request-safety helpers shared by the features."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import request

from scan.db import MAX_ID


def safe_next(target: str | None) -> str | None:
    """A local path to return to, or None: never redirect to another site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return None  # a newline would split the Location header; no local path has control characters
    return target


# Ids are INTEGER columns: anything longer, or not plain ASCII digits ("²" passes str.isdigit() but not
# int()), names no row, and must not reach the database (SQLite overflows past 64 bits).
_WHOLE = re.compile(r"[0-9]{1,10}")


def whole_number(value: object, maximum: int = MAX_ID) -> int | None:
    """A whole number typed in a form or a query string (an id, a version counter), or None: ASCII digits
    only, from 0 to `maximum`."""
    text = value.strip() if isinstance(value, str) else ""
    if not _WHOLE.fullmatch(text):
        return None
    number = int(text)
    return number if number <= maximum else None


def client_address() -> str:
    return (request.remote_addr or "unknown")[:64]
