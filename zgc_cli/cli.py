"""The zgc command line: one short function per command over the query core.

This is the single place where a ZgcError becomes a one-line message and an exit code.
Nothing heavy is imported at module level, so `zgc --help` and `zgc --version` stay instant.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from typer._click.core import Context as ClickContext
from typer.core import TyperGroup

from zgc_cli import queries
from zgc_cli.chart import Sort
from zgc_cli.errors import DataError, ExitCode, UsageError, ZgcError
from zgc_cli.queries import Lang, Query, Status
from zgc_cli.render import Format

if TYPE_CHECKING:
    from zgc_cli.db import Database, Result

EPILOG_MAIN = """Examples:

  zgc projects --status started          projects that broke ground, with investment and quote

  zgc show semiconductor-plant           one record as a card, its quote and related rows

  zgc sql "SELECT name_en, investment_yuan FROM projects" -f csv
"""

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


def _complete_park(incomplete: str) -> list[str]:
    try:
        from zgc_cli.db import open_database

        db = open_database(os.environ.get("ZGC_DATA"))
        return [p["park_id"] for p in queries.park_table(db) if p["park_id"].startswith(incomplete)]
    except (ZgcError, OSError):
        return []


def _complete_status(incomplete: str) -> list[str]:
    return [s.value for s in Status if s.value.startswith(incomplete)]


def _examples(*lines: str) -> str:
    """A command's epilog: worked examples, one per line (\\b keeps click from rewrapping)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


# --- options, declared once ---------------------------------------------------------------

DataOpt = Annotated[
    str | None,
    typer.Option("--data", envvar="ZGC_DATA", help="Snapshot to read (default: the bundled one).",
                 show_envvar=True),
]
FormatOpt = Annotated[
    Format | None,
    typer.Option("--format", "-f", help="Output format (default: table on a terminal, "
                 "tab-separated when piped, or from the -o extension)."),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to FILE atomically (.csv .tsv .json .jsonl .md "
                 ".txt; .parquet for query results; .svg .html: a picture of the terminal "
                 "view with the report's citation).", dir_okay=False),
]
LimitOpt = Annotated[int | None, typer.Option("--limit", min=0, help="Show at most N rows.")]
ColumnsOpt = Annotated[str | None, typer.Option("--columns", help="Columns to show: a,b,c.")]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Name and label columns to show.")]
NoHeaderOpt = Annotated[bool, typer.Option("--no-header", help="Omit the header (csv/tsv).")]
ParkOpt = Annotated[
    str | None,
    typer.Option("--park", help="Park by id, Chinese or English name or alias "
                 "(shunyi, 顺义, 顺义园, Shunyi).", autocompletion=_complete_park),
]
SinceOpt = Annotated[str | None, typer.Option("--since", help="On or after DATE (YYYY-MM-DD).")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="On or before DATE (YYYY-MM-DD).")]


@dataclass(frozen=True)
class Out:
    """The common output options of every command."""

    data: str | None
    fmt: Format | None
    output: Path | None
    limit: int | None
    columns: str | None
    lang: Lang
    no_header: bool

    def format_for(self, stream: TextIO) -> tuple[Format | str, bool]:
        """The format to write and whether a person is watching (terminal table)."""
        from zgc_cli.render import EXTENSIONS, is_terminal

        if self.fmt is not None:
            return self.fmt, self.output is None and is_terminal(stream)
        if self.output is not None:
            suffix = self.output.suffix.lower()
            if suffix not in EXTENSIONS:
                raise UsageError(f"cannot tell the format of {self.output.name}; use -f "
                                 f"({', '.join(f.value for f in Format)}) or a known extension")
            chosen = EXTENSIONS[suffix]
            return (Format(chosen) if chosen in Format.__members__ else chosen), False
        if is_terminal(stream):
            return Format.table, True
        return Format.tsv, False  # piped: one plain record per line, greppable


