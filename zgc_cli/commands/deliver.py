"""Where every command's rows go: one path from a query (or rows built in Python) to stdout,
a file written atomically, DuckDB's own streaming writer, or a picture (.svg/.html).

Also the quiet end of a closed pipe. Rich and DuckDB are imported only inside functions.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from zgc_cli import queries
from zgc_cli.commands.options import Out
from zgc_cli.errors import UsageError
from zgc_cli.queries import Query
from zgc_cli.render import Format

if TYPE_CHECKING:
    from zgc_cli.db import Database, Result


@contextmanager
def database(data: str | None, **limits: Any) -> Iterator[Database]:
    from zgc_cli.db import open_database

    db = open_database(data, **limits)
    try:
        yield db
    finally:
        db.close()


def emit_named(out: Out, build: Callable[[Database], Query], available: list[str]) -> None:
    """Run a named command's query and write it: the path every list command takes."""
    with database(out.data, **connection_limits(out)) as db:
        query = build(db)
        columns = queries.pick_columns(query, available, out.columns, out.lang)
        deliver(db, query.sql(columns), query.params, out, trusted=True)


def connection_limits(out: Out) -> dict[str, Any]:
    """What the connection must allow for zgc's own writers: the files they may write, and for
    DuckDB's streaming writer no insertion order. Kept in order, its parallel COPY buffered
    2.2 GB for 10M rows (one thread instead: 123 MB but 1.7x slower); unordered it streams in
    153 MB and as fast. SQL promises an order only with ORDER BY, and ORDER BY still holds."""
    if out.output is not None and out.output.suffix.lower() == ".parquet" and out.fmt is None:
        return {"writable": [parquet_tmp(out.output)]}
    if native_stdout(out):
        from zgc_cli.db import STDOUT

        return {"writable": [Path(STDOUT)], "preserve_insertion_order": False}
    return {}


def native_stdout(out: Out) -> bool:
    """csv/jsonl to a pipe, with nothing for Python to cut: DuckDB's writer streams it."""
    if out.output is not None or out.limit is not None or out.columns:
        return False
    if out.fmt not in (Format.csv, Format.jsonl):
        return False
    from zgc_cli.output import stdout_reopenable

    return stdout_reopenable(sys.stdout)


def parquet_tmp(target: Path) -> Path:
    """DuckDB's parquet writer needs the temp name before the sandbox locks; the pid keeps
    two zgc runs writing the same file from sharing it."""
    return target.absolute().parent / f".{target.name}.{os.getpid()}.zgc-tmp.parquet"


def deliver(
    db: Database,
    sql: str,
    params: dict[str, Any] | None,
    out: Out,
    *,
    trusted: bool,
    title: str | None = None,
    highlight: str | None = None,
) -> None:
    from zgc_cli import output, render

    fmt, terminal = out.format_for(sys.stdout)
    if fmt == "parquet":
        write_parquet(db, sql, params, out, trusted=trusted)
        return
    if fmt in ("svg", "html"):
        save_picture(
            out,
            str(fmt),
            db,
            lambda stream: deliver_picture(
                db, sql, params, out, stream, trusted=trusted, title=title, highlight=highlight
            ),
        )
        return
    assert isinstance(fmt, Format)
    if native_stdout(out):  # DuckDB's writer streams straight to stdout (Database.export)
        written: int | None = -1
        with stdout_guard():
            sys.stdout.flush()
            written = db.export(sql, params, fmt.value, header=not out.no_header, trusted=trusted)
        if written is not None:
            if written == 0:
                note("no rows match")
            return
    result = db.run(sql, params, trusted=trusted)
    count = -1
    try:
        result = project_columns(result, out) if not trusted else result
        if out.output is not None:
            with output.atomic_text(out.output, db.path) as handle:
                count = render.write(
                    result, fmt, handle, render_options(out, handle, False, title, highlight)
                )
        else:
            with stdout_guard():
                count = render.write(
                    result,
                    fmt,
                    sys.stdout,
                    render_options(out, sys.stdout, terminal, title, highlight),
                )
    finally:
        result.close()
    if count == 0 and out.limit != 0:  # --limit 0 asked for no rows
        note("no rows match")


def render_options(
    out: Out, stream: TextIO, terminal: bool, title: str | None, highlight: str | None = None
) -> Any:
    from zgc_cli.render import Options, color_wanted

    width = None
    if terminal:
        import shutil

        width = shutil.get_terminal_size((100, 24)).columns
    return Options(
        header=not out.no_header,
        limit=out.limit,
        lang=out.lang.value,
        color=color_wanted(stream) and (out.output is None or recording(stream)),
        terminal=terminal,
        width=width,
        title=title,
        highlight=highlight,
    )


