"""The training catalogue's rules: parsing what people type or upload, checking rows, applying changes.

Plain functions, tested without HTTP. They flush, never commit: the route commits once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from flask_babel import force_locale, format_currency, format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from scan.catalogue.activities import ACTION_TYPE_LABELS, TRAINING_TYPES
from scan.catalogue.models import Training, TrainingItem
from scan.core.uploads import RowProblem, SignedPreview
from scan.extensions import db

LEVELS = ("algemeen", "specialistisch")
LEVEL_LABELS: dict[str, Any] = {
    "algemeen": _l("general (algemeen)"),
    "specialistisch": _l("specialist (specialistisch)"),
}
TYPE_LABELS: dict[str, Any] = {t: ACTION_TYPE_LABELS[t] for t in TRAINING_TYPES}
MAX_HOURS = Decimal("99999.9")  # Numeric(6, 1)
MAX_CENTS = 100_000_000  # a million euros: anything above is a typing error
MAX_COUNT = 10_000
CODE_MAX, TITLE_MAX, PROVIDER_MAX = 40, 300, 200
PREVIEW = SignedPreview("catalogue-import")

# The file columns, in export order: key -> header (translated). Import accepts the key and the
# header in Dutch and English, so an export in either language can be re-imported unchanged.
COLUMNS: dict[str, Any] = {
    "code": _l("code"),
    "title": _l("title"),
    "provider": _l("provider"),
    "type": _l("type"),
    "level": _l("level"),
    "hours": _l("hours"),
    "cost": _l("cost in euros"),
    "points": _l("points"),
    "min_group": _l("minimum group"),
    "max_group": _l("maximum group"),
    "items": _l("items"),
    "active": _l("active"),
}
REQUIRED_COLUMNS = ("code", "title", "type")
_ITEM_SPLIT = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class TrainingData:
    """One catalogue entry as plain values."""

    code: str
    title: str
    provider: str
    type: str
    level: str | None
    hours: Decimal
    cost_cents: int
    points: int
    min_group: int | None
    max_group: int | None
    item_codes: tuple[str, ...]
    active: bool = True


COMPARED = tuple(f.name for f in fields(TrainingData) if f.name != "code")


# --- parsing single values; each raises ValueError with a translated message ---

def _decimal(text: str) -> Decimal:
    cleaned = text.strip().replace(" ", "")
    if cleaned.count(",") + cleaned.count(".") > 1:
        raise InvalidOperation
    value = Decimal(cleaned.replace(",", "."))
    if not value.is_finite():
        raise InvalidOperation
    return value


def parse_euros(text: str) -> int:
    """Euros with a decimal comma or point ("12,50", "12.5", "€ 12") into whole cents."""
    message = _("Enter an amount in euros of 0 or more with at most two decimals, such as 12,50.")
    try:
        value = _decimal(str(text).replace("€", "")) if str(text).strip() else Decimal(0)
    except InvalidOperation:
        raise ValueError(message) from None
    cents = value * 100
    if value < 0 or cents != cents.to_integral_value() or cents > MAX_CENTS:
        raise ValueError(message)
    return int(cents)


def parse_hours(text: str) -> Decimal:
    message = _("Enter a number of hours of 0 or more with at most one decimal, such as 7,5.")
    try:
        value = _decimal(str(text)) if str(text).strip() else Decimal(0)
    except InvalidOperation:
        raise ValueError(message) from None
    if value < 0 or value > MAX_HOURS or value * 10 != (value * 10).to_integral_value():
        raise ValueError(message)
    return value.quantize(Decimal("0.1"))


def parse_count(text: str, *, minimum: int = 0, optional: bool = False) -> int | None:
    """A whole number (a spreadsheet may give "12.0"); empty is None when optional, else 0."""
    text = str(text).strip()
    if not text:
        return None if optional else 0
    message = _("Enter a whole number of %(min)d or more.", min=minimum)
    try:
        value = _decimal(text)
    except InvalidOperation:
        raise ValueError(message) from None
    if value != value.to_integral_value() or value < minimum or value > MAX_COUNT:
        raise ValueError(message)
    return int(value)


def parse_item_codes(text: str, known: set[str]) -> tuple[str, ...]:
    codes: list[str] = []
    for code in _ITEM_SPLIT.split(str(text).strip().upper()):
        if code and code not in codes:
            codes.append(code)
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValueError(
            ngettext("Unknown Kenniskaart item code: %(codes)s.",
                     "Unknown Kenniskaart item codes: %(codes)s.", len(unknown), codes=", ".join(unknown))
        )
    return tuple(sorted(codes))


def parse_choice(text: str, choices: tuple[str, ...], *, optional: bool = False) -> str | None:
    value = str(text).strip().lower()
    if not value and optional:
        return None
    if value not in choices:
        raise ValueError(_("Choose one of: %(choices)s.", choices=", ".join(choices)))
    return value


def _yes_words() -> tuple[set[str], set[str]]:
    yes, no = {"1", "true", "yes", "ja", "y", "j"}, {"0", "false", "no", "nee", "n"}
    for lang in ("nl", "en"):
        with force_locale(lang):
            yes.add(_("yes").lower())
            no.add(_("no").lower())
    return yes, no


def parse_active(text: str) -> bool:
    value = str(text).strip().lower()
    yes, no = _yes_words()
    if not value or value in yes:
        return True
    if value in no:
        return False
    raise ValueError(_("Enter yes or no."))


def parse_text(text: str, max_chars: int, *, required: bool = False) -> str:
    value = str(text).strip()
    if required and not value:
        raise ValueError(_("This cannot be empty."))
    if len(value) > max_chars:
        raise ValueError(_("At most %(num)d characters.", num=max_chars))
    return value


def group_problem(min_group: int | None, max_group: int | None) -> str | None:
    if min_group is not None and max_group is not None and min_group > max_group:
        return _("The minimum group size is larger than the maximum.")
    return None


# --- rows from a file ---

@dataclass
class CheckedFile:
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (line, key -> text)
    entries: list[TrainingData] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def _header_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for key, label in COLUMNS.items():
        names[key] = key
        for lang in ("nl", "en"):
            with force_locale(lang):
                names[str(label).strip().lower()] = key
    return names


def header_keys(header: list[str]) -> tuple[list[str | None], list[RowProblem]]:
    """The column key of every header cell, and the problems with the header (reported on row 1)."""
    names = _header_names()
    keys: list[str | None] = []
    problems: list[RowProblem] = []
    allowed = ", ".join(str(label) for label in COLUMNS.values())
    for cell in header:
        name = str(cell).strip().lower()
        key = names.get(name)
        if key is None:
            message = _("Unknown column; allowed are: %(columns)s.", columns=allowed)
            problems.append(RowProblem(1, name, message))
        elif key in keys:
            problems.append(RowProblem(1, name, _("This column appears twice.")))
        keys.append(key)
    for key in REQUIRED_COLUMNS:
        if key not in keys:
            problems.append(RowProblem(1, str(COLUMNS[key]), _("This column is missing.")))
    return keys, problems


def rows_from_table(table: list[list[str]]) -> CheckedFile:
    """Plain rows (the header first) into (line, key -> text) rows; header problems on row 1."""
    checked = CheckedFile()
    if not table:
        checked.problems.append(RowProblem(1, "", _("The file is empty.")))
        return checked
    keys, checked.problems = header_keys(table[0])
    if checked.problems:
        return checked
    for line, values in enumerate(table[1:], start=2):
        if not any(str(v).strip() for v in values):
            continue
        if len(values) > len(keys) and any(str(v).strip() for v in values[len(keys):]):
            checked.problems.append(RowProblem(line, "", _("More values than columns in the header.")))
            continue
        row = {key: str(values[i]) if i < len(values) else "" for i, key in enumerate(keys) if key}
        checked.rows.append((line, row))
    if not checked.rows and not checked.problems:
        checked.problems.append(RowProblem(2, "", _("There are no catalogue entries below the header.")))
    return checked


def check_rows(rows: list[tuple[int, dict[str, str]]], known_items: set[str]) -> CheckedFile:
    """Every problem in every row, duplicate codes within the file included."""
    checked = CheckedFile(rows=rows)
    seen: dict[str, int] = {}
    labels = {key: str(label) for key, label in COLUMNS.items()}
    for line, row in rows:
        values: dict[str, Any] = {}
        parsers: dict[str, Callable[[str], Any]] = {
            "code": lambda t: parse_text(t, CODE_MAX, required=True).upper(),
            "title": lambda t: parse_text(t, TITLE_MAX, required=True),
            "provider": lambda t: parse_text(t, PROVIDER_MAX),
            "type": lambda t: parse_choice(t, TRAINING_TYPES),
            "level": lambda t: parse_choice(t, LEVELS, optional=True),
            "hours": parse_hours,
            "cost": parse_euros,
            "points": parse_count,
            "min_group": lambda t: parse_count(t, minimum=1, optional=True),
            "max_group": lambda t: parse_count(t, minimum=1, optional=True),
            "items": lambda t: parse_item_codes(t, known_items),
            "active": parse_active,
        }
        before = len(checked.problems)
        for key, parse in parsers.items():
            try:
                values[key] = parse(row.get(key, ""))
            except ValueError as error:
                checked.problems.append(RowProblem(line, labels[key], str(error)))
        if len(checked.problems) > before:
            continue
        problem = group_problem(values["min_group"], values["max_group"])
        if problem:
            checked.problems.append(RowProblem(line, labels["min_group"], problem))
            continue
        code = values["code"]
        if code in seen:
            checked.problems.append(
                RowProblem(line, labels["code"],
                           _("The code %(code)s also appears in row %(row)d.", code=code, row=seen[code]))
            )
            continue
        seen[code] = line
        checked.entries.append(
            TrainingData(code=code, title=values["title"], provider=values["provider"], type=values["type"],
                         level=values["level"], hours=values["hours"], cost_cents=values["cost"],
                         points=values["points"], min_group=values["min_group"],
                         max_group=values["max_group"],
                         item_codes=values["items"], active=values["active"])
        )
    return checked


# --- the signed payload that carries checked rows from the preview to the confirmation ---

def sign_rows(rows: list[tuple[int, dict[str, str]]], region_id: int) -> str:
    """The rows and the region whose catalogue they go into, signed: the confirmation imports into the region
    that was previewed, or nothing."""
    return PREVIEW.sign({"region": region_id, "rows": [[line, row] for line, row in rows]})


def _rows_of(data: Any) -> tuple[int, list[tuple[int, dict[str, str]]]]:
    return int(data["region"]), [(int(line), {str(k): str(v) for k, v in row.items()})
                                 for line, row in data["rows"]]


def unsign_rows(payload: str) -> tuple[int, list[tuple[int, dict[str, str]]]] | None:
    """The region id and the rows, or None when the payload was changed or is not ours."""
    return PREVIEW.load(payload, _rows_of)


# --- comparing with the catalogue and applying ---

def data_of(training: Training) -> TrainingData:
    return TrainingData(
        code=training.code, title=training.title, provider=training.provider or "", type=training.type,
        level=training.level, hours=Decimal(training.hours or 0).quantize(Decimal("0.1")),
        cost_cents=training.cost_cents, points=training.points, min_group=training.min_group,
        max_group=training.max_group, item_codes=tuple(sorted(i.item_code for i in training.item_codes)),
        active=training.active,
    )


FIELD_LABELS: dict[str, Any] = {
    "title": _l("Title"),
    "provider": _l("Provider"),
    "type": _l("Type"),
    "level": _l("Level"),
    "hours": _l("Hours"),
    "cost_cents": _l("Cost per participant"),
    "points": _l("Points"),
    "min_group": _l("Minimum group size"),
    "max_group": _l("Maximum group size"),
    "item_codes": _l("Kenniskaart items"),
    "active": _l("Active"),
}


def euros(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def display(name: str, value: Any) -> str:
    """A field value as a person reads it, in the request's language."""
    if value is None or value == "" or value == ():
        return "—"
    if name == "cost_cents":
        return format_currency(euros(value), "EUR")
    if name == "hours":
        return format_decimal(value, format="#,##0.#")
    if name == "type":
        return str(TYPE_LABELS.get(value, value))
    if name == "level":
        return str(LEVEL_LABELS.get(value, value))
    if name == "item_codes":
        return ", ".join(value)
    if name == "active":
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return format_decimal(value)
    return str(value)


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class ImportPlan:
    added: list[TrainingData] = field(default_factory=list)
    changed: list[tuple[TrainingData, list[Change]]] = field(default_factory=list)
    unchanged: int = 0


