"""The one enum of formats and which writer writes each (WRITERS), the rows a writer takes (a
query's result or rows made in Python), and the markdown writer. Never imports typer, rich or
duckdb."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, TextIO

from zgc_cli.diagnostics import without_controls
from zgc_cli.errors import UsageError

Row = tuple[Any, ...]


Format = StrEnum("Format", "table csv tsv json jsonl markdown parquet svg html xlsx")


# Who writes each format: "duckdb" (db/export.py), "drawn" (terminal.py, picture.py for svg),
# "markdown" (below), "page" (html_table.py), "book" (workbook.py).
WRITERS = {
    **dict.fromkeys(("csv", "tsv", "json", "jsonl", "parquet"), "duckdb"),
    **dict.fromkeys(("table", "svg"), "drawn"),
    "markdown": "markdown",
    "html": "page",
    "xlsx": "book",
}
PICTURES = (Format.svg, Format.html)
FILES = (Format.parquet, Format.svg, Format.html, Format.xlsx)  # never to standard output
# A file's extension names its format: its own name or an alias, in the order errors list them.
_NAMES = "csv tsv tab json jsonl ndjson md markdown txt parquet svg html htm xlsx"
_ALIASES = {"tab": "tsv", "ndjson": "jsonl", "md": "markdown", "txt": "table", "htm": "html"}
EXTENSIONS = {f".{ext}": Format(_ALIASES.get(ext, ext)) for ext in _NAMES.split()}


def chosen(fmt: Format | None, file: Path | None, on_terminal: bool) -> Format:
    """The format of one run: -f, else the -o file's extension, else a table on a terminal
    and tsv piped; a pairing that cannot be written is a UsageError."""
    if file is not None and file.suffix.lower() == ".png":  # with -f or without
        raise UsageError(
            f"zgc draws no PNG; write {file.with_suffix('.svg').name} (a chart) or "
            f"{file.with_suffix('.html').name} and open it in a browser to print or "
            "save it as an image"
        )
    if fmt is not None:
        named = EXTENSIONS.get(file.suffix.lower()) if file is not None else None
        # A file whose name says one format must not hold another's bytes where either is
        # not text (an .xlsx of csv, a .csv of xlsx); text formats may go by any text name.
        if named is not None and named is not fmt and (named in FILES or fmt in FILES):
            raise UsageError(
                f"-f {fmt.value} writes {fmt.value}, but the name {file} says {named.value}; "
                f"drop -f or name the file {next(e for e, f in EXTENSIONS.items() if f is fmt)}"
            )
        if file is None and fmt in FILES:
            raise UsageError(f"-f {fmt.value} writes a file: add -o FILE.{fmt.value}")
        return fmt
    if file is not None:
        suffix = file.suffix.lower()
        if str(file) == "-" or file.absolute().parts[1:2] in (("dev",), ("proc",)):
            raise UsageError(
                f"-o names a file to write; for standard output or {file} leave -o out"
                f" and redirect: > {file}"
                if str(file) != "-"
                else "-o names a file to write; leave it out to write to standard output"
            )
        if suffix not in EXTENSIONS:
            raise UsageError(
                f"cannot tell the format of {file.name}; use -f "
                f"({', '.join(f.value for f in Format)}) or a known extension "
                f"({', '.join(EXTENSIONS)})"
            )
        return EXTENSIONS[suffix]
    return Format.table if on_terminal else Format.tsv  # piped: one greppable record a line


class Rows(Protocol):  # a query's result (db.Result) or Listed
    columns: list[str]
    types: list[str]

    def fetch(self, count: int) -> list[Row]: ...

    def batches(self, size: int = ...) -> Iterator[list[Row]]: ...


class Listed:
    """Rows built in Python (zgc tables, schema, info, show) behind the same interface."""

    __slots__ = ("_at", "columns", "rows", "types")

    def __init__(self, columns: list[str], types: list[str], rows: list[Row]) -> None:
        self.columns, self.types, self.rows = columns, types, rows
        self._at = iter(rows)  # a list's iterator sees rows added before it is read

    def fetch(self, count: int) -> list[Row]:
        return list(itertools.islice(self._at, count))

    def batches(self, size: int = 2048) -> Iterator[list[Row]]:
        return iter(lambda: self.fetch(size), [])


def _limited(batches: Iterable[list[Row]], limit: int | None) -> Iterator[list[Row]]:
    """At most `limit` rows of `batches` (None: all), in batches; none fetched past them."""
    rows = itertools.islice(itertools.chain.from_iterable(batches), limit)
    return iter(lambda: list(itertools.islice(rows, 2048)), [])


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


def json_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    decimal = sys.modules.get("decimal")  # not imported to ask: no Decimal exists before
    if decimal is not None and isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | bytearray | memoryview):
        import base64

        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return str(value)


def related_lines(related: Mapping[str, Listed]) -> list[Row]:
    """`zgc show`'s related rows as field/value lines (csv, tsv, markdown): the label, then
    the row's non-empty values joined by ' · '."""
    return [
        (label, " · ".join(plain(value) for value in row if value is not None))
        for label, rows in related.items()
        for row in rows.rows
    ]


# What a Markdown renderer would read as markup rather than text: HTML (`<img onerror=…>`,
# `<script>`, autolinks) and entities are shown as text; an inline link (`[x](javascript:…)`)
# is never formed (`](` becomes `]\(`), while `[b]x[/b]` stays as written.
_MARKDOWN = str.maketrans({"\\": "\\\\", "|": "\\|", "&": "&amp;", "<": "&lt;", ">": "&gt;"})


# GitHub's Markdown links bare addresses (`https://…`, `www.…`, `a@b.c`) unless their
# punctuation is escaped (`https\://`, `www\.`, `a\@b.c`); compiled when first written.
_no_autolink = functools.cache(lambda: re.compile(r"(?<=[A-Za-z]):(?=//)|(?<=\bwww)\.|@"))


def _markdown_cell(value: Any) -> str:
    if value is None:
        return ""
    text = plain(value).translate(_MARKDOWN).replace("](", "]\\(").replace("\r\n", "\n")
    text = _no_autolink().sub(lambda found: "\\" + found.group(0), text)
    return without_controls(text.replace("\n", "<br>").replace("\r", "<br>"))


def write_markdown(result: Rows, out: TextIO, *, limit: int | None = None) -> int:
    """A GitHub table of `result`, its cells escaped; the number of data rows written."""
    out.write("| " + " | ".join(_markdown_cell(c) for c in result.columns) + " |\n")
    out.write("|" + "|".join(" --- " for _ in result.columns) + "|\n")
    count = 0
    for batch in _limited(result.batches(), limit):
        for row in batch:  # write, not writelines: output.StandardOutput escapes what passes write
            out.write("| " + " | ".join(_markdown_cell(v) for v in row) + " |\n")
        count += len(batch)
    return count
