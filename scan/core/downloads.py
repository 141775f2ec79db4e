"""The one download response for every export (CSV, XLSX, PDF, YAML, JSON): a file to save, never kept.

The routes build the bytes and the file name; the headers are written here only.
"""

from __future__ import annotations

from flask import Response

CSV_MIME = "text/csv"
PDF_MIME = "application/pdf"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment_name_part(value: str, fallback: str) -> str:
    """A value as it may appear in a header's quoted file name (letters, digits, - and _)."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in value) or fallback


def download(body: bytes, filename: str, mimetype: str) -> Response:
    """`body` as an attachment named `filename` (anything but ASCII letters, digits, - _ and . becomes -, so
    the name can never break out of its quotes).

    `Cache-Control: no-store`: every export holds personal or regional figures, which a browser or a proxy
    must not keep."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{attachment_name_part(filename, "download")}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
