"""The zgc command line: the Typer app, gathered from zgc_cli/commands, and its entry point.

The one place where failures become a line on stderr and an exit code (`exit_code_for`):
a ZgcError carries its own, Typer's usage errors are 2, Ctrl-C is 130. Nothing heavy is
imported at module level, so `zgc --help` and `zgc --version` stay instant.
"""

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from zgc_cli import diagnostics
from zgc_cli.commands import charts, checks, lists, records, sql
from zgc_cli.commands.options import examples
from zgc_cli.errors import OUT_OF_MEMORY, ExitCode, ZgcError

EPILOG_MAIN = (
    examples(
        "zgc projects --status started        projects that broke ground: park, date, money, quote",
        "zgc show semiconductor-plant         one record as a card, its quote and related rows",
        "zgc indicators --park 密云           every figure of a park, hedges kept (近97%)",
        'zgc sql "SELECT name_en, investment_yuan FROM projects" -f csv',
    )
    + "\n\n\b\nExit codes:\n"
    + "  0    success (an empty result is a note on stderr)\n"
    + "  1    query or data error: bad SQL, refused statement, time-out, bad snapshot\n"
    + "  2    usage error: unknown option, value, park, column or unit\n"
    + "  130  interrupted (Ctrl-C)"
)


class _Group(TyperGroup):
    """Ends a command that raised a ZgcError with its line and exit code (also under
    Typer's test runner, which calls the group directly), and a command whose reader went
    away (`| head -1`) quietly, with 0."""

    def invoke(self, ctx: Any) -> Any:
        from zgc_cli.output import silence

        try:
            return super().invoke(ctx)
        except ZgcError as exc:
            diagnostics.error(str(exc))
            raise typer.Exit(int(exc.exit_code)) from None
        except BrokenPipeError:
            silence(sys.stdout)
            raise typer.Exit(int(ExitCode.OK)) from None


class _Command(TyperCommand):
    """Refuses an option that takes one value given twice (`--park a --park b`): click would
    silently keep the last. Options that take several (`--status`) are repeatable."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        seen: dict[str, str] = {}
        for arg in args:
            if arg == "--":
                break
            name = arg.split("=", 1)[0]
            for param in self.params:
                opts = getattr(param, "opts", [])
                single = not (
                    getattr(param, "multiple", False)
                    or getattr(param, "is_flag", False)
                    or getattr(param, "count", False)
                )
                if single and name in opts:
                    first = seen.setdefault(param.name or name, name)
                    if first is not name:
                        raise typer.BadParameter(
                            "given twice; it takes one value (give it once)",
                            ctx=ctx,
                            param=param,
                        )
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_Group,
    name="zgc",
    help="Query a cited, bilingual dataset of Zhongguancun's 2020 recovery "
    "(parks, projects, indicators, companies, events, programs, participants, products). "
    "Every row quotes the report.",
    epilog=EPILOG_MAIN,
    invoke_without_command=True,
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
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Query a cited, bilingual dataset of Zhongguancun's 2020 recovery."""
    if ctx.invoked_subcommand is None:  # bare `zgc`: the help, as `zgc --help` shows it
        sys.stdout.write(ctx.get_help() + "\n")
        raise typer.Exit()


for family in (lists, records, sql, checks, charts):
    for info in family.commands.registered_commands:
        info.cls = _Command
        app.registered_commands.append(info)


def main(argv: list[str] | None = None) -> None:
    """Run zgc; every failure ends as one `zgc: error: ...` line and an exit code."""
    from typer.main import get_command

    from zgc_cli.output import silence

    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "encoding", "utf-8").lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    code: int = ExitCode.OK
    try:
        returned = get_command(app).main(args=argv, prog_name="zgc", standalone_mode=False)
        if isinstance(returned, int):
            code = returned  # --help, --version and a ZgcError's code (typer.Exit)
    except typer.TyperException as exc:  # Typer's own: usage errors, bad parameters
        code = getattr(exc, "exit_code", ExitCode.USAGE)
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        context = getattr(exc, "ctx", None)
        if code == ExitCode.USAGE:
            path = context.command_path.removeprefix("zgc").strip() if context else ""
            message += f" (see zgc{' ' + path if path else ''} --help)"
        diagnostics.error(message)
    except MemoryError:
        code = ExitCode.ERROR
        diagnostics.error(OUT_OF_MEMORY)
    except (KeyboardInterrupt, typer.Abort):
        code = ExitCode.INTERRUPTED
    except typer.Exit as exc:
        code = exc.exit_code
    if code == ExitCode.INTERRUPTED:
        diagnostics.interrupted()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence(sys.stdout)
    sys.exit(int(code))


__all__ = ["app", "main"]
