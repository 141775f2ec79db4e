"""Password hashing (Argon2id) and the password policy.

Policy after NIST SP 800-63B: at least 12 characters, no composition rules, paste allowed,
and the most common passwords refused.
"""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

MIN_LENGTH = 12
MAX_LENGTH = 256

# Dutch favourites that an English leak list misses.
_DUTCH_COMMON = {
    "wachtwoord", "welkom", "wijkteam", "geheim", "zomer", "winter", "voorjaar", "najaar",
    "gemeente", "ajax", "feyenoord", "psv", "nederland", "holland", "amsterdam", "rotterdam",
    "utrecht", "lindewaard", "ontwikkelscan", "hallo", "hoi", "liefde", "schatje", "voetbal",
}


# Per process, and safe so: the list comes from the installed zxcvbn package and never changes while
# the app runs, so every worker and server holds the same set (no database data is cached).
@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | frozenset(_DUTCH_COMMON)


def _hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=current_app.config["ARGON2_TIME_COST"],
        memory_cost=current_app.config["ARGON2_MEMORY_COST"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# One hash of a fixed string per Argon2 setting, kept per process: it only sets how long a failed login
# takes, holds nothing about users, and any worker computing its own gives the same behaviour.
_dummy_hashes: dict[tuple[int, int], str] = {}


def burn_verification_time(password: str) -> None:
    """Spend the time of one verification, so an unknown username answers as slowly as a known one."""
    key = (current_app.config["ARGON2_TIME_COST"], current_app.config["ARGON2_MEMORY_COST"])
    if key not in _dummy_hashes:
        _dummy_hashes[key] = hash_password("timing-equaliser")
    verify_password(_dummy_hashes[key], password)


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is refused, as a translated sentence, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return _("Use at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Use at most %(n)d characters.", n=MAX_LENGTH)
    lowered = password.lower()
    common = _common_passwords()
    # "wachtwoord2024!" is as guessable as "wachtwoord": strip digits and symbols around a common word.
    core = re.sub(r"^[\d\W_]+|[\d\W_]+$", "", lowered)
    if lowered in common or core in common or len(set(lowered)) <= 2:
        return _("This password is too common. Choose one that is harder to guess, for example a few words.")
    if username and username.lower() in lowered:
        return _("The password must not contain your username.")
    return None
