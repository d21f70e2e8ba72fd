"""The Python API for notebooks: `zgc_cli.connect()` and `zgc_cli.query()`, over the CLI's own
views and (by default) its sealed connection: no file reachable, a read-only copy, a time-out
per query(). Loaded lazily by `zgc_cli.__getattr__`; it never exits or caps the memory of the
process that imports it."""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any, cast

from zgc_cli.db.connection import DEFAULT_TIMEOUT_S
from zgc_cli.errors import UsageError

if TYPE_CHECKING:
    import duckdb

    from zgc_cli.db.connection import Database

_shared: Database | None = None  # one sealed database per process, opened on first use
_lock = threading.Lock()  # one statement at a time on it
_replace = False  # the last statement was stopped, and may still run on the connection


class _WrongType(UsageError, TypeError):  # a TypeError, and a UsageError like the other mistakes
    pass


def connect(
    data: str | os.PathLike[str] | None = None, *, safe: bool = True
) -> duckdb.DuckDBPyConnection:
    """A new DuckDB connection with the views (parks, projects, ...) over `data` (default
    $ZGC_DATA, else the shipped snapshot). `safe=True`: the CLI's sealed connection, no file
    reachable, the copy read-only, settings locked. `safe=False`: an ordinary connection that
    reads and writes any file you may, the snapshot's included: keep it for your own SQL."""
    from zgc_cli.db.connection import open_database, open_ordinary
    from zgc_cli.db.engine import relational

    relational()  # the full package: relations, .sql(), .df(), .pl()
    if not safe:
        return cast("duckdb.DuckDBPyConnection", open_ordinary(data))
    sealed = open_database(data, timeout=None, bound_process=False).connection
    return cast("duckdb.DuckDBPyConnection", sealed)


def query(sql: str, /, *, timeout: float = DEFAULT_TIMEOUT_S, **params: object) -> Any:
    """One read-only statement (as `zgc sql`) as a DuckDB relation held in memory, values bound:
    `query("SELECT * FROM projects WHERE status = $s", s="started").df()`. It runs on the
    process's sealed connection within `timeout` seconds; QueryError for refused or failing
    SQL, UsageError (TypeError too for a wrong type) for bad arguments."""
    global _replace, _shared
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
        shown = repr(timeout)  # shortened: 10**400 has 401 digits
        shown = shown if len(shown) <= 40 else f"{shown[:20]}…({len(shown)} digits)"
        raise UsageError(f"timeout={shown}: {exc}") from None
    with _lock:
        if _shared is None:
            from zgc_cli.db.connection import open_database
            from zgc_cli.db.engine import relational

            relational()
            _shared = open_database(timeout=None, bound_process=False)
        db = _shared
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


__all__ = ["connect", "query"]