def _version(value: bool) -> None:
    if value:
        from zgc_cli import __version__  # package metadata: read only when asked for

        sys.stdout.write(f"zgc {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Query a cited, bilingual dataset of Zhongguancun's 2020 recovery."""


# --- the shared path ----------------------------------------------------------------------


@contextmanager
def _database(data: str | None, **limits: Any) -> Iterator[Database]:
    from zgc_cli.db import open_database

    db = open_database(data, **limits)
    try:
        yield db
    finally:
        db.close()


def _emit_named(out: Out, build: Callable[[Database], Query], available: list[str]) -> None:
    """Run a named command's query and write it: the path every list command takes."""
    with _database(out.data, writable=_writable(out)) as db:
        query = build(db)
        columns = queries.pick_columns(query, available, out.columns, out.lang)
        _deliver(db, query.sql(columns), query.params, out, trusted=True)


def _writable(out: Out) -> list[Path]:
    if out.output is not None and out.output.suffix.lower() == ".parquet" and out.fmt is None:
        return [_parquet_tmp(out.output)]
    if _native_stdout(out):
        from zgc_cli.db import STDOUT

        return [Path(STDOUT)]
    return []


def _native_stdout(out: Out) -> bool:
    """csv/jsonl to a pipe, with nothing for Python to cut: DuckDB's writer streams it."""
    if out.output is not None or out.limit is not None or out.columns:
        return False
    if out.fmt not in (Format.csv, Format.jsonl):
        return False
    from zgc_cli.output import stdout_reopenable

    return stdout_reopenable(sys.stdout)


def _parquet_tmp(target: Path) -> Path:
    return target.absolute().parent / f".{target.name}.zgc-tmp.parquet"


def _deliver(db: Database, sql: str, params: dict[str, Any] | None, out: Out,
             *, trusted: bool, title: str | None = None, highlight: str | None = None) -> None:
    from zgc_cli import output, render

    fmt, terminal = out.format_for(sys.stdout)
    if fmt == "parquet":
        _write_parquet(db, sql, params, out, trusted=trusted)
        return
    if fmt in ("svg", "html"):
        _save_picture(out, str(fmt), db, lambda stream: _deliver_picture(
            db, sql, params, out, stream, trusted=trusted, title=title, highlight=highlight))
        return
    assert isinstance(fmt, Format)
    if _native_stdout(out):  # DuckDB's writer streams straight to stdout (Database.export)
        written: int | None = -1
        with stdout_guard():
            sys.stdout.flush()
            written = db.export(sql, params, fmt.value, header=not out.no_header,
                                trusted=trusted)
        if written is not None:
            if written == 0:
                _note("no rows match")
            return
    result = db.run(sql, params, trusted=trusted)
    count = -1
    try:
        result = _project(result, out) if not trusted else result
        if out.output is not None:
            with output.atomic_text(out.output, db.path) as handle:
                count = render.write(result, fmt, handle,
                                     _options(out, handle, False, title, highlight))
        else:
            with stdout_guard():
                count = render.write(result, fmt, sys.stdout,
                                     _options(out, sys.stdout, terminal, title, highlight))
    finally:
        result.close()
    if count == 0:
        _note("no rows match")


def _options(out: Out, stream: TextIO, terminal: bool, title: str | None,
             highlight: str | None = None) -> Any:
    from zgc_cli.render import Options, color_wanted

    width = None
    if terminal:
        import shutil

        width = shutil.get_terminal_size((100, 24)).columns
    return Options(header=not out.no_header, limit=out.limit, lang=out.lang.value,
                   color=color_wanted(stream) and (out.output is None or _recording(stream)),
                   terminal=terminal,
                   width=width, title=title, highlight=highlight)


def _project(result: Result, out: Out) -> Result:
    """--columns for `zgc sql`: keep the named result columns, in the order given."""
    if not out.columns:
        return result
    from zgc_cli.db import Projected

    chosen = [c.strip() for c in out.columns.split(",") if c.strip()]
    for name in chosen:
        if name not in result.columns:
            raise queries.unknown("column", name, result.columns)
    return Projected.of(result, chosen)


def _write_parquet(db: Database, sql: str, params: dict[str, Any] | None, out: Out,
                   *, trusted: bool) -> None:
    from zgc_cli import output
    from zgc_cli.db import check_statement, sql_literal

    assert out.output is not None
    if not trusted:
        check_statement(sql)
    output.check_target(out.output, db.path)
    tmp = _parquet_tmp(out.output)
    try:
        # zgc's own writer: the user's statement was checked above; only `tmp` is writable.
        db.run(f"COPY (\n{sql.strip().rstrip(';')}\n) TO {sql_literal(str(tmp))} (FORMAT parquet)",
               params, trusted=True).close()
        os.replace(tmp, out.output)
    finally:
        tmp.unlink(missing_ok=True)


def _note(message: str) -> None:
    sys.stderr.write(f"zgc: {message}\n")


def _out(data: str | None, fmt: Format | None, output: Path | None, limit: int | None,
         columns: str | None, lang: Lang, no_header: bool) -> Out:
    return Out(data, fmt, output, limit, columns, lang, no_header)


def _date(text: str | None, option: str) -> Any:
    return None if text is None else queries.parse_date(text, option)


# --- list commands ------------------------------------------------------------------------


@app.command(epilog=_examples(
    "zgc parks --district 海淀 -f json",
))
def parks(
    district: Annotated[str | None, typer.Option("--district", help="District name, "
                                                 "Chinese or English (海淀, Haidian).")] = None,
    data: DataOpt = None, fmt: FormatOpt = None, output: OutputOpt = None,
    limit: LimitOpt = None, columns: ColumnsOpt = None, lang: LangOpt = Lang.both,
    no_header: NoHeaderOpt = False,
) -> None:
    """The parks and bases of the zone, with district and aliases."""
    out = _out(data, fmt, output, limit, columns, lang, no_header)
    _emit_named(out, lambda db: queries.parks_query(district), queries.view_columns("parks"))


@app.command(epilog=_examples(
    "zgc projects --status started",
    "zgc projects --status 开工 --park 顺义 -f json",
    "zgc projects --sort investment_yuan --desc",
))
def projects(
    status: Annotated[list[str] | None, typer.Option(
        "--status", "-s", help="started (开工), resumed (复工), under_construction (在建), "
        "completed (建成), planned; repeatable.", autocompletion=_complete_status)] = None,
    park: ParkOpt = None, since: SinceOpt = None, until: UntilOpt = None,
    sort: Annotated[str | None, typer.Option("--sort", help="Field to sort by "
                                             "(default status_date).")] = None,
    desc: Annotated[bool, typer.Option("--desc", help="Sort descending.")] = False,
    data: DataOpt = None, fmt: FormatOpt = None, output: OutputOpt = None,
    limit: LimitOpt = None, columns: ColumnsOpt = None, lang: LangOpt = Lang.both,
    no_header: NoHeaderOpt = False,
) -> None:
    """Construction projects: status (started, resumed, ...), date, park, investment, quote."""
    out = _out(data, fmt, output, limit, columns, lang, no_header)
    statuses = [queries.resolve_status(s) for s in status or []]
    start, end = _date(since, "--since"), _date(until, "--until")
    _emit_named(out, lambda db: queries.projects_query(
        statuses, queries.resolve_park(db, park) if park else None, start, end, sort, desc),
        queries.PROJECT_COLUMNS)


@app.command(epilog=_examples(
    "zgc indicators --metric resumption",
    "zgc indicators --park 密云 --unit percent",
    "zgc indicators --period 2020-Q1",
))
def indicators(
    park: ParkOpt = None,
    subject: Annotated[str | None, typer.Option("--subject", help="Subject type (zone, park, "
                       "company, project, program) or part of a subject id.")] = None,
    metric: Annotated[str | None, typer.Option("--metric", help="Metric name or label, "
                      "Chinese or English; substring or glob ('*revenue*').")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="Unit: yuan, m2, percent, people, "
                    "enterprises, ...")] = None,
    period: Annotated[str | None, typer.Option("--period", help="Period, e.g. 2020-Q1.")] = None,
    data: DataOpt = None, fmt: FormatOpt = None, output: OutputOpt = None,
    limit: LimitOpt = None, columns: ColumnsOpt = None, lang: LangOpt = Lang.both,
    no_header: NoHeaderOpt = False,
) -> None:
    """Every figure of the report: value in base units, the words as written, hedge, quote."""
    out = _out(data, fmt, output, limit, columns, lang, no_header)
    unit_id = queries.resolve_unit(unit) if unit else None
    _emit_named(out, lambda db: queries.indicators_query(
        queries.resolve_park(db, park) if park else None, subject, metric, unit_id, period),
        queries.view_columns("indicators"))


