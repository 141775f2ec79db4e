"""The regional scholingsplan as PDF."""

from __future__ import annotations
