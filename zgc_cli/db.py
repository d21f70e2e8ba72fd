"""The one place that imports duckdb: find the snapshot, open a hardened connection, define
the views, check and run SQL, and turn driver errors into ZgcErrors.

duckdb is imported inside functions only, so `zgc --help` never pays for it.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zgc_cli.dictionary import SCHEMA_VERSION
from zgc_cli.errors import DataError, QueryError, UsageError

if TYPE_CHECKING:
    import duckdb

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MEMORY_LIMIT = "1GB"
DEFAULT_THREADS = 2
_READ_ONLY_KINDS = frozenset({"SELECT"})
_LEADING_NOISE = r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*"
_EXPLAIN = re.compile(rf"^{_LEADING_NOISE}EXPLAIN\b{_LEADING_NOISE}(ANALY[SZ]E\b)?", re.I | re.S)
_PIVOT = re.compile(rf"^{_LEADING_NOISE}(UN)?PIVOT\b", re.I | re.S)


# --- locating and checking the snapshot -----------------------------------------------------


def locate_snapshot(data: str | os.PathLike[str] | None = None) -> Path:
    """--data, then ZGC_DATA, then the snapshot inside the package, then the source tree's."""
    chosen = data if data not in (None, "") else os.environ.get("ZGC_DATA") or None
    if chosen is not None:
        return Path(chosen).expanduser().absolute()
    packaged = Path(str(resources.files("zgc_cli"))) / "data" / "zgc.parquet"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "data" / "zgc.parquet"


def check_snapshot_file(path: Path) -> None:
    """Fail early, with the path and a remedy, on anything that is not a readable Parquet file."""
    remedy = "point --data or ZGC_DATA at a zgc snapshot, or reinstall zgc"
    if not path.exists():
        raise DataError(f"snapshot not found: {path}; {remedy}")
    if not path.is_file():
        raise DataError(f"snapshot is not a file: {path}; {remedy}")
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
            size = os.fstat(handle.fileno()).st_size
            handle.seek(max(size - 4, 0))
            tail = handle.read(4)
    except OSError as exc:
        raise DataError(f"cannot read snapshot {path}: {exc.strerror}; check its permissions")
    if head != b"PAR1":
        raise DataError(f"snapshot is not a Parquet file: {path}; {remedy}")
    if size < 12 or tail != b"PAR1":
        raise DataError(f"snapshot is truncated or incomplete: {path}; {remedy}")


# --- results --------------------------------------------------------------------------------


@dataclass
class Result:
    """A query's columns and a cursor over its rows, fetched lazily in batches."""

    columns: list[str]
    types: list[str]
    _cursor: Any = field(repr=False)
    _guard: _Watchdog | None = field(default=None, repr=False)

    def fetch(self, count: int) -> list[tuple[Any, ...]]:
        with _translated(self._guard):
            rows: list[tuple[Any, ...]] = self._cursor.fetchmany(count)
        return rows

    def batches(self, size: int = 2048) -> Iterator[list[tuple[Any, ...]]]:
        while batch := self.fetch(size):
            yield batch

    def rows(self) -> list[tuple[Any, ...]]:
        return [row for batch in self.batches() for row in batch]

    def close(self) -> None:
        if self._guard is not None:
            self._guard.cancel()


@dataclass
class Projected:
    """`--columns` over any result: the chosen columns, in the order given."""

    columns: list[str]
    types: list[str]
    _inner: Result = field(repr=False)
    _indexes: list[int] = field(repr=False)

    @classmethod
    def of(cls, result: Result, chosen: Sequence[str]) -> Result:
        indexes = [result.columns.index(name) for name in chosen]
        projected = cls(list(chosen), [result.types[i] for i in indexes], result, indexes)
        return projected  # type: ignore[return-value]

    def fetch(self, count: int) -> list[tuple[Any, ...]]:
        return [tuple(row[i] for i in self._indexes) for row in self._inner.fetch(count)]

    def batches(self, size: int = 2048) -> Iterator[list[tuple[Any, ...]]]:
        while batch := self.fetch(size):
            yield batch

    def close(self) -> None:
        self._inner.close()


