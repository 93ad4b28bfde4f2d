"""The `ilp` command line: thin commands over the libraries, with clean errors and exit codes.

Public API: `cli`, the click group (the `ilp` entry point); `EXIT_SOME_FAILED`, the exit code of
an ingest that built from some documents while others failed.

Heavy libraries (torch, FAISS, rdflib) are imported inside the commands, so `ilp --help` is
instant. The commands live in ingest_command.py, build_commands.py (eval, validate, publish) and
query_commands.py (search, concept, sparql, export, serve); what they share is in common.py, how
they print text in text.py.
"""

from __future__ import annotations

import click

from webapp.cli import build_commands, ingest_command, query_commands
from webapp.cli.common import EXIT_SOME_FAILED


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """ILP Atlas: search and trace knowledge about Intelligence-Led Policing."""


for command in (
    ingest_command.ingest,
    query_commands.search,
    query_commands.concept,
    query_commands.sparql,
    query_commands.export,
    build_commands.evaluate,
    build_commands.validate,
    build_commands.publish,
    query_commands.serve,
):
    cli.add_command(command)

__all__ = ["EXIT_SOME_FAILED", "cli"]
