"""The zgc command line: the Typer app, gathered from zgc_cli/commands, and its entry point.

This is the single place where a ZgcError becomes a one-line message and an exit code.
Nothing heavy is imported at module level, so `zgc --help` and `zgc --version` stay instant.
"""

import sys
from typing import Annotated, Any

import typer
from typer._click.core import Context as ClickContext
from typer.core import TyperGroup

from zgc_cli.commands import charts, checks, lists, records, sql
from zgc_cli.commands.deliver import silence_stdout
from zgc_cli.commands.options import examples
from zgc_cli.errors import ExitCode, ZgcError

EPILOG_MAIN = examples(
    "zgc projects --status started        projects that broke ground: park, date, money, quote",
    "zgc show semiconductor-plant         one record as a card, its quote and related rows",
    "zgc indicators --park 密云           every figure of a park, hedges kept (近97%)",
    'zgc sql "SELECT name_en, investment_yuan FROM projects" -f csv',
)


class _Group(TyperGroup):
    """Turns a ZgcError raised by any command into its one line and exit code."""

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except ZgcError as exc:
            _error(str(exc))
            raise typer.Exit(int(exc.exit_code)) from None


app = typer.Typer(
    cls=_Group,
    name="zgc",
    help="Query a cited, bilingual dataset of Zhongguancun's 2020 recovery "
    "(parks, projects, indicators, companies, events). Every row quotes the report.",
    epilog=EPILOG_MAIN,
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from zgc_cli import __version__  # package metadata: read only when asked for

        sys.stdout.write(f"zgc {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Query a cited, bilingual dataset of Zhongguancun's 2020 recovery."""


for family in (lists, records, sql, checks, charts):
    app.registered_commands.extend(family.commands.registered_commands)


def main(argv: list[str] | None = None) -> None:
    """Run zgc; every failure ends as one `zgc: error: ...` line and an exit code."""
    from typer._click import exceptions as click_exceptions
    from typer.main import get_command

    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "encoding", "utf-8").lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    code: int = ExitCode.OK
    try:
        returned = get_command(app).main(args=argv, prog_name="zgc", standalone_mode=False)
        if isinstance(returned, int):
            code = returned  # --help, --version (Exit(0)) and Ctrl-C (typer's Exit(130))
        if code == ExitCode.INTERRUPTED:
            sys.stderr.write("zgc: interrupted\n")
    except ZgcError as exc:
        code = exc.exit_code
        _error(str(exc))
    except click_exceptions.NoArgsIsHelpError as exc:
        # Bare `zgc` (or a bare group): the help, as `zgc --help` shows it.
        sys.stdout.write(exc.format_message() + "\n")
        code = ExitCode.OK
    except click_exceptions.UsageError as exc:
        code = ExitCode.USAGE
        command = f" {exc.ctx.command_path.removeprefix('zgc').strip()}" if exc.ctx else ""
        hint = f" (see zgc{command.rstrip()} --help)"
        _error(f"{exc.format_message()}{hint}")
    except click_exceptions.ClickException as exc:
        code = ExitCode.ERROR
        _error(exc.format_message())
    except MemoryError:
        code = ExitCode.ERROR
        _error("out of memory; add a LIMIT or raise --memory-limit")
    except (KeyboardInterrupt, typer.Abort):
        code = ExitCode.INTERRUPTED
        sys.stderr.write("zgc: interrupted\n")
    except typer.Exit as exc:
        code = exc.exit_code
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    sys.exit(int(code))


def _error(message: str) -> None:
    """One line, always: a newline in a path or a value must not split the message."""
    flat = message.replace("\r", "\\r").replace("\n", "\\n")
    sys.stderr.write(f"zgc: error: {flat}\n")


__all__ = ["app", "main"]