@app.command(epilog=_examples(
    "zgc companies --park chaoyang",
))
def companies(
    park: ParkOpt = None,
    data: DataOpt = None, fmt: FormatOpt = None, output: OutputOpt = None,
    limit: LimitOpt = None, columns: ColumnsOpt = None, lang: LangOpt = Lang.both,
    no_header: NoHeaderOpt = False,
) -> None:
    """Companies and institutions the report names, with park and sector."""
    out = _out(data, fmt, output, limit, columns, lang, no_header)
    _emit_named(out, lambda db: queries.companies_query(
        queries.resolve_park(db, park) if park else None), queries.view_columns("companies"))


@app.command(epilog=_examples(
    "zgc timeline --since 2020-03-01 --until 2020-04-30",
    "zgc timeline --chart",
    "zgc timeline --chart --lang en -o timeline.svg",
))
def timeline(
    since: SinceOpt = None, until: UntilOpt = None,
    chart: Annotated[bool, typer.Option("--chart", help="Draw the dated events on a "
                                        "January-June 2020 axis, a letter per park.")] = False,
    data: DataOpt = None, fmt: FormatOpt = None, output: OutputOpt = None,
    limit: LimitOpt = None, columns: ColumnsOpt = None, lang: LangOpt = Lang.both,
    no_header: NoHeaderOpt = False,
) -> None:
    """Dated events in date order (大年三十 = 2020-01-24 ... 4月17日 = 2020-04-17)."""
    out = _out(data, fmt, output, limit, columns, lang, no_header)
    start, end = _date(since, "--since"), _date(until, "--until")
    if chart:
        from zgc_cli import chart as charts

        _show_chart(out, lambda db, width, glyphs: charts.timeline_chart(
            charts.find_events(db, start, end, limit), width=width, glyphs=glyphs,
            lang=lang.value))
        return
    _emit_named(out, lambda db: queries.timeline_query(start, end),
                queries.view_columns("events"))


