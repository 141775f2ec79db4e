"""The layering of ARCHITECTURE.md is checked by import-linter (`lint-imports` in `make test`). These tests
keep its contracts from going stale: every package of `scan` has its place in the layers, and every
feature's contract forbids every other feature's routes and forms, including ones added later."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCAN = ROOT / "scan"


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _layer_modules() -> set[str]:
    layers = next(c for c in _config()["contracts"] if c["type"] == "layers")["layers"]
    return {name.strip("() ") for layer in layers for name in re.split(r"[|:]", layer)}


def _top_level() -> set[str]:
    names = {p.parent.name for p in SCAN.glob("*/__init__.py") if p.parent.name != "static"}
    names |= {p.stem for p in SCAN.glob("*.py") if p.stem not in ("__init__", "models")}
    return {f"scan.{n}" for n in names}


def _features() -> set[str]:
    return {p.parent.name for p in SCAN.glob("*/__init__.py") if p.parent.name not in ("core", "static")}


def _modules(kind: str) -> set[str]:
    """Every feature's `routes` and `forms` modules (and packages), as dotted names."""
    found = set()
    for path in SCAN.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts[-1] == kind and len(parts) > 2 and parts[1] in _features():
            found.add(".".join(parts))
    return found


def _matches(pattern: str, module: str) -> bool:
    return re.fullmatch(re.escape(pattern).replace(r"\*", r"[^.]+"), module) is not None


def test_every_package_has_its_layer() -> None:
    """`scan.models` (every table, for Alembic) and the factory are the only modules outside the layers."""
    assert _top_level() - _layer_modules() == set()
    assert _layer_modules() - _top_level() == set()


def test_no_feature_may_import_another_features_routes_or_forms() -> None:
    contracts = {c["source_modules"][0]: c for c in _config()["contracts"] if c["type"] == "forbidden"}
    assert set(contracts) == {f"scan.{f}" for f in _features()}
    missing = []
    for source, contract in contracts.items():
        for module in _modules("routes") | _modules("forms"):
            if module.startswith(source + "."):
                continue
            if not any(_matches(p, module) for p in contract["forbidden_modules"]):
                missing.append((source, module))
    assert missing == []


def test_sub_features_are_packages_not_file_name_prefixes() -> None:
    """`pop/signing/routes.py`, not `pop/signing_routes.py`: a feature's parts are told apart by package."""
    prefixed = sorted(str(p.relative_to(ROOT)) for p in SCAN.rglob("*_routes.py"))
    prefixed += sorted(str(p.relative_to(ROOT)) for p in SCAN.rglob("*_forms.py"))
    assert prefixed == []
