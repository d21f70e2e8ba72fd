"""The one writer for every output format: table, csv, tsv, json, jsonl, markdown.

Consumes a result's rows in batches (never the whole result for streaming formats). Rich is
imported only when a Rich table is actually drawn. Never imports typer or duckdb.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import decimal
import json
import math
import os
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, TextIO

from zgc_cli.numbers import format_money, format_value, group_thousands

Row = tuple[Any, ...]
TTY_ROW_LIMIT = 50  # a screenful: rows drawn on a terminal when the user gave no --limit
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but tab/newline, DEL, C1
_COUNT_CAP = 2_000  # past the shown rows, count at most this many more, else say "more rows"


class Format(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "table",
    ".parquet": "parquet",
    ".svg": "svg",  # pictures of the terminal drawing (zgc_cli/picture.py), files only
    ".html": "html",
    ".htm": "html",
}


class Rows(Protocol):
    """What the renderer needs of a query result (db.Result satisfies it)."""

    columns: list[str]
    types: list[str]

    def fetch(self, count: int) -> list[Row]: ...

    def batches(self, size: int = ...) -> Iterator[list[Row]]: ...


@dataclass
class Listed:
    """Rows built in Python (zgc tables, schema, info, show) behind the same interface."""

    columns: list[str]
    types: list[str]
    rows: list[Row]
    _at: int = 0

    def fetch(self, count: int) -> list[Row]:
        batch = self.rows[self._at : self._at + count]
        self._at += len(batch)
        return batch

    def batches(self, size: int = 2048) -> Iterator[list[Row]]:
        while batch := self.fetch(size):
            yield batch

    def close(self) -> None:
        return None


@dataclass(frozen=True)
class Options:
    header: bool = True
    limit: int | None = None
    lang: str = "both"
    color: bool = False
    terminal: bool = False  # drawing for a person: width-bound, rows capped at TTY_ROW_LIMIT
    width: int | None = None
    title: str | None = None
    highlight: str | None = None  # text to mark in every cell (zgc search)


def color_wanted(stream: TextIO) -> bool:
    """gh-style: FORCE_COLOR/CLICOLOR_FORCE force it; NO_COLOR, TERM=dumb or a pipe drop it."""
    if any(os.environ.get(name, "") not in ("", "0") for name in ("FORCE_COLOR", "CLICOLOR_FORCE")):
        return True
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def write(result: Rows, fmt: Format, out: TextIO, options: Options) -> int:
    """Write `result` to `out` in `fmt`; return the number of data rows written."""
    rows = _limited(result.batches(), options.limit)
    if fmt is Format.table:
        return _write_table(result, out, options)
    if fmt is Format.csv:
        return _write_delimited(result.columns, rows, out, options.header, ",")
    if fmt is Format.tsv:
        return _write_delimited(result.columns, rows, out, options.header, "\t")
    if fmt is Format.json:
        return _write_json(result.columns, rows, out)
    if fmt is Format.jsonl:
        return _write_jsonl(result.columns, rows, out)
    return _write_markdown(result.columns, rows, out)


def _limited(batches: Iterable[list[Row]], limit: int | None) -> Iterator[list[Row]]:
    if limit is None:
        yield from batches
        return
    left = limit
    for batch in batches:
        if left <= 0:
            return
        yield batch[:left]
        left -= len(batch)


# --- plain formats --------------------------------------------------------------------------


def visible(text: str) -> str:
    """Control characters from the data (an ESC sequence in a query result) shown as `\\x1b`:
    text zgc prints for reading must never drive the terminal."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def _tsv_cell(value: Any) -> str:
    if value is None:
        return ""
    text = _plain(value)
    text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return visible(text.replace("\r", "\\r"))


def _plain(value: Any) -> str:
    """A value as text for csv/tsv/markdown: ISO dates, no float noise, lists as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, list | dict | tuple):
        return json.dumps(_json_value(value), ensure_ascii=False)
    return str(value)


def _write_delimited(
    columns: Sequence[str], rows: Iterable[list[Row]], out: TextIO, header: bool, delimiter: str
) -> int:
    count = 0
    if delimiter == ",":
        writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180
        if header:
            writer.writerow(columns)
        for batch in rows:
            writer.writerows([["" if v is None else _plain(v) for v in row] for row in batch])
            count += len(batch)
        return count
    if header:
        out.write("\t".join(_tsv_cell(c) for c in columns) + "\n")
    for batch in rows:
        out.write("".join("\t".join(_tsv_cell(v) for v in row) + "\n" for row in batch))
        count += len(batch)
    return count


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return str(value)


def _record(columns: Sequence[str], row: Row) -> str:
    # Compact, as DuckDB's own writer prints jsonl: the same bytes whichever path writes.
    return json.dumps(
        {c: _json_value(v) for c, v in zip(columns, row, strict=True)},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _write_json(columns: Sequence[str], rows: Iterable[list[Row]], out: TextIO) -> int:
    count = 0
    out.write("[")
    for batch in rows:
        for row in batch:
            out.write(("," if count else "") + "\n  " + _record(columns, row))
            count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_document(document: Any, out: TextIO, *, indent: bool) -> None:
    """One JSON value (zgc show): real types, dates as ISO strings."""
    out.write(json.dumps(_json_value(document), ensure_ascii=False, indent=2 if indent else None))
    out.write("\n")


def _write_jsonl(columns: Sequence[str], rows: Iterable[list[Row]], out: TextIO) -> int:
    count = 0
    for batch in rows:
        out.write("".join(_record(columns, row) + "\n" for row in batch))
        count += len(batch)
    return count


def _markdown_cell(value: Any) -> str:
    if value is None:
        return ""
    text = _plain(value).replace("\\", "\\\\").replace("|", "\\|")
    return visible(text.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>"))


def _write_markdown(columns: Sequence[str], rows: Iterable[list[Row]], out: TextIO) -> int:
    out.write("| " + " | ".join(_markdown_cell(c) for c in columns) + " |\n")
    out.write("|" + "|".join(" --- " for _ in columns) + "|\n")
    count = 0
    for batch in rows:
        for row in batch:
            out.write("| " + " | ".join(_markdown_cell(v) for v in row) + " |\n")
            count += 1
    return count


# --- the Rich table -------------------------------------------------------------------------

_NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
)


def _is_numeric(kind: str) -> bool:
    return kind.startswith(_NUMERIC_TYPES)


def display_cell(column: str, value: Any, row: dict[str, Any], lang: str) -> str:
    """How a value reads in a table: money readable, hedges visible, thousands grouped."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
        number = float(value)
        if not math.isfinite(number):
            return str(number)
        if column.endswith("_yuan"):
            return format_money(number, "zh" if lang == "zh" else "en")
        if column == "value" and "unit" in row:
            return format_value(
                number, row.get("unit"), row.get("qualifier"), "zh" if lang == "zh" else "en"
            )
        if column.endswith("_m2"):
            return f"{group_thousands(number)} m²"
        if column.endswith("_pct"):
            return f"{number:+g}%"
        if column in {"quote_start", "characters"} or column.endswith("_id"):
            return str(value)
        return group_thousands(number)
    return visible(_plain(value))


