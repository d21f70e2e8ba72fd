"""The DuckDB modules, loaded on first use, and DuckDB's errors turned into ZgcErrors: only
the db package imports DuckDB; nothing above it sees a duckdb exception."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

from zgc_cli.errors import OUT_OF_MEMORY, DataError, QueryError


def engine() -> ModuleType:
    """DuckDB's compiled engine, `_duckdb`, which the `duckdb` package re-exports: skipping its
    pure-Python layers is the largest saving of a query's start-up (benchmarks/RESULTS.md)."""
    from importlib import import_module

    try:
        return import_module("_duckdb")
    except ImportError:  # pragma: no cover - a DuckDB without the `_duckdb` module
        return import_module("duckdb")


def relational() -> ModuleType:  # the full `duckdb` package: relations (the Python API)
    import duckdb

    return duckdb


# DuckDB's words for the walls the sealed connection puts up, and what they mean to a user.
_WALLS = {
    r"File system \w+ has been disabled|file system operations are disabled": (
        "refused: queries cannot read or write files; they read the snapshot's views only"
    ),
    r"attached in read-only mode": (
        "refused: the snapshot is read-only; zgc runs read-only queries only"
    ),
    r"(?:Invalid Input|Permission) Error: .*(?:lock_configuration|locked)": (
        "refused: settings are locked; zgc runs read-only queries only"
    ),
}


def message_of(exc: BaseException) -> str:
    """One line for a DuckDB error: the walls named plainly, the rest without `LINE 1:` and
    caret."""
    text = str(exc)
    for pattern, plain in _WALLS.items():
        if re.search(pattern, text, re.I):
            return plain
    lines = [
        line.strip()
        for line in text.split("\n")  # DuckDB's lines; U+2028 in a name is the name's
        if line.strip() and not line.lstrip().startswith("LINE ") and set(line.strip()) != {"^"}
    ]
    message = " ".join(lines) or "query failed"
    name = re.search(r'Referenced column "([^"]*)" not found', message)
    context = [line for line in text.split("\n") if line.lstrip().startswith("LINE ")]
    if name and any(f'"{name[1]}"' in line for line in context):
        # `WHERE name = "密云"`: in SQL double quotes name a column; text takes single quotes.
        # Not for a column misspelt or missing (statuss, park_id in products): none quoted.
        message += " (text values take single quotes: 'like this')"
    return message


@contextmanager
def translated() -> Iterator[None]:
    """DuckDB's errors as QueryError (or KeyboardInterrupt for an interrupted statement)."""
    try:
        yield
    except QueryError:
        raise
    except Exception as exc:
        duckdb = engine()
        interrupted = isinstance(exc, RuntimeError) and "interrupted" in str(exc).lower()
        if isinstance(exc, duckdb.InterruptException) or interrupted:
            raise KeyboardInterrupt from None
        # Under the OS bound a failed allocation can surface as a generic error (bad_alloc).
        hungry = isinstance(exc, MemoryError | duckdb.OutOfMemoryException) or (
            isinstance(exc, duckdb.Error | RuntimeError)
            and re.search("bad allocation|std::bad_alloc|Out of Memory", str(exc)) is not None
        )
        if not (hungry or isinstance(exc, duckdb.Error)):
            raise
        if "Corrupt database file" in str(exc):  # a block of zgc's copy, damaged since built
            from zgc_cli.output import cache_dir

            remedy = f"remove {cache_dir()} (zgc builds it again) and try again"
            raise DataError(
                f"zgc's copy of the snapshot is damaged: {message_of(exc)}; {remedy}"
            ) from None
        error = QueryError(OUT_OF_MEMORY if hungry else message_of(exc))
        error.said = str(exc)
        raise error from None
