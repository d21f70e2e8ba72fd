"""DuckDB's own csv and jsonl writers for results far larger than memory, outside the sandbox.

The sealed connection cannot write anything, so its result is handed, as an Arrow stream, to a
second connection that only ever runs zgc's own COPY and may open one path: the temp file of
`-o`, or a pipe whose other end zgc copies into the standard output it inherited. Writing
through the inherited descriptor (never by reopening /dev/stdout) keeps `>>`, `{ a; b; } > f`
and sockets right: the file's offset and append mode are the shell's, not DuckDB's.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zgc_cli.db.connection import Database, export_writer
from zgc_cli.db.engine import relational, translated
from zgc_cli.db.guard import Guard
from zgc_cli.db.snapshot import sql_literal
from zgc_cli.db.statement import Statement, text_of
from zgc_cli.errors import OutputError, QueryError, require_columns
from zgc_cli.output import describe_failure

# Result types whose text DuckDB's csv/json writers spell exactly as render.py does.
NATIVE_TYPES = frozenset(
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


def streamable(types: list[str]) -> bool:
    return all(kind in NATIVE_TYPES or _DECIMAL.fullmatch(kind) for kind in types)


@dataclass(frozen=True)
class ToFile:
    """Write into this (temp) file, which zgc then renames into place; `shown` is the name a
    failure gives (the user's file, not zgc's temp name)."""

    path: Path
    shown: Path | None = None


@dataclass(frozen=True)
class ToDescriptor:
    """Write into this open file descriptor (standard output), at its own offset."""

    fd: int


Target = ToFile | ToDescriptor


BATCH_ROWS = 16_384  # rows per Arrow batch handed from the sealed engine to the writer


class _Handoff:
    """The sealed result as an Arrow stream, for the writer's scan (the PyCapsule protocol).

    In batches of BATCH_ROWS: the relation's own `__arrow_c_stream__` uses 131,072-row
    batches, and at 10M rows the export then peaked at 568 MB; 65,536 rows, 471 MB and no
    faster; 16,384 rows, 397 MB (benchmarks/RESULTS.md). The batch size
    is an argument of the relation's submit step only; if a DuckDB release drops that, the
    public stream is used.
    """

    def __init__(self, relation: Any) -> None:
        self._relation = relation

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> Any:
        submit = getattr(self._relation, "_submit", None)
        if submit is not None:
            return submit("stream", BATCH_ROWS).arrow_capsule()
        return self._relation.__arrow_c_stream__()  # pragma: no cover - another DuckDB


class Export:
    """A statement bound on the sealed connection, ready for DuckDB's writer."""

    def __init__(
        self,
        db: Database,
        statement: Statement,
        params: Mapping[str, object] | None,
        *,
        project: Sequence[str] | None = None,
        limit: int | None = None,
        guard: Guard | None = None,
    ) -> None:
        relational()  # the relation layer: `.sql()` and Arrow streams
        self._db = db
        self._guard = guard or db.guard()
        text = text_of(statement)
        with translated():
            db.connection.abort()
            relation = self._guard.call(
                lambda: db.connection.sql(text, params=dict(params) if params else None)
            )
            if project is not None:
                require_columns(project, list(relation.columns))
                relation = relation.project(*(_quoted(name) for name in project))
            if limit is not None:
                relation = relation.limit(limit)
            self._relation = relation
            self.columns = list(relation.columns)
            self.types = [str(t) for t in relation.types]

    def spelled_as_zgc(self) -> bool:
        """Whether DuckDB's csv/json writers spell every column as render.py does."""
        return streamable(self.types)

    def write(self, fmt: str, target: Target, *, header: bool = True) -> int:
        """Write the rows as `fmt` (csv, jsonl, parquet); the number of rows written.

        csv and jsonl keep render.py's semantics (call only when spelled_as_zgc()): csv with
        header, CRLF, NULL empty, ISO dates, shortest float text; jsonl one compact object per
        line, NULL and non-finite numbers as null.
        """
        pipe = _Pump(target.fd, self._guard) if isinstance(target, ToDescriptor) else None
        path = pipe.path if pipe is not None else str(target.path)  # type: ignore[union-attr]
        writer = self._guard.watch(self._db.writer or export_writer())
        self._db.writer = None  # locked to this target: good for one export only
        try:
            with translated():
                writer.execute(f"SET allowed_paths = [{sql_literal(path)}]")
                writer.execute("SET enable_external_access = false")
                writer.execute("SET lock_configuration = true")
                self._guard.call(
                    lambda: writer.from_arrow(_Handoff(self._relation)).create_view("zgc_rows")
                )
            copy = f"COPY ({self._select(fmt)}) TO {sql_literal(path)} ({_options(fmt, header)})"
            if pipe is not None:
                pipe.start()
            try:
                with translated():
                    written = self._guard.call(lambda: writer.execute(copy).fetchall())
            except QueryError as exc:
                if pipe is not None:
                    pipe.finish()  # a failed standard output explains the failed COPY
                failed = _write_failure(str(exc))
                if failed is not None and isinstance(target, ToFile):  # a full disk, a limit
                    raise OutputError(
                        describe_failure(target.shown or target.path, failed)
                    ) from None
                raise
            if pipe is not None:
                pipe.finish()
            return int(written[0][0]) if written else 0
        finally:
            if pipe is not None:
                with contextlib.suppress(OSError, OutputError):
                    pipe.finish()
            writer.close()

    def _select(self, fmt: str) -> str:
        finite = [
            f"CASE WHEN isfinite({quoted}) THEN {quoted} END AS {quoted}"
            for name, kind in zip(self.columns, self.types, strict=True)
            if kind == "DOUBLE"
            for quoted in [_quoted(name)]
        ]
        if fmt == "jsonl" and finite:  # render.py writes NaN and infinities as null
            return f"SELECT * REPLACE ({', '.join(finite)}) FROM zgc_rows"
        return "SELECT * FROM zgc_rows"


