"""The one writer of csv, tsv, json, jsonl and parquet: DuckDB's COPY into the connection's slot, a
FIFO in a fresh 0700 directory made only for zgc's own COPY; a thread moves the bytes to the
inherited stdout descriptor (`>>` keeps its offset), a text stream or `-o`'s temp file. Rows
made in Python take the same COPY on a plain in-memory engine sealed the same way."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from zgc_cli import output
from zgc_cli.db import guard as guards
from zgc_cli.db.engine import engine, translated
from zgc_cli.db.guard import Guard
from zgc_cli.db.sandbox import seal, slot
from zgc_cli.db.statement import CheckedSQL, Statement, distinct_names, quoted, sql_literal
from zgc_cli.errors import OutputError, QueryError, require_columns

# COPY's options; zgc has its own temp file and rename, so DuckDB needs none.
_OPTIONS = {
    "csv": "FORMAT csv, NEW_LINE '\r\n'",  # RFC 4180
    "tsv": "FORMAT csv, DELIMITER '\t', QUOTE '', ESCAPE ''",  # escaped below, never quoted
    "json": "FORMAT json, ARRAY true",
    "jsonl": "FORMAT json",
    "parquet": "FORMAT parquet",
}
# Types whose text holds no tab, newline or control character: tsv leaves them as they are.
_PLAIN = "BOOLEAN TINYINT SMALLINT INTEGER BIGINT HUGEINT UTINYINT USMALLINT UINTEGER UBIGINT"
_PLAIN += " FLOAT DOUBLE DATE TIME TIMESTAMP"
# tsv's other control characters as DuckDB writes them (UTF-8): C0 but tab and newline, DEL, C1.
_RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
_C0 = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F])


class Rows:
    """A statement's rows as COPY reads them, `(statement) AS zgc_rows` (the `duckdb` package's
    relations cost 0.2 s to import); its columns planned once, with LIMIT 0."""

    def __init__(
        self,
        connection: Any,
        body: str,
        params: Any,
        call: Callable[[Callable[[], Any]], Any] | None = None,
        described: tuple[list[str], list[str]] | None = None,
    ) -> None:
        self.connection, self.params = connection, params
        self.source = f"({body}\n) AS zgc_rows"  # a newline ends a closing `--` comment
        self._call = call or (lambda function: function())
        if described is None:
            with translated():
                try:
                    planned = self._call(
                        lambda: connection.execute(f"SELECT * FROM {self.source} LIMIT 0", params)
                    )
                except engine().ParserException:
                    # Said of the wrapper (`near ")"` for `… WHERE`): the statement's own
                    # words, from EXPLAIN, which parses and plans it but runs nothing.
                    self._call(lambda: connection.execute(f"EXPLAIN {body}", params))
                    raise
                found = planned.description or []
                connection.abort()
            described = [d[0] for d in found], [str(d[1]) for d in found]
        self.columns, self.types = described


def query_rows(
    db: Any,
    statement: Statement,
    params: Mapping[str, object] | None,
    guard: Guard,
    *,
    project: Sequence[str] | None = None,
) -> Rows:
    """The statement's rows on the sealed connection (`project`: those columns)."""
    text = db.start(statement)
    bound = dict(params) if params else None
    if isinstance(statement, CheckedSQL) and statement.kind == "EXPLAIN":  # never a subquery
        result = db.run(statement, bound, guard)
        rows = listed_rows(db.connection, result.columns, result.types, result.rows())
    else:
        rows = Rows(db.connection, text, bound, guard.call)
    names = distinct_names(rows.columns)  # `a, A` → `a, A_1`, as every other format says
    picked: Sequence[int] = range(len(names))
    if project is not None:
        require_columns(project, names)
        picked, names = [names.index(name) for name in project], list(project)
    if names == rows.columns:
        return rows
    # Columns by position (`#2 AS "a_1"`): duplicate names stay reachable.
    columns = ", ".join(f"#{i + 1} AS {quoted(n)}" for i, n in zip(picked, names, strict=True))
    described = names, [rows.types[i] for i in picked]
    body = f"SELECT {columns} FROM {rows.source}"
    return Rows(rows.connection, body, rows.params, rows._call, described)


def listed_rows(connection: Any, columns: Sequence[str], types: Sequence[str], rows: Any) -> Rows:
    """Rows made in Python as a relation, each column cast to its declared type."""
    kinds = [t if t != "NULL" else "VARCHAR" for t in types]
    row = "(" + ", ".join(f"?::{t}" for t in kinds) + ")"
    values = ", ".join([row] * max(len(rows), 1))
    flat = [v for r in rows for v in r] or [None] * len(kinds)
    names = ", ".join(quoted(c) for c in columns)
    where = "" if rows else " WHERE false"
    return Rows(connection, f"SELECT * FROM (VALUES {values}) AS t({names}){where}", flat)


