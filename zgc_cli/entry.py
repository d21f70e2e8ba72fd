"""The `zgc` console script: answers `zgc --version` without loading the CLI, runs it otherwise.

`--version` needs only package metadata; building the Typer app for it would triple its cost.
"""

from __future__ import annotations

import gc
import sys


def print_version() -> None:
    from zgc_cli import __version__  # package metadata: read only when asked for

    sys.stdout.write(f"zgc {__version__}\n")


def main() -> None:
    # One command is a short life whose objects reference counting frees; the cyclic
    # collector's passes over every module being imported cost ~4 ms of each start-up
    # (benchmarks/RESULTS.md). The shell, which lives long, turns it back on.
    gc.disable()
    try:
        if sys.argv[1:] == ["--version"]:
            print_version()
            return
        from zgc_cli.cli import main as run_cli
    except KeyboardInterrupt:  # Ctrl-C while the CLI is still loading
        from zgc_cli import diagnostics
        from zgc_cli.errors import ExitCode

        diagnostics.interrupted()
        sys.exit(ExitCode.INTERRUPTED)
    run_cli()
