"""The Python API for notebooks: `zgc_cli.connect()` and `zgc_cli.query()`.

Both open the snapshot through db.connection.open_database, so a notebook sees the same views
and, by default, the same sealed connection as the CLI: it can reach no file, the snapshot's
copy is read-only, and each query() has a time-out. Reached lazily from
`zgc_cli.__getattr__`, so `import zgc_cli` stays cheap; DuckDB loads on first use. The API
never exits or caps the memory of the process that imports it.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

from zgc_cli.db.connection import DEFAULT_TIMEOUT_S
from zgc_cli.errors import UsageError

if TYPE_CHECKING:
    import duckdb

    from zgc_cli.db.connection import Database

_shared: Database | None = None
_shared_lock = threading.Lock()
_query_lock = threading.Lock()  # one statement at a time on the shared connection
_replace = False  # the last statement was stopped, and may still run on the connection


class _WrongType(UsageError, TypeError):
    """A wrong type given to the API: a TypeError, and a UsageError like its other mistakes."""


def connect(
    data: str | os.PathLike[str] | None = None, *, safe: bool = True
) -> duckdb.DuckDBPyConnection:
    """A new DuckDB connection to the snapshot with the views (parks, projects, indicators,
    companies, events, programs, participants, products, sources) defined.

    `data` is a snapshot path (default: $ZGC_DATA, else the one shipped with zgc).

    `safe=True` (the default) is the CLI's sealed connection: no statement on it can read,
    list or write any file (every file system is switched off), the snapshot is a read-only
    copy, no extension loads and its settings are locked, so SQL pasted from elsewhere cannot
    touch your files or change the data later queries see. Pass `safe=False` for an ordinary
    DuckDB connection that can also read your own files (`read_csv`), query pandas/polars
    frames by variable name and `COPY ... TO` disk, any file your user may write, the
    snapshot's included: keep such a connection for your own SQL.
    """
    from zgc_cli.db.engine import relational

    relational()  # the full package: relations, .sql(), .df(), .pl()
    if not safe:
        from zgc_cli.db.connection import open_ordinary

        ordinary: duckdb.DuckDBPyConnection = open_ordinary(data)
        return ordinary
    from zgc_cli.db.connection import open_database

    connection: duckdb.DuckDBPyConnection = open_database(
        data, timeout=None, bound_process=False
    ).detach()
    return connection


def query(sql: str, /, *, timeout: float = DEFAULT_TIMEOUT_S, **params: object) -> Any:
    """Run one read-only statement over the views; return a DuckDB relation over its rows.

    Values are bound as parameters: `query("SELECT * FROM projects WHERE status = $s",
    s="started")`. Call `.fetchall()`, `.df()` (pandas) or `.pl()` (polars) on the result;
    pandas and polars are not zgc dependencies, install whichever you use.

    The statement runs at once, on one sealed connection shared by the process, and must end
    within `timeout` seconds, a number (zgc_cli.errors.QueryError otherwise); its rows are then
    held in memory. A statement DuckDB cannot stop in time is left to end on its connection,
    and the next call gets a new one. Only read-only statements are accepted (the same check
    as `zgc sql`); use `connect()` for anything else. Raises zgc_cli.errors.QueryError for
    refused or failing SQL, and a UsageError (a TypeError too, for a wrong type) for bad
    arguments.
    """
    global _replace
    import numbers

    from zgc_cli.db.engine import translated
    from zgc_cli.db.guard import check_timeout

    if not isinstance(sql, str):
        raise _WrongType(f"query() takes its SQL as a str, not {type(sql).__name__}")
    if isinstance(timeout, bool) or not isinstance(timeout, numbers.Real):
        kind = type(timeout).__name__
        raise _WrongType(f"timeout={timeout!r}: give a number of seconds, not a {kind}")
    try:
        check_timeout(timeout)
    except ValueError as exc:
        raise UsageError(f"timeout={_shown(timeout)}: {exc}") from None
    db = _shared_database()
    with _query_lock:
        if _replace:  # the last statement may still run on the connection: it keeps it, and
            db.renew(close=False)  # earlier results on it read again once that statement ends
            _replace = False
        guard = db.guard(timeout)
        checked = db.check(sql, guard)
        try:
            with translated():
                relation = guard.call(
                    lambda: db.connection.sql(checked.text, params=dict(params) if params else None)
                )
                return guard.call(relation.materialize)
        finally:
            _replace = guard.stopped is not None


def _shown(value: float) -> str:
    """The value as given, shortened: 10**400 has 401 digits."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:20]}…({len(text)} digits)"


def _shared_database() -> Database:
    """One sealed database per process, opened on first use."""
    global _shared
    with _shared_lock:
        if _shared is None:
            from zgc_cli.db.connection import open_database
            from zgc_cli.db.engine import relational

            relational()
            _shared = open_database(timeout=None, bound_process=False)
        return _shared


__all__ = ["connect", "query"]