class _Watchdog:
    """Interrupts the connection when a query outlives its timeout."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self._connection = connection
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        self._connection.interrupt()

    def cancel(self) -> None:
        self._timer.cancel()


class _translated:
    """Context manager: duckdb errors become QueryError with one readable line."""

    def __init__(self, guard: _Watchdog | None = None) -> None:
        self.guard = guard

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> bool:
        if exc is None:
            return False
        import duckdb

        if self.guard is not None and self.guard.fired:
            raise QueryError(f"query timed out after {self.guard.seconds:g} s") from None
        if isinstance(exc, MemoryError) or isinstance(exc, duckdb.OutOfMemoryException):
            raise QueryError("out of memory; add a LIMIT or raise --memory-limit") from None
        if isinstance(exc, duckdb.InterruptException):
            raise KeyboardInterrupt from None
        if isinstance(exc, duckdb.Error):
            raise QueryError(one_line(str(exc))) from None
        return False


def one_line(message: str) -> str:
    """DuckDB's multi-line messages (with LINE 1: and a caret) as one line."""
    lines = [
        line.strip()
        for line in message.splitlines()
        if line.strip() and not line.lstrip().startswith("LINE ") and set(line.strip()) != {"^"}
    ]
    return " ".join(lines) or "query failed"


# --- the connection -------------------------------------------------------------------------


class Database:
    """A connection to one snapshot with the views defined; safe by default."""

    def __init__(self, path: Path, connection: duckdb.DuckDBPyConnection, timeout: float) -> None:
        self.path = path
        self.connection = connection
        self.timeout = timeout

    def run(
        self, sql: str, params: Mapping[str, object] | None = None, *, trusted: bool = False
    ) -> Result:
        """Run one statement; untrusted SQL must be a single read-only statement."""
        if not trusted:
            check_statement(sql)
        guard = _Watchdog(self.connection, self.timeout) if self.timeout > 0 else None
        try:
            with _translated(guard):
                cursor = self.connection.execute(sql, dict(params) if params else None)
                description = cursor.description or []
        except BaseException:
            if guard is not None:
                guard.cancel()
            raise
        return Result([d[0] for d in description], [str(d[1]) for d in description], cursor, guard)

    def scalar(self, sql: str, params: Mapping[str, object] | None = None) -> Any:
        rows = self.run(sql, params, trusted=True).fetch(1)
        return rows[0][0] if rows else None

    def metadata(self) -> dict[str, str]:
        return read_metadata(self.connection, self.path)

    def close(self) -> None:
        self.connection.close()


def read_metadata(connection: duckdb.DuckDBPyConnection, path: Path) -> dict[str, str]:
    rows = connection.execute(
        "SELECT decode(key), decode(value) FROM parquet_kv_metadata($path)", {"path": str(path)}
    ).fetchall()
    return {str(key): str(value) for key, value in rows}


def open_database(
    data: str | os.PathLike[str] | None = None,
    *,
    safe: bool = True,
    timeout: float = DEFAULT_TIMEOUT_S,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    threads: int = DEFAULT_THREADS,
    writable: Sequence[Path] = (),
) -> Database:
    """Open the snapshot in a private in-memory DuckDB and define the views.

    With `safe`, the connection can read only the snapshot (and write only `writable`, zgc's
    own output files), loads no extensions, never spills to disk, and is locked.
    """
    import duckdb

    path = locate_snapshot(data)
    check_snapshot_file(path)
    config: dict[str, Any] = {"threads": threads, "memory_limit": memory_limit}
    if safe:
        config.update(
            autoload_known_extensions=False,
            autoinstall_known_extensions=False,
            allow_community_extensions=False,
            allow_persistent_secrets=False,
            python_enable_replacements=False,
            max_temp_directory_size="0B",
        )
    try:
        connection = duckdb.connect(":memory:", config=config)
    except duckdb.Error as exc:
        raise UsageError(f"cannot open DuckDB with these limits: {one_line(str(exc))}") from None
    try:
        _check_version(connection, path)
        define_views(connection, path)
        if safe:
            allowed = ", ".join(sql_literal(str(p)) for p in (path, *writable))
            connection.execute(f"SET allowed_paths = [{allowed}]")
            connection.execute("SET enable_external_access = false")
            connection.execute("SET lock_configuration = true")
    except BaseException:
        connection.close()
        raise
    return Database(path, connection, timeout)


