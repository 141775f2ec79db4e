"""Reading and checking an accounts CSV. Every row is checked before anything is written."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from scan.auth import services
from scan.organisation.models import Region, Team

COLUMNS = ("username", "role", "name", "team", "region", "password")
REQUIRED_COLUMNS = ("username", "role", "password")
MAX_BYTES = 5 * 1024 * 1024


@dataclass
class AccountRow:
    line: int  # the row number as a spreadsheet shows it (header is row 1)
    account: services.NewAccount


@dataclass
class RowProblem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, column %(column)s: %(message)s", row=self.line, column=self.column,
                 message=self.message)


class ImportProblems(Exception):
    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def read_accounts(path: Path) -> list[AccountRow]:
    """Parse the file; raise ImportProblems when it is not a readable accounts CSV at all."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise ImportProblems([_("Cannot read %(path)s: %(reason)s", path=str(path), reason=reason)]) from None
    if len(raw) > MAX_BYTES:
        raise ImportProblems([_("%(path)s is larger than 5 MB.", path=str(path))])
    return parse_accounts(raw, str(path))


def parse_accounts(raw: bytes, name: str) -> list[AccountRow]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportProblems(
            [_("%(path)s is not a UTF-8 text file (byte %(pos)d). Save it as CSV UTF-8.", path=name,
               pos=error.start)]
        ) from None
    if "\x00" in text:
        raise ImportProblems([_("%(path)s is not a CSV file.", path=name)])
    first_line = text.split("\n", 1)[0]
    # Dutch Excel writes ";", most other tools ",".
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportProblems([_("%(path)s is empty.", path=name)]) from None
    problems = [
        _("Row 1: the column %(column)s is missing.", column=c) for c in REQUIRED_COLUMNS if c not in header
    ]
    problems += [
        _("Row 1: unknown column %(column)s; allowed are: %(columns)s.", column=c, columns=", ".join(COLUMNS))
        for c in header
        if c not in COLUMNS
    ]
    if problems:
        raise ImportProblems(problems)
    rows: list[AccountRow] = []
    try:
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                problems.append(
                    _("Row %(row)d: %(found)d values, expected %(expected)d.", row=number, found=len(values),
                      expected=len(header))
                )
                continue
            cell = dict(zip(header, values, strict=True))
            teams = tuple(code.strip() for code in cell.get("team", "").split("|") if code.strip())
            rows.append(
                AccountRow(
                    number,
                    services.NewAccount(
                        username=cell["username"],
                        role=cell["role"],
                        password=cell["password"],
                        full_name=cell.get("name", "").strip(),
                        team_codes=teams,
                        region_code=cell.get("region", "").strip() or None,
                    ),
                )
            )
    except csv.Error as error:
        problems.append(_("Row %(row)d: %(reason)s", row=reader.line_num, reason=str(error)))
    if problems:
        raise ImportProblems(problems)
    if not rows:
        raise ImportProblems([_("%(path)s has no accounts below the header.", path=name)])
    return rows


_FIELD_TO_COLUMN = {"username": "username", "role": "role", "team": "team", "region": "region",
                    "password": "password", "name": "name"}


def check_accounts(
    rows: list[AccountRow], teams: dict[str, Team], regions: dict[str, Region], taken: set[str]
) -> list[RowProblem]:
    """Every problem in every row; duplicates within the file count too."""
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    for row in rows:
        for field, message in services.check_new_account(row.account, teams, regions, taken):
            problems.append(RowProblem(row.line, _FIELD_TO_COLUMN.get(field, field), message))
        username = services.normalise_username(row.account.username)
        if username in seen:
            problems.append(
                RowProblem(row.line, "username",
                           _("The username %(name)s also appears in row %(row)d.", name=username,
                             row=seen[username]))
            )
        elif username:
            seen[username] = row.line
    return problems
