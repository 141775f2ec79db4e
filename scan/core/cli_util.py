"""Shared helpers for the command line: clear errors, never a traceback."""

from __future__ import annotations

import click


def fail(message: str) -> None:
    """Print an error to stderr and exit with status 1."""
    click.echo(message, err=True)
    raise SystemExit(1)
