"""Each command's declaration (`command`), its options declared once (OPTIONS), and what they
resolve to: `Out` builds the command's Sink, `database()` opens the snapshot with the CLI's
limits. Nothing heavy here: every command, and its --help, loads it."""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    NoReturn,
    TypeVar,
    get_args,
    get_origin,
    get_type_hints,
)

import typer
from typer.models import ArgumentInfo, CommandInfo

from zgc_cli import diagnostics
from zgc_cli.commands import COMMANDS, REGISTERED, examples
from zgc_cli.dictionary import PRODUCT_KINDS, PROGRAM_KINDS
from zgc_cli.errors import ExitCode, QueryError, ZgcError, interrupted_exit_code
from zgc_cli.queries.base import Lang, Status
from zgc_cli.render import Format

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database
    from zgc_cli.db.guard import Stop
    from zgc_cli.sink import Sink


def stuck(why: Stop, message: str) -> NoReturn:
    """A statement ignored its time-out or Ctrl-C (blocked where DuckDB cannot stop it): end
    the process with the same line and exit code, removing half-written files."""
    from zgc_cli.db.guard import Stop
    from zgc_cli.output import remove_partial_files

    remove_partial_files()
    if why is Stop.INTERRUPT:
        code = interrupted_exit_code()
        if code == ExitCode.INTERRUPTED:  # Ctrl-C says so; a terminating signal says nothing
            diagnostics.last_words(diagnostics.INTERRUPTED)
        os._exit(code)
    diagnostics.last_words(diagnostics.error_line(message))
    os._exit(ExitCode.ERROR)


@contextmanager
def database(
    data: str | None, *, memory_limit: str | None = None, streaming: bool = False, **limits: Any
) -> Iterator[Database]:
    """The snapshot, opened with the CLI's bounds and one deadline; closed however it ends.
    A streamed export gets the smaller limit unless --memory-limit says otherwise."""
    from zgc_cli.db.connection import DEFAULT_MEMORY_LIMIT, STREAMING_MEMORY_LIMIT, open_database

    chosen = memory_limit or (STREAMING_MEMORY_LIMIT if streaming else DEFAULT_MEMORY_LIMIT)
    db = open_database(data, on_stuck=stuck, memory_limit=chosen, streaming=streaming, **limits)
    with closing(db), deadline(db.timeout):
        yield db


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """One deadline for the whole command: past it a QueryError ends it wherever it is
    (measuring cells, a write to a stalled reader), stdout pointed at /dev/null so the final
    flush cannot block again. A running statement is left to its guard, which interrupts it."""
    import signal
    import threading

    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    from zgc_cli.db.guard import timeout_message, waiting
    from zgc_cli.output import silence

    def expired(signum: int, frame: object) -> None:
        if waiting():  # the guard's own deadline is the same: it stops DuckDB and says so
            signal.setitimer(signal.ITIMER_REAL, 0.5)  # seldom: a parse may hold the GIL
            return
        import sys

        silence(sys.stdout)
        raise QueryError(timeout_message(seconds))

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def complete_from(source: str) -> Callable[[str], list[str]]:
    """A shell completion over the snapshot: queries.`source` (`resolve.periods`), imported
    when a shell asks; the snapshot closed before the shell reads the answer (an open one
    aborted the process at exit under the memory bound)."""

    def complete(incomplete: str) -> list[str]:
        from importlib import import_module

        from zgc_cli.db.connection import open_database

        module, function = source.split(".")
        values = getattr(import_module(f"zgc_cli.queries.{module}"), function)
        try:
            with closing(open_database(os.environ.get("ZGC_DATA"), bound_process=False)) as db:
                return [value for value in values(db) if value.startswith(incomplete)]
        except (ZgcError, OSError):
            return []

    return complete


def _among(*values: str) -> Callable[[str], list[str]]:
    return lambda incomplete: [value for value in values if value.startswith(incomplete)]


def not_blank(value: Any) -> Any:
    """Option callback: an empty value is a mistake, not "no filter" (`--park ''`)."""
    values = value if isinstance(value, list | tuple) else [value]
    if any(v is not None and not str(v).strip() for v in values):
        raise typer.BadParameter("must not be empty")
    return value


