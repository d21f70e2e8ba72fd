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

if TYPE_CHECKING:
    import duckdb

    from zgc_cli.db.connection import Database

_shared: Database | None = None
_shared_lock = threading.Lock()
_query_lock = threading.Lock()  # one statement at a time on the shared connection


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
    within `timeout` seconds (zgc_cli.errors.QueryError otherwise); its rows are then held in
    memory. Only read-only statements are accepted (the same check as `zgc sql`); use
    `connect()` for anything else. Raises zgc_cli.errors.QueryError for refused or failing SQL.
    """
    from zgc_cli.db.engine import translated
    from zgc_cli.db.guard import check_timeout
    from zgc_cli.errors import UsageError

    if not isinstance(sql, str):
        raise UsageError(f"query() takes its SQL as a str, not {type(sql).__name__}")
    try:
        check_timeout(timeout)
    except (TypeError, ValueError) as exc:
        raise UsageError(f"timeout={timeout!r}: {exc}") from None
    db = _shared_database()
    with _query_lock:
        guard = db.guard(timeout)
        checked = db.check(sql, guard)
        with translated():
            relation = guard.call(
                lambda: db.connection.sql(checked.text, params=dict(params) if params else None)
            )
            return guard.call(relation.materialize)


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
