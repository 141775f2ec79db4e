"""Number fields read what people type in their own language and show numbers back in it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import NumberRange, Optional

from scan.core.fields import LocaleDecimalField, LocaleIntegerField


class _Form(Form):
    hours = LocaleDecimalField("Hours", [Optional(), NumberRange(min=0, max=999, message="0 to 999")],
                               places=1)
    amount = LocaleDecimalField("Amount", [Optional()], strip="€", decimals=2)
    count = LocaleIntegerField("Count", [Optional(), NumberRange(min=1, message="1 or more")])


def _form(app: Any, locale: str, **typed: str) -> tuple[_Form, bool]:
    with app.test_request_context(), force_locale(locale):
        form = _Form(MultiDict(typed))
        return form, form.validate()


def _shown(app: Any, locale: str, form: _Form, name: str) -> str:
    with app.test_request_context(), force_locale(locale):
        return form[name]._value()


@pytest.mark.parametrize("locale", ["nl", "en"])
@pytest.mark.parametrize("typed", ["4,5", "4.5", " 4,5 ", "4,50", "+4,5"])
def test_comma_and_point_both_mean_four_and_a_half(app, locale, typed):
    form, ok = _form(app, locale, hours=typed)
    assert ok and form.hours.data == Decimal("4.5")


@pytest.mark.parametrize(("locale", "typed"), [
    ("nl", "1.000,5"), ("nl", "1,000.5"), ("nl", "1.000"), ("nl", "1.000.000"),
    ("en", "1,000.5"), ("en", "1.000,5"), ("en", "1,000"),
])
def test_grouped_or_ambiguous_input_is_refused_and_kept(app, locale, typed):
    form, ok = _form(app, locale, hours=typed)
    assert not ok and form.hours.data is None
    message = {"nl": "Schrijf het getal zonder scheidingsteken voor duizendtallen en met hoogstens één "
                     "decimaalteken, zoals 1250,5.",
               "en": "Write the number without a thousands separator and with at most one decimal sign, "
                     "such as 1250.5."}[locale]
    assert form.errors == {"hours": [message]}  # one message, not a range message too
    assert _shown(app, locale, form, "hours") == typed


def test_three_decimals_after_the_decimal_sign_of_the_locale_are_decimals(app):
    form, ok = _form(app, "nl", amount="1,125")
    assert ok and form.amount.data == Decimal("1.125")
    form, ok = _form(app, "en", amount="1.125")
    assert ok and form.amount.data == Decimal("1.125")


@pytest.mark.parametrize(("locale", "message"), [("nl", "Vul een getal in, zoals 4,5."),
                                                 ("en", "Enter a number, such as 4.5.")])
@pytest.mark.parametrize("typed", ["vier", "4,5 uur", "4 5", "e5", "4,", ",5", "NaN", "Infinity", "1e3"])
def test_text_that_is_not_a_number_is_refused_at_the_field_and_kept(app, locale, message, typed):
    form, ok = _form(app, locale, hours=typed)
    assert not ok and form.errors == {"hours": [message]}
    assert _shown(app, locale, form, "hours") == typed


def test_too_many_decimals_are_refused_never_rounded(app):
    form, ok = _form(app, "nl", hours="4,55")
    assert not ok and form.errors == {"hours": ["Gebruik hoogstens 1 decimaal."]}
    form, ok = _form(app, "nl", hours="4,50")
    assert ok and form.hours.data == Decimal("4.5")


def test_empty_and_negative_follow_the_field_rules(app):
    form, ok = _form(app, "nl", hours="  ", count="")
    assert ok and form.hours.data is None and form.count.data is None
    form, ok = _form(app, "nl", hours="-1", count="0")
    assert not ok and form.errors == {"hours": ["0 to 999"], "count": ["1 or more"]}
    assert form.hours.data == Decimal("-1")
    form, ok = _form(app, "nl", hours="\u22121")  # a typographic minus is a minus
    assert not ok and form.hours.data == Decimal("-1")


def test_whole_numbers(app):
    form, ok = _form(app, "nl", count="12")
    assert ok and form.count.data == 12 and isinstance(form.count.data, int)
    form, ok = _form(app, "nl", count="12,0")
    assert ok and form.count.data == 12
    form, ok = _form(app, "nl", count="12,5")
    assert not ok and form.errors == {"count": ["Vul een heel getal in."]}
    form, ok = _form(app, "en", count="twelve")
    assert not ok and form.errors == {"count": ["Enter a whole number, such as 12."]}


def test_a_currency_sign_around_an_amount_is_allowed(app):
    form, ok = _form(app, "nl", amount="€ 12,50")
    assert ok and form.amount.data == Decimal("12.50")


@pytest.mark.parametrize(("locale", "hours", "amount", "shown_hours", "shown_amount"), [
    ("nl", Decimal("2.0"), Decimal("950"), "2", "950,00"),
    ("nl", Decimal("2.5"), Decimal("12.5"), "2,5", "12,50"),
    ("en", Decimal("2.0"), Decimal("950"), "2", "950.00"),
    ("en", Decimal("2.5"), Decimal("1234.5"), "2.5", "1234.50"),
])
def test_stored_numbers_are_shown_in_the_users_locale(app, locale, hours, amount, shown_hours, shown_amount):
    with app.test_request_context(), force_locale(locale):
        form = _Form(data={"hours": hours, "amount": amount, "count": 3})
        assert form.hours._value() == shown_hours and form.amount._value() == shown_amount
        assert form.count._value() == "3"
        html = str(form.hours())
        assert 'inputmode="decimal"' in html and 'type="text"' in html and f'value="{shown_hours}"' in html
        assert 'inputmode="numeric"' in str(form.count())


@pytest.mark.parametrize(("locale", "message"), [("nl", "Dit getal is te groot."),
                                                 ("en", "This number is too large.")])
def test_a_number_too_long_to_be_meant_is_refused_not_a_server_error(app, locale, message):
    # Found by fuzzing the catalogue form: forty nines in a group size answered 500.
    form, ok = _form(app, locale, count="9" * 40, hours="9" * 40)
    assert not ok and form.errors == {"count": [message], "hours": [message]}
    assert _shown(app, locale, form, "count") == "9" * 40
    form, ok = _form(app, locale, amount="0," + "1" * 40 if locale == "nl" else "0." + "1" * 40)
    assert not ok and form.errors["amount"] == [{"nl": "Gebruik hoogstens 12 decimalen.",
                                                 "en": "Use at most 12 decimals."}[locale]]
    form, ok = _form(app, locale, count="9" * 12)
    assert ok and form.count.data == int("9" * 12)
