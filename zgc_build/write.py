"""Writing the snapshot: one Parquet file, rows in table order, typed columns and key-value
metadata, on one thread so the bytes are the same every build; to a temp file, renamed."""

from __future__ import annotations

import json
from pathlib import Path

from zgc_build.read import Curated
from zgc_cli.dictionary import SCHEMA_VERSION, snapshot_columns


def snapshot_metadata(curated: Curated) -> dict[str, str]:
    from zgc_cli import __version__
    from zgc_cli.db.engine import engine

    sha = curated.tables["sources"][0]["sha256"] if curated.tables["sources"] else ""
    return {
        "zgc_schema_version": str(SCHEMA_VERSION),
        "zgc_source_sha256": sha,
        "zgc_row_counts": json.dumps(curated.count(), sort_keys=True),
        "zgc_build_version": f"zgc {__version__}; duckdb {engine().__version__}",
    }


def write_snapshot(curated: Curated, out: Path) -> None:
    """Write the snapshot to a temp file beside `out`, then rename it into place."""
    from zgc_cli import output
    from zgc_cli.db.connection import scratch
    from zgc_cli.db.snapshot import sql_literal

    columns = snapshot_columns()
    out.parent.mkdir(parents=True, exist_ok=True)
    with output.temp_beside(out, snapshot=True) as tmp:  # the builder replaces a snapshot
        con = scratch()  # one thread: byte-identical output
        try:
            definition = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
            con.execute(f"CREATE TABLE snapshot ({definition})")
            placeholders = ", ".join("?" for _ in columns)
            records = [
                tuple(table if name == "table" else row.get(name) for name in columns)
                for table, rows in curated.tables.items()
                for row in rows
            ]
            con.executemany(f"INSERT INTO snapshot VALUES ({placeholders})", records)
            metadata = ", ".join(
                f"{sql_literal(key)}: {sql_literal(value)}"
                for key, value in snapshot_metadata(curated).items()
            )
            # Insertion order is table order (TABLES), so each view reads its own row groups.
            con.execute(
                f"COPY (SELECT * FROM snapshot) TO {sql_literal(str(tmp))} "
                f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000, "
                f"KV_METADATA {{{metadata}}}, USE_TMP_FILE false)"
            )
        finally:
            con.close()
