"""The zgc command line: the Typer app, gathered from zgc_cli/commands, and its entry point.

The one place where failures become a line on stderr and an exit code (_run). Nothing heavy is
imported at module level, so `zgc --help` stays instant."""

import functools
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from zgc_cli import diagnostics, errors
from zgc_cli.commands import COMMANDS, REGISTERED, examples
from zgc_cli.errors import ExitCode, ZgcError

EPILOG_MAIN = (
    examples(
        "zgc projects --status started        projects that broke ground: park, date, money, quote",
        "zgc show semiconductor-plant         one record as a card, its quote and related rows",
        "zgc indicators --park 密云           every figure of a park, hedges kept (数十名)",
        'zgc sql "SELECT name_en, investment_yuan FROM projects" -f csv',
    )
    + "\n\n\b\nExit codes:\n"
    + "  0    success (an empty result is a note on stderr)\n"
    + "  1    query or data error: bad SQL, refused statement, time-out, bad snapshot\n"
    + "  2    usage error: unknown option, value, park, column or unit\n"
    + "  130  interrupted (Ctrl-C); 143 and 129 when terminated (SIGTERM, SIGHUP)"
)


@functools.cache
def _build(name: str) -> Any:
    """The click command `name`, from the Typer commands of its module."""
    from importlib import import_module

    from typer.main import get_command_from_info

    import_module(f"zgc_cli.commands.{COMMANDS[name][0]}")
    info = REGISTERED[name]
    info.cls = _Command
    return get_command_from_info(
        info,
        pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode,
    )


class _Commands(Mapping[str, Any]):
    """The group's commands in COMMANDS order, each built from its module on first use."""

    def __getitem__(self, name: str) -> Any:
        if name not in COMMANDS:
            raise KeyError(name)
        return _build(name)

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


class _Group(TyperGroup):
    """Serves the commands lazily (_Commands); a reader that went away (`| head -1`) ends a
    command quietly, with 0."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _Commands()  # type: ignore[assignment]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """`zgc --help` lists the commands from COMMANDS, importing none of them."""
        rows = [(name, summary) for name, (_, summary) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # Eager options run in the order given: `--install-completion bash --help` would edit
        # ~/.bashrc before showing the help. Asking for help changes nothing.
        if any(a in ("--install-completion", "--show-completion") for a in args):
            helps = [a for a in args if a in ("-h", "--help")]
            args = [*helps, *(a for a in args if a not in helps)]
        with _reader_may_go():  # `zgc --help | head -1`
            return super().parse_args(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        with _reader_may_go():  # inside click, which would end with 1
            return super().invoke(ctx)


@contextmanager
def _reader_may_go() -> Iterator[None]:
    """A reader that went away (`| head -1`) ends zgc quietly with 0, as the README says."""
    try:
        yield
    except BrokenPipeError:
        from zgc_cli.output import silence

        silence(sys.stdout)
        raise typer.Exit(int(ExitCode.OK)) from None


class _Command(TyperCommand):
    """Refuses an option that takes one value given twice (`--park a --park b`): click would
    silently keep the last. Options that take several (`--status`) are repeatable."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        single = {
            opt: param
            for param in self.params
            if not any(getattr(param, how, False) for how in ("multiple", "is_flag", "count"))
            for opt in getattr(param, "opts", [])
            if opt.startswith("-")
        }
        seen: set[str] = set()
        for arg in args[: args.index("--")] if "--" in args else args:
            # --format=json, -fjson and -f json all name -f/--format
            param = single.get(arg.split("=", 1)[0] if arg.startswith("--") else arg[:2])
            if param is not None and param.name in seen:
                raise typer.BadParameter(
                    "given twice; it takes one value (give it once)", ctx=ctx, param=param
                )
            if param is not None:
                seen.add(str(param.name))
        try:
            if not ctx.resilient_parsing:
                _check_values(ctx, self.params, self.make_parser(ctx).parse_args(list(args))[0])
            return super().parse_args(ctx, args)  # its --help is the group's invoke
        except typer.TyperException as exc:  # the parser leaves out which command it parsed
            if hasattr(exc, "ctx") and exc.ctx is None:  # `-f` with no value
                exc.ctx = ctx  # so the line ends (see zgc parks --help)
            raise


