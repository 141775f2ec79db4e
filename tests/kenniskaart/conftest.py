"""Kenniskaart tests read messages in English (the msgids); the command line defaults to Dutch."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCAN_CLI_LANG", "en")