def plan_import(entries: list[TrainingData], existing: dict[str, Training]) -> ImportPlan:
    plan = ImportPlan()
    for entry in entries:
        current = existing.get(entry.code)
        if current is None:
            plan.added.append(entry)
            continue
        old = data_of(current)
        changes = [
            Change(name, str(FIELD_LABELS[name]), display(name, getattr(old, name)),
                   display(name, getattr(entry, name)))
            for name in COMPARED
            if getattr(old, name) != getattr(entry, name)
        ]
        if changes:
            plan.changed.append((entry, changes))
        else:
            plan.unchanged += 1
    return plan


def _set_items(training: Training, codes: tuple[str, ...]) -> None:
    # Keep the rows that stay: deleting and re-adding the same key in one flush would collide.
    keep = [i for i in training.item_codes if i.item_code in codes]
    have = {i.item_code for i in keep}
    training.item_codes = keep + [TrainingItem(item_code=c) for c in codes if c not in have]


def _fill(training: Training, entry: TrainingData) -> Training:
    training.code = entry.code
    for name in ("title", "provider", "type", "level", "hours", "cost_cents", "points", "min_group",
                 "max_group", "active"):
        setattr(training, name, getattr(entry, name))
    _set_items(training, entry.item_codes)
    return training


def new_training(entry: TrainingData, region_id: int) -> Training:
    """A new entry of the catalogue of `region_id` from plain values; the caller adds it to the session."""
    return _fill(Training(region_id=region_id), entry)


