"""Issue 12: what each start-up may import, pinned by name (timings live in benchmarks/).

A fresh interpreter runs one command and lists the modules it ended with. `zgc parks` piped
loads the module of `parks` and the query core, typer and DuckDB's engine: no other command,
no terminal view, no Rich, no pydantic. Help, version and completion of names load no DuckDB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import child_env

PROBE = """
import json, os, sys
argv = json.loads(sys.argv[1])
def _exit(code):  # entry.main ends with os._exit: end here instead, to list the modules
    raise SystemExit(code)
os._exit = _exit
from zgc_cli.entry import main
sys.argv = ["zgc", *argv]
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
os.write(2, ("\\n" + json.dumps(sorted(sys.modules))).encode())
"""

# `zgc parks`, piped: the command's module, the sink and plain renderer, the query core and
# the db layer. Nothing of the terminal view (terminal, layouts, drawing, display), charts,
# pictures, the shell, the workbook writer or another command's module.
PARKS_BUDGET = {
    "zgc_cli",
    "zgc_cli.cited",
    "zgc_cli.cli",
    "zgc_cli.entry",
    "zgc_cli.commands",
    "zgc_cli.commands.emit",
    "zgc_cli.commands.lists",
    "zgc_cli.commands.options",
    "zgc_cli.db",
    "zgc_cli.db.connection",
    "zgc_cli.db.export",
    "zgc_cli.db.engine",
    "zgc_cli.db.guard",
    "zgc_cli.db.sandbox",
    "zgc_cli.db.snapshot",
    "zgc_cli.db.statement",
    "zgc_cli.diagnostics",
    "zgc_cli.dictionary",
    "zgc_cli.errors",
    "zgc_cli.output",
    "zgc_cli.preferences",
    "zgc_cli.queries",
    "zgc_cli.queries.base",
    "zgc_cli.queries.lists",
    "zgc_cli.queries.metrics",
    "zgc_cli.queries.resolve",
    "zgc_cli.render",
    "zgc_cli.sink",
    "zgc_cli.vocabulary",
}
# Third-party packages zgc may load to answer `zgc parks`: typer and what it always imports,
# and DuckDB's compiled engine (not the `duckdb` package's Python layers).
PARKS_PACKAGES = {"typer", "annotated_doc", "shellingham", "_duckdb"}
NEVER_AT_START = {"duckdb", "_duckdb", "pydantic", "rich", "prompt_toolkit", "pyarrow", "numpy"}


def modules_after(
    *argv: str, env: dict[str, str] | None = None, python: str = "", cwd: Path | None = None
) -> list[str]:
    done = subprocess.run(
        [python or sys.executable, "-c", PROBE, json.dumps(argv)],
        capture_output=True,
        timeout=60,
        check=False,
        env=child_env(**(env or {})),
        cwd=cwd,
    )
    listed: list[str] = json.loads(done.stderr.decode().rsplit("\n", 1)[-1])
    return listed


def packages(modules: list[str]) -> set[str]:
    """Top-level packages that are not the standard library's (nor zgc's)."""
    tops = {name.split(".")[0] for name in modules}
    return {
        t
        for t in tops
        if t not in sys.stdlib_module_names
        and t != "zgc_cli"
        and not t.startswith("_sysconfigdata")
    } - {
        "__main__",
        "_virtualenv",
        "_distutils_hack",
    }


def test_parks_piped_imports_only_its_budget() -> None:
    loaded = modules_after("parks")
    ours = {m for m in loaded if m.startswith("zgc_cli")}
    assert ours <= PARKS_BUDGET, sorted(ours - PARKS_BUDGET)
    assert packages(loaded) <= PARKS_PACKAGES, sorted(packages(loaded) - PARKS_PACKAGES)
    assert "_duckdb" in packages(loaded)  # it did run the query
    assert not {"pydantic", "rich", "duckdb"} & packages(loaded)


def test_a_command_loads_its_own_module_only() -> None:
    commands = {m for m in modules_after("sql", "SELECT 1") if m.startswith("zgc_cli.commands.")}
    assert commands == {"zgc_cli.commands.sql", "zgc_cli.commands.options"}, commands
    shown = {m for m in modules_after("show", "miyun") if m.startswith("zgc_cli.commands.")}
    assert shown == {"zgc_cli.commands.records", "zgc_cli.commands.options"}, shown


def test_drawing_for_a_terminal_is_what_loads_the_terminal_view() -> None:
    drawn = modules_after("parks", "-f", "table")
    assert {"zgc_cli.terminal", "zgc_cli.layouts", "zgc_cli.drawing"} <= set(drawn)


PICTURE_RENDERERS = {
    "zgc_cli.picture",
    "zgc_cli.html_table",
    "zgc_cli.charts.vector",
    "zgc_cli.charts.bar_picture",
    "zgc_cli.charts.timeline_picture",
}


@pytest.mark.slow
def test_picture_renderers_load_only_for_a_picture(tmp_path: Path) -> None:
    for argv in (("--help",), ("parks",), ("chart", "--help"), ("chart", "work_resumption_rate")):
        assert not PICTURE_RENDERERS & set(modules_after(*argv)), argv
    drawn = set(modules_after("chart", "work_resumption_rate", "-o", str(tmp_path / "c.svg")))
    assert {"zgc_cli.charts.vector", "zgc_cli.charts.bar_picture"} <= drawn
    paged = set(modules_after("projects", "-o", str(tmp_path / "p.html")))
    assert "zgc_cli.html_table" in paged and "zgc_cli.charts.vector" not in paged


@pytest.mark.parametrize(
    "argv",
    [("--help",), ("--version",), ("projects", "--help"), ("sql", "--help"), ()],
    ids=["help", "version", "projects-help", "sql-help", "bare"],
)
def test_help_and_version_load_no_engine_and_no_command(argv: tuple[str, ...]) -> None:
    loaded = modules_after(*argv)
    assert not NEVER_AT_START & packages(loaded), sorted(NEVER_AT_START & packages(loaded))
    commands = {m for m in loaded if m.startswith("zgc_cli.commands.")}
    asked = (
        {f"zgc_cli.commands.{ {'projects': 'lists', 'sql': 'sql'}[argv[0]] }"}
        if (len(argv) == 2)
        else set()
    )
    shared = {"zgc_cli.commands.options", "zgc_cli.commands.emit"}  # every command's paths
    assert commands - shared == asked, commands


def test_version_loads_not_even_the_cli() -> None:
    loaded = modules_after("--version")
    assert "typer" not in packages(loaded)
    assert "zgc_cli.cli" not in loaded


@pytest.mark.parametrize(
    "words", ["zgc pa", "zgc projects --st", "zgc projects --status s"], ids=str
)
def test_completing_names_loads_no_engine(words: str) -> None:
    env = {"_ZGC_COMPLETE": "complete_bash", "COMP_WORDS": words}
    env["COMP_CWORD"] = str(len(words.split()) - 1)
    loaded = modules_after(env=env)
    assert not {"duckdb", "_duckdb", "pydantic"} & packages(loaded)


def test_zgc_parks_never_imports_pydantic_where_pip_resolved_without_the_lock(
    tmp_path: Path,
) -> None:
    """`pip install .` picks typer within pyproject's bound; .ci/run builds such an
    environment from the registry and names its Python in ZGC_UNLOCKED_PYTHON."""
    python = os.environ.get("ZGC_UNLOCKED_PYTHON", "")
    if not python:
        if os.environ.get("CI"):
            pytest.fail("CI must set ZGC_UNLOCKED_PYTHON (.ci/run builds the environment)")
        pytest.skip("set ZGC_UNLOCKED_PYTHON to a Python with `pip install .` (.ci/run does)")
    assert Path(python).exists(), python
    # Away from the source tree, so the installed zgc_cli is the one imported.
    loaded = modules_after("parks", python=python, cwd=tmp_path)
    assert "_duckdb" in packages(loaded)
    assert "pydantic" not in packages(loaded), sorted(packages(loaded))