def row_count(text: str) -> int:
    """--limit's parser: what it takes, in words (click says 0<=x<=9223372036854775807)."""
    if not text.strip().isdecimal():
        raise typer.BadParameter(f"{text!r}; give a whole number of rows, 0 or more")
    if int(text) > 2**63 - 1:  # DuckDB's LIMIT is a BIGINT
        raise typer.BadParameter(f"{text!r}; give a whole number of rows, at most {2**63 - 1}")
    return int(text)


def text_option(names: str, help: str, metavar: str = "TEXT", **more: Any) -> Any:
    """An option that takes text, never empty; `names` as typed, then its METAVAR if not TEXT:
    "--param -p NAME=VALUE"."""
    flags = [name for name in names.split() if name.startswith("-")]
    metavar = next((name for name in names.split() if not name.startswith("-")), metavar)
    return typer.Option(*flags, callback=not_blank, metavar=metavar, help=help, **more)


complete_park = complete_from("resolve.park_ids")

# Every option, by the name of the parameter that takes it: a command's parameter that is not
# Annotated itself takes the declaration of its name here (command fills it in).
OPTIONS: dict[str, Any] = {
    "data": text_option(
        "--data PATH",
        "Snapshot to read (default: the bundled one).",
        envvar="ZGC_DATA",
        show_envvar=True,
    ),
    "fmt": typer.Option(
        "--format",
        "-f",
        case_sensitive=False,
        help="Output format (default: table on a terminal, "
        "tab-separated when piped, or from the -o extension).",
    ),
    "output": text_option(
        "--output -o FILE",
        "Write to FILE atomically (.csv .tsv .json .jsonl .md .txt; .xlsx: an Excel workbook "
        "with typed cells and a citation sheet; .parquet for query results; .svg: a picture "
        "of the terminal view; .html: a page of the rows; both cite the report).",
        dir_okay=False,
    ),
    "limit": typer.Option("--limit", parser=row_count, metavar="N", help="Show at most N rows."),
    "columns": text_option("--columns A,B,C", "Columns to show: a,b,c."),
    "lang": typer.Option(
        "--lang",
        case_sensitive=False,
        help="Language of names, labels and values: zh, en or both (default on a terminal: "
        "$ZGC_LANG, else the locale; piped and files: both).",
    ),
    "no_header": typer.Option("--no-header", help="Omit the header (csv, tsv, xlsx)."),
    "no_pager": typer.Option(
        "--no-pager",
        help="Print a long table or chart at once "
        "(default: page it with $ZGC_PAGER, $PAGER or less).",
    ),
    "source": typer.Option(
        "--source",
        envvar="ZGC_SOURCE",
        show_envvar=True,
        dir_okay=False,
        metavar="FILE",
        help="Your copy of the report: verify checks every quote, its SHA-256 and the ledger "
        "against it; coverage shows its text, clause by clause, on a terminal.",
    ),
    "park": text_option(
        "--park PARK",
        "Park by id, Chinese or English name, alias or district (shunyi, 顺义, 顺义园, "
        "Shunyi, 顺义区); a park includes its bases; zgc (中关村示范区) is the zone itself.",
        autocompletion=complete_park,
    ),
    "unit": text_option(
        "--unit UNIT",
        "Only figures in this unit: yuan, m2, percent, people, enterprises, ... "
        "(a chart of metrics in several units needs one).",
    ),
    "since": typer.Option("--since", metavar="DATE", help="On or after DATE (YYYY-MM-DD)."),
    "until": typer.Option("--until", metavar="DATE", help="On or before DATE (YYYY-MM-DD)."),
    "district": text_option("--district", "District name, Chinese or English (海淀, Haidian)."),
    "status": text_option(
        "--status -s STATUS",
        "started (开工), resumed (复工), under_construction (在建), "
        "completed (建成), planned; repeatable or comma-separated.",
        autocompletion=_among(*(s.value for s in Status)),
    ),
    "sort": text_option("--sort FIELD", "Field to sort by (default status_date)."),
    "desc": typer.Option("--desc", help="Sort descending."),
    "subject": text_option(
        "--subject",
        "Subject type (zone, park, company, project, program, product) or part of a subject id.",
    ),
    "metric": text_option(
        "--metric METRIC",
        "Metric name or label, Chinese or English; substring or glob ('*revenue*').",
    ),
    "period": text_option(
        "--period PERIOD",
        "Period the figure covers: 2020-Q1 (or Q1, 一季度), 2020 (今年), "
        "2020-01/2020-02 (1~2月), daily (每天), annual.",
        autocompletion=complete_from("resolve.periods"),
    ),
    "kind": text_option(
        "--kind KIND",
        "Only this kind (see the list above); repeatable or comma-separated.",
        autocompletion=_among(*PROGRAM_KINDS, *PRODUCT_KINDS),
    ),
    "issuer": text_option(
        "--issuer", "Part of the issuer's id or name, Chinese or English (管委会, Haidian)."
    ),
    "company": text_option(
        "--company", "Part of the maker's id or name, Chinese or English (megvii, 旷视)."
    ),
    "chart": typer.Option(
        "--chart", help="Draw the dated events on a January-June 2020 axis, a letter per park."
    ),
    "file": text_option("--file FILE", "Read the query from FILE (at most 1 MB).", dir_okay=False),
    "param": text_option(
        "--param -p NAME=VALUE", "Bind $NAME to VALUE, as text (cast in SQL: $n::INT); repeatable."
    ),
    "cite": typer.Option("--cite", help="Add each bar's quote."),
}


