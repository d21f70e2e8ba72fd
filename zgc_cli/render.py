"""The plain formats: csv, tsv, json, jsonl and markdown, written from rows in batches.

One writer for each format, used for stdout, files and the shell alike; the terminal view
lives in terminal.py. Consumes a result's rows in batches (never the whole result). Never
imports typer, rich or duckdb.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from typing import Any, Protocol, TextIO

from zgc_cli.diagnostics import without_controls

Row = tuple[Any, ...]


class Format(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    markdown = "markdown"


class Rows(Protocol):
    """What the renderer needs of a query result (db.Result satisfies it)."""

    columns: list[str]
    types: list[str]

    def fetch(self, count: int) -> list[Row]: ...

    def batches(self, size: int = ...) -> Iterator[list[Row]]: ...


class Listed:
    """Rows built in Python (zgc tables, schema, info, show) behind the same interface."""

    __slots__ = ("_at", "columns", "rows", "types")

    def __init__(self, columns: list[str], types: list[str], rows: list[Row]) -> None:
        self.columns = columns
        self.types = types
        self.rows = rows
        self._at = 0

    def fetch(self, count: int) -> list[Row]:
        batch = self.rows[self._at : self._at + count]
        self._at += len(batch)
        return batch

    def batches(self, size: int = 2048) -> Iterator[list[Row]]:
        while batch := self.fetch(size):
            yield batch

    def close(self) -> None:
        return None


def write(
    result: Rows, fmt: Format, out: TextIO, *, header: bool = True, limit: int | None = None
) -> int:
    """Write `result` to `out` in a plain `fmt`; return the number of data rows written."""
    rows = _limited(result.batches(), limit)
    if fmt is Format.csv:
        return _write_delimited(result.columns, rows, out, header, ",")
    if fmt is Format.tsv:
        return _write_delimited(result.columns, rows, out, header, "\t")
    if fmt is Format.json:
        return _write_json(result.columns, rows, out)
    if fmt is Format.jsonl:
        return _write_jsonl(result.columns, rows, out)
    if fmt is Format.markdown:
        return _write_markdown(result.columns, rows, out)
    raise ValueError(f"{fmt} is not a plain format; tables are drawn by zgc_cli.terminal")


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


def _csv_cell(value: Any) -> str:
    """NULL empty, an empty string `""` (so the two differ), quoted where it must be."""
    if value is None:
        return ""
    text = plain(value)
    if text == "" or any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _tsv_cell(value: Any) -> str:
    if value is None:
        return ""
    text = plain(value)
    text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return without_controls(text.replace("\r", "\\r"))


def plain(value: Any) -> str:
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
        import json

        return json.dumps(json_value(value), ensure_ascii=False)
    return str(value)


def _write_delimited(
    columns: Sequence[str], rows: Iterable[list[Row]], out: TextIO, header: bool, delimiter: str
) -> int:
    count = 0
    if delimiter == ",":  # RFC 4180, as DuckDB's own writer spells it
        if header:
            out.write(",".join(_csv_cell(c) for c in columns) + "\r\n")
        for batch in rows:
            out.write("".join(",".join(_csv_cell(v) for v in row) + "\r\n" for row in batch))
            count += len(batch)
        return count
    if header:
        out.write("\t".join(_tsv_cell(c) for c in columns) + "\n")
    for batch in rows:
        out.write("".join("\t".join(_tsv_cell(v) for v in row) + "\n" for row in batch))
        count += len(batch)
    return count


def _loaded_type(module: str, name: str) -> Any:
    """A type of a module, if that module is loaded: no value can be a Decimal or a UUID
    before `decimal` or `uuid` is imported, so zgc need not import them to ask (start-up)."""
    loaded = sys.modules.get(module)
    return getattr(loaded, name) if loaded is not None else ()


def json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, _loaded_type("decimal", "Decimal")):
        return float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, _loaded_type("uuid", "UUID")):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        import base64

        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return str(value)


def _record(columns: Sequence[str], row: Row) -> str:
    import json

    decimal = _loaded_type("decimal", "Decimal")
    if any(isinstance(v, decimal) and _inexact(v) for v in row):
        # A DECIMAL(38,2) a float would round (12345678901234567890.12 is not 1.2e19): written
        # as its own digits, a JSON number, as DuckDB's jsonl writer does.
        return (
            "{"
            + ",".join(
                json.dumps(c, ensure_ascii=False)
                + ":"
                + (str(v) if isinstance(v, decimal) and _inexact(v) else _dumped(v))
                for c, v in zip(columns, row, strict=True)
            )
            + "}"
        )
    # Compact, as DuckDB's own writer prints jsonl: the same bytes whichever path writes.
    return json.dumps(
        {c: json_value(v) for c, v in zip(columns, row, strict=True)},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _inexact(value: Any) -> bool:
    """Whether a Decimal loses digits as a float."""
    return bool(type(value)(repr(float(value))) != value)


def _dumped(value: Any) -> str:
    import json

    return json.dumps(json_value(value), ensure_ascii=False, separators=(",", ":"))


def _write_json(columns: Sequence[str], rows: Iterable[list[Row]], out: TextIO) -> int:
    count = 0
    out.write("[")
    for batch in rows:
        for row in batch:
            out.write(("," if count else "") + "\n  " + _record(columns, row))
            count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def related_lines(related: Mapping[str, Listed]) -> list[Row]:
    """`zgc show`'s related rows as field/value lines, for csv, tsv and markdown: the label,
    then the row's values joined by ' · ' (empty ones left out). A label without rows
    gives no line."""
    return [
        (label, " · ".join(plain(value) for value in row if value is not None))
        for label, rows in related.items()
        for row in rows.rows
    ]


def write_document(document: Any, out: TextIO, *, indent: bool) -> None:
    """One JSON value (zgc show): real types, dates as ISO strings."""
    import json

    out.write(json.dumps(json_value(document), ensure_ascii=False, indent=2 if indent else None))
    out.write("\n")


def _write_jsonl(columns: Sequence[str], rows: Iterable[list[Row]], out: TextIO) -> int:
    count = 0
    for batch in rows:
        out.write("".join(_record(columns, row) + "\n" for row in batch))
        count += len(batch)
    return count


# What a Markdown renderer would read as markup rather than text: HTML (`<img onerror=…>`,
# `<script>`, autolinks) and entities are shown as text; an inline link (`[x](javascript:…)`)
# is never formed (`](` becomes `]\(`), while `[b]x[/b]` stays as written.
_MARKDOWN = str.maketrans({"\\": "\\\\", "|": "\\|", "&": "&amp;", "<": "&lt;", ">": "&gt;"})


# GitHub's Markdown links bare addresses: `https://…`, `www.…` and `a@b.c` become links
# unless their punctuation is escaped (`https\://`, `www\.`, `a\@b.c` read as written).
@functools.cache
def _no_autolink() -> re.Pattern[str]:  # compiled when markdown is first written
    return re.compile(r"(?<=[A-Za-z]):(?=//)|(?<=\bwww)\.|@")


def _markdown_cell(value: Any) -> str:
    if value is None:
        return ""
    text = plain(value).translate(_MARKDOWN).replace("](", "]\\(")
    text = _no_autolink().sub(lambda found: "\\" + found.group(0), text)
    return without_controls(
        text.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")
    )


def _write_markdown(columns: Sequence[str], rows: Iterable[list[Row]], out: TextIO) -> int:
    out.write("| " + " | ".join(_markdown_cell(c) for c in columns) + " |\n")
    out.write("|" + "|".join(" --- " for _ in columns) + "|\n")
    count = 0
    for batch in rows:
        for row in batch:
            out.write("| " + " | ".join(_markdown_cell(v) for v in row) + " |\n")
            count += 1
    return count
