"""Number fields read and written in the user's language: a text input with `inputmode`, never
`type="number"`.

A number input is parsed by the browser in the browser's locale, not the page's: "4,5" typed in a Dutch
Chromium reached the server as "45", and it drops what was typed when it is not a number, so the page
could not show it back with the error. These fields take the text as typed, read it with Babel in the
request's locale and show numbers back in that locale ("2", "2,5" in Dutch; "2", "2.5" in English).

Both "4,5" and "4.5" mean four and a half: people type either, whatever their language. What cannot be
read without guessing is refused with a message at the field, keeping the text: two separators
("1.000,5", "1,000.5") and one separator of the locale's thousands kind followed by exactly three digits
("1.000" in Dutch, "1,000" in English), which could be a thousand or one.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import wtforms
from babel.numbers import NumberFormatError, format_decimal, get_group_symbol, parse_decimal
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from wtforms import Field, Form
from wtforms.validators import StopValidation
from wtforms.widgets import DateInput, TextInput

# A sign, digits and at most one separator with digits after it; spaces inside are not allowed.
_NUMBER = re.compile(r"([+-]?)([0-9]+)(?:([.,])([0-9]+))?")
MAX_DIGITS = 12  # whole-number digits a field reads
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-"})  # typographic minus, en dash


def _locale() -> str:
    return str(get_locale() or "nl")


def format_number(value: Decimal | int, locale: str | None = None, decimals: int | None = None) -> str:
    """A number as people in `locale` write it, without thousands separators; with exactly `decimals`
    decimals when given (amounts of money), else with all its decimals and no trailing zeros."""
    if decimals is None:
        return format_decimal(value, format="0.#", locale=locale or _locale(), decimal_quantization=False)
    pattern = "0." + "0" * decimals if decimals else "0"
    return format_decimal(value, format=pattern, locale=locale or _locale())


class LocaleDecimalField(Field):
    """A decimal number typed in the user's locale; `data` is a Decimal, or None when left empty.

    `places` limits the decimals (more is refused, never rounded); `message` replaces the message for
    text that is not a number (say what is expected, e.g. "a number of hours from 0 to 999"); `strip`
    are characters people may type around the number, such as "€"; `decimals` shows a stored number
    with exactly that many decimals ("950,00").
    """

    widget = TextInput()
    inputmode = "decimal"

    def __init__(self, label: Any = None, validators: Any = None, *, places: int | None = None,
                 message: Any = None, strip: str = "", decimals: int | None = None, **kwargs: Any) -> None:
        render_kw = {"inputmode": self.inputmode, **(kwargs.pop("render_kw", None) or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)
        self.places = places
        self.message = message
        self.strip = strip
        self.decimals = decimals

    # --- reading ---------------------------------------------------------------------------------------

    def _not_a_number(self) -> str:
        if self.message:
            return str(self.message)
        return _("Enter a number, such as %(example)s.", example=format_number(Decimal("4.5")))

    def parse(self, text: str) -> Decimal | None:
        """The number in `text`, None when empty; ValueError with a translated message otherwise."""
        for char in self.strip:
            text = text.replace(char, "")
        text = text.strip().translate(_MINUS_SIGNS)
        if not text:
            return None
        match = _NUMBER.fullmatch(text)
        if match is None:
            if re.fullmatch(r"[+-]?[0-9][0-9.,]*", text) and text.count(".") + text.count(",") > 1:
                raise ValueError(self._ambiguous())
            raise ValueError(self._not_a_number())
        sign, whole, separator, decimals = match.groups()
        if len(whole.lstrip("0")) > MAX_DIGITS:
            # Beyond any hours, money or group size; and more digits than Babel's formatting holds.
            raise ValueError(_("This number is too large."))
        locale = _locale()
        if separator and separator == get_group_symbol(locale) and len(decimals) == 3:
            raise ValueError(self._ambiguous())
        if decimals and len(decimals.rstrip("0")) > self._places():
            raise ValueError(self._too_many_decimals())
        # One form Babel reads in every locale: the locale's own decimal sign, no grouping.
        plain = f"{sign}{whole}" + (f".{decimals}" if decimals else "")
        try:
            return parse_decimal(format_number(Decimal(plain), locale), locale=locale, strict=True)
        except NumberFormatError:  # pragma: no cover - the text was checked above
            raise ValueError(self._not_a_number()) from None

    def _ambiguous(self) -> str:
        return _("Write the number without a thousands separator and with at most one decimal sign, "
                 "such as %(example)s.", example=format_number(Decimal("1250.5")))

    def _places(self) -> int:
        return MAX_DIGITS if self.places is None else self.places

    def _too_many_decimals(self) -> str:
        if self.places == 0:
            return str(self.message) if self.message else _("Enter a whole number.")
        return ngettext("Use at most %(num)d decimal.", "Use at most %(num)d decimals.", self._places())

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        self.data = None
        self.data = self.parse(str(valuelist[0]))

    def process_data(self, value: Any) -> None:
        self.data = None if value is None or value == "" else Decimal(value)

    def pre_validate(self, form: Form) -> None:
        # The reading error is the one message: range or required checks would only repeat it.
        if self.process_errors:
            raise StopValidation()

    # --- showing ---------------------------------------------------------------------------------------

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])  # what was typed, also when it could not be read
        return "" if self.data is None else format_number(self.data, decimals=self.decimals)


class LocaleIntegerField(LocaleDecimalField):
    """A whole number typed in the user's locale; `data` is an int, or None when left empty.
    "12,0" is twelve; "12,5" is refused."""

    inputmode = "numeric"

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, places=0, **kwargs)

    def _not_a_number(self) -> str:
        return str(self.message) if self.message else _("Enter a whole number, such as 12.")

    def parse(self, text: str) -> Decimal | None:
        value = super().parse(text)
        return None if value is None else int(value)  # type: ignore[return-value]

    def process_data(self, value: Any) -> None:
        self.data = None if value is None or value == "" else int(value)


class _IsoDateInput(DateInput):
    """A date input that keeps what was typed and stays valid HTML.

    `type="date"` may only hold a date. Text that is not one (typed where the browser has no date picker, or
    sent by a filter link) is written back in a text input, next to the field's message, so it is neither
    lost nor invalid markup."""

    def __call__(self, field: Field, **kwargs: Any) -> Any:
        value = kwargs.get("value", field._value())
        try:
            if value:
                date.fromisoformat(str(value))
        except ValueError:
            kwargs["type"] = "text"
        return super().__call__(field, **kwargs)


class DateField(wtforms.DateField):
    """WTForms' date field, rendered so that its value is always valid HTML."""

    widget = _IsoDateInput()