@dataclass(frozen=True)
class Out:
    """The common output options of every command (those it does not take stay unset)."""

    data: str | None = None
    fmt: Format | None = None
    output: Path | None = None
    limit: int | None = None
    columns: str | None = None
    lang: Lang | None = None
    no_header: bool = False
    no_pager: bool = False
    scope: str = ""  # the command's own options as given (`--park 密云`): a page says so
    command: str = ""  # its name: the picture's title says `zgc parks`

    def sink(self) -> Sink:
        """Where this run's output goes."""
        from zgc_cli.sink import Sink

        return Sink.open(
            command=f"zgc {self.command}",
            fmt=self.fmt,
            file=self.output,
            lang=self.lang,
            header=not self.no_header,
            limit=self.limit,
            data=self.data,
            paging=not self.no_pager,
            scope=self.scope,
        )


NO_OUT = Out()  # a command's `out` default; command always passes the real one


def _scope(own: list[inspect.Parameter], values: dict[str, Any]) -> str:
    """The options a command was given beyond its defaults, as typed (`--park 密云`)."""
    said: list[str] = []
    for parameter in own:
        value = values.get(parameter.name)
        if value in (None, False, (), []) or value == parameter.default:
            continue
        many = value if isinstance(value, list | tuple) else [value]
        shown = [getattr(v, "value", v) for v in many]
        flag = "--" + parameter.name.replace("_", "-")
        if any(isinstance(meta, ArgumentInfo) for meta in get_args(parameter.annotation)[1:]):
            said.extend(str(v) for v in shown)  # `zgc search 复工`: the words, not an option
        else:
            said.extend(flag if v is True else f"{flag} {v}" for v in shown)
    return " ".join(said)


ROWS = ("data", "fmt", "output", "limit", "columns", "lang", "no_header")
C = TypeVar("C", bound=Callable[..., None])


def command(name: str, *example_lines: str, out: tuple[str, ...] = ROWS) -> Callable[[C], C]:
    """Declare the command `name`: its line in `zgc --help` (COMMANDS), its examples and the
    output options `out`, handed to it as `out: Out`; its own parameters that are not Annotated
    take their declaration in OPTIONS. Typer reads the wrapper's signature: the command's own
    parameters, less `out`, then these."""
    if "fmt" in out and "no_pager" not in out:  # a table on a terminal may be paged
        out = (*out, "no_pager")
    types = get_type_hints(Out)

    def declare(function: C) -> C:
        signature = inspect.signature(function)
        own = [
            p
            if get_origin(p.annotation) is Annotated
            else p.replace(annotation=Annotated[p.annotation, OPTIONS[p.name]])
            for p in signature.parameters.values()
            if p.name != "out"
        ]
        added = [
            inspect.Parameter(
                option,
                inspect.Parameter.KEYWORD_ONLY,
                default=getattr(NO_OUT, option),
                annotation=Annotated[types[option], OPTIONS[option]],
            )
            for option in out
        ]

        @functools.wraps(function)
        def run(**values: Any) -> None:
            chosen = {option: values.pop(option) for option in out}
            given = Out(**chosen, scope=_scope(own, values), command=name)
            function(**values, out=given)

        parameters = [*own, *added]
        run.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": None}
        short_help, epilog = COMMANDS[name][1], examples(*example_lines)
        REGISTERED[name] = CommandInfo(callback=run, short_help=short_help, epilog=epilog)
        return function

    return declare
