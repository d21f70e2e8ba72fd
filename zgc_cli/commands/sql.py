"""`zgc sql`: one read-only statement, from an argument, stdin or a file, with bound $params."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from zgc_cli.commands.deliver import connection_limits, database, deliver
from zgc_cli.commands.options import (
    ColumnsOpt,
    DataOpt,
    FormatOpt,
    LimitOpt,
    NoHeaderOpt,
    Out,
    OutputOpt,
    examples,
    not_blank,
)
from zgc_cli.errors import UsageError
from zgc_cli.queries import Lang

commands = typer.Typer()


def read_query(query: str | None, file: Path | None) -> str:
    if file is not None and query is not None:
        raise UsageError("give the query as an argument or with --file, not both")
    if file is not None:
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {file}: {exc.strerror}") from None
        return decode_query(raw, str(file))
    if query is None:
        raise UsageError("no query given; pass it as an argument, '-' for stdin, or --file")
    if query == "-":
        try:
            raw = sys.stdin.buffer.read()
        except (OSError, AttributeError, ValueError) as exc:
            raise UsageError(f"cannot read the query from stdin: {exc}") from None
        return decode_query(raw, "stdin")
    return query


def decode_query(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        from zgc_cli.errors import QueryError

        raise QueryError(f"refused: the query in {where} is not valid UTF-8") from None


def bind_params(pairs: list[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip().isidentifier():
            raise UsageError(f"--param {pair!r}: use name=value (binds $name)")
        params[name.strip()] = value
    return params


@commands.command(
    epilog=examples(
        'zgc sql "SELECT name_en, investment_yuan FROM projects"',
        "zgc sql 'SELECT * FROM indicators WHERE unit = $u' --param u=percent",
        "echo 'FROM parks' | zgc sql -",
        "zgc sql --file q.sql -o out.parquet",
    )
)
def sql(
    query: Annotated[
        str | None, typer.Argument(help="One read-only statement, or '-' to read it from stdin.")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            callback=not_blank,
            metavar="FILE",
            help="Read the query from FILE.",
            dir_okay=False,
        ),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            callback=not_blank,
            metavar="NAME=VALUE",
            help="Bind $NAME to VALUE, as text (cast in SQL: $n::INT); repeatable.",
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option("--timeout", min=0.1, metavar="SECONDS", help="Stop the query after SECONDS."),
    ] = 30.0,
    memory_limit: Annotated[
        str,
        typer.Option(
            "--memory-limit",
            callback=not_blank,
            metavar="SIZE",
            help="DuckDB memory limit, e.g. 512MB.",
        ),
    ] = "1GB",
    data: DataOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    limit: LimitOpt = None,
    columns: ColumnsOpt = None,
    no_header: NoHeaderOpt = False,
) -> None:
    """Run one read-only SQL statement over the views (parks, projects, indicators, companies,
    events, sources)."""
    out = Out(data, fmt, output, limit, columns, Lang.both, no_header)
    text = read_query(query, file)
    from zgc_cli.db import check_statement

    check_statement(text)
    with database(data, timeout=timeout, memory_limit=memory_limit, **connection_limits(out)) as db:
        deliver(db, text, bind_params(param), out, trusted=False)
