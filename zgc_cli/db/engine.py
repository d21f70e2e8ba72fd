"""The DuckDB modules, loaded on first use, and DuckDB's errors turned into ZgcErrors.

Only the db package imports DuckDB; nothing above it sees a duckdb exception.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

from zgc_cli.errors import OUT_OF_MEMORY, QueryError


def engine() -> ModuleType:
    """DuckDB's compiled engine, `_duckdb`: the module the `duckdb` package re-exports.

    Importing it directly skips the package's pure-Python layers (relational API, expression
    builder, version lookup), which most commands never use: it is the largest single cost of
    every query command (benchmarks/RESULTS.md). Its classes and errors are the very objects
    `duckdb` exports. If a DuckDB release renames it, the public package is used instead.
    """
    from importlib import import_module

    try:
        return import_module("_duckdb")
    except ImportError:  # pragma: no cover - a DuckDB without the `_duckdb` module
        return import_module("duckdb")


def relational() -> ModuleType:
    """The full `duckdb` package: relations and their Arrow streams (exports, the Python API)."""
    import duckdb

    return duckdb


# DuckDB's words for the walls the sealed connection puts up, and what they mean to a user.
_WALLS = (
    (
        re.compile(r"File system \w+ has been disabled|file system operations are disabled", re.I),
        "refused: queries cannot read or write files; they read the snapshot's views only",
    ),
    (
        re.compile(r"attached in read-only mode", re.I),
        "refused: the snapshot is read-only; zgc runs read-only queries only",
    ),
    (
        re.compile(r"(?:Invalid Input|Permission) Error: .*(?:lock_configuration|locked)", re.I),
        "refused: settings are locked; zgc runs read-only queries only",
    ),
)


def message_of(exc: BaseException) -> str:
    """One readable line for a DuckDB error: the sealed walls named plainly, the rest as DuckDB
    says it, without the `LINE 1:` excerpt and its caret."""
    text = str(exc)
    for pattern, plain in _WALLS:
        if pattern.search(text):
            return plain
    lines = [
        line.strip()
        for line in text.split("\n")  # DuckDB's lines; U+2028 in a name is the name's
        if line.strip() and not line.lstrip().startswith("LINE ") and set(line.strip()) != {"^"}
    ]
    message = " ".join(lines) or "query failed"
    if "Referenced column" in message and "not found" in message and not _near_miss(message):
        # `WHERE name = "密云"`: in SQL double quotes name a column; text takes single quotes.
        message += " (text values take single quotes: 'like this')"
    return message


def _near_miss(message: str) -> bool:
    """Whether the unknown column is a misspelt one (statuss: DuckDB names the candidates),
    not text in double quotes (中关村密云园, Miyun Park)."""
    import difflib
    import re

    name = re.search(r'Referenced column "([^"]*)"', message)
    candidates = re.findall(r'"([^"]*)"', message.partition("Candidate bindings:")[2])
    return bool(
        name
        and name[1].isascii()
        and difflib.get_close_matches(name[1].casefold(), candidates, n=1, cutoff=0.6)
    )


def is_out_of_memory(exc: BaseException) -> bool:
    duckdb = engine()
    if isinstance(exc, MemoryError | duckdb.OutOfMemoryException):
        return True
    # Under the OS bound a failed allocation can surface as a generic error (bad_alloc).
    text = str(exc)
    return isinstance(exc, duckdb.Error | RuntimeError) and (
        "bad allocation" in text or "std::bad_alloc" in text or "Out of Memory" in text
    )


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
        if is_out_of_memory(exc) or isinstance(exc, duckdb.Error):
            raise query_error(exc) from None
        raise


def query_error(exc: BaseException) -> QueryError:
    """A DuckDB error as the one line zgc prints (out of memory always says the same)."""
    error = QueryError(OUT_OF_MEMORY if is_out_of_memory(exc) else message_of(exc))
    error.said = str(exc)
    return error
