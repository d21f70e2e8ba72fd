"""The snapshot as a whole: its views (`tables`, `schema`), what it is and cites (`info`),
`verify` it, its `coverage` of the report clause by clause, and `export` it as a Data Package."""

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zgc_cli.commands.options import NO_OUT, Out, command, database, stuck
from zgc_cli.db.statement import named
from zgc_cli.dictionary import TABLES
from zgc_cli.errors import DataError
from zgc_cli.labels import label
from zgc_cli.queries.base import Lang, in_lang, named_sql, unknown
from zgc_cli.queries.coverage import COVERAGE_SQL, read_clauses
from zgc_cli.queries.records import KEYS, schema_listing, table_counts, table_listing
from zgc_cli.render import Format, Listed
from zgc_cli.vocabulary import word

if TYPE_CHECKING:
    from zgc_cli.layouts import Text
    from zgc_cli.terminal import Layout


# The output options of a listing of the snapshot
LISTING = ("data", "fmt", "output", "no_header", "lang")


@command("tables", "zgc tables -f json", out=LISTING)
def tables(out: Out = NO_OUT) -> None:
    """Each view with its row count and what it holds."""
    sink = out.sink()
    with database(out.data) as db:
        listed = table_listing(db)
        sink.listed(listed, db=db, layout=_headed(listed, sink.lang))


def _headed(listed: Listed, lang: Lang, heads: Sequence[str] = (), **texts: "Text") -> "Layout":
    """A listing's terminal view under the reader's words (layouts.headed)."""
    from zgc_cli import layouts

    return layouts.headed(listed.columns, listed.types, lang, heads, **texts)


@command(
    "schema", "zgc schema", "zgc schema indicators", out=("fmt", "output", "no_header", "lang")
)
def schema(
    table: Annotated[str | None, typer.Argument(help="One view (default: all).")] = None,
    out: Out = NO_OUT,
) -> None:
    """Columns of each view: type, unit and meaning, from the data dictionary."""
    if table is not None and table not in TABLES:
        raise unknown("table", table, list(TABLES))
    sink = out.sink()
    listed = schema_listing(table)
    sink.listed(listed, layout=_headed(listed, sink.lang))


@command("info", "zgc info -f json", out=LISTING)
def info(out: Out = NO_OUT) -> None:
    """The snapshot: path, the report it cites (title, byline, SHA-256), versions, row counts."""
    sink = out.sink()
    with database(out.data) as db:
        metadata = db.metadata()
        source = db.run(named_sql("report"))
        report = zip(source.columns, source.fetch(1)[0], strict=True)  # read before the next
        counts = table_counts(db)
        rows: list[tuple[str, object]] = [
            ("snapshot", str(db.path)),
            *report,
            ("schema_version", metadata.get("zgc_schema_version")),
            ("build_version", metadata.get("zgc_build_version")),
            *((f"rows_{name}", counts.get(name, 0)) for name in KEYS),
        ]
        kept = [row for row in rows if in_lang(row[0], sink.lang)]  # the title in `lang`
        listed = Listed(["field", "value"], ["VARCHAR", "VARCHAR"], kept)
        sink.listed(
            listed, db=db, layout=_headed(listed, sink.lang, ("field", "content"), field=_field)
        )


def _field(row: Mapping[str, Any], lang: str) -> str:
    """An info field in words: 报道标题, 园区行数, Rows in parks, 园区行数 Rows in parks."""
    field = str(row["field"])
    table = field.removeprefix("rows_")
    if table == field:
        return label(field, lang)
    if lang == "both":
        return f"{_field(row, 'zh')} {_field(row, 'en')}"
    return f"{label(table, lang)}行数" if lang == "zh" else f"Rows in {table}"


