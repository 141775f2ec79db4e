"""The administrator reads the audit log: filter by person, action and period; export it."""

from __future__ import annotations
