"""`open_database`, the one place that opens DuckDB for queries: a sealed connection to one
snapshot's copy, running zgc's own `NamedSQL` and checked user SQL under a guard."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from zgc_cli.db import snapshot
from zgc_cli.db.engine import engine, message_of, translated
from zgc_cli.db.guard import Guard, MemoryBound, StuckHandler
from zgc_cli.db.sandbox import HARDENED, check_statement, check_text, seal
from zgc_cli.db.statement import CheckedSQL, NamedSQL, Statement, distinct_names, sql_literal
from zgc_cli.errors import DataError, QueryError, UsageError

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MEMORY_LIMIT = "1GB"
# A streamed export: DuckDB's writer keeps no rows (10M rows of csv: 341 MB peak, RESULTS.md).
STREAMING_MEMORY_LIMIT = "256MB"
DEFAULT_THREADS = 2
# DuckDB's 8 async I/O threads copy each COPY batch into a write queue: into zgc's FIFO, at
# 10M rows of csv, 1.44M page faults and 3.4 s of system time; written in place, 0.64M, 1.7 s.
ENGINE_THREADS = {"async_threads": 0}

Row = tuple[Any, ...]


class Result:
    """A statement's columns and a cursor over its rows, fetched lazily, under its guard."""

    __slots__ = ("_cursor", "_guard", "_pick", "columns", "types")

    def __init__(
        self, columns: list[str], types: list[str], cursor: Any, guard: Guard, pick: Any = None
    ) -> None:
        self.columns, self.types = columns, types
        self._cursor, self._guard, self._pick = cursor, guard, pick

    @classmethod
    def of(cls, result: Result, chosen: Sequence[str]) -> Result:  # --columns, in that order
        pick = [result.columns.index(name) for name in chosen]
        types = [result.types[i] for i in pick]
        if result._pick is not None:
            pick = [result._pick[i] for i in pick]
        return cls(list(chosen), types, result._cursor, result._guard, pick)

    def fetch(self, count: int) -> list[Row]:
        with translated():
            try:
                rows: list[Row] = self._guard.call(self._cursor.fetchmany, count)
            except (OverflowError, ValueError) as exc:
                # A value DuckDB holds but Python cannot (INTERVAL 10^8 YEARS, a date past 9999).
                raise QueryError(
                    f"a value cannot be shown ({exc}); cast that column to VARCHAR"
                ) from None
        if self._pick is not None:
            return [tuple(row[i] for i in self._pick) for row in rows]
        return rows

    def batches(self, size: int = 2048) -> Iterator[list[Row]]:
        while batch := self.fetch(size):
            yield batch

    def rows(self) -> list[Row]:
        return [row for batch in self.batches() for row in batch]


Projected = Result  # `Projected.of(result, chosen)`: a result's chosen columns


