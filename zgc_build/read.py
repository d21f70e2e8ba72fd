"""Reading the curated CSVs: each file's rows, typed by the data dictionary, and the problems
found (file:line: column: what is wrong), all of them before anything is written."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zgc_cli.dictionary import TABLES, Table, curated_columns
from zgc_cli.errors import DataError

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
Row = dict[str, Any]


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: str
    message: str

    @classmethod
    def of(cls, source_dir: Path, table: str, row: Row, column: str, message: str) -> Problem:
        """A problem of `row`, read from source_dir/table.csv."""
        return cls(str(source_dir / f"{table}.csv"), row["_line"], column, message)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return (
            f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


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


def default_report_path() -> Path:
    return Path(os.environ.get("ZGC_SOURCE") or "../shared/source/zgc-article.txt")


def _read_csv(
    path: Path, table: Table, problems: list[Problem]
) -> list[tuple[int, dict[str, str]]]:
    from zgc_cli.db.connection import scratch
    from zgc_cli.db.engine import engine

    duckdb = engine()
    shown = str(path)
    if not path.is_file():
        problems.append(Problem(shown, 0, "", "file is missing; every table needs its CSV"))
        return []
    try:
        raw = path.read_bytes()
        raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(shown, 0, "", f"cannot read as UTF-8 ({exc})"))
        return []
    if not raw.strip():
        problems.append(Problem(shown, 0, "", "file is empty; it needs at least a header row"))
        return []
    con = scratch()
    try:
        cursor = con.execute(
            "SELECT * FROM read_csv($path, header=true, all_varchar=true, auto_detect=false, "
            "delim=',', quote='\"', escape='\"', strict_mode=true, "
            "columns=$columns)",
            {"path": str(path), "columns": _header_columns(raw)},
        )
        names = [d[0] for d in cursor.description or []]
        records = cursor.fetchall()
    except (duckdb.Error, ValueError) as exc:
        message = str(exc).splitlines()[0]
        problems.append(Problem(shown, 0, "", f"not a valid CSV: {message}"))
        return []
    finally:
        con.close()
    expected = [c.name for c in curated_columns(table)]
    missing = [c for c in expected if c not in names]
    unknown = [c for c in names if c not in expected]
    problems += [
        Problem(shown, 1, n, "required column is missing from the header") for n in missing
    ]
    problems += [Problem(shown, 1, n, f"unknown column{closest(n, expected)}") for n in unknown]
    if missing or unknown:
        return []
    # The header is line 1; a cell may not span lines (_typed refuses it).
    return [
        (index + 2, {n: v.strip() for n, v in zip(names, record, strict=True) if v and v.strip()})
        for index, record in enumerate(records)
    ]


def _header_columns(raw: bytes) -> dict[str, str]:
    header = raw.decode("utf-8").lstrip("\ufeff").splitlines()[0]
    names = [name.strip().strip('"') for name in header.split(",")]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate column names in header: {header}")
    return dict.fromkeys(names, "VARCHAR")


def closest(value: str, choices: Iterable[str]) -> str:
    match = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _typed(value: str, column_type: str) -> Any:
    if column_type == "DOUBLE":
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            raise ValueError("not a finite number")
        return number
    if column_type == "BIGINT":
        number = int(value)
        if not -(2**63) <= number < 2**63:
            raise ValueError("out of range for a BIGINT")
        return number
    if column_type == "BOOLEAN":
        if value not in ("true", "false"):
            raise ValueError("must be true or false")
        return value == "true"
    if column_type == "DATE":
        if not _DATE.match(value):
            raise ValueError("must be an ISO date YYYY-MM-DD")
        return dt.date.fromisoformat(value)
    if "\n" in value or "\r" in value:
        raise ValueError("cells must stay on one line")
    return value


def read_curated(source_dir: Path) -> Curated:
    """Read and type every curated table; raise BuildError listing all problems."""
    problems: list[Problem] = []
    curated = Curated()
    for table in TABLES.values():
        path = source_dir / f"{table.name}.csv"
        typed_rows: list[Row] = []
        for line, cells in _read_csv(path, table, problems):
            row: Row = {c.name: None for c in table.columns if c.derived}
            for column in curated_columns(table):
                value = cells.get(column.name)
                if value is None:
                    if column.required:
                        problems.append(Problem(str(path), line, column.name, "must not be empty"))
                    row[column.name] = None
                    continue
                try:
                    row[column.name] = _typed(value, column.type)
                except ValueError as exc:
                    problems.append(Problem(str(path), line, column.name, f"{value!r}: {exc}"))
                    row[column.name] = None
            row["_line"] = line
            typed_rows.append(row)
        curated.tables[table.name] = typed_rows
    if problems:  # structural problems make the cross-row checks meaningless
        raise BuildError(problems)
    return curated


def by_id(curated: Curated, table: str) -> dict[str, Row]:
    key = TABLES[table].key
    return {row[key]: row for row in curated.tables[table] if row[key] is not None}