# --- sql ----------------------------------------------------------------------------------


def _read_query(query: str | None, file: Path | None) -> str:
    if file is not None and query is not None:
        raise UsageError("give the query as an argument or with --file, not both")
    if file is not None:
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {file}: {exc.strerror}") from None
        return _decode(raw, str(file))
    if query is None:
        raise UsageError("no query given; pass it as an argument, '-' for stdin, or --file")
    if query == "-":
        try:
            raw = sys.stdin.buffer.read()
        except (OSError, AttributeError, ValueError) as exc:
            raise UsageError(f"cannot read the query from stdin: {exc}") from None
        return _decode(raw, "stdin")
    return query


def _decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        from zgc_cli.errors import QueryError

        raise QueryError(f"refused: the query in {where} is not valid UTF-8") from None


def _params(pairs: list[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip().isidentifier():
            raise UsageError(f"--param {pair!r}: use name=value (binds $name)")
        params[name.strip()] = value
    return params


@app.command(epilog=_examples(
    'zgc sql "SELECT name_en, investment_yuan FROM projects"',
    "zgc sql 'SELECT * FROM indicators WHERE unit = $u' --param u=percent",
    "echo 'FROM parks' | zgc sql -",
    'zgc sql --file q.sql -o out.parquet',
))
def sql(
    query: Annotated[str | None, typer.Argument(help="One read-only statement, or '-' to read "
                                                "it from stdin.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Read the query from FILE.",
                                              dir_okay=False)] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="name=value, binds "
                                                    "$name; repeatable.")] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Stop the query after "
                                           "SECONDS.")] = 30.0,
    memory_limit: Annotated[str, typer.Option("--memory-limit", help="DuckDB memory limit, "
                                              "e.g. 512MB.")] = "1GB",
    data: DataOpt = None, fmt: FormatOpt = None, output: OutputOpt = None,
    limit: LimitOpt = None, columns: ColumnsOpt = None,
    no_header: NoHeaderOpt = False,
) -> None:
    """Run one read-only SQL statement over the views (parks, projects, indicators, companies,
    events, sources)."""
    out = _out(data, fmt, output, limit, columns, Lang.both, no_header)
    text = _read_query(query, file)
    from zgc_cli.db import check_statement

    check_statement(text)
    with _database(data, timeout=timeout, memory_limit=memory_limit,
                   writable=_writable(out)) as db:
        _deliver(db, text, _params(param), out, trusted=False)


