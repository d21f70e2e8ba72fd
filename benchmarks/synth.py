"""A synthetic snapshot with the real schema, written by one DuckDB COPY from a seed.

Tables keep the real snapshot's proportions (indicators scaled to the number asked for); each
cell follows its column in the data dictionary: keys numbered (`park-1`), foreign keys naming
rows that exist, closed vocabularies cycled, an optional cell empty in one row of four. Rows
come out in table order, like `zgc build`, with the key-value metadata zgc checks.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from zgc_build import write_snapshot
from zgc_cli.db.snapshot import sql_literal
from zgc_cli.dictionary import (
    FOREIGN_KEYS,
    SCHEMA_VERSION,
    SOURCE_ID,
    SUBJECT_TABLES,
    TABLES,
    VOCABULARIES,
    snapshot_columns,
)

REAL = Path(__file__).resolve().parent.parent / "data" / "zgc.parquet"
HOME = Path(tempfile.gettempdir()) / "zgc-benchmarks"  # where the harness keeps what it makes
BY_TYPE = {  # a cell of each type, from `r` (a row number scrambled by the seed)
    "VARCHAR": "'中关村第' || (r % 1000) || '号'",
    "DOUBLE": "(r % 10000000) / 100.0",
    "BIGINT": "r % 5000",
    "BOOLEAN": "r % 5 = 0",
    "DATE": "DATE '2020-01-01' + CAST(r % 180 AS INTEGER)",
}


def _cell(table: str, name: str, kind: str, n: dict[str, int]) -> str:
    """The SQL of one column of `table` over `k` (row number in its table) and `r`."""
    stem = {t: TABLES[t].key.removesuffix("_id") for t in TABLES}
    target = FOREIGN_KEYS.get((table, name))
    if name == "source_id":
        return sql_literal(SOURCE_ID)
    if name == TABLES[table].key:
        return f"'{stem[table]}-' || k"
    if target is not None:
        return f"'{stem[target]}-' || (r % {n[target]})"
    if (table, name) in VOCABULARIES:
        allowed = VOCABULARIES[table, name]
        return f"[{', '.join(map(sql_literal, allowed))}][1 + r % {len(allowed)}]"
    if name == "subject_id":  # a row of the table its subject_type names, or the zone
        kinds = list(VOCABULARIES["indicators", "subject_type"])
        cases = " ".join(
            f"WHEN {i} THEN '{stem[SUBJECT_TABLES[t]]}-' || (r % {n[SUBJECT_TABLES[t]]})"
            for i, t in enumerate(kinds)
            if t in SUBJECT_TABLES
        )
        return f"CASE r % {len(kinds)} {cases} ELSE 'zgc' END"
    return BY_TYPE[kind]


def generate(indicators: int, seed: int, out: Path) -> dict[str, int]:
    """Write the snapshot of `indicators` rows to `out` (atomically); return the row counts."""
    import duckdb

    con = duckdb.connect(config={"preserve_insertion_order": True})
    con.execute("SET enable_progress_bar = false")
    real = con.execute(
        "SELECT decode(value) FROM parquet_kv_metadata($p) WHERE decode(key) = 'zgc_row_counts'",
        {"p": str(REAL)},
    ).fetchall()
    counts = json.loads(real[0][0])
    n = {t: max(1, round(counts[t] * indicators / counts["indicators"])) for t in TABLES}
    n |= {"indicators": indicators, "sources": 1}
    starts = [sum(list(n.values())[:i]) for i in range(len(n))]
    columns = []
    for index, (name, kind) in enumerate(snapshot_columns().items()):
        cases = []
        for i, table in enumerate(TABLES.values()):
            column = next((c for c in table.columns if c.name == name), None)
            if name == "table":
                cases.append(f"WHEN {i} THEN {sql_literal(table.name)}")
            elif column is not None:
                cell = _cell(table.name, name, kind, n)
                if not column.required:
                    cell = f"CASE WHEN (k + {index}) % 4 <> 0 THEN {cell} END"
                cases.append(f"WHEN {i} THEN {cell}")
        columns.append(f'CAST(CASE t {" ".join(cases)} END AS {kind}) AS "{name}"')
    # One pipeline over range(total), so rows come out in table order; `k` is the row number
    # within its table, `r` a scramble of it driven by the seed.
    which = " ".join(f"WHEN i >= {s} THEN {t}" for t, s in reversed(list(enumerate(starts))))
    offset = " ".join(f"WHEN {t} THEN {s}" for t, s in enumerate(starts))
    rows = (
        f"SELECT t, k, (k * 2654435761 + {seed} * 40503) % 4294967291 AS r FROM ("
        f"SELECT t, i - CASE t {offset} END AS k FROM ("
        f"SELECT i, CASE {which} END AS t FROM range({sum(n.values())}) AS g(i)))"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    with con:
        select = f"SELECT {', '.join(columns)} FROM ({rows})"
        write_snapshot(con, select, out, n, "0" * 64, f"zgc benchmarks synthetic; seed {seed}")
    return n


def snapshot(indicators: int, seed: int, fresh: bool = False) -> Path:
    """The cached synthetic snapshot for (rows, seed), generated on first use, in a child
    process: a child's peak RSS as the kernel reports it starts from its parent's at fork."""
    path = HOME / f"synthetic-{indicators}-seed{seed}-v{SCHEMA_VERSION}-b.parquet"
    if fresh or not path.is_file():
        argv = [sys.executable, "-m", "benchmarks.synth", str(indicators), str(seed), str(path)]
        subprocess.run(argv, check=True)
    return path


if __name__ == "__main__":
    generate(int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
