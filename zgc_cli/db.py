"""The one place that imports duckdb: find the snapshot, open a hardened connection, define
the views, check and run SQL, and turn driver errors into ZgcErrors.

duckdb is imported inside functions only, so `zgc --help` never pays for it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar

from zgc_cli.dictionary import SCHEMA_VERSION
from zgc_cli.errors import DataError, QueryError, UsageError

if TYPE_CHECKING:
    import duckdb

DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MEMORY_LIMIT = "1GB"
DEFAULT_THREADS = 2
_GRACE_S = 2.0  # after interrupt(), how long a query may take to stop before zgc exits anyway
STDOUT = "/dev/stdout"  # the one extra path zgc's own writer may open (Database.export)
# Result types whose text DuckDB's csv/json writers spell exactly as render.py does.
_NATIVE_TYPES = frozenset(
    {
        "VARCHAR",
        "BOOLEAN",
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "HUGEINT",
        "UTINYINT",
        "USMALLINT",
        "UINTEGER",
        "UBIGINT",
        "DOUBLE",
        "DATE",
    }
)
_DECIMAL = re.compile(r"DECIMAL\(\d+,\d+\)")
_LEADING_NOISE = r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*"
_EXPLAIN = re.compile(rf"^{_LEADING_NOISE}EXPLAIN\b{_LEADING_NOISE}(ANALY[SZ]E\b)?", re.I | re.S)
_PIVOT = re.compile(rf"^{_LEADING_NOISE}(UN)?PIVOT\b", re.I | re.S)


def engine() -> ModuleType:
    """DuckDB's compiled engine, `_duckdb`: the module the `duckdb` package re-exports.

    Importing it directly skips the package's pure-Python layers (relational API, expression
    builder, version lookup through importlib.metadata), about 2/3 of `import duckdb`, none of
    which zgc uses; it is the largest single cost of every query command (benchmarks/
    RESULTS.md). Its classes and errors are the very objects `duckdb` exports. If a DuckDB
    release renames it, the public package is used instead.
    """
    from importlib import import_module

    try:
        return import_module("_duckdb")
    except ImportError:  # pragma: no cover - a DuckDB without the `_duckdb` module
        return import_module("duckdb")


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
        raise DataError(
            f"cannot read snapshot {path}: {exc.strerror}; check its permissions"
        ) from None
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
        try:
            return [row for batch in self.batches() for row in batch]
        finally:
            self.close()

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
    """Interrupts the connection when a query outlives its timeout, or on Ctrl-C."""

    def __init__(
        self, connection: duckdb.DuckDBPyConnection, seconds: float, *, may_exit: bool = False
    ) -> None:
        self.seconds = seconds
        self.fired = False
        self.signalled = False
        self._may_exit = may_exit
        self._connection = connection
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        if seconds > 0:
            self._thread = threading.Thread(target=self._watch, name="zgc-watchdog", daemon=True)
            self._thread.start()
        _SigintRelay.watch(self)

    def _watch(self) -> None:
        if not self._done.wait(self.seconds):
            self.fired = True
            self._connection.interrupt()
            self._insist(f"zgc: error: query timed out after {self.seconds:g} s\n", 1)

    def interrupt_for_sigint(self) -> None:
        if not self._done.is_set():
            self.signalled = True
            self._connection.interrupt()
            threading.Thread(
                target=self._insist, args=("zgc: interrupted\n", 130), daemon=True
            ).start()

    def _insist(self, message: str, code: int) -> None:
        """DuckDB honours interrupt() between its steps; a call blocked in the kernel (reading
        a pipe nobody writes, such as read_csv('/dev/stdout')) never gets there. The time-out
        and Ctrl-C are promises: when the query has not stopped after a grace period, the CLI
        ends the process itself, with the same one line and exit code."""
        if self._done.wait(_GRACE_S) or not self._may_exit:
            return
        from zgc_cli.output import remove_partial_files

        remove_partial_files()
        os.write(2, message.encode())
        os._exit(code)

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def cancel(self) -> None:
        self._done.set()
        _SigintRelay.forget(self)


class _SigintRelay:
    """Ctrl-C for queries stuck in C (pg_sleep, one huge function call).

    Python runs its SIGINT handler only between bytecodes of the main thread, which is
    blocked inside DuckDB; the signal's wakeup fd lets this thread see Ctrl-C at once and
    interrupt the running queries, after which KeyboardInterrupt is raised as usual.
    One per process, started on first use from the main thread (POSIX only).
    """

    _live: ClassVar[set[_Watchdog]] = set()
    _lock = threading.Lock()
    _started = False

    @classmethod
    def watch(cls, guard: _Watchdog) -> None:
        with cls._lock:
            cls._live.add(guard)
            if not cls._started:
                cls._started = True
                cls._start()

    @classmethod
    def forget(cls, guard: _Watchdog) -> None:
        with cls._lock:
            cls._live.discard(guard)

    @classmethod
    def _start(cls) -> None:
        if not hasattr(signal, "set_wakeup_fd") or os.name != "posix":
            return  # pragma: no cover - Windows: Ctrl-C waits for DuckDB's own checks
        read_end, write_end = os.pipe()
        os.set_blocking(write_end, False)
        try:
            previous = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
        except ValueError:  # not the main thread: the timeout still holds
            os.close(read_end)
            os.close(write_end)
            return
        if previous != -1:  # someone else (an event loop) owns it: leave theirs in place
            signal.set_wakeup_fd(previous)
            os.close(read_end)
            os.close(write_end)
            return
        threading.Thread(
            target=cls._relay, args=(read_end,), name="zgc-sigint", daemon=True
        ).start()

    @classmethod
    def _relay(cls, read_end: int) -> None:
        while True:
            try:
                received = os.read(read_end, 512)
            except OSError:  # pragma: no cover
                return
            if not received:  # pragma: no cover
                return
            if signal.SIGINT in received:
                with cls._lock:
                    live = list(cls._live)
                for guard in live:
                    guard.interrupt_for_sigint()


class _translated:
    """Context manager: duckdb errors become QueryError with one readable line."""

    def __init__(self, guard: _Watchdog | None = None) -> None:
        self.guard = guard

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: object
    ) -> None:
        if exc is None:
            return
        duckdb = engine()

        if self.guard is not None and self.guard.signalled:
            raise KeyboardInterrupt from None
        if self.guard is not None and self.guard.fired:
            raise QueryError(f"query timed out after {self.guard.seconds:g} s") from None
        driver = isinstance(exc, duckdb.Error | RuntimeError)
        if isinstance(exc, MemoryError | duckdb.OutOfMemoryException) or (driver and _is_oom(exc)):
            raise QueryError(OUT_OF_MEMORY) from None
        interrupted = isinstance(exc, RuntimeError) and "interrupted" in str(exc).lower()
        if isinstance(exc, duckdb.InterruptException) or interrupted:
            raise KeyboardInterrupt from None
        if isinstance(exc, duckdb.Error):
            raise QueryError(one_line(str(exc))) from None


OUT_OF_MEMORY = "out of memory; add a LIMIT or raise --memory-limit"


def _is_oom(exc: BaseException) -> bool:
    # Under the OS bound a failed allocation can surface as a generic error (bad_alloc).
    text = str(exc)
    return "bad allocation" in text or "std::bad_alloc" in text or "Out of Memory" in text


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

    def __init__(
        self,
        path: Path,
        connection: duckdb.DuckDBPyConnection,
        timeout: float,
        bound: MemoryBound | None = None,
        *,
        owns_process: bool = False,
    ) -> None:
        self.path = path
        self.connection = connection
        self.timeout = timeout
        self._bound = bound
        self._owns_process = owns_process
        self._guards: list[_Watchdog] = []

    def run(
        self, sql: str, params: Mapping[str, object] | None = None, *, trusted: bool = False
    ) -> Result:
        """Run one statement; untrusted SQL must be a single read-only statement."""
        if not trusted:
            check_statement(sql)
        guard = _Watchdog(self.connection, self.timeout, may_exit=self._owns_process)
        # Keep the guards of results still open (close() cancels them); a long API session
        # runs many queries, so the finished ones are dropped here.
        self._guards = [g for g in self._guards if not g.done]
        self._guards.append(guard)
        try:
            with _translated(guard):
                cursor = self.connection.execute(sql, dict(params) if params else None)
                description = cursor.description or []
        except BaseException:
            guard.cancel()
            raise
        return Result([d[0] for d in description], [str(d[1]) for d in description], cursor, guard)

    def export(
        self,
        sql: str,
        params: Mapping[str, object] | None,
        fmt: str,
        *,
        header: bool = True,
        trusted: bool = False,
        target: str = STDOUT,
    ) -> int | None:
        """Stream a SELECT's rows to `target` with DuckDB's own csv or jsonl writer.

        zgc's trusted writer path, for output far larger than memory: the user's statement is
        checked first, then wrapped in a COPY that only zgc writes, to a target the sandbox
        lets this connection write (open_database's `writable`). It keeps render.py's
        semantics (csv: header, CRLF, NULL empty, ISO dates, shortest float repr; jsonl: one
        object per line with real types, NULL and non-finite numbers as null); columns of any
        type whose text DuckDB writes differently (timestamps, lists, blobs, FLOAT) return
        None, and the caller renders in Python. Returns the number of rows written.
        """
        if fmt not in ("csv", "jsonl"):
            return None
        if not trusted:
            check_statement(sql)
        statements = engine().extract_statements(sql)
        if len(statements) != 1 or statements[0].type.name != "SELECT":
            return None
        query = statements[0].query.strip().rstrip(";")
        probe = self.run(f"SELECT * FROM (\n{query}\n) LIMIT 0", params, trusted=True)
        probe.close()
        if not all(kind in _NATIVE_TYPES or _DECIMAL.fullmatch(kind) for kind in probe.types):
            return None
        if fmt == "csv":
            options = f"FORMAT csv, HEADER {str(header).lower()}, NEW_LINE '\r\n'"
        else:
            options = "FORMAT json"
            finite = [
                f"CASE WHEN isfinite({quoted}) THEN {quoted} END AS {quoted}"
                for name, kind in zip(probe.columns, probe.types, strict=True)
                if kind == "DOUBLE"
                for quoted in ['"' + name.replace('"', '""') + '"']
            ]
            if finite:  # render.py writes NaN and infinities as null, DuckDB as NaN/Infinity
                query = f"SELECT * REPLACE ({', '.join(finite)}) FROM (\n{query}\n)"
        copy = f"COPY (\n{query}\n) TO {sql_literal(target)} ({options})"
        try:
            result = self.run(copy, params, trusted=True)
        except QueryError as exc:
            if "Broken pipe" in str(exc):  # the reader went away (`| head`)
                raise BrokenPipeError(errno.EPIPE, str(exc)) from None
            if "Could not set lock on file" in str(exc):
                # Another process writes the same file (many runs `> /dev/null` at once):
                # DuckDB locks its target before writing anything, so Python's writer can
                # take over with nothing written twice.
                return None
            raise
        try:
            rows = result.fetch(1)
        finally:
            result.close()
        return int(rows[0][0]) if rows else 0

    def scalar(self, sql: str, params: Mapping[str, object] | None = None) -> Any:
        result = self.run(sql, params, trusted=True)
        try:
            rows = result.fetch(1)
        finally:
            result.close()
        return rows[0][0] if rows else None

    def metadata(self) -> dict[str, str]:
        return read_metadata(self.connection, self.path)

    def close(self) -> None:
        for guard in self._guards:  # results nobody closed must not interrupt anything later
            guard.cancel()
        self.connection.close()
        if self._bound is not None:
            self._bound.release()


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
    preserve_insertion_order: bool = True,
    owns_process: bool = True,
) -> Database:
    """Open the snapshot in a private in-memory DuckDB and define the views.

    `owns_process=True` (the CLI) lets zgc act on the whole process: an RLIMIT_AS memory
    bound (MemoryBound), and ending the process when a query ignores its time-out or Ctrl-C
    (_Watchdog). The Python API runs inside someone else's process (a notebook) and passes
    False: it must not cap that process's memory or exit it.

    With `safe`, the connection can read only the snapshot (and write only `writable`, zgc's
    own output files), loads no extensions, never spills to disk, and is locked.
    """
    duckdb = engine()

    path = locate_snapshot(data)
    check_snapshot_file(path)
    limit_bytes = parse_size(memory_limit)
    config: dict[str, Any] = {
        "threads": threads,
        "memory_limit": memory_limit,
        "preserve_insertion_order": preserve_insertion_order,
    }
    if safe:
        config.update(
            autoload_known_extensions=False,
            autoinstall_known_extensions=False,
            allow_community_extensions=False,
            allow_persistent_secrets=False,
            python_enable_replacements=False,
            max_temp_directory_size="0B",
        )
    bound = MemoryBound.around(limit_bytes) if safe and owns_process else None
    try:
        connection = duckdb.connect(":memory:", config=config)
    except duckdb.Error as exc:
        if bound is not None:
            bound.release()
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
        if bound is not None:
            bound.release()
        raise
    return Database(path, connection, timeout, bound, owns_process=owns_process)


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(i?)b?|b|bytes)?\s*$", re.I)
_POWERS = {"k": 1, "m": 2, "g": 3, "t": 4}


def parse_size(text: str) -> int:
    """A DuckDB memory size (512MB, 1GB, 2GiB, 100000B) in bytes; KB = 1000, KiB = 1024."""
    match = _SIZE.match(text)
    if match is None:
        raise UsageError(f"--memory-limit {text!r}: give a size such as 512MB or 2GB")
    number, prefix, binary = match.groups()
    base = 1024 if binary else 1000
    size = int(float(number) * base ** _POWERS[prefix.lower()]) if prefix else int(float(number))
    if size < 1:
        raise UsageError(f"--memory-limit {text!r}: give a size such as 512MB or 2GB")
    return size


class MemoryBound:
    """An OS limit on the process's address space (RLIMIT_AS) while the database is open.

    DuckDB's memory_limit covers its buffer pool, not everything (one `repeat('x', 1e9)`
    reached ~2 GB under a 256 MB limit), so a runaway allocation must fail inside the
    process, as an error zgc reports, before the kernel's OOM killer ends it. The bound is
    the address space in use before DuckDB starts, plus the DuckDB limit, plus headroom for
    DuckDB's own start-up reservations and the Python side of a result. Only the soft limit
    is lowered, and it is restored on close. Where RLIMIT_AS does not exist (Windows) or is
    not enforced (macOS), this is a no-op: see SECURITY.md.
    """

    HEADROOM = 768 * 2**20

    def __init__(self, previous: tuple[int, int] | None) -> None:
        self._previous = previous

    @classmethod
    def around(cls, memory_limit: int) -> MemoryBound:
        try:
            import resource
        except ImportError:  # pragma: no cover - Windows
            return cls(None)
        in_use = _address_space_in_use()
        if in_use is None:
            return cls(None)
        bound = in_use + memory_limit + cls.HEADROOM
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY and soft <= bound:
            return cls(None)  # already tighter (ulimit -v): keep the user's
        if hard != resource.RLIM_INFINITY:
            bound = min(bound, hard)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (bound, hard))
        except (ValueError, OSError):  # pragma: no cover - platform without RLIMIT_AS
            return cls(None)
        return cls((soft, hard))

    def release(self) -> None:
        if self._previous is None:
            return
        import resource

        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, self._previous)
        self._previous = None


def _address_space_in_use() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def _check_version(connection: duckdb.DuckDBPyConnection, path: Path) -> None:
    duckdb = engine()

    remedy = "rebuild it with `zgc build` or use the snapshot that ships with zgc"
    try:
        metadata = read_metadata(connection, path)
    except duckdb.OutOfMemoryException:
        raise QueryError(OUT_OF_MEMORY) from None
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
    duckdb = engine()

    views = (resources.files("zgc_cli") / "views.sql").read_text(encoding="utf-8")
    try:
        connection.execute(
            f"CREATE VIEW _snapshot AS SELECT * FROM read_parquet({sql_literal(str(path))})"
        )
        connection.execute(views)
    except duckdb.OutOfMemoryException:
        raise QueryError(OUT_OF_MEMORY) from None
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
    duckdb = engine()

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
    kind = {"LOAD": "INSTALL/LOAD"}.get(kind, kind)  # DuckDB files INSTALL under LOAD
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