# --- records, search and the catalogue ---------------------------------------------------


def _complete_id(incomplete: str) -> list[str]:
    try:
        from zgc_cli.db import open_database

        db = open_database(os.environ.get("ZGC_DATA"))
        return [i for i in queries.all_ids(db) if i.startswith(incomplete)]
    except (ZgcError, OSError):
        return []


@app.command(epilog=_examples(
    "zgc show semiconductor-plant",
    "zgc show miyun",
    "zgc show zgc-q1-total-revenue -f json",
))
def show(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="Any id: park, project, "
                         "indicator, company, event or source.", autocompletion=_complete_id)],
    data: DataOpt = None, fmt: FormatOpt = None, output: OutputOpt = None,
    lang: LangOpt = Lang.both,
) -> None:
    """One record as a card: every field, its quote with the figure marked, related rows."""
    from zgc_cli import output as outputs
    from zgc_cli import render

    out = _out(data, fmt, output, None, None, lang, False)
    with _database(data) as db:
        found = queries.find_record(db, record_id)
        if found is None:
            raise queries.unknown("id", record_id, queries.all_ids(db))
        table, record = found
        related: dict[str, render.Listed] = {}
        for label, sql_text in queries.RELATED.get(table, []):
            # One connection runs one statement at a time: read each result before the next.
            rows = db.run(sql_text, {"id": record_id}, trusted=True)
            related[label] = render.Listed(rows.columns, rows.types, rows.rows())
        figure = record.get("value_text") or record.get("status_date_text") or record.get(
            "date_text")
        chosen, terminal = out.format_for(sys.stdout)
        if chosen == "parquet":
            raise UsageError("show writes a card; use -o FILE.json or .csv, not .parquet")

        def write(stream: TextIO, terminal: bool) -> None:
            options = _options(out, stream, terminal, None)
            if chosen in (Format.table, "svg", "html"):
                render.write_card(table, record, related, figure, stream, options)
            elif chosen in (Format.json, Format.jsonl):
                document = {"table": table, "record": record, "related": {
                    label: [dict(zip(r.columns, row, strict=True)) for row in r.rows]
                    for label, r in related.items()}}
                render.write_document(document, stream, indent=chosen is Format.json)
            else:
                pairs = render.Listed(["field", "value"], ["VARCHAR", "VARCHAR"],
                                      [(k, v) for k, v in record.items()])
                assert isinstance(chosen, Format)
                render.write(pairs, chosen, stream, options)

        if chosen in ("svg", "html"):
            _save_picture(out, str(chosen), db, lambda stream: write(stream, True))
        elif out.output is not None:
            with outputs.atomic_text(out.output, db.path) as handle:
                write(handle, False)
        else:
            with stdout_guard():
                write(sys.stdout, terminal)


@app.command(epilog=_examples(
    "zgc search 顺义",
    "zgc search resumption",
    "zgc search 开工 -f json",
))
def search(
    text: Annotated[str, typer.Argument(help="Text to find, Chinese or English.")],
    data: DataOpt = None, fmt: FormatOpt = None, output: OutputOpt = None,
    limit: LimitOpt = None, columns: ColumnsOpt = None, lang: LangOpt = Lang.both,
    no_header: NoHeaderOpt = False,
) -> None:
    """Find TEXT in names, metrics, titles and quotes of every table; name matches first."""
    if not text.strip():
        raise UsageError("search text is empty; give a word such as 顺义 or resumption")
    out = _out(data, fmt, output, limit, columns, lang, no_header)
    query = Query(inner=queries.SEARCH_SQL, default_columns=queries.SEARCH_COLUMNS,
                  params={"text": text.strip()}, order_by='rank, "table", id')
    with _database(data, writable=_writable(out)) as db:
        chosen = queries.pick_columns(query, queries.SEARCH_COLUMNS, out.columns, out.lang)
        _deliver(db, query.sql(chosen), query.params, out, trusted=True,
                 highlight=text.strip())