def _check_values(ctx: Any, params: list[Any], given: dict[str, Any]) -> None:
    """Every value as typed, before any is used: text must be UTF-8 (DuckDB takes nothing
    else); a file name may be any bytes the system allows, but a trailing / names a folder."""
    from zgc_cli.output import names_a_folder

    for param in params:
        raw = given.get(param.name)
        for value in raw if isinstance(raw, list | tuple) else [raw]:
            if not isinstance(value, str):
                continue
            if param.type.name == "path" or param.metavar in ("PATH", "FILE", "DIR"):
                dir_okay = getattr(param.type, "dir_okay", param.metavar == "DIR")
                # A Path of "" is ".", the folder zgc runs in (export's DIR says it itself).
                if not value.strip() and param.param_type_name == "option":
                    raise typer.BadParameter("must not be empty", ctx=ctx, param=param)
                if names_a_folder(value) and not dir_okay:
                    raise typer.BadParameter(
                        f"{value!r} names a folder; give a file name", ctx=ctx, param=param
                    )
                continue
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise typer.BadParameter(
                    "not valid UTF-8; retype it, or set the terminal or the script to UTF-8",
                    ctx=ctx,
                    param=param,
                ) from None


app = typer.Typer(
    cls=_Group,
    name="zgc",
    help="Query a cited, bilingual dataset of Zhongguancun's 2020 recovery "
    "(parks, projects, indicators, companies, events, programs, participants, products). "
    "Every row quotes the report.",
    epilog=EPILOG_MAIN,
    invoke_without_command=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from zgc_cli import __version__

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
    if ctx.invoked_subcommand is None:  # bare `zgc`: the help, as `zgc --help` shows it
        sys.stdout.write(ctx.get_help() + "\n")
        raise typer.Exit()


@contextmanager
def _stopped_by_termination() -> Iterator[None]:
    """SIGTERM and SIGHUP (a closed terminal, `timeout`, a supervisor) end zgc as Ctrl-C does,
    with exit code 128 + the signal. A signal already ignored (nohup) stays ignored."""
    import signal
    import threading

    errors.RECEIVED.clear()

    def stop(signum: int, frame: object) -> None:
        errors.RECEIVED.append(signum)
        raise KeyboardInterrupt

    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for name in ("SIGTERM", "SIGHUP"):  # no SIGHUP on Windows
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) == signal.SIG_DFL:
                previous[int(number)] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextmanager
def _held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP held until the block ends, then raised as they came."""
    import signal

    stops = {signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def main(argv: list[str] | None = None) -> None:
    """Run zgc; every failure ends as one `zgc: error: ...` line and an exit code."""
    from zgc_cli.output import StandardOutput, remove_partial_files, silence

    if not isinstance(sys.stdout, StandardOutput):
        sys.stdout = StandardOutput(sys.stdout)
    try:
        with _stopped_by_termination():
            try:
                code = _run(argv)
            finally:  # what a signal stopped between making a temp directory and guarding it
                with _held():  # a signal in the clean-up broke it with a traceback
                    remove_partial_files()
    except KeyboardInterrupt:  # one that came as _run returned, or in the clean-up
        code = ExitCode.INTERRUPTED
    if code == ExitCode.INTERRUPTED:
        code = errors.interrupted_exit_code()
        if not errors.terminated():
            diagnostics.interrupted()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence(sys.stdout)
    except KeyboardInterrupt:  # Ctrl-C while a stalled reader holds the last bytes
        code = errors.interrupted_exit_code()
    except ZgcError as exc:  # what was left in the buffer could not be written
        if code == ExitCode.OK:
            diagnostics.error(str(exc))
            code = exc.exit_code
    sys.exit(int(code))


def _run(argv: list[str] | None) -> int:
    """The command's exit code; every failure already told on stderr."""
    import os

    from typer.main import get_command

    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "encoding", "utf-8").lower().replace("-", "") != "utf8":
            stream.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    code: int = ExitCode.OK
    try:
        with _reader_may_go():  # the reader went away: a quiet end
            returned = get_command(app).main(args=argv, prog_name="zgc", standalone_mode=False)
        if isinstance(returned, int):
            code = returned  # --help, --version (typer.Exit)
    except typer.TyperException as exc:  # Typer's own: usage errors, bad parameters
        code, message = exc.exit_code, exc.format_message()
        if code == ExitCode.USAGE:
            context = getattr(exc, "ctx", None)
            path = context.command_path.removeprefix("zgc").strip() if context else ""
            message += f" (see zgc{' ' + path if path else ''} --help)"
        diagnostics.error(message)
    except MemoryError:
        code = ExitCode.ERROR
        diagnostics.error(errors.OUT_OF_MEMORY)
    except (KeyboardInterrupt, typer.Abort):
        code = ExitCode.INTERRUPTED
    except typer.Exit as exc:
        code = exc.exit_code
    except ZgcError as exc:
        code = exc.exit_code
        diagnostics.error(str(exc))
    except Exception as exc:  # a bug in zgc: still one line, the traceback on request
        if os.environ.get("ZGC_DEBUG"):
            raise
        code = ExitCode.ERROR
        diagnostics.error(
            f"internal error ({type(exc).__name__}: {exc}); please report it with the command"
            " you ran (ZGC_DEBUG=1 shows the traceback)"
        )
    return code


__all__ = ["app", "main"]
