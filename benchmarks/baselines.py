"""The baselines, each a `python -c` that imports no zgc. The floor, "typer + engine", is what
zgc cannot do without: typer and DuckDB's compiled `_duckdb` with zgc's settings, attaching zgc's
own read-only copy, running zgc's SQL, printing the rows as zgc does into a pipe (TSV or JSON);
zgc's sandbox, option parsing and writers are what it costs over this. Plain DuckDB (D) defines
zgc's views over the Parquet file and prints the rows, or COPYs them with its own writer."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

from zgc_cli.db import snapshot
from zgc_cli.db.connection import (
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_THREADS,
    ENGINE_THREADS,
    STREAMING_MEMORY_LIMIT,
    parse_size,
)

_PRINT_TSV = (
    "import sys\n"
    "out = ['\\t'.join(names)]\n"
    "out += ['\\t'.join('' if v is None else str(v) for v in row) for row in rows]\n"
    "sys.stdout.write('\\n'.join(out) + '\\n')\n"
)
_PRINT_JSON = (
    "import json\n"
    "print(json.dumps([dict(zip(names, row)) for row in rows], default=str, ensure_ascii=False))\n"
)


def floor(
    python: str,
    copy: Path,
    sql: str,
    params: Mapping[str, object] | None = None,
    json: bool = False,
) -> list[str]:
    config = {
        "threads": DEFAULT_THREADS,
        "memory_limit": f"{parse_size(DEFAULT_MEMORY_LIMIT)}B",
        **ENGINE_THREADS,
    }
    attach = f"ATTACH {snapshot.sql_literal(str(copy))} AS zgc (READ_ONLY)"
    script = (
        "import typer\n"
        "import _duckdb\n"
        f"con = _duckdb.connect(':memory:', config={config!r})\n"
        f"con.execute({attach!r})\n"
        "con.execute('USE zgc')\n"
        f"cursor = con.execute({sql!r}, {dict(params or {})!r})\n"
        "names = [d[0] for d in cursor.description]\n"
        "rows = cursor.fetchall()\n" + (_PRINT_JSON if json else _PRINT_TSV)
    )
    return [python, "-c", script]


def _duckdb(path: Path, *lines: str, config: Mapping[str, object] | None = None) -> list[str]:
    views = snapshot.views()
    quoted = snapshot.sql_literal(str(path))
    views = f"CREATE VIEW _snapshot AS SELECT * FROM read_parquet({quoted});\n{views}"
    connect = f"con = duckdb.connect(config={dict(config or {})!r})"
    script = ["import duckdb", connect, f"con.execute({views!r})", *lines]
    return [sys.executable, "-c", "\n".join(script) + "\n"]


def duckdb_prints(path: Path, sql: str, params: Mapping[str, object] | None = None) -> list[str]:
    """D: plain DuckDB runs `sql` over zgc's views of the Parquet file and prints the rows."""
    return _duckdb(
        path,
        f"rows = con.execute({sql!r}, {params!r}).fetchall()",
        "print('\\n'.join('\\t'.join('' if v is None else str(v) for v in r) for r in rows))",
    )


def duckdb_writes(path: Path, sql: str, fmt: str, *, zgc_settings: bool = True) -> list[str]:
    """DuckDB's own writer: COPY the query to /dev/stdout, with the settings zgc streams under
    (its threads, no async I/O threads, its 256MB memory limit, no insertion order) or with
    DuckDB's defaults (80% of RAM: 2.2 GB at 10M rows, past the 400 MB zgc is held to)."""
    config = {
        "threads": DEFAULT_THREADS,
        "memory_limit": f"{parse_size(STREAMING_MEMORY_LIMIT)}B",
        "preserve_insertion_order": False,
        **ENGINE_THREADS,
    }
    copy = f"COPY ({sql}) TO '/dev/stdout' (FORMAT {fmt})"
    return _duckdb(path, f"con.execute({copy!r})", config=config if zgc_settings else None)
