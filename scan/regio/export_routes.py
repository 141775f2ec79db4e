"""Exports of the regional overview and scholingsplan: XLSX and CSV."""

from __future__ import annotations
