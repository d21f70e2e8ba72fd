"""The `zgc` console script: answers `zgc --version` without loading the CLI (building the
Typer app would triple its cost), runs it otherwise."""

from __future__ import annotations

import gc
import os
import sys


def main() -> None:
    # One command is a short life whose objects reference counting frees; the cyclic
    # collector's passes over every module being imported cost ~4 ms of each start-up
    # (benchmarks/RESULTS.md). The shell, which lives long, turns it back on.
    gc.disable()
    try:
        if sys.argv[1:] == ["--version"]:
            sys.exit(_version())
        from zgc_cli.cli import main as run_cli
    except KeyboardInterrupt:  # Ctrl-C while the CLI is still loading
        from zgc_cli import diagnostics
        from zgc_cli.errors import ExitCode

        diagnostics.interrupted()
        sys.exit(ExitCode.INTERRUPTED)
    code: object = 0
    try:
        run_cli()
    except SystemExit as exc:  # cli.main always ends so, with an int: every file is closed
        code = exc.code
    # The interpreter's teardown (typer's and DuckDB's modules, the engine's destructor) costs
    # ~12 ms of each command and writes nothing: skip it (benchmarks/RESULTS.md).
    if sys.stderr is not None:  # None when zgc was started with stderr closed (2>&-)
        sys.stderr.flush()
    os._exit(code if isinstance(code, int) else 1)


def _version() -> int:
    """`zgc --version`, with the failures of standard output as every command has them."""
    from zgc_cli import __version__, diagnostics
    from zgc_cli.errors import ZgcError
    from zgc_cli.output import StandardOutput, silence

    out = StandardOutput(sys.stdout)
    try:
        out.write(f"zgc {__version__}\n")
        out.flush()
    except BrokenPipeError:
        silence(out)
    except ZgcError as exc:
        diagnostics.error(str(exc))
        return int(exc.exit_code)
    return 0
