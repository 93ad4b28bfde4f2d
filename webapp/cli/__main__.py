"""`python -m webapp.cli`: the `ilp` command."""

from webapp.cli import cli

cli()