def _write_table(result: Rows, out: TextIO, options: Options) -> int:
    from rich.table import Table
    from rich.text import Text

    limit = options.limit
    if limit is None and options.terminal:
        limit = TTY_ROW_LIMIT
    if limit is None:
        shown = [row for batch in result.batches() for row in batch]
        total: int | None = len(shown)
    else:
        shown = result.fetch(limit)
        rest = _count_rest(result) if len(shown) == limit else 0
        total = None if rest is None else len(shown) + rest
    columns = result.columns
    numeric = [_is_numeric(kind) for kind in result.types]
    table = Table(
        title=options.title,
        show_lines=False,
        header_style="bold",
    )
    for name, is_number in zip(columns, numeric, strict=True):
        table.add_column(Text(name), justify="right" if is_number else "left", overflow="fold")
    for row in shown:
        named = dict(zip(columns, row, strict=True))
        table.add_row(
            *[
                Text("NULL", style="dim")
                if value is None
                else _marked(display_cell(column, value, named, options.lang), options.highlight)
                for column, value in zip(columns, row, strict=True)
            ]
        )
    console = _console(out, options)
    if not options.terminal:  # as wide as its content: never cut to 80 columns
        console.width = max(console.measure(table).maximum, 20)
    console.print(table)
    # Below the table, not inside it: a narrow table must not fold its caption.
    caption = _caption(len(shown), total, explicit_limit=options.limit is not None)
    console.print(Text(caption, style="dim"), soft_wrap=True)
    return len(shown)


def _marked(text: str, highlight: str | None, style: str = "bold reverse") -> Any:
    from rich.text import Text

    cell = Text(text)
    if highlight:
        cell.highlight_words([highlight], style, case_sensitive=False)
    return cell


def _console(out: TextIO, options: Options) -> Any:
    from rich.console import Console

    return Console(
        file=out,
        width=options.width if options.terminal else 10_000,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        highlight=False,
        emoji=False,
        markup=False,
    )


def write_card(
    table_name: str,
    record: dict[str, Any],
    related: Mapping[str, Rows],
    figure: str | None,
    out: TextIO,
    options: Options,
) -> None:
    """One record as a card: every field, the quote with its figure marked, related rows."""
    from rich.table import Table
    from rich.text import Text

    console = _console(out, options)
    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold")
    fields.add_column(overflow="fold")
    for name, value in record.items():
        if value is None:
            fields.add_row(name, Text("NULL", style="dim"))
        elif name == "quote":
            fields.add_row(name, _marked(f"「{value}」", figure, "bold yellow reverse"))
        else:
            fields.add_row(name, Text(display_cell(name, value, record, options.lang)))
    console.print(Text(f"{table_name} · {record[next(iter(record))]}", style="bold underline"))
    console.print(fields)
    for label, rows in related.items():
        listed = [row for batch in rows.batches() for row in batch]
        console.print()
        if not listed:
            console.print(Text(f"{label}: none", style="dim"))
            continue
        child = Table(title=f"{label} ({len(listed)})", title_justify="left", header_style="bold")
        numeric = [_is_numeric(kind) for kind in rows.types]
        for name, is_number in zip(rows.columns, numeric, strict=True):
            child.add_column(name, justify="right" if is_number else "left", overflow="fold")
        for row in listed:
            named = dict(zip(rows.columns, row, strict=True))
            child.add_row(
                *[
                    Text("NULL", style="dim")
                    if v is None
                    else Text(display_cell(c, v, named, options.lang))
                    for c, v in zip(rows.columns, row, strict=True)
                ]
            )
        console.print(child)


def _count_rest(result: Rows) -> int | None:
    """Count rows past the shown ones if that is cheap; None when there are more than we'd read."""
    seen = 0
    while seen <= _COUNT_CAP:
        batch = result.fetch(2048)
        if not batch:
            return seen
        seen += len(batch)
    return None


def _caption(shown: int, total: int | None, *, explicit_limit: bool) -> str:
    noun = "row" if shown == 1 else "rows"
    hint = "" if explicit_limit else " (--limit N shows more; -f csv shows all)"
    if total is None:
        return f"showing first {shown:,} rows; more rows not shown{hint}"
    if total > shown:
        return f"showing first {shown:,} of {total:,} rows{hint}"
    return f"{shown:,} {noun}"
