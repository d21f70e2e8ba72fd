"""data/source/*.csv -> validated, deterministic data/zgc.parquet: the maintainers' builder.

Not part of the wheel: users run the snapshot, maintainers build it (`python -m zgc_build`).
read.py reads and types the curated CSVs, checks.py checks them across rows; the snapshot is
written here, one Parquet file, atomically. Every problem is listed (file:line: column: what
is wrong) before anything is written.
"""

from __future__ import annotations

import json
from pathlib import Path

from zgc_build.checks import check_rows
from zgc_build.read import BuildError, Curated, Problem, default_report_path, read_curated
from zgc_cli.dictionary import SCHEMA_VERSION, snapshot_columns
from zgc_cli.verify import read_report  # one reader of the report for the build and verify


def validate(source_dir: Path, report: str | None) -> Curated:
    """Read and check every curated table; raise BuildError listing all problems."""
    curated = read_curated(source_dir)
    problems: list[Problem] = []
    check_rows(curated, source_dir, report, problems)
    if problems:
        raise BuildError(problems)
    return curated


def build(source_dir: Path, out: Path | None, report_path: Path | None) -> Curated:
    """Validate `source_dir`; write `out` unless it is None (check only): to a temp file
    beside it, renamed into place; rows in table order, typed, with key-value metadata."""
    from zgc_cli import __version__, output
    from zgc_cli.db.connection import scratch
    from zgc_cli.db.engine import engine
    from zgc_cli.db.snapshot import sql_literal

    curated = validate(source_dir, read_report(report_path) if report_path else None)
    if out is None:
        return curated
    columns = snapshot_columns()
    sources = curated.tables["sources"]
    con = scratch()  # one thread: byte-identical output
    metadata = {
        "zgc_schema_version": str(SCHEMA_VERSION),
        "zgc_source_sha256": sources[0]["sha256"] if sources else "",
        "zgc_row_counts": json.dumps(curated.count(), sort_keys=True),
        "zgc_build_version": f"zgc {__version__}; duckdb {engine().__version__}",
    }
    with con, output.temp_beside(out, snapshot=True) as tmp:  # the builder replaces a snapshot
        definition = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
        con.execute(f"CREATE TABLE snapshot ({definition})")
        con.executemany(
            f"INSERT INTO snapshot VALUES ({', '.join('?' * len(columns))})",
            [
                tuple(table if name == "table" else row.get(name) for name in columns)
                for table, rows in curated.tables.items()
                for row in rows
            ],
        )
        kv = ", ".join(f"{sql_literal(k)}: {sql_literal(v)}" for k, v in metadata.items())
        # Insertion order is table order (TABLES), so each view reads its own row groups.
        con.execute(
            f"COPY (SELECT * FROM snapshot) TO {sql_literal(str(tmp))} (FORMAT parquet, "
            f"COMPRESSION zstd, ROW_GROUP_SIZE 100000, KV_METADATA {{{kv}}}, USE_TMP_FILE false)"
        )
    return curated


__all__ = ["BuildError", "Curated", "build", "default_report_path", "validate"]
