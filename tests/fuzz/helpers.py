"""Strategies for hostile input and the checks every fuzzed answer must pass.

Every answer: a status below 500 and no traceback or exception text in the body. A rejected request (an
error status, the form shown again with "Fout:" in its title, or a redirect that flashes an error) must
leave every row of every table as it was; `ignore` names the tables a rejection may write to (a failed
login is recorded, for one).
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from flask import Flask
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tests.security.dbstate import changed, db_state, row_counts

Value = str | bytes
Pairs = list[tuple[str, Value]]
Rows = list[list[Value]]

# Input people (and scripts) really send: formulas for spreadsheets, markup, placeholders, control and
# direction characters, NUL bytes, whitespace only, SQL, paths.
NASTY_TEXT: tuple[str, ...] = (
    "",
    " ",
    "\t\r\n",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\x7f\x08\x0c",
    "\u202eevil\u202c",
    "\ufeffbom",
    "\u200b",
    "e\u0301\u0301\u0301",
    "😀👍🏽",
    "=cmd|' /C calc'!A0",
    "=HYPERLINK(\"http://x\";\"y\")",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "{{ 7*7 }}",
    "%(name)s %s %d",
    "'; DROP TABLE user_account; --",
    "../../etc/passwd",
    "C:\\Windows\\win.ini",
    "\\\\server\\share",
    "//evil.example/",
    "https://evil.example/",
    "/\r\nSet-Cookie: x=1",
    "None",
    "null",
    "true",
)
# Numbers a form may choke on: out of range, not ASCII, not finite, not whole, huge.
NASTY_NUMBERS: tuple[str, ...] = (
    "0",
    "-0",
    "-1",
    "1",
    "2",
    "3",
    "4",
    "5",
    "99",
    "999",
    "1000",
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "9" * 40,
    "9" * 5000,
    "1e309",
    "-1e309",
    "1e-400",
    "NaN",
    "sNaN",
    "Infinity",
    "-inf",
    "²",
    "١٢",
    "٣",
    "0x10",
    "1_000",
    " 7 ",
    "3.5",
    "3,5",
    "1.2.3",
    "12,505",
    "€ 12",
    "Ⅻ",
)
NASTY_DATES: tuple[str, ...] = (
    "2027-02-30",
    "2027-13-01",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "31-12-9999",
    "01-01-0001",
    "1-1-1",
    "2027-1-1",
    "2027/01/01",
    "14-03-2027",
    "2027-03-14",
    "2027-03-14T12:00",
    "today",
    "-2027-01-01",
)


def text() -> st.SearchStrategy[Value]:
    """Any text, hostile text, huge text, or bytes that are not UTF-8."""
    return st.one_of(
        st.sampled_from(NASTY_TEXT),
        st.text(max_size=40),
        st.text(st.characters(codec="utf-8"), min_size=1, max_size=12),
        st.text(st.characters(max_codepoint=0x1F), max_size=8),  # control characters, NUL included
        st.integers(min_value=1_000, max_value=60_000).map(lambda n: "x" * n),
        st.binary(min_size=1, max_size=24),  # sent as-is: often not UTF-8
    )


def number() -> st.SearchStrategy[Value]:
    return st.one_of(
        st.sampled_from(NASTY_NUMBERS),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
        text(),
    )


def date() -> st.SearchStrategy[Value]:
    return st.one_of(
        st.sampled_from(NASTY_DATES),
        st.dates().map(lambda d: d.isoformat()),
        st.dates().map(lambda d: d.strftime("%d-%m-%Y")),
        text(),
    )


def one_of_or_any(*values: Any) -> st.SearchStrategy[Value]:
    """Mostly a value the form expects (so the deeper rules are reached), otherwise anything."""
    return st.one_of(st.sampled_from([str(v) for v in values]), text(), number())


def fields(spec: dict[str, st.SearchStrategy[Value]], *, extra: bool = True) -> st.SearchStrategy[Pairs]:
    """Form fields from `spec`: each one missing, given once (most often) or given twice; and sometimes a
    field the form does not know."""

    @st.composite
    def build(draw: st.DrawFn) -> Pairs:
        pairs: Pairs = []
        for name, values in spec.items():
            count = draw(st.sampled_from((1, 1, 1, 1, 0, 2)))
            pairs.extend((name, draw(values)) for _ in range(count))
        if extra and draw(st.integers(0, 4)) == 0:
            pairs.append((draw(st.sampled_from(("x", "csrf_token", "submit", "id", *spec))), draw(text())))
        return pairs

    return build()


# --- sending ------------------------------------------------------------------------------------------


def form_body(token: str | None, pairs: Pairs) -> str:
    """The urlencoded body a browser would send; bytes values go as they are (percent-encoded)."""
    items: list[tuple[str, Value]] = [] if token is None else [("csrf_token", token)]
    items.extend(pairs)
    return urlencode(items)


def post(client: Any, url: str, token: str | None, pairs: Pairs) -> Any:
    return client.post(url, data=form_body(token, pairs), content_type="application/x-www-form-urlencoded")


def query(client: Any, path: str, pairs: Pairs) -> Any:
    return client.get(f"{path}?{urlencode(pairs)}" if pairs else path)


def upload(client: Any, url: str, token: str, content: bytes, filename: str) -> Any:
    data = {"csrf_token": token, "file": (io.BytesIO(content), filename)}
    return client.post(url, data=data, content_type="multipart/form-data")


# --- files ----------------------------------------------------------------------------------------------


def _cell(value: Value) -> str:
    cell = value if isinstance(value, str) else value.decode("latin-1")
    return ILLEGAL_CHARACTERS_RE.sub("", cell)  # what a workbook cannot hold at all


def csv_bytes(rows: Rows, delimiter: str = ";", encoding: str = "utf-8-sig") -> bytes:
    lines = [delimiter.join(_cell(c).replace("\n", " ") for c in r) for r in rows]
    return ("\n".join(lines) + "\n").encode(encoding, "replace")


def xlsx_bytes(rows: Rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for r in rows:
        sheet.append([_cell(c) for c in r])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as a person would type it
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def spreadsheet(rows: st.SearchStrategy[Rows], stem: str) -> st.SearchStrategy[tuple[bytes, str]]:
    """An upload: random bytes under any name, a broken zip, CSV (either separator, also in encodings
    other than UTF-8) or XLSX of the given rows."""
    return st.one_of(
        st.tuples(st.binary(max_size=300),
                  st.sampled_from((f"{stem}.csv", f"{stem}.xlsx", f"{stem}.txt", f"{stem}.pdf", ""))),
        st.tuples(st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b), st.just(f"{stem}.xlsx")),
        st.builds(lambda r, d: (csv_bytes(r, d), f"{stem}.csv"), rows, st.sampled_from((";", ","))),
        st.builds(lambda r, e: (csv_bytes(r, ";", e), f"{stem}.csv"), rows,
                  st.sampled_from(("utf-16", "latin-1", "cp1252", "utf-32"))),
        st.builds(lambda r: (xlsx_bytes(r), f"{stem}.xlsx"), rows),
    )



# --- checking -----------------------------------------------------------------------------------------


def _typed(sent: Iterable[Any]) -> str:
    return " ".join(v if isinstance(v, str) else repr(v) for pair in sent for v in pair)


def check_answer(response: Any, sent: Iterable[Any] = ()) -> None:
    """No server error and nothing of one shown: a visitor never sees a traceback or an exception."""
    where = f"{response.request.method} {response.request.path}"
    assert response.status_code < 500, f"{where} -> {response.status_code}"
    if not (response.mimetype.startswith("text/") or response.is_json):
        return  # a PDF or a workbook: its status said enough
    body = response.get_data().decode("utf-8", "replace")
    typed = _typed(sent)
    for marker in ("Traceback", "Exception", 'File "/'):
        if marker in body and marker not in typed:
            raise AssertionError(f"{where} shows {marker!r}")


def rejected(client: Any, response: Any) -> bool:
    """Whether the app said no: an error status, the form again with its errors, or an error flashed."""
    if response.status_code >= 400:
        return True
    if response.status_code == 200:
        body = response.get_data(as_text=True)
        return "<title>Fout:" in body or 'id="error-summary-title"' in body
    if 300 <= response.status_code < 400:
        with client.session_transaction() as session:
            return any(category == "error" for category, _ in session.get("_flashes", []))
    return False


class Snapshot:
    """The database before a request, to compare with after it: the row count of every table (in one
    query), and every row of the tables the request is about."""

    def __init__(self, app: Flask, tables: Sequence[str] = (), ignore: Sequence[str] = ()) -> None:
        self.app = app
        self.tables = tuple(tables)
        self.ignore = tuple(ignore)
        self.before = self._take()

    def _take(self) -> dict[str, Any]:
        with self.app.app_context():
            counts = row_counts(ignore=self.ignore)
            rows = db_state(self.tables) if self.tables else {}
        return {**{f"#{name}": n for name, n in counts.items()}, **rows}

    def changes(self) -> list[str]:
        return changed(self.before, self._take())


def send_and_check(app: Flask, client: Any, send: Any, sent: Iterable[Any] = (), *,
                   tables: Sequence[str] = (), ignore: Sequence[str] = (), never_writes: bool = False) -> Any:
    """Send (a callable giving the response), check the answer and, on a rejection (or always when
    `never_writes`), that nothing was written: no table gained or lost a row, and no row of `tables`
    changed."""
    snapshot = Snapshot(app, tables, ignore)
    response = send()
    check_answer(response, sent)
    if never_writes or rejected(client, response):
        diff = snapshot.changes()
        assert not diff, f"{response.request.method} {response.request.path} -> {response.status_code}: " \
                         f"rejected, yet wrote to {diff}"
    return response


PAYLOAD_RE = re.compile(r'name="payload"[^>]*value="([^"]+)"')


def upload_and_confirm(app: Flask, client: Any, url: str, confirm_url: str, token: str,
                       file: tuple[bytes, str]) -> None:
    """Upload a file: the check and its preview write nothing. When the preview offers to go on, confirm:
    the import then writes all of it, or (rejected) nothing at all."""
    content, name = file
    response = send_and_check(app, client, lambda: upload(client, url, token, content, name),
                              never_writes=True)
    match = PAYLOAD_RE.search(response.get_data(as_text=True)) if response.status_code == 200 else None
    if match:
        fuzz_post(app, client, confirm_url, token, [("payload", html.unescape(match.group(1)))])


def fuzz_post(app: Flask, client: Any, url: str, token: str, pairs: Pairs, **kwargs: Any) -> Any:
    return send_and_check(app, client, lambda: post(client, url, token, pairs), pairs, **kwargs)
