"""Known browsers: a signed cookie, set at a successful login, that lets the throttle tell the owner's browser
from a guesser's (OWASP's "device cookies").

The cookie holds, for at most five accounts, the account id, a random nonce and when it was issued, signed
with SECRET_KEY. It proves only that this browser once logged in to that account; the password is still
checked, and the nonce's own failures are counted (scan.auth.throttle), so a stolen cookie buys few guesses.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

from scan.auth.models import User
from scan.core import clock

COOKIE = "ontwikkelscan_device"
_MAX_ACCOUNTS = 5


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="ontwikkelscan-known-device")


def lifetime() -> timedelta:
    return timedelta(days=current_app.config["LOGIN_KNOWN_DEVICE_DAYS"])


def _entries(cookie: str | None) -> list[tuple[int, str, int]]:
    """The cookie's fresh (account id, nonce, issued) entries; nothing when it is absent, forged or old."""
    if not cookie:
        return []
    try:
        data = _serializer().loads(cookie)
    except BadData:
        return []
    if not isinstance(data, list):
        return []
    oldest = (clock.utcnow() - lifetime()).timestamp()
    return [
        (entry[0], entry[1], entry[2])
        for entry in data
        if isinstance(entry, list) and len(entry) == 3
        and isinstance(entry[0], int) and isinstance(entry[1], str) and isinstance(entry[2], int)
        and entry[2] >= oldest
    ]


def known_device(cookie: str | None, user: User | None) -> str | None:
    """The nonce this browser holds for this account, or None when it is not a known browser for it."""
    if user is None:
        return None
    return next((nonce for account, nonce, _issued in _entries(cookie) if account == user.id), None)


def remember(cookie: str | None, user: User) -> str:
    """The cookie's new value after a successful login to `user`: a fresh entry for it, first."""
    others = [list(entry) for entry in _entries(cookie) if entry[0] != user.id]
    fresh = [user.id, secrets.token_urlsafe(16), int(clock.utcnow().timestamp())]
    return str(_serializer().dumps([fresh, *others][:_MAX_ACCOUNTS]))
