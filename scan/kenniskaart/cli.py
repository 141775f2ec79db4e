"""`flask kenniskaart validate|load FILE` (being written)."""

import click


@click.group("kenniskaart", help="Kenniskaart files: validate and load.")
def kenniskaart_cli() -> None:
    pass
