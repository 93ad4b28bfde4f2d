"""Architecture rules: libraries stay free of web/CLI code; no dependency shadows our packages."""

from __future__ import annotations

import ast
from importlib import metadata

import pytest

from tests.conftest import REPO

LIBRARIES = ("ingest", "graph", "search")
OUR_PACKAGES = {"ingest", "graph", "search", "webapp"}


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("library", LIBRARIES)
def test_libraries_never_import_flask_or_click(library: str):
    for path in (REPO / library).rglob("*.py"):
        assert not imported_modules(path) & {"flask", "click", "werkzeug", "waitress"}, path


@pytest.mark.parametrize("library", LIBRARIES)
def test_libraries_never_read_the_environment(library: str):
    for path in (REPO / library).rglob("*.py"):
        assert "os.environ" not in path.read_text(encoding="utf-8"), path


def test_no_installed_distribution_shadows_our_packages():
    for distribution in metadata.distributions():
        if distribution.metadata["Name"] == "ilp-atlas":
            continue
        top_level = distribution.read_text("top_level.txt") or ""
        names = set(top_level.split())
        for file in distribution.files or []:
            parts = file.parts
            if len(parts) > 1 and parts[0] in OUR_PACKAGES and not parts[0].endswith(".dist-info"):
                names.add(parts[0])
            elif len(parts) == 1 and file.suffix == ".py":
                names.add(file.stem)
        clash = names & OUR_PACKAGES
        assert not clash, f"{distribution.metadata['Name']} installs {clash}"


def test_every_cli_command_has_help_and_is_in_the_readme():
    from click.testing import CliRunner

    from webapp.cli import cli

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["--help"]).exit_code == 0
    for name, command in cli.commands.items():
        assert command.help, f"ilp {name} has no help text"
        assert runner.invoke(cli, [name, "--help"]).exit_code == 0
        assert f"ilp {name}" in readme, f"ilp {name} is not in the README"