@app.command(epilog=_examples(
    "zgc tables -f json",
))
def tables(
    data: DataOpt = None, fmt: FormatOpt = None, output: OutputOpt = None,
    no_header: NoHeaderOpt = False,
) -> None:
    """Each view with its row count and what it holds."""
    from zgc_cli.dictionary import TABLES
    from zgc_cli.render import Listed

    out = _out(data, fmt, output, None, None, Lang.both, no_header)
    with _database(data) as db:
        counts = dict(db.run('SELECT "table", count(*) FROM _snapshot GROUP BY 1',
                             trusted=True).rows())
        rows = [(name, counts.get(name, 0), table.description) for name, table in TABLES.items()]
        _deliver_rows(db.path, Listed(["table", "rows", "description"],
                                      ["VARCHAR", "BIGINT", "VARCHAR"], rows), out)


@app.command(epilog=_examples(
    "zgc schema",
    "zgc schema indicators",
))
def schema(
    table: Annotated[str | None, typer.Argument(help="One view (default: all).")] = None,
    fmt: FormatOpt = None, output: OutputOpt = None, no_header: NoHeaderOpt = False,
) -> None:
    """Columns of each view: type, unit and meaning, from the data dictionary."""
    from zgc_cli.dictionary import TABLES
    from zgc_cli.render import Listed

    if table is not None and table not in TABLES:
        raise queries.unknown("table", table, list(TABLES))
    out = _out(None, fmt, output, None, None, Lang.both, no_header)
    rows = [(t.name, c.name, c.type, c.unit or None, c.meaning)
            for t in TABLES.values() if table in (None, t.name) for c in t.columns]
    _deliver_rows(None, Listed(["table", "column", "type", "unit", "meaning"],
                               ["VARCHAR"] * 5, rows), out)


@app.command(epilog=_examples(
    "zgc info -f json",
))
def info(
    data: DataOpt = None, fmt: FormatOpt = None, output: OutputOpt = None,
    no_header: NoHeaderOpt = False,
) -> None:
    """The snapshot: path, the report it cites (title, byline, SHA-256), versions, row counts."""
    from zgc_cli.render import Listed

    out = _out(data, fmt, output, None, None, Lang.both, no_header)
    with _database(data) as db:
        metadata = db.metadata()
        source = db.run("SELECT title_zh, title_en, byline, sha256, characters FROM sources",
                        trusted=True)
        report = dict(zip(source.columns, source.fetch(1)[0], strict=True))
        counts = dict(db.run('SELECT "table", count(*) FROM _snapshot GROUP BY 1',
                             trusted=True).rows())
        rows: list[tuple[str, object]] = [
            ("snapshot", str(db.path)),
            ("report_title_zh", report["title_zh"]),
            ("report_title_en", report["title_en"]),
            ("byline", report["byline"]),
            ("report_sha256", report["sha256"]),
            ("report_characters", report["characters"]),
            ("schema_version", metadata.get("zgc_schema_version")),
            ("build_version", metadata.get("zgc_build_version")),
            *((f"rows_{name}", counts.get(name, 0)) for name in queries.KEYS),
        ]
        _deliver_rows(db.path, Listed(["field", "value"], ["VARCHAR", "VARCHAR"], rows), out)


def _deliver_rows(snapshot: Path | None, rows: Any, out: Out) -> None:
    """Write rows built in Python (tables, schema, info) like any query result."""
    from zgc_cli import output as outputs
    from zgc_cli import render

    fmt, terminal = out.format_for(sys.stdout)
    if fmt == "parquet":
        raise UsageError("only query results can be written as .parquet; use .csv or .json")
    if fmt in ("svg", "html"):
        _save_picture(out, str(fmt), None, lambda stream: render.write(
            rows, Format.table, stream, _options(out, stream, True, None)))
        return
    assert isinstance(fmt, Format)
    if out.output is not None:
        with outputs.atomic_text(out.output, snapshot) as handle:
            render.write(rows, fmt, handle, _options(out, handle, False, None))
    else:
        with stdout_guard():
            render.write(rows, fmt, sys.stdout, _options(out, sys.stdout, terminal, None))


