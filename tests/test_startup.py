"""Issue 5: what start-up must not pay for, checked in a fresh interpreter.

`zgc --help`, `--version` and a command's `--help` never import DuckDB (neither the `duckdb`
package nor its `_duckdb` engine); importing the CLI module imports neither DuckDB nor Rich's
console and table machinery. Issue 14: only the shell (`zgc sql` with no query, on a terminal)
imports prompt_toolkit. Timings live in benchmarks/, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("duckdb", "_duckdb", "rich.console", "rich.table")
SHELL = ("prompt_toolkit", "zgc_cli.shell", "zgc_cli.shell.repl", "zgc_cli.shell.completion")

PROBE = """
import json, sys
argv = json.loads(sys.argv[1])
if argv is not None:
    from zgc_cli.cli import main
    try:
        main(argv)
    except SystemExit as exc:
        code = exc.code
    else:
        code = None
else:
    import zgc_cli.cli
    code = 0
sys.stdout.flush()
heavy = json.loads(sys.argv[2])
sys.stderr.write(json.dumps({"code": code, "loaded": [m for m in heavy if m in sys.modules]}))
"""


def loaded_after(
    argv: list[str] | None, heavy: tuple[str, ...] = HEAVY
) -> tuple[object, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(heavy)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    report = json.loads(done.stderr.decode().strip().splitlines()[-1])
    return report["code"], report["loaded"]


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["--version"], ["projects", "--help"], ["sql", "--help"], ["parks", "-h"]],
)
def test_help_and_version_never_import_duckdb(argv: list[str]) -> None:
    code, loaded = loaded_after(argv)
    assert code in (0, None)
    assert "duckdb" not in loaded and "_duckdb" not in loaded, loaded


def test_importing_the_cli_imports_neither_duckdb_nor_rich_machinery() -> None:
    code, loaded = loaded_after(None)
    assert code == 0
    assert loaded == []


def test_piped_output_never_builds_a_rich_table() -> None:
    code, loaded = loaded_after(["parks", "-f", "csv"])
    assert code in (0, None)
    assert "rich.table" not in loaded and "rich.console" not in loaded, loaded


@pytest.mark.parametrize(
    "argv",
    [None, ["--help"], ["sql", "--help"], ["parks", "-f", "csv"], ["sql", "SELECT 1"]],
)
def test_only_the_shell_imports_prompt_toolkit(argv: list[str] | None) -> None:
    """Issue 14: the shell's prompt_toolkit is loaded when `zgc sql` opens the shell, never
    for another command (nor for one-shot `zgc sql`)."""
    code, loaded = loaded_after(argv, SHELL)
    assert code in (0, None)
    assert loaded == [], loaded
