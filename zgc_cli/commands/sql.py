"""`zgc sql`: one read-only statement, from an argument, stdin or a file, with bound $params."""

import math
import sys
from pathlib import Path
from typing import Annotated

import typer

from zgc_cli.commands.options import NO_OUT, Out, command, database, not_blank
from zgc_cli.errors import QueryError, UsageError
from zgc_cli.preferences import is_terminal
from zgc_cli.queries.base import column_names


def read_query(query: str | None, file: Path | None, timeout: float) -> str:
    """The query from the argument, --file or standard input, read within bounds: UTF-8, one
    leading byte-order mark (editors on Windows write one) dropped."""
    from zgc_cli.db.sandbox import MAX_SQL_BYTES
    from zgc_cli.inputs import read_bounded

    if file is not None and query is not None:
        raise UsageError("give the query as an argument or with --file, not both")
    if file is None and query not in (None, "-"):
        return str(query)
    typed = is_terminal(sys.stdin)
    if file is not None:
        where = str(file)
        raw = read_bounded(file, what=f"the query in {file}", limit=MAX_SQL_BYTES, seconds=timeout)
    else:
        if query is None and typed:
            raise UsageError(
                "no query given; pass it as an argument, '-' for stdin, or --file "
                "(the shell needs a terminal on stdin and stdout)"
            )
        try:
            fd = sys.stdin.fileno()
        except (AttributeError, ValueError, OSError) as exc:
            raise UsageError(f"cannot read the query from stdin: {exc}") from None
        where = "stdin"
        seconds = None if typed else timeout
        raw = read_bounded(fd, what="the query on stdin", limit=MAX_SQL_BYTES, seconds=seconds)
        if not raw.strip():
            raise UsageError("no query given: pass it as an argument, '-' for stdin, or --file")
    try:
        return raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise QueryError(f"refused: the query in {where} is not valid UTF-8") from None


def bind_params(pairs: list[str] | None, text: str) -> dict[str, str]:
    """--param name=value for each $name of the query: each once, none missing, none unused."""
    from zgc_cli.db.sandbox import parameters

    params: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier():
            raise UsageError(f"--param {pair!r}: use name=value (binds $name)")
        if name in params:
            raise UsageError(f"--param {name} is given twice; give each parameter once")
        params[name] = value
    used = parameters(text)
    for name in used:
        if name not in params:
            raise UsageError(f"the query uses ${name}: give it with --param {name}=VALUE")
    for name in params:
        if name not in used:
            raise UsageError(f"--param {name}: the query has no ${name}")
    return params


def valid_timeout(text: str) -> float:
    """--timeout's parser: any bad value, `x` too, says what it takes (not "a valid float")."""
    from zgc_cli.db.guard import check_timeout

    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan  # refused below, in the same words
    try:
        return check_timeout(seconds)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def valid_memory_limit(value: str | None) -> str | None:
    from zgc_cli.db.connection import parse_size

    if value is None:
        return None
    try:
        parse_size(not_blank(value))
    except UsageError as exc:
        raise typer.BadParameter(str(exc).removeprefix(f"--memory-limit {value!r}: ")) from None
    return value


@command(
    "sql",
    'zgc sql "SELECT name_en, investment_yuan FROM projects"',
    "zgc sql                 (on a terminal: a shell; SQL ends with ;, .help lists commands)",
    "zgc sql 'SELECT * FROM indicators WHERE unit = $u' --param u=percent",
    "echo 'FROM parks' | zgc sql",
    "zgc sql --file q.sql -o out.parquet",
    out=("data", "fmt", "output", "limit", "columns", "no_header"),
)
def sql(
    query: Annotated[
        str | None,
        typer.Argument(
            help="One read-only statement, or '-' to read it from stdin; none on a terminal "
            "opens a shell."
        ),
    ] = None,
    file: Path | None = None,
    param: list[str] | None = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            parser=valid_timeout,
            metavar="SECONDS",
            help="Stop the query after SECONDS (above 0, at most 86400).",
        ),
    ] = 30.0,
    memory_limit: Annotated[
        str | None,
        typer.Option(
            "--memory-limit",
            callback=valid_memory_limit,
            metavar="SIZE",
            help="Memory for the query, 16MB to 1TiB (default 1GB; 256MB when csv, jsonl "
            "or parquet stream out through DuckDB's writer, which keeps no rows).",
        ),
    ] = None,
    out: Out = NO_OUT,
) -> None:
    """Run one read-only SQL statement over the views (parks, projects, indicators, companies,
    events, programs, participants, products, sources); with no query on a terminal, a shell
    of them."""
    if query is None and file is None and is_terminal(sys.stdin) and is_terminal(sys.stdout):
        if param:
            raise UsageError("--param binds the $names of one query; the shell takes none")
        if out.columns:
            raise UsageError(
                "--columns picks one query's columns; in the shell, name them in SELECT"
            )
        from zgc_cli import render
        from zgc_cli.shell import dot, repl  # prompt_toolkit: loaded for the shell only

        render.chosen(out.fmt, out.output, True)  # `-f html` with no -o: refused before, once

        settings = dot.Settings(
            data=out.data, fmt=out.fmt, output=out.output, header=not out.no_header, limit=out.limit
        )
        raise typer.Exit(repl.run(settings, timeout=timeout, memory_limit=memory_limit))
    from zgc_cli.db.sandbox import check_text

    text = read_query(query, file, timeout)
    check_text(text)  # size and encoding first: finding $params reads every token
    params = bind_params(param, text)
    sink = out.sink()
    project = column_names(out.columns) if out.columns else None
    try:
        with database(
            out.data, timeout=timeout, memory_limit=memory_limit, streaming=sink.streams
        ) as db:
            guard = db.guard()  # one deadline from the parse to the last row
            # raw: a terminal shows the values as stored, what the query's WHERE matches
            sink.result(db, db.check(text, guard), params, project=project, guard=guard, raw=True)
    except QueryError as exc:
        # A person at a terminal sees where in the query, as DuckDB's and SQLite's shells
        # show it; a script or a log keeps its one `zgc: error:` line.
        from zgc_cli import diagnostics

        lines = diagnostics.pointer(text, exc.said) if is_terminal(sys.stderr) else []
        if not lines:
            raise
        diagnostics.error(str(exc), *lines)
        raise typer.Exit(int(exc.exit_code)) from None
