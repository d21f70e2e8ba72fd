"""The Python API for notebooks: `zgc_cli.connect()` and `zgc_cli.query()`.

Both open the snapshot through db.open_database, so a notebook sees the same views and, by
default, the same hardened connection as the CLI. Reached lazily from `zgc_cli.__getattr__`,
so `import zgc_cli` stays cheap; duckdb is imported only when a connection is opened.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

_shared: duckdb.DuckDBPyConnection | None = None
_shared_lock = threading.Lock()
_per_thread = threading.local()  # a DuckDB connection is not thread-safe; cursors are cheap


def connect(
    data: str | os.PathLike[str] | None = None, *, safe: bool = True
) -> duckdb.DuckDBPyConnection:
    """A new DuckDB connection to the snapshot with the views (parks, projects, indicators,
    companies, events, sources) defined.

    `data` is a snapshot path (default: $ZGC_DATA, else the one shipped with zgc).

    `safe=True` (the default) is the CLI's connection: it can read only the snapshot, loads
    no extensions, never spills to disk and its settings are locked, so SQL pasted from
    elsewhere cannot read or write your files. Pass `safe=False` for a plain connection that
    can also read your own files (`read_csv`), query pandas/polars frames by variable name and
    `COPY ... TO` disk. Either way it is an in-memory database: nothing changes the snapshot.
    """
    import duckdb  # noqa: F401  # the full package: db.py loads only the engine; .sql() is here

    from zgc_cli.db import open_database

    # No process-wide address-space bound here (the CLI sets one): a library must not cap the
    # memory of the notebook or program that imports it, nor of the processes it starts.
    return open_database(data, safe=safe, owns_process=False).connection


def query(sql: str, /, **params: object) -> duckdb.DuckDBPyRelation:
    """Run one read-only statement over the views and return a DuckDB relation.

    Values are bound as parameters: `query("SELECT * FROM projects WHERE status = $s",
    s="started")`. Call `.fetchall()`, `.df()` (pandas) or `.pl()` (polars) on the result;
    pandas and polars are not zgc dependencies, install whichever you use.

    All calls share one safe connection to the default snapshot, so only read-only
    statements are accepted (the same check as `zgc sql`); use `connect()` for anything else.
    Raises zgc_cli.errors.QueryError for refused or failing SQL.
    """
    from zgc_cli.db import _translated, check_statement

    check_statement(sql)
    connection = _shared_connection()
    with _translated():
        return connection.sql(sql, params=dict(params) if params else None)


def _shared_connection() -> duckdb.DuckDBPyConnection:
    """One safe connection per process, opened on first use; a cursor of it per thread."""
    global _shared
    cursor: duckdb.DuckDBPyConnection | None = getattr(_per_thread, "cursor", None)
    if cursor is None:
        with _shared_lock:
            if _shared is None:
                _shared = connect()
            cursor = _shared.cursor()
        _per_thread.cursor = cursor
    return cursor


__all__ = ["connect", "query"]
