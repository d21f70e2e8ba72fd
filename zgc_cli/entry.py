"""The `zgc` console script: answers `zgc --version` without loading the CLI, runs it otherwise.

`--version` needs only package metadata; building the Typer app for it would triple its cost.
"""

from __future__ import annotations

import sys


def print_version() -> None:
    from zgc_cli import __version__  # package metadata: read only when asked for

    sys.stdout.write(f"zgc {__version__}\n")


def main() -> None:
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