# --- build --------------------------------------------------------------------------------


@app.command(hidden=True)
def build(
    check: Annotated[bool, typer.Option("--check", help="Validate only; write nothing.")] = False,
    sources: Annotated[Path, typer.Option("--sources", help="Curated CSV directory.")] = Path(
        "data/source"),
    out: Annotated[Path, typer.Option("--out", help="Snapshot to write.")] = Path(
        "data/zgc.parquet"),
    report: Annotated[Path | None, typer.Option("--report", envvar="ZGC_SOURCE",
                                                help="The report, to check quotes.")] = None,
) -> None:
    """Maintainers: validate data/source/*.csv and write data/zgc.parquet (atomically)."""
    from zgc_cli import build as builder

    report_path = report or builder.default_report_path()
    if not report_path.is_file():
        _note(f"report not found at {report_path}; quotes and SHA-256 are not checked")
    try:
        curated = builder.build(sources, None if check else out, report_path)
    except builder.BuildError as exc:
        for problem in exc.problems:
            sys.stderr.write(f"{problem}\n")
        raise
    counts = ", ".join(f"{name} {count}" for name, count in curated.count().items())
    _note(f"{'checked' if check else f'wrote {out}'}: {counts}")


# --- safety commands (issue 4: verify) -----------------------------------------------------
# (anchor: verify command goes here)


@app.command(epilog=_examples(
    "zgc verify",
    "zgc verify --source zgc-article.txt -f json",
))
def verify(
    source: Annotated[Path | None, typer.Option(
        "--source", envvar="ZGC_SOURCE", show_envvar=True, dir_okay=False,
        help="The report's text, to check every quote and its SHA-256.")] = None,
    data: DataOpt = None, fmt: FormatOpt = None, output: OutputOpt = None,
    no_header: NoHeaderOpt = False,
) -> None:
    """Check the snapshot: schema version, row counts against its metadata, vocabularies,
    foreign keys; with --source, every quote and the report's SHA-256. Exit 1 on a failure."""
    from zgc_cli import verify as verifier
    from zgc_cli.db import open_database
    from zgc_cli.render import Listed

    out = _out(data, fmt, output, None, None, Lang.both, no_header)
    checks = verifier.verify(lambda: open_database(data), source)
    from zgc_cli.db import locate_snapshot

    rows = Listed(verifier.COLUMNS, ["VARCHAR"] * 3, verifier.as_rows(checks))
    _deliver_rows(locate_snapshot(data), rows, out)
    bad = [c for c in checks if c.status == verifier.FAIL]
    if len(bad) == 1 and bad[0].name == "snapshot opens":
        raise DataError(bad[0].detail)
    if bad:
        raise DataError(f"verify failed: {', '.join(c.name for c in bad)}")


# --- charts (issue 6) ---------------------------------------------------------------------
# (anchor: chart command goes here)


@app.command(epilog=_examples(
    "zgc chart work_resumption_rate",
    "zgc chart '*resumption*' --cite",
    "zgc chart daily_output --unit bags",
    "zgc chart work_resumption_rate -o rates.svg",
))
def chart(
    metrics: Annotated[list[str], typer.Argument(metavar="METRIC", help="Metric names or "
                       "labels (Chinese or English, substring) or globs ('*resumption*').")],
    unit: Annotated[str | None, typer.Option("--unit", help="Chart only figures in this unit "
                    "(needed when the metrics mix units).")] = None,
    park: Annotated[list[str] | None, typer.Option("--park", help="Only subjects in this park "
                    "(or its bases); repeatable.", autocompletion=_complete_park)] = None,
    sort: Annotated[Sort, typer.Option("--sort", help="Order bars by value (largest first) "
                    "or name.")] = Sort.value,
    cite: Annotated[bool, typer.Option("--cite", help="Add each bar's quote.")] = False,
    data: DataOpt = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Save the chart: .svg or .html (a picture of the terminal view "
        "with the report's citation) or .txt (plain).", dir_okay=False)] = None,
    lang: LangOpt = Lang.both,
) -> None:
    """Bars of one unit's figures across their subjects: the value as written, hedges shown."""
    from zgc_cli import chart as charts

    unit_id = queries.resolve_unit(unit) if unit else None
    out = _out(data, None, output, None, None, lang, False)

    def build(db: Database, width: int, glyphs: Any) -> Any:
        parks = [queries.resolve_park(db, p) for p in park or []]
        return charts.bar_chart(charts.find_figures(db, metrics, unit_id, parks), width=width,
                                glyphs=glyphs, lang=lang.value, sort=sort, cite=cite)

    _show_chart(out, build)


