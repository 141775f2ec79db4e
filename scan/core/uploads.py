"""Upload -> preview -> confirm, the generic part: the signed preview and the row problem.

Every import (catalogue, accounts, Kenniskaart) checks a file, shows a preview and writes nothing; the preview
carries the checked content in a hidden field, signed, and the confirmation loads it back and checks it again.
The file itself is read by `scan.core.files.read_table` (tables) or `scan.core.xlsx` (workbooks).

Needs an app context (the secret key, gettext).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer

T = TypeVar("T")


class SignedPreview:
    """The checked content of one importer, signed for the preview's hidden field.

    The salt is the importer's own, so a payload signed for one import is refused by every other. No expiry,
    like the CSRF token: a preview left open for a while must still confirm, and the confirmation checks the
    content again anyway."""

    def __init__(self, salt: str) -> None:
        self.salt = salt

    def _serializer(self) -> URLSafeSerializer:
        return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=self.salt)

    def sign(self, data: Any) -> str:
        """`data` (JSON: dicts, lists, text, numbers) signed, and compressed when that is shorter."""
        return str(self._serializer().dumps(data))

    def load(self, payload: str, parse: Callable[[Any], T]) -> T | None:
        """`parse` of the signed data; None when the payload was changed, was signed for another importer,
        or does not have the shape `parse` expects (it raises TypeError, ValueError, KeyError or
        AttributeError)."""
        try:
            data = self._serializer().loads(payload)
        except BadSignature:
            return None
        try:
            return parse(data)
        except (TypeError, ValueError, KeyError, AttributeError):
            return None


@dataclass(frozen=True)
class RowProblem:
    """A problem in one row of an uploaded table, where a spreadsheet shows it (the header is row 1); `column`
    is empty when the problem concerns the whole row."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if not self.column:
            return _("Row %(row)d: %(message)s", row=self.line, message=self.message)
        return _("Row %(row)d, column %(column)s: %(message)s", row=self.line, column=self.column,
                 message=self.message)