def document(connection: Any, fields: Mapping[str, Any], lists: Mapping[str, Any]) -> Rows:
    """One JSON object (zgc show): `fields`, then "related": each of `lists` (label to rows with
    .columns, .types and .rows) as a list of objects."""
    params = list(fields.values())
    parts = [f"? AS {quoted(name)}" for name in fields]
    related = []
    for label, rows in lists.items():
        objects = []
        for row in rows.rows:
            pairs = zip(rows.columns, rows.types, row, strict=True)
            objects.append("{" + ", ".join(f"{sql_literal(c)}: ?::{t}" for c, t, _ in pairs) + "}")
            params.extend(row)
        related.append(f"{sql_literal(label)}: [{', '.join(objects)}]")
    if related:
        parts.append("{" + ", ".join(related) + "} AS related")
    return Rows(connection, f"SELECT {', '.join(parts)}", params)


def write(
    rows: Rows,
    fmt: str,
    into: Callable[[bytes], None],
    *,
    header: bool = True,
    limit: int | None = None,
    shown: str = "standard output",
) -> int | None:
    """COPY `rows` as `fmt` through the slot into `into`; the rows written (None: a PIVOT, two
    statements, does not say). `shown` names the destination in a failure."""
    options = _OPTIONS[fmt] + ("" if fmt in ("json", "jsonl", "parquet") else f", HEADER {header}")
    select = f"{_select(fmt, rows.columns, rows.types)} FROM {rows.source}"
    if limit is not None:
        select += f" LIMIT {int(limit)}"
    mover = _Mover(_controls_shown(into) if fmt == "tsv" else into, slot(rows.connection))
    statement = f"COPY ({select}) TO {sql_literal(mover.path)} ({options}, USE_TMP_FILE false)"
    try:
        with translated():
            done = rows._call(lambda: rows.connection.execute(statement, rows.params).fetchall())
        mover.succeeded = True
    except QueryError:
        mover.finish(shown)  # a failed destination explains the failed COPY
        raise
    finally:
        mover.close()
    mover.finish(shown)
    return int(done[0][0]) if done else None


def _controls_shown(into: Callable[[bytes], None]) -> Callable[[bytes], None]:
    """tsv's control characters but the four the SQL escapes shown as `\\x1b`, in the bytes:
    a per-character lambda for each text column cost 15 ms of every piped list's start-up."""
    held = [b""]  # a C1 character's first byte at the end of a chunk

    def put(chunk: bytes) -> None:
        data, held[0] = held[0] + chunk, b""
        if chunk and data.endswith(b"\xc2"):
            data, held[0] = data[:-1], b"\xc2"
        if data:
            # The regex costs 10 ms a MB; this check, 0.5: most data has none of them.
            if len(data.translate(None, _C0)) < len(data) or b"\xc2" in data:
                data = _RAW_CONTROL.sub(lambda m: b"\\x%02x" % m[0][-1], data)
            into(data)
        if not chunk:
            into(b"")

    return put


def _select(fmt: str, columns: list[str], types: list[str]) -> str:
    """The COPY's rows: json's NaN and infinities as null; tsv's tab, newline, CR, backslash
    and other controls escaped (`\\t`, `\\x1b`). Each column is cast to its planned type: a
    statement that answers otherwise under COPY (current_query()) fails, not slips an ESC past."""
    from zgc_cli.diagnostics import without_controls

    picked = []
    for name, kind in zip(columns, types, strict=True):
        column = f"CAST({quoted(name)} AS {kind})"
        if fmt in ("json", "jsonl") and kind in ("DOUBLE", "FLOAT"):
            column = f"CASE WHEN isfinite({column}) THEN {column} END"
        elif fmt == "tsv" and kind not in _PLAIN.split() and not kind.startswith("DECIMAL"):
            # The rest of the controls: _controls_shown.
            column = f"replace(replace(replace(replace(CAST({column} AS VARCHAR), '\\', '\\\\'"
            column += "), chr(9), '\\t'), chr(10), '\\n'), chr(13), '\\r')"
        if fmt == "tsv":  # the header too
            name = name.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            name = without_controls(name.replace("\r", "\\r"))
        picked.append(f"{column} AS {quoted(name)}")
    return "SELECT " + ", ".join(picked)


class Descriptor:  # bytes into an open descriptor (standard output, a temp file)
    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __call__(self, chunk: bytes) -> None:
        view = memoryview(chunk)
        while view:
            try:
                view = view[os.write(self.fd, view) :]
            except BlockingIOError:  # a non-blocking descriptor handed down: wait till it takes
                import select

                select.select([], [self.fd], [])