def write_training(entry: TrainingData, training: Training | None = None, *,
                   region_id: int | None = None) -> Training:
    """Update `training`, or add a new entry to the catalogue of `region_id`, from plain values. Flushes."""
    if training is None:
        if region_id is None:
            raise ValueError("a new catalogue entry needs a region")
        training = new_training(entry, region_id)
        db.session.add(training)
    else:
        _fill(training, entry)
    db.session.flush()
    return training


def apply_import(region_id: int, entries: list[TrainingData], existing: dict[str, Training]) -> ImportPlan:
    """Add new codes to the region's catalogue and change the region's existing ones; nothing is deleted.
    `existing` holds the region's entries by code. Flushes."""
    if any(t.region_id != region_id for t in existing.values()):
        raise ValueError("an import changes one region's catalogue only")
    plan = plan_import(entries, existing)
    for entry in plan.added:
        write_training(entry, region_id=region_id)
    for entry, _changes in plan.changed:
        write_training(entry, existing[entry.code])
    return plan


def set_active(training: Training, active: bool) -> None:
    training.active = active
    db.session.flush()


# --- export rows ---

def export_rows(trainings: list[Training]) -> tuple[list[str], list[list[Any]]]:
    """The header (translated) and one row per entry: numbers as Decimal/int, the rest as text."""
    header = [str(label) for label in COLUMNS.values()]
    rows = []
    for t in trainings:
        d = data_of(t)
        rows.append([
            d.code, d.title, d.provider, d.type, d.level or "", d.hours, euros(d.cost_cents), d.points,
            d.min_group, d.max_group, ", ".join(d.item_codes), _("yes") if d.active else _("no"),
        ])
    return header, rows
