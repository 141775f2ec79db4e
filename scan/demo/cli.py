"""`flask demo seed` (being written)."""

import click


@click.group("demo", help="The demo region.")
def demo_cli() -> None:
    pass
