"""Reading the curated CSVs: each file's rows, typed by the data dictionary, and the problems
found (file:line: column: what is wrong), all of them before anything is written."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import math
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from zgc_cli.dictionary import TABLES, curated_columns
from zgc_cli.errors import DataError

MAX_SOURCE_BYTES = 16 << 20  # the real CSVs are a few kB each
# C0 controls but tab (CR and LF: "cells must stay on one line"), DEL, C1, line and
# paragraph separators, bidirectional controls: invisible, or they reorder what a reader sees.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]"
)
# type -> (whether a cell's text is well formed, its value, what is wrong otherwise); a text
# that is no number at all raises float's or int's own ValueError
_TYPES: dict[str, tuple[Callable[[str], object], Callable[[str], Any], str]] = {
    "DOUBLE": (lambda v: math.isfinite(float(v)), float, "not a finite number"),
    "BIGINT": (lambda v: -(2**63) <= int(v) < 2**63, int, "out of range for a BIGINT"),
    "BOOLEAN": (lambda v: v in ("true", "false"), lambda v: v == "true", "must be true or false"),
    "DATE": (
        re.compile(r"\d{4}-\d{2}-\d{2}").fullmatch,
        dt.date.fromisoformat,
        "must be an ISO date YYYY-MM-DD",
    ),
    "VARCHAR": (lambda v: "\n" not in v and "\r" not in v, str, "cells must stay on one line"),
}
Row = dict[str, Any]  # a record's cells, and "_path" and "_line": where it was read


class Problem(NamedTuple):
    path: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.column + ': ' if self.column else ''}{self.message}"


class BuildError(DataError):
    """Validation failed; `problems` lists every one of them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the curated sources; nothing written")


@dataclass
class Curated:
    """The validated records, typed, in file order, per table."""

    tables: dict[str, list[Row]] = field(default_factory=dict)

    def count(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}


Say = Callable[[Row, str, str], None]  # (row, column, what is wrong)


def default_report_path() -> Path:
    return Path(os.environ.get("ZGC_SOURCE") or "../shared/source/zgc-article.txt")


def _records(path: Path) -> list[list[str]]:
    """The CSV's records, header first; ValueError says why the file is not read."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would block, /dev/zero never end
            raise ValueError("not a regular file; give the CSV itself")
        with path.open("rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)  # bounded: a file may grow meanwhile
        if len(data) > MAX_SOURCE_BYTES:
            raise ValueError(
                f"larger than {MAX_SOURCE_BYTES:,} bytes; a curated CSV is far smaller"
            )
        text = data.decode("utf-8").lstrip("\ufeff")
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except FileNotFoundError:
        raise ValueError("file is missing; every table needs its CSV") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read as UTF-8 ({exc})") from None
    except csv.Error as exc:
        raise ValueError(f"not a valid CSV: {exc}") from None
    if not text.strip():
        raise ValueError("file is empty; it needs at least a header row")
    width = len(records[0])
    ragged = next((i for i, r in enumerate(records) if len(r) != width), None)
    if len({name.strip() for name in records[0]}) != width or ragged is not None:
        said = f"line {ragged + 1} has {len(records[ragged])} cells" if ragged else "a name twice"
        raise ValueError(f"not a valid CSV: {said} (the header names {width} columns)")
    return records


def closest(value: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _typed(value: str, column_type: str) -> Any:
    if control := _CONTROL.search(value):
        raise ValueError(f"control character U+{ord(control.group()):04X}; remove it")
    well_formed, parse, wrong = _TYPES[column_type]
    if not well_formed(value):
        raise ValueError(wrong)
    return parse(value)


def read_curated(source_dir: Path) -> Curated:
    """Read and type every curated table; raise BuildError listing all problems."""
    problems: list[Problem] = []
    curated = Curated()
    for table in TABLES.values():
        path = str(source_dir / f"{table.name}.csv")
        rows = curated.tables.setdefault(table.name, [])
        try:
            header, *records = _records(Path(path))
        except ValueError as exc:
            problems.append(Problem(path, 0, "", str(exc)))
            continue
        names = [name.strip() for name in header]
        expected = [c.name for c in curated_columns(table)]
        missing = [n for n in expected if n not in names]
        problems += [
            Problem(path, 1, n, "required column is missing from the header") for n in missing
        ]
        unknown = [n for n in names if n not in expected]
        problems += [Problem(path, 1, n, f"unknown column{closest(n, expected)}") for n in unknown]
        if missing or unknown:
            continue
        # A cell may not span lines (_typed refuses it), so a record's number is its line's.
        for line, record in enumerate(records, start=2):
            cells = {n: v.strip() for n, v in zip(names, record, strict=True) if v.strip()}
            row: Row = {c.name: None for c in table.columns} | {"_path": path, "_line": line}
            for column in curated_columns(table):
                value = cells.get(column.name)
                try:
                    if value is not None:
                        row[column.name] = _typed(value, column.type)
                    elif column.required:
                        problems.append(Problem(path, line, column.name, "must not be empty"))
                except ValueError as exc:
                    problems.append(Problem(path, line, column.name, f"{value!r}: {exc}"))
            rows.append(row)
    if problems:  # structural problems make the cross-row checks meaningless
        raise BuildError(problems)
    return curated


def by_id(curated: Curated, table: str) -> dict[str, Row]:
    key = TABLES[table].key
    return {row[key]: row for row in curated.tables[table] if row[key] is not None}
