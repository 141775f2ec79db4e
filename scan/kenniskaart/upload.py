"""An uploaded Kenniskaart (YAML or XLSX): checked by the one validator, problems located and translated;
a stored version written back as the same data (for the YAML and XLSX downloads and for comparing).

Needs an app context (gettext, the secret key for the signed payload).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from flask_babel import gettext as _

from competencies import Kenniskaart, check_text
from competencies.yamlsource import MAX_BYTES
from scan.core.uploads import SignedPreview
from scan.kenniskaart import xlsx
from scan.kenniskaart.models import LEVEL_GENERIC, SECTION_GENERIC, KenniskaartVersion
from scan.kenniskaart.validation import message as yaml_message
from scan.kenniskaart.validation import problem_text

YAML_SUFFIXES = (".yaml", ".yml")
XLSX_SUFFIXES = (".xlsx",)
MAX_MB = MAX_BYTES // (1024 * 1024)
PREVIEW = SignedPreview("kenniskaart-upload")


@dataclass(frozen=True)
class UploadProblem:
    location: str  # "line 12" or "sheet items, row 4, column B"; empty when it concerns the whole file
    code: str | None  # the section or item concerned
    field: str
    message: str
    kind: str

    def __str__(self) -> str:
        return problem_text(self.location, self.code, self.field, self.message)


@dataclass(frozen=True)
class UploadResult:
    filename: str
    kenniskaart: Kenniskaart | None
    problems: tuple[UploadProblem, ...]

    @property
    def ok(self) -> bool:
        return self.kenniskaart is not None and not self.problems


def _whole_file(filename: str, kind: str, text: str) -> UploadResult:
    return UploadResult(filename, None, (UploadProblem("", None, "", text, kind),))


def check_upload(raw: bytes, filename: str) -> UploadResult:
    """Check an uploaded file by its name's suffix; never raises, never writes."""
    name = (filename or "").strip()
    lower = name.lower()
    if len(raw) > MAX_BYTES:
        return _whole_file(name, "too_large", _("The file is larger than %(max)d MB.", max=MAX_MB))
    if not raw:
        return _whole_file(name, "empty_file", _("The file is empty."))
    if lower.endswith(XLSX_SUFFIXES):
        result = xlsx.check_xlsx(raw, name)
        problems = tuple(
            UploadProblem(
                result.where(p),
                p.code,
                "",  # the location names the column; the YAML path ("items[5].code") means nothing here
                xlsx.message(p, result) or yaml_message(p),
                p.kind,
            )
            for p in result.checked.problems
        )
        return UploadResult(name, result.checked.kenniskaart if not problems else None, problems)
    if lower.endswith(YAML_SUFFIXES):
        checked = check_text(raw, name)
        problems = tuple(
            UploadProblem(_("line %(line)d", line=p.line) if p.line else "", p.code, p.field,
                          yaml_message(p), p.kind)
            for p in checked.problems
        )
        return UploadResult(name, checked.kenniskaart if not problems else None, problems)
    return _whole_file(
        name, "wrong_suffix", _("Choose a Kenniskaart file ending in .yaml, .yml or .xlsx.")
    )


# --- a version as the file's data ---------------------------------------------------------------------


def version_data(version: KenniskaartVersion) -> dict[str, Any]:
    """A stored version in the structure of the YAML file (defaults left out)."""

    def text(nl: str, en: str) -> dict[str, str]:
        return {"nl": nl, "en": en}

    def item_data(item: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"code": item.code}
        if item.level_kind != LEVEL_GENERIC:
            data["level"] = item.level_kind
        data["title"] = text(item.title_nl, item.title_en)
        data["description"] = text(item.description_nl, item.description_en)
        if item.descriptors:
            data["levels"] = {d.level: text(d.text_nl, d.text_en) for d in item.descriptors}
        if item.not_applicable_allowed:
            data["not_applicable"] = True
        if item.retired:
            data["retired"] = True
        if item.related:
            data["related"] = list(item.related)
        return data

    def section_data(section: Any) -> dict[str, Any]:
        return {
            "code": section.code,
            "title": text(section.title_nl, section.title_en),
            "description": text(section.description_nl, section.description_en),
            "items": [item_data(i) for i in section.items],
        }

    generic = next(s for s in version.sections if s.kind == SECTION_GENERIC)
    data: dict[str, Any] = {
        "schema_version": 1,
        "code": version.code,
        "version": version.label,
        "region": version.region_name,
        "title": text(version.title_nl, version.title_en),
        "scale": [
            {"level": s.level, "title": text(s.title_nl, s.title_en),
             "description": text(s.description_nl, s.description_en)}
            for s in version.scale
        ],
        "norms": version.norms,
        "generic_competencies": section_data(generic),
        "leefgebieden": [section_data(s) for s in version.sections if s.kind != SECTION_GENERIC],
    }
    if not data["region"]:
        del data["region"]
    return data


def version_model(version: KenniskaartVersion) -> Kenniskaart:
    return Kenniskaart.model_validate(version_data(version))


def model_data(kenniskaart: Kenniskaart) -> dict[str, Any]:
    return kenniskaart.model_dump(mode="python", exclude_defaults=True)


def to_yaml(data: dict[str, Any]) -> str:
    header = "# Kenniskaart; format: competencies/README.md\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


# --- the signed payload from the preview to the confirmation -------------------------------------------


def sign(kenniskaart: Kenniskaart, filename: str) -> str:
    """The checked content as YAML text, signed (and compressed) for the hidden field."""
    return PREVIEW.sign({"name": filename, "yaml": to_yaml(model_data(kenniskaart))})


def _name_and_text(data: Any) -> tuple[str, str]:
    if not isinstance(data, dict) or not isinstance(data.get("yaml"), str):
        raise TypeError("not a Kenniskaart payload")
    return str(data.get("name", "")), data["yaml"]


def unsign(payload: str) -> tuple[str, str] | None:
    """(file name, YAML text), or None when the payload was changed or is not ours."""
    return PREVIEW.load(payload, _name_and_text)