def _write_failure(message: str) -> OSError | None:
    """The system error inside DuckDB's message for a failed write (`..."errno":"28"...`)."""
    found = re.search(r'"errno":"(\d+)"', message)
    if found is None or "write" not in message.lower():
        return None
    number = int(found.group(1))
    return OSError(number, os.strerror(number))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _options(fmt: str, header: bool) -> str:
    """COPY options; zgc has its own temp file and rename, so DuckDB needs none."""
    if fmt == "csv":
        return f"FORMAT csv, HEADER {str(header).lower()}, NEW_LINE '\r\n', USE_TMP_FILE false"
    if fmt == "jsonl":
        return "FORMAT json, USE_TMP_FILE false"
    return "FORMAT parquet, USE_TMP_FILE false"


class _Pump:
    """A pipe DuckDB writes into, and a worker copying it to the inherited descriptor.

    `failure` is what stopped the copy: a reader that went away (EPIPE) or another error of
    the standard output (a full disk); the COPY then fails on its next write.
    """

    def __init__(self, fd: int, guard: Guard) -> None:
        self._out = fd
        self._read, self._write = os.pipe()
        self.path = f"/dev/fd/{self._write}"
        self.failure: OSError | None = None
        self._guard = guard
        self._done: threading.Event | None = None
        self._finished = False

    def start(self) -> None:
        self._done = self._guard.start(self._run)

    def _run(self) -> None:
        try:
            while chunk := os.read(self._read, 1 << 20):
                view = memoryview(chunk)
                while view:
                    view = view[os.write(self._out, view) :]
        except OSError as exc:
            self.failure = exc
        finally:
            os.close(self._read)  # DuckDB's next write fails with EPIPE: the COPY ends

    def finish(self) -> None:
        """Close DuckDB's end, wait for the copy, and raise what stopped it, if anything."""
        if not self._finished:
            self._finished = True
            os.close(self._write)
            if self._done is not None:
                self._done.wait()
            else:
                os.close(self._read)  # never started: nothing reads it
        if isinstance(self.failure, BrokenPipeError):
            raise BrokenPipeError(errno.EPIPE, "the reader went away")
        if self.failure is not None:
            raise OutputError(describe_failure("standard output", self.failure))