def into_text(stream: TextIO) -> Callable[[bytes], None]:
    """Bytes as text into a stream (a terminal's, which escapes them; a test's buffer)."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    held = [""]  # a CR that may end a line in the next chunk (CR LF)

    def put(chunk: bytes) -> None:
        text = held[0] + decoder.decode(chunk, final=not chunk)
        held[0] = "\r" if text.endswith("\r") and chunk else ""
        stream.write(text[: len(text) - len(held[0])])

    return put


# The FIFO's capacity: DuckDB writes each batch itself (async_threads 0), waiting while it is
# full. 10M rows: csv 8.2-8.6 s at Linux's 64 KiB, 7.1-7.5 s at 1 MiB (the unprivileged
# maximum); jsonl 12.8-13.1 s, 10.3-10.7 s. 4 MiB was no faster (8.3 s).
PIPE_BYTES = 1 << 20
HELD = 1 << 20  # bytes kept back until the COPY has ended (_Mover._move)


class _Mover:
    """The slot as a FIFO, and a thread moving what DuckDB writes there into `into`. zgc holds a
    write end from the start, so the reader sees no end before the COPY's; `failure` stopped the
    move (a reader gone, a full disk): the COPY fails on its next write, finish() says which."""

    def __init__(self, into: Callable[[bytes], None], path: str) -> None:
        self.path = path
        folder = os.path.dirname(self.path)
        try:
            os.mkdir(folder, 0o700)  # fails if it exists: then it is not zgc's own
            os.chmod(folder, 0o700)
            output.remember(Path(folder))
            os.mkfifo(self.path)
            os.chmod(self.path, 0o600)  # given after making: a umask of 0277 would leave 0400
            self._read = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
            self._hold: int | None = os.open(self.path, os.O_WRONLY)
        except OSError as exc:
            _remove(self.path)
            raise OutputError(output.describe_failure(self.path, exc)) from None
        os.set_blocking(self._read, True)
        with contextlib.suppress(AttributeError, OSError):  # Linux: 1 MiB, not 64 KiB
            fcntl.fcntl(self._read, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        self._into = into
        self.failure: BaseException | None = None
        self.succeeded = False  # the COPY ended well: what was held back may go
        self._thread = threading.Thread(target=self._move, daemon=True)
        self._thread.start()
        guards.unblockers.append(self.unblock)

    def unblock(self) -> None:
        """A query reading its own slot blocks in the FIFO, deaf to interrupt(): the name goes,
        every write end is pointed at /dev/null, the read meets the end, the statement stops."""
        _remove(self.path)
        null = os.open(os.devnull, os.O_WRONLY)
        for name in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else ():
            with contextlib.suppress(OSError, ValueError):
                fd = int(name)
                mode = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE
                named = os.readlink(f"/proc/self/fd/{fd}").removesuffix(" (deleted)")
                if mode == os.O_WRONLY and named == self.path:
                    os.dup2(null, fd)
        os.close(null)

    def _move(self) -> None:
        try:
            into, held = self._into, b""
            # The first MiB waits: a COPY that fails early (a refusal met while it runs, out of
            # memory) leaves not even its header on standard output. EOF comes only after
            # close(), so by then `succeeded` is known. Past it, DuckDB has opened the FIFO: a
            # destination that fails makes the COPY's next write fail, never blocks its open().
            while len(held) < HELD and (chunk := os.read(self._read, 1 << 20)):
                held += chunk
            if len(held) < HELD and not self.succeeded:
                return
            into(held)
            if not (isinstance(into, Descriptor) and self._spliced(into.fd)):
                while chunk := os.read(self._read, 1 << 20):
                    into(chunk)
            into(b"")
        except BaseException as exc:
            self.failure = exc
        finally:
            os.close(self._read)  # DuckDB's next write fails with EPIPE: the COPY ends

    def _spliced(self, fd: int) -> bool:
        """The bytes moved by the kernel (10M rows of csv: 1.1 s less CPU, 6%); False, having
        moved nothing, where splice(2) cannot write to `fd` (`>>`, a terminal) or is missing."""
        moved = 0
        if not os.get_blocking(fd):  # a non-blocking descriptor handed down: Descriptor waits
            return False
        try:
            while step := os.splice(self._read, fd, 1 << 20):
                moved += step
        except (AttributeError, OSError) as exc:
            if moved or getattr(exc, "errno", errno.EINVAL) != errno.EINVAL:
                raise
            return False
        return True

    def close(self) -> None:
        with contextlib.suppress(ValueError):
            guards.unblockers.remove(self.unblock)
        if self._hold is not None:
            os.close(self._hold)
            self._hold = None
            self._thread.join()
            _remove(self.path)

    def finish(self, shown: str) -> None:
        self.close()
        failure = self.failure  # a reader gone (BrokenPipeError) is the CLI's to end quietly
        if isinstance(failure, OSError) and not isinstance(failure, BrokenPipeError):
            failure = OutputError(output.describe_failure(shown, failure))
        if failure is not None:
            raise failure


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
    with contextlib.suppress(OSError):
        os.rmdir(os.path.dirname(path))


@contextlib.contextmanager
def side_engine() -> Iterator[Any]:
    """A plain in-memory DuckDB for rows made in Python, sealed to the slot alone as well."""
    from zgc_cli.db.connection import scratch

    with contextlib.closing(scratch()) as connection:
        seal(connection)
        yield connection