def _check_version(connection: duckdb.DuckDBPyConnection, path: Path) -> None:
    import duckdb

    remedy = "rebuild it with `zgc build` or use the snapshot that ships with zgc"
    try:
        metadata = read_metadata(connection, path)
    except duckdb.Error as exc:
        raise DataError(f"snapshot {path} is corrupt ({one_line(str(exc))}); {remedy}") from None
    version = metadata.get("zgc_schema_version")
    if version is None:
        raise DataError(
            f"{path} is a Parquet file but not a zgc snapshot (no schema version); {remedy}"
        )
    if version != str(SCHEMA_VERSION):
        raise DataError(
            f"snapshot {path} has schema version {version}, this zgc reads "
            f"{SCHEMA_VERSION}; {remedy}"
        )


def define_views(connection: duckdb.DuckDBPyConnection, path: Path) -> None:
    import duckdb

    views = (resources.files("zgc_cli") / "views.sql").read_text(encoding="utf-8")
    try:
        connection.execute(
            f"CREATE VIEW _snapshot AS SELECT * FROM read_parquet({sql_literal(str(path))})"
        )
        connection.execute(views)
    except duckdb.Error as exc:
        raise DataError(
            f"snapshot {path} does not have the zgc schema ({one_line(str(exc))}); "
            "rebuild it with `zgc build`"
        ) from None


def sql_literal(text: str) -> str:
    # View definitions cannot take parameters; a path is the one literal we quote ourselves.
    return "'" + text.replace("'", "''") + "'"


# --- the statement check --------------------------------------------------------------------


def check_statement(sql: str) -> None:
    """Refuse anything but exactly one read-only statement, naming what was refused."""
    import duckdb

    check_text(sql)
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryError(one_line(str(exc))) from None
    if not statements:
        raise UsageError("no SQL statement given")
    if len(statements) > 1:
        raise QueryError(f"only one statement per call is allowed; got {len(statements)}")
    statement = statements[0]
    kind = statement.type.name
    if kind == "SELECT":
        return
    if kind == "MULTI" and _PIVOT.match(statement.query):
        return  # PIVOT with dynamic columns is a SELECT DuckDB plans in two steps
    if kind == "EXPLAIN":
        match = _EXPLAIN.match(statement.query)
        inner = statement.query[match.end() :] if match else ""
        inner_kinds = [s.type.name for s in duckdb.extract_statements(inner)] if inner else []
        if inner_kinds == ["SELECT"]:
            return
        what = "EXPLAIN ANALYZE" if match and match.group(1) else "EXPLAIN"
        raise QueryError(
            f"refused: {what} of a {', '.join(inner_kinds) or 'non-SELECT'} "
            "statement; zgc runs read-only queries only"
        )
    raise QueryError(
        f"refused: {kind} statement; zgc runs read-only queries only "
        "(SELECT, WITH, FROM, VALUES, DESCRIBE, SUMMARIZE, SHOW, PIVOT, EXPLAIN)"
    )


def check_text(sql: str) -> None:
    if "\x00" in sql:
        raise QueryError("refused: the query contains a NUL byte")
    try:
        sql.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryError(
            "refused: the query is not valid UTF-8 (lone surrogate or bad bytes)"
        ) from None
