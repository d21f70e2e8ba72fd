"""`-o FILE.xlsx`: typed cells (numbers, dates, booleans), a frozen header with a filter,
widths that fit (CJK counts double), a "citation" sheet. Rows stream (constant memory) as a
csv's do; strings stay text: `=1+1` is no formula."""

from __future__ import annotations

import datetime as dt
import decimal
import errno
import math
import os
from collections.abc import Sequence
from importlib import import_module
from itertools import chain
from pathlib import Path
from typing import Any

from zgc_cli import diagnostics
from zgc_cli.drawing import cells  # wide (CJK) characters take two
from zgc_cli.errors import OutputError
from zgc_cli.render import Listed, Rows, _limited, plain

MAX_ROWS = 1_048_576  # rows in one Excel sheet, the header included
MAX_COLUMNS = 16_384  # columns in one Excel sheet (A to XFD)
MAX_CELL = 32_767  # characters in one Excel cell
MAX_WIDTH = 60  # widest column, in characters (a quote wraps past it in Excel's cell)
WIDTH_SAMPLE = 2_000  # rows measured for column widths
EXACT_INTEGERS = 2**53  # an Excel number holds integers exactly up to here; larger are text
CITATION_SHEET = "citation"
_FORMATS = {
    "header": {"bold": True, "bottom": 1},
    "whole": {"num_format": "#,##0"},
    "date": {"num_format": "yyyy-mm-dd"},
    "datetime": {"num_format": "yyyy-mm-dd hh:mm:ss"},
    "time": {"num_format": "hh:mm:ss"},
}
# Excel's date cells, with the width each takes; a datetime is a date, so it comes first
_STAMPS = ((dt.datetime, "datetime", 19), (dt.date, "date", 10), (dt.time, "time", 8))


def write(
    file: Path,
    sheets: Sequence[tuple[str, Rows]],
    citation_rows: Sequence[tuple[str, Any]],
    *,
    header: bool = True,
    limit: int | None = None,
) -> int:
    """Write `sheets` (name, rows) and the citation sheet to `file`, through a temp file; the
    rows of the first sheet (the command's result)."""
    import gc
    import shutil
    import sys

    from zgc_cli.output import Held, scratch_beside, temp_beside

    with temp_beside(file) as path:  # an OSError raised in it: "cannot write FILE: ..."
        xlsxwriter = import_module("xlsxwriter")
        # xlsxwriter spools each sheet to temp files: in a folder of zgc's, beside the target,
        # removed however the write ends (or by the next write, after a SIGKILL).
        # It reopens its files by name: given the folder by its descriptor (Held), a link another
        # user swaps in for the folder's name is never followed (attacker re-review, A1).
        spool = scratch_beside(file, ".xlsx-spool")
        spooled = Held(spool, os.O_RDONLY | os.O_DIRECTORY)
        options = {f"strings_to_{kind}": False for kind in ("numbers", "formulas", "urls")}
        book = xlsxwriter.Workbook(
            str(path), {"constant_memory": True, "tmpdir": str(spooled.inside), **options}
        )
        formats: dict[str, Any] = {k: book.add_format(v) for k, v in _FORMATS.items()}
        formats["cut"] = False  # a cell was cut to Excel's MAX_CELL
        cited = Listed(["field", "value"], ["VARCHAR", "VARCHAR"], list(citation_rows))
        counts = []
        failure: OSError | None = None
        # xlsxwriter makes its spool files and reopens them by name: under umask 0277 they'd
        # be 0400, closed to their own writer. In the private spool, 0600 is what is meant.
        umask = os.umask(0o077)
        # A failed close leaves xlsxwriter's zip file open; freeing it later would print
        # "Exception ignored" and a traceback. The file is removed anyway: say nothing of it.
        quiet, sys.unraisablehook = sys.unraisablehook, lambda unraisable: None
        try:
            for name, rows in sheets:
                sheet = book.add_worksheet(name)  # a command's or a related list's: \w+, unique
                counts.append(_write_sheet(sheet, rows, formats, header=header, limit=limit))
            _write_sheet(
                book.add_worksheet(CITATION_SHEET), cited, formats, header=True, limit=None
            )
            book.close()
        except (OSError, xlsxwriter.exceptions.XlsxWriterException) as exc:
            cause = exc.__cause__ or exc.__context__ or exc
            said = getattr(cause, "strerror", None) or str(cause) or type(exc).__name__
            number = getattr(cause, "errno", None) or (errno.ENOSPC if "space" in said else None)
            failure = OSError(number, said)  # its errno: describe_failure's line (a full disk)
        finally:
            if failure is not None:
                del book
                gc.collect()  # the zip file's end, now, while its complaint is silenced
            sys.unraisablehook = quiet
            os.umask(umask)
            spooled.close()
            shutil.rmtree(spool, ignore_errors=True)
        if failure is not None:
            raise failure
        if formats["cut"]:
            diagnostics.note(f"cells longer than Excel's {MAX_CELL:,} characters were cut")
        return counts[0] if counts else 0


def _write_sheet(
    sheet: Any, rows: Rows, formats: dict[str, Any], *, header: bool, limit: int | None
) -> int:
    columns = list(rows.columns)
    if len(columns) > MAX_COLUMNS:  # xlsxwriter would drop the rest without a word
        raise OutputError(
            f"an Excel sheet holds at most {MAX_COLUMNS:,} columns; this result has "
            f"{len(columns):,}: select fewer, or use -o FILE.csv or .parquet for all of them"
        )
    widths = [cells(name) + 2 for name in columns]  # room for the filter button
    if header:
        for col, name in enumerate(columns):
            sheet.write_string(0, col, name, formats["header"])
    at = first = int(header)
    for row in chain.from_iterable(_limited(rows.batches(), limit)):
        if at >= MAX_ROWS:
            raise OutputError(
                f"an Excel sheet holds at most {MAX_ROWS - first:,} rows"
                f"{' under its header' if header else ''}; this result has more: "
                "use --limit, or -o FILE.csv or .parquet for all of them"
            )
        for col, value in enumerate(row):
            width = _put(sheet, at, col, value, formats)
            if at - first < WIDTH_SAMPLE:
                widths[col] = max(widths[col], width)
        at += 1
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(width, MAX_WIDTH) + 1)
    if header and columns:
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(at - 1, 0), len(columns) - 1)
    return at - first


def _put(sheet: Any, row: int, col: int, value: Any, formats: dict[str, Any]) -> int:
    """Write one typed cell; the width it needs, in characters."""
    if isinstance(value, decimal.Decimal):
        value = float(value)
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return 0  # Excel has no NaN or infinity: empty, as json writes null
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
        return 5
    if isinstance(value, float) or (isinstance(value, int) and abs(value) < EXACT_INTEGERS):
        whole = isinstance(value, float) and value.is_integer() and abs(value) < 1e15
        sheet.write_number(row, col, value, formats["whole"] if whole else None)
        if isinstance(value, int):
            return len(str(value))
        return len(f"{value:,.0f}") if whole else min(len(repr(value)), 12)
    for kind, name, width in _STAMPS:  # a zoned time or one before Excel's 1900: text
        naive = getattr(value, "tzinfo", None) is None and getattr(value, "year", 1900) >= 1900
        if isinstance(value, kind) and naive:
            sheet.write_datetime(row, col, value, formats[name])
            return width
    text = plain(value)  # str, an int beyond a double's exact ones, dates as ISO, lists as JSON
    if sheet.write_string(row, col, text) == -2:
        formats["cut"] = True
    return cells(text[: MAX_WIDTH * 2])