class Database:
    """A sealed connection to one snapshot's read-only copy, with its limits. `bound_process`:
    the CLI's OS memory bound; `on_stuck`: a statement deaf to its time-out (the CLI exits);
    `streaming` (a large COPY) drops insertion order: kept, the parallel scan buffered 2.2 GB
    for 10M rows (ORDER BY still holds)."""

    def __init__(
        self,
        data: str | os.PathLike[str] | None = None,
        *,
        timeout: float | None = DEFAULT_TIMEOUT_S,
        memory_limit: str = DEFAULT_MEMORY_LIMIT,
        threads: int = DEFAULT_THREADS,
        bound_process: bool = True,
        on_stuck: StuckHandler | None = None,
        streaming: bool = False,
    ) -> None:
        self.path = snapshot.locate(data)
        self._digest = snapshot.identify(self.path)
        self._limit = parse_size(memory_limit)
        self._config: dict[str, Any] = {
            "threads": threads,
            "memory_limit": f"{self._limit}B",  # zgc's reading of the size, not DuckDB's
            "preserve_insertion_order": not streaming,
            **ENGINE_THREADS,
            **HARDENED,
        }
        self.timeout, self._on_stuck = timeout, on_stuck
        self._used = False  # a user's statement ran on this connection
        self._abandoned: list[Any] = []  # replaced while busy: closed once they end
        # The copy first: what building it leaves in the address space must not count against
        # the queries' bound (measured at 10M rows: 600 MB left behind, and the query ran out).
        self._copy = snapshot.prepared(self.path, self._digest, memory_bytes=self._limit)
        self._bound = MemoryBound(self._limit) if bound_process else None
        try:
            self.connection = self._sealed()
        except BaseException:
            self._release()
            raise

    def guard(self, timeout: float | None = None) -> Guard:  # one statement's, to its last row
        seconds = self.timeout if timeout is None else timeout
        return Guard(seconds, lambda: self.connection, self._on_stuck)

    def check(self, text: str, guard: Guard | None = None) -> CheckedSQL:
        """check_statement under the statement's guard: parsing 1 MB of SQL takes seconds."""
        check_text(text)
        return (guard or self.guard()).call(check_statement, text)

    def start(self, statement: Statement) -> str:
        """`statement`'s text, what is left of the last one dropped (one at a time)."""
        self.connection.abort()
        if isinstance(statement, CheckedSQL):
            self._used = True  # the shell renews the connection before the next
            return statement.text
        return statement

    def run(
        self,
        statement: Statement,
        params: Mapping[str, object] | None = None,
        guard: Guard | None = None,
    ) -> Result:
        guard = guard or self.guard()
        with translated():
            text = self.start(statement)
            cursor = guard.call(self.connection.execute, text, dict(params) if params else None)
            description = cursor.description or []
        names = distinct_names([d[0] for d in description])
        return Result(names, [str(d[1]) for d in description], cursor, guard)

    def fresh(self) -> None:
        """Renew the connection if a user's statement has run on it (the shell, before each)."""
        if self._used:
            self.renew()

    def renew(self, *, close: bool = True) -> None:
        """A new sealed connection and slot (19 ms): no statement sees what another did to the
        engine (`FROM register_external_resource_type(...)`) or its slot. The old one closes
        now or once a statement abandoned on it ends; `close=False` (the API): its results'."""
        old = [*self._abandoned, self.connection] if close else self._abandoned
        self._abandoned = [c for c in old if not _closed(c)]
        self._used = True  # if no new one can be made: try again before the next statement
        self.connection = self._sealed()
        self._used = False

    def scalar(self, sql: NamedSQL, params: Mapping[str, object] | None = None) -> Any:
        rows = self.run(sql, params).fetch(1)
        return rows[0][0] if rows else None

    def metadata(self) -> dict[str, str]:
        with translated():
            found = snapshot.read_metadata(self.connection)
        found.pop(snapshot.STAMP, None)
        return found

    def close(self) -> None:
        try:
            for connection in [*self._abandoned, self.connection]:
                _closed(connection)
        finally:
            self._release()

    def _release(self) -> None:  # a copy for this run alone goes at exit (output's registry)
        if self._bound is not None:
            self._bound.release()

    def _sealed(self) -> Any:
        """A private in-memory DuckDB (a file's database shares its settings between
        connections), the copy attached read-only and sealed before anything of it is read: a
        planted copy reaches no file. One that does not open or is not this snapshot's is built
        again, once, on a new connection: a sealed one cannot attach another file."""
        duckdb = engine()
        for again in (False, True):
            if again:
                self._copy = snapshot.prepared(
                    self.path, self._digest, memory_bytes=self._limit, fresh=True
                )
            try:
                connection = duckdb.connect(":memory:", config=self._config)
            except duckdb.Error as exc:
                problem = f"cannot open DuckDB with these limits: {message_of(exc)}"
                raise UsageError(problem) from None
            problem = "is not this snapshot's"
            try:
                snapshot.attach(connection, self._copy)
                seal(connection)
                if snapshot.read_metadata(connection).get(snapshot.STAMP) == self._digest:
                    return connection
            except duckdb.Error as exc:
                problem = f"does not open ({message_of(exc)})"
            except OSError as exc:  # removed (pruned by another run), swapped: built again
                problem = f"cannot be read ({exc.strerror})"
            except BaseException:
                connection.close()
                raise
            connection.close()
        remedy = f"remove {self._copy} and try again"
        raise DataError(f"zgc's copy of {self.path} {problem}; {remedy}")


open_database = Database


def _closed(connection: Any) -> bool:
    """Close `connection`; False while it is still busy with a statement of another thread."""
    with contextlib.suppress(Exception):
        connection.close()
        return True
    return False


def scratch() -> Any:
    """A plain in-memory DuckDB on one thread for zgc's own work; never a user's SQL."""
    return engine().connect(":memory:", config={"threads": 1, **ENGINE_THREADS, **HARDENED})


def open_ordinary(data: str | os.PathLike[str] | None = None) -> Any:
    """An ordinary, unsealed DuckDB connection with the views (the API's `safe=False`)."""
    path = snapshot.locate(data)
    snapshot.identify(path)
    connection = engine().connect(":memory:")
    try:
        with translated():
            source = sql_literal(str(path))
            connection.execute(f"CREATE VIEW _snapshot AS SELECT * FROM read_parquet({source})")
            connection.execute(snapshot.views())
    except BaseException:
        connection.close()
        raise
    return connection


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(i?)b?|b|bytes)?\s*$", re.I)


def parse_size(text: str) -> int:
    """A DuckDB memory size (512MB, 1GB, 2GiB, 100000B) in bytes; KB = 1000, KiB = 1024.
    From 16MB (DuckDB cannot run a query in less) to 1 TiB (above it RLIMIT_AS is moot)."""
    hint = "give a size such as 512MB or 2GB"
    match = _SIZE.match(text)
    if match is None:
        raise UsageError(f"--memory-limit {text!r}: {hint}")
    number, prefix, binary = match.groups()
    power = "kmgt".index(prefix.lower()) + 1 if prefix else 0
    size = float(number) * (1024 if binary else 1000) ** power
    if not 16 * 10**6 <= size <= 1024**4:
        raise UsageError(f"--memory-limit {text!r}: {hint}, from 16MB to 1TiB")
    return int(size)
