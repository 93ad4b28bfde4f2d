"""Architecture rules: the layers of the README's table, no import cycles, no environment reads
outside webapp/settings.py, a documented public API per package, modules of a readable size."""

from __future__ import annotations

import ast
import re
from importlib import metadata
from pathlib import Path

import pytest

from tests.conftest import REPO

# Each package and what it may import of ours, lowest layer first. The README's "How it works"
# table says the same (a test below compares them).
LAYERS = {
    "ilp_base": set(),
    "ingest": {"ilp_base"},
    "graph": {"ilp_base", "ingest"},
    "search": {"ilp_base", "ingest", "graph"},
    "ilp_pipeline": {"ilp_base", "ingest", "graph", "search"},
    "webapp": {"ilp_base", "ingest", "graph", "search", "ilp_pipeline"},
}
# Inside search, the subpackages below the retrieval modules import nothing above them.
SUBPACKAGES = {
    "search.encoders": {"search.encoders"},
    "search.index": {"search.index", "search.limits"},
}
LIBRARIES = ("ilp_base", "ingest", "graph", "search", "ilp_pipeline")
SETTINGS_MODULE = "webapp.settings"
LONG_MODULE = 300  # lines; a longer module says why at its top ("Over 300 lines: ...")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def our_modules() -> dict[str, Path]:
    return {
        module_name(path): path for package in LAYERS for path in (REPO / package).rglob("*.py")
    }


MODULES = our_modules()


def imports_of(path: Path) -> set[str]:
    """Every module of ours this file imports, at the top or inside a function, relative
    imports resolved."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = absolute_module(path, node)
            for alias in node.names:  # `from package import module` imports the module
                candidate = f"{module}.{alias.name}" if module else alias.name
                found.add(candidate if candidate in MODULES else module)
    return {name for name in found if name and name.split(".")[0] in LAYERS}


def absolute_module(path: Path, node: ast.ImportFrom) -> str:
    """The module an `ImportFrom` names, with `from . import x` and `from ..y import z` resolved
    against the importing file's package."""
    if node.level == 0:
        return node.module or ""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def test_relative_imports_are_resolved(tmp_path: Path):
    tree = ast.parse("from ..index import store\nfrom . import roles\n")
    first, second = tree.body
    path = REPO / "search" / "answers" / "compose.py"
    assert isinstance(first, ast.ImportFrom) and isinstance(second, ast.ImportFrom)
    assert absolute_module(path, first) == "search.index"
    assert absolute_module(path, second) == "search.answers"


def test_every_package_imports_only_from_the_layers_below_it():
    for name, path in MODULES.items():
        package = name.split(".")[0]
        for imported in imports_of(path):
            target = imported.split(".")[0]
            assert target == package or target in LAYERS[package], f"{name} imports {imported}"


def test_search_subpackages_import_nothing_above_them():
    for name, path in MODULES.items():
        for subpackage, allowed in SUBPACKAGES.items():
            if name == subpackage or name.startswith(subpackage + "."):
                for imported in imports_of(path):
                    if imported.startswith("search"):
                        assert any(
                            imported == a or imported.startswith(a + ".") for a in allowed
                        ), f"{name} imports {imported}"


def test_no_import_cycles():
    graph = {
        name: {i for i in imports_of(path) if i in MODULES and i != name}
        for name, path in MODULES.items()
    }
    cycles = [component for component in strongly_connected(graph) if len(component) > 1]
    assert not cycles, f"import cycles: {cycles}"


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the strongly connected components of a directed graph."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def test_the_readme_table_matches_the_layers():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)/` \| [^|]+ \| ([^|]+) \|$", readme, flags=re.MULTILINE)
    table = {package: set(re.findall(r"`(\w+)`", may_import)) for package, may_import in rows}
    assert table == LAYERS


@pytest.mark.parametrize("library", LIBRARIES)
def test_libraries_never_import_flask_or_click(library: str):
    for path in (REPO / library).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        names |= {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert not names & {"flask", "click", "werkzeug", "waitress"}, path


def reads_environment(path: Path) -> bool:
    """True when the file reads the process environment by any of os's names for it."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in {
            "environ",
            "getenv",
            "environb",
            "getenvb",
            "putenv",
        }:
            return True
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and any(
                alias.name in {"environ", "getenv", "environb", "getenvb"} for alias in node.names
            )
        ):
            return True
    return False


def test_only_the_settings_module_reads_the_environment():
    readers = sorted(name for name, path in MODULES.items() if reads_environment(path))
    assert readers == [SETTINGS_MODULE]


def test_the_environment_check_sees_every_form(tmp_path: Path):
    for source in (
        "import os\nos.getenv('X')\n",
        "from os import environ\n",
        "import os\nos.environ.get('X')\n",
        "from os import getenv as g\n",
    ):
        (tmp_path / "probe.py").write_text(source)
        assert reads_environment(tmp_path / "probe.py"), source
    (tmp_path / "probe.py").write_text("import os\nos.path.join('a', 'b')\n")
    assert not reads_environment(tmp_path / "probe.py")


@pytest.mark.parametrize(
    "package",
    sorted(
        {name for name in MODULES if "." not in name}
        | {"search.encoders", "search.index", "graph.linking"}
    ),
)
def test_each_package_names_its_public_api(package: str):
    docstring = ast.get_docstring(ast.parse(MODULES[package].read_text(encoding="utf-8")))
    assert docstring and "Public API" in docstring, f"{package}/__init__.py"


def test_modules_are_short_or_say_why():
    scripts = {
        module_name(path): path
        for folder in ("tests", "bench")
        for path in (REPO / folder).rglob("*.py")
    }
    for name, path in {**MODULES, **scripts}.items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > LONG_MODULE:
            docstring = ast.get_docstring(ast.parse(text)) or ""
            assert f"Over {LONG_MODULE} lines" in docstring, f"{name}: {text.count(chr(10))} lines"


def test_no_installed_distribution_shadows_our_packages():
    for distribution in metadata.distributions():
        if distribution.metadata["Name"] == "ilp-atlas":
            continue
        top_level = distribution.read_text("top_level.txt") or ""
        names = set(top_level.split())
        for file in distribution.files or []:
            parts = file.parts
            if len(parts) > 1 and parts[0] in LAYERS and not parts[0].endswith(".dist-info"):
                names.add(parts[0])
            elif len(parts) == 1 and file.suffix == ".py":
                names.add(file.stem)
        clash = names & set(LAYERS)
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