def project_columns(result: Result, out: Out) -> Result:
    """--columns for `zgc sql`: keep the named result columns, in the order given."""
    if not out.columns:
        return result
    from zgc_cli.db import Projected

    chosen = [c.strip() for c in out.columns.split(",") if c.strip()]
    for name in chosen:
        if name not in result.columns:
            raise queries.unknown("column", name, result.columns)
    return Projected.of(result, chosen)


def write_parquet(
    db: Database, sql: str, params: dict[str, Any] | None, out: Out, *, trusted: bool
) -> None:
    from zgc_cli import output
    from zgc_cli.db import check_statement, sql_literal

    assert out.output is not None
    if not trusted:
        check_statement(sql)
    output.check_target(out.output, db.path)
    with output.partial_file(parquet_tmp(out.output)) as tmp:
        # zgc's own writer: the user's statement was checked above; only `tmp` is writable.
        db.run(
            f"COPY (\n{sql.strip().rstrip(';')}\n) TO {sql_literal(str(tmp))} (FORMAT parquet)",
            params,
            trusted=True,
        ).close()
        os.replace(tmp, out.output)


def note(message: str) -> None:
    sys.stderr.write(f"zgc: {message}\n")


def deliver_rows(snapshot: Path | None, rows: Any, out: Out) -> None:
    """Write rows built in Python (tables, schema, info) like any query result."""
    from zgc_cli import output as outputs
    from zgc_cli import render

    fmt, terminal = out.format_for(sys.stdout)
    if fmt == "parquet":
        raise UsageError("only query results can be written as .parquet; use .csv or .json")
    if fmt in ("svg", "html"):
        save_picture(
            out,
            str(fmt),
            None,
            lambda stream: render.write(
                rows, Format.table, stream, render_options(out, stream, True, None)
            ),
        )
        return
    assert isinstance(fmt, Format)
    if out.output is not None:
        with outputs.atomic_text(out.output, snapshot) as handle:
            render.write(rows, fmt, handle, render_options(out, handle, False, None))
    else:
        with stdout_guard():
            render.write(rows, fmt, sys.stdout, render_options(out, sys.stdout, terminal, None))


def command_path() -> str:
    from typer._click.globals import get_current_context

    context = get_current_context(silent=True)
    return context.command_path if context is not None else "zgc"


def recording(stream: TextIO) -> bool:
    from zgc_cli.picture import Canvas

    return isinstance(stream, Canvas)


def deliver_picture(
    db: Database,
    sql: str,
    params: dict[str, Any] | None,
    out: Out,
    stream: TextIO,
    *,
    trusted: bool,
    title: str | None,
    highlight: str | None,
) -> None:
    from zgc_cli import render

    result = db.run(sql, params, trusted=trusted)
    try:
        result = project_columns(result, out) if not trusted else result
        count = render.write(
            result, Format.table, stream, render_options(out, stream, True, title, highlight)
        )
    finally:
        result.close()
    if count == 0 and out.limit != 0:  # --limit 0 asked for no rows
        note("no rows match")


def save_picture(
    out: Out,
    kind: str,
    db: Database | None,
    draw_text: Callable[[TextIO], object] | None,
    *,
    title: str | None = None,
    draw: Any = None,
    width: int | None = None,
) -> None:
    """-o FILE.svg/.html: record what the terminal would show, the report's citation below."""
    import shutil

    from zgc_cli import output as outputs
    from zgc_cli import picture

    assert out.output is not None
    width = width or shutil.get_terminal_size((100, 24)).columns
    if draw is None:
        assert draw_text is not None
        canvas = picture.Canvas()
        draw_text(canvas)
        draw = picture.from_ansi(canvas.getvalue())
    if db is None:
        with database(out.data) as opened:
            cite = picture.citation(opened, out.lang.value)
            protected: Path | None = opened.path
    else:
        cite, protected = picture.citation(db, out.lang.value), db.path
    document = picture.export(kind, draw, width=width, title=title or command_path(), cite=cite)
    with outputs.atomic_text(out.output, protected) as handle:
        handle.write(document)


@contextmanager
def stdout_guard() -> Iterator[None]:
    """A reader that goes away (`| head -1`) ends the output quietly, not with a traceback."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()


def silence_stdout() -> None:
    # The reader went away (`| head -1`): point stdout at /dev/null so the interpreter's
    # final flush does not print a BrokenPipeError.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