def _show_chart(out: Out, build: Callable[[Database, int, Any], Any]) -> None:
    """Draw a chart on the terminal (Rich), plainly when piped or to .txt, or as a picture."""
    import shutil

    from zgc_cli import chart as charts
    from zgc_cli import output as outputs
    from zgc_cli.render import color_wanted, is_terminal

    if out.fmt not in (None, Format.table):
        raise UsageError("a chart is drawn, not tabulated; drop -f (use -o FILE.svg, .html "
                         "or .txt)")
    kind = out.output.suffix.lower().lstrip(".") if out.output is not None else None
    if kind == "htm":
        kind = "html"
    if kind not in (None, "svg", "html", "txt"):
        raise UsageError(f"a chart is written as .svg, .html or .txt, not {out.output}")
    terminal = out.output is None and is_terminal(sys.stdout)
    color = out.output is None and color_wanted(sys.stdout)
    if terminal or kind in ("svg", "html"):
        width = shutil.get_terminal_size((charts.CHART_WIDTH, 24)).columns
    else:
        width = charts.CHART_WIDTH
    glyphs = charts.Glyphs(ascii=kind == "txt" or not (terminal or color or kind))
    with _database(out.data) as db:
        drawn = build(db, width, glyphs)
        if kind in ("svg", "html"):
            assert kind is not None
            _save_picture(out, kind, db, None, title=drawn.title, draw=drawn.draw, width=width)
        elif out.output is not None:
            with outputs.atomic_text(out.output, db.path) as handle:
                handle.write(drawn.plain())
        else:
            with stdout_guard():
                drawn.write(sys.stdout, fancy=terminal or color, color=color, width=width)


def _command_path() -> str:
    from typer._click.globals import get_current_context

    context = get_current_context(silent=True)
    return context.command_path if context is not None else "zgc"


def _recording(stream: TextIO) -> bool:
    from zgc_cli.picture import Canvas

    return isinstance(stream, Canvas)


def _deliver_picture(db: Database, sql: str, params: dict[str, Any] | None, out: Out,
                     stream: TextIO, *, trusted: bool, title: str | None,
                     highlight: str | None) -> None:
    from zgc_cli import render

    result = db.run(sql, params, trusted=trusted)
    try:
        result = _project(result, out) if not trusted else result
        count = render.write(result, Format.table, stream,
                             _options(out, stream, True, title, highlight))
    finally:
        result.close()
    if count == 0:
        _note("no rows match")


def _save_picture(out: Out, kind: str, db: Database | None,
                  draw_text: Callable[[TextIO], object] | None, *, title: str | None = None,
                  draw: Any = None, width: int | None = None) -> None:
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
        with _database(out.data) as opened:
            cite = picture.citation(opened, out.lang.value)
            protected: Path | None = opened.path
    else:
        cite, protected = picture.citation(db, out.lang.value), db.path
    document = picture.export(kind, draw, width=width, title=title or _command_path(),
                              cite=cite)
    with outputs.atomic_text(out.output, protected) as handle:
        handle.write(document)


# --- entry point --------------------------------------------------------------------------


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
        _silence_stdout()
    sys.exit(int(code))


def _error(message: str) -> None:
    """One line, always: a newline in a path or a value must not split the message."""
    flat = message.replace("\r", "\\r").replace("\n", "\\n")
    sys.stderr.write(f"zgc: error: {flat}\n")


@contextmanager
def stdout_guard() -> Iterator[None]:
    """A reader that goes away (`| head -1`) ends the output quietly, not with a traceback."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()


def _silence_stdout() -> None:
    # The reader went away (`| head -1`): point stdout at /dev/null so the interpreter's
    # final flush does not print a BrokenPipeError.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


__all__ = ["DataError", "app", "main"]
