"""Forms of the training catalogue. They validate and never write."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from scan.catalogue import queries, services
from scan.catalogue.services import TrainingData
from scan.core.fields import LocaleDecimalField, LocaleIntegerField


class TrainingForm(FlaskForm):
    code = StringField(_l("Code"))
    title = StringField(_l("Title"))
    provider = StringField(_l("Provider"))
    type = SelectField(_l("Type"), choices=[])
    level = SelectField(_l("Level"), choices=[])
    hours = LocaleDecimalField(_l("Hours"), message=_l(
        "Enter a number of hours of 0 or more with at most one decimal, such as 7,5."))
    cost = LocaleDecimalField(
        _l("Cost per participant in euros (excl. VAT)"), strip="€", decimals=2,
        message=_l("Enter an amount in euros of 0 or more with at most two decimals, such as 12,50."))
    points = LocaleIntegerField(_l("Accreditation points"))
    min_group = LocaleIntegerField(_l("Minimum group size"))
    max_group = LocaleIntegerField(_l("Maximum group size"))
    items = StringField(_l("Kenniskaart items"))
    active = BooleanField(_l("Active: can be chosen in a POP"))

    def __init__(self, *args: Any, region_id: int, training_id: int | None = None,
                 known_items: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region_id = region_id
        self.training_id = training_id
        self.known_items = known_items or set()
        self.type.choices = [SelectChoice(k, str(v)) for k, v in services.TYPE_LABELS.items()]
        levels = [SelectChoice(k, str(v)) for k, v in services.LEVEL_LABELS.items()]
        self.level.choices = [SelectChoice("", str(_l("No level"))), *levels]
        self.parsed: dict[str, Any] = {}

    def _parse(self, name: str, parse: Any) -> None:
        data = getattr(self, name).data  # a number field's value is read already, in the user's locale
        try:
            self.parsed[name] = parse("" if data is None else str(data))
        except ValueError as error:
            raise ValidationError(str(error)) from None

    def validate_code(self, field: StringField) -> None:
        self._parse("code", lambda t: services.parse_text(t, services.CODE_MAX, required=True).upper())
        if queries.code_taken(self.region_id, self.parsed["code"], self.training_id):
            raise ValidationError(_l("This code is already in use by another entry."))

    def validate_title(self, field: StringField) -> None:
        self._parse("title", lambda t: services.parse_text(t, services.TITLE_MAX, required=True))

    def validate_provider(self, field: StringField) -> None:
        self._parse("provider", lambda t: services.parse_text(t, services.PROVIDER_MAX))

    def validate_hours(self, field: StringField) -> None:
        self._parse("hours", services.parse_hours)

    def validate_cost(self, field: StringField) -> None:
        self._parse("cost", services.parse_euros)

    def validate_points(self, field: StringField) -> None:
        self._parse("points", services.parse_count)

    def validate_min_group(self, field: StringField) -> None:
        self._parse("min_group", lambda t: services.parse_count(t, minimum=1, optional=True))

    def validate_max_group(self, field: StringField) -> None:
        self._parse("max_group", lambda t: services.parse_count(t, minimum=1, optional=True))
        problem = services.group_problem(self.parsed.get("min_group"), self.parsed["max_group"])
        if problem:
            raise ValidationError(problem)

    def validate_items(self, field: StringField) -> None:
        self._parse("items", lambda t: services.parse_item_codes(t, self.known_items))

    def entry(self) -> TrainingData:
        """The validated values; call only after validate_on_submit() returned True."""
        p = self.parsed
        return TrainingData(
            code=p["code"], title=p["title"], provider=p["provider"], type=self.type.data,
            level=self.level.data or None, hours=p["hours"], cost_cents=p["cost"], points=p["points"],
            min_group=p["min_group"], max_group=p["max_group"], item_codes=p["items"],
            active=self.active.data,
        )


class ActiveForm(FlaskForm):
    """Activate or deactivate: only the CSRF token."""


class ImportForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"))


class ConfirmImportForm(FlaskForm):
    payload = HiddenField()