@command("verify", "zgc verify", "zgc verify --source zgc-article.txt -f json", out=LISTING)
def verify(source: Path | None = None, out: Out = NO_OUT) -> None:
    """Check the snapshot: schema version, row counts against its metadata, vocabularies,
    foreign keys; with --source, every quote and the report's SHA-256. Exit 1 on a failure."""
    from zgc_cli import verify as verifier
    from zgc_cli.db.connection import open_database

    sink = out.sink()
    checks = verifier.verify(lambda: open_database(out.data, on_stuck=stuck), source)
    listed = Listed(verifier.COLUMNS, ["VARCHAR"] * 3, list(checks))
    status = lambda row, lang: word("verify_status", row["status"], lang)  # noqa: E731
    sink.listed(listed, layout=_headed(listed, sink.lang, status=status))
    bad = [c for c in checks if c.status == verifier.FAIL]
    if len(bad) == 1 and bad[0].name == "snapshot opens":
        raise DataError(bad[0].detail)
    if bad:
        raise DataError(f"verify failed: {', '.join(c.name for c in bad)}")


@command(
    "coverage",
    "zgc coverage",
    "zgc coverage --source zgc-article.txt    the text, each clause marked",
    "zgc coverage -f json",
    out=("data", "fmt", "output", "limit", "no_header", "lang"),
)
def coverage(source: Path | None = None, out: Out = NO_OUT) -> None:
    """The report's clauses in order: `start` and `end` (character offsets, end exclusive),
    the `rows` that represent each, or the `reason` none does.

    With --source on a terminal (or -f table), each clause's text from your copy of the report
    is shown above what represents it; the snapshot never holds the text. Elsewhere the four
    columns alone, with or without --source.
    """
    from zgc_cli.verify import read_report

    sink = out.sink()
    report = read_report(source) if source is not None else None
    with database(out.data) as db:
        if report is None or not sink.draws:
            from zgc_cli import layouts  # the terminal view: spans, then rows or the reason

            sink.result(db, named(COVERAGE_SQL), layout=layouts.coverage(sink.lang))
            return
        import hashlib

        from zgc_cli import coverage as marking

        sha = hashlib.sha256(report.encode("utf-8")).hexdigest()
        if not db.scalar(named_sql("cites"), {"sha": sha}):
            raise DataError(
                f"{source} is not the report the snapshot cites (its SHA-256 differs); "
                "zgc verify --source says more"
            )
        clauses = read_clauses(db)[: out.limit]
        if sink.kind is Format.html:  # a page of the user's copy, each clause marked
            sink.drawn(lambda cite: marking.marked_page(report, clauses, sink.lang.value, cite), db)
        else:
            sink.show(marking.marked(report, clauses, sink.width, sink.lang.value), db=db)


@command(
    "export",
    "zgc export zgc-data",
    "frictionless validate zgc-data/datapackage.json",
    out=("data",),
)
def export(
    directory: Annotated[
        str,
        typer.Argument(
            metavar="DIR",
            help="A new directory, an empty one or a previous export (replaced whole).",
        ),
    ],
    out: Out = NO_OUT,
) -> None:
    """Write every table as a Frictionless Data Package: DIR/datapackage.json (types, units,
    vocabularies, keys, the report cited) and one UTF-8 CSV per table.

    The package is written in a temp directory beside DIR, then renamed into place, so a
    failure leaves DIR as it was. An existing DIR is replaced only when it is empty or a
    previous export (nothing but the files its datapackage.json lists); others are refused.
    """
    from zgc_cli import datapackage, diagnostics

    target = datapackage.check_target(directory)
    # zgc's own SELECTs only: no time-out; one thread keeps each table's row order without
    # buffering (1.1M synthetic rows: 9.8 s, 263 MB peak, within the CLI's memory bound).
    with database(out.data, timeout=None, threads=1) as db:
        written = datapackage.export(db, target)
    rows = sum(w.rows for w in written)
    diagnostics.note(
        f"wrote {directory}: {datapackage.DESCRIPTOR} and {len(written)} tables, {rows} rows"
    )
