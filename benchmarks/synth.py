"""A synthetic snapshot with the real schema, generated in DuckDB SQL from a seed.

Row counts keep the real snapshot's proportions (indicators scaled to the requested number);
rows are written in table order, like `zgc build`, with the key-value metadata zgc checks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from zgc_cli.dictionary import (
    BASES,
    PARTICIPANT_ROLES,
    PRODUCT_KINDS,
    PROGRAM_KINDS,
    SCHEMA_VERSION,
    SOURCE_ID,
    SUBJECT_TYPES,
    TABLES,
    UNITS,
    snapshot_columns,
)

# The real snapshot's counts per 67 indicators; sources stay one row.
REAL_COUNTS = {
    "parks": 9,
    "projects": 8,
    "indicators": 80,
    "companies": 31,
    "events": 8,
    "programs": 19,
    "participants": 21,
    "products": 13,
    "clauses": 72,
}
DISTRICTS = [
    ("海淀区", "Haidian District"),
    ("朝阳区", "Chaoyang District"),
    ("顺义区", "Shunyi District"),
    ("昌平区", "Changping District"),
    ("大兴区", "Daxing District"),
    ("密云区", "Miyun District"),
]
METRICS = [
    ("work_resumption_rate", "到岗复工率", "Work resumption rate"),
    ("investment", "投资额", "Investment"),
    ("revenue", "收入", "Revenue"),
    ("employees", "从业人员", "Employees"),
    ("patents", "专利数", "Patents"),
    ("floor_area", "建筑面积", "Floor area"),
    ("incubators", "孵化机构数", "Incubators"),
]
QUALIFIERS = ["exact", "approx", "over", "more_than", "nearly", "order_of_magnitude"]
STATUS_NAMES = ["started", "resumed", "under_construction", "completed", "planned"]


def counts_for(indicators: int) -> dict[str, int]:
    scale = indicators / REAL_COUNTS["indicators"]
    counts = {name: max(1, round(n * scale)) for name, n in REAL_COUNTS.items()}
    counts["indicators"] = indicators
    counts["sources"] = 1
    return {name: counts[name] for name in TABLES}


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _pick(values: list[str], index: str) -> str:
    return f"[{', '.join(_lit(v) for v in values)}][1 + ({index}) % {len(values)}]"


def _expressions(n: dict[str, int]) -> dict[str, dict[str, str]]:
    """Per table: column -> SQL over `k` (row number in its table) and `r` (a mixed k)."""
    dz = _pick([d[0] for d in DISTRICTS], "r")
    de = _pick([d[1] for d in DISTRICTS], "r")
    prov = {
        "source_id": _lit(SOURCE_ID),
        "quote": "'在中关村示范区第' || k || '号园区的生产现场,历经' || (r % 90) || '天'",
        "quote_start": "r % 5000",
        "inferred": "r % 5 = 0",
        "note": "CASE WHEN r % 4 = 0 THEN 'Synthetic row ' || k || '; see docs' END",
    }
    date = "DATE '2020-01-01' + CAST(r % 180 AS INTEGER)"
    return {
        "parks": {
            "park_id": "'park-' || k",
            "name_zh": "'中关村第' || k || '园'",
            "name_en": "'Zhongguancun Park ' || k",
            "aliases": "CASE WHEN k % 3 = 0 THEN '第' || k || '园;park' || k END",
            "district_zh": dz,
            "district_en": de,
            "kind": "CASE WHEN k % 4 = 3 THEN 'base' ELSE 'park' END",
            "parent_park_id": "CASE WHEN k % 4 = 3 THEN 'park-' || (k - 3) END",
            **prov,
        },
        "projects": {
            "project_id": "'project-' || k",
            "name_zh": "'重点项目' || k",
            "name_en": "'Key project ' || k",
            "park_id": f"'park-' || (r % {n['parks']})",
            "status": _pick(STATUS_NAMES, "k"),
            "status_date": f"CASE WHEN k % 7 <> 0 THEN {date} END",
            "status_date_text": "(1 + r % 12) || '月' || (1 + r % 28) || '日'",
            "investment_yuan": "CASE WHEN k % 3 <> 0 THEN (r % 100000) * 10000.0 END",
            "land_area_m2": "CASE WHEN k % 2 = 0 THEN (r % 1000000) / 4.0 END",
            "floor_area_m2": "(r % 3000000) / 10.0",
            "builder_zh": "'建设单位' || (r % 1000)",
            "builder_en": "'Builder ' || (r % 1000)",
            "summary_zh": "'项目摘要,第' || k || '号'",
            "summary_en": "'Summary of project ' || k",
            **prov,
        },
        "indicators": {
            "indicator_id": "'indicator-' || k",
            "subject_type": _pick(list(SUBJECT_TYPES), "k"),
            "subject_id": "CASE k % 6 WHEN 0 THEN 'zgc' "
            f"WHEN 1 THEN 'park-' || (r % {n['parks']}) "
            f"WHEN 2 THEN 'company-' || (r % {n['companies']}) "
            f"WHEN 3 THEN 'project-' || (r % {n['projects']}) "
            f"WHEN 4 THEN 'program-' || (r % {n['programs']}) "
            f"ELSE 'product-' || (r % {n['products']}) END",
            # the park of the subject, as zgc build derives it; synthetic: any park, or none
            "park_id": f"CASE WHEN k % 6 <> 0 THEN 'park-' || (r % {n['parks']}) END",
            "metric": _pick([m[0] for m in METRICS], "r"),
            "metric_zh": _pick([m[1] for m in METRICS], "r"),
            "metric_en": _pick([m[2] for m in METRICS], "r"),
            "value": "(r % 10000000) / 100.0",
            "unit": _pick(list(UNITS), "r // 7"),
            "qualifier": _pick(QUALIFIERS, "r // 3"),
            "value_text": "'约' || (r % 1000) || '万'",
            "as_of": f"CASE WHEN k % 3 <> 0 THEN {date} END",
            "as_of_text": "CASE WHEN k % 3 <> 0 THEN (1 + r % 12) || '月' || (1 + r % 28) || '日' "
            "END",
            "period": "CASE WHEN k % 2 = 0 THEN '2020-Q' || (1 + k % 4) END",
            "yoy_pct": "CASE WHEN k % 4 = 0 THEN (r % 2001 - 1000) / 10.0 END",
            "value_min": "CASE WHEN r % 3 = 0 THEN (r % 10000000) / 100.0 END",
            "value_max": "CASE WHEN r % 3 = 1 THEN (r % 10000000) / 100.0 END",
            "basis": _pick(list(BASES), "r // 11"),
            **prov,
        },
        "programs": {
            "program_id": "'program-' || k",
            "name_zh": "'支持政策' || k",
            "name_en": "'Support programme ' || k",
            "aliases": "CASE WHEN k % 5 = 0 THEN '政策' || k END",
            "kind": _pick(list(PROGRAM_KINDS), "r"),
            "issuer_zh": "'管委会' || (r % 10)",
            "issuer_en": "'Committee ' || (r % 10)",
            "park_id": f"CASE WHEN k % 2 = 0 THEN 'park-' || (r % {n['parks']}) END",
            "launch_date": f"CASE WHEN k % 3 = 0 THEN {date} END",
            "launch_date_text": "CASE WHEN k % 3 = 0 THEN (1 + r % 12) || '月' END",
            **prov,
        },
        "participants": {
            "participant_id": f"'program-' || (k % {n['programs']}) || '.company-' || k",
            "program_id": f"'program-' || (k % {n['programs']})",
            "company_id": f"'company-' || (k % {n['companies']})",
            "role": _pick(list(PARTICIPANT_ROLES), "r"),
            **prov,
        },
        "products": {
            "product_id": "'product-' || k",
            "name_zh": "'产品' || k",
            "name_en": "'Product ' || k",
            "kind": _pick(list(PRODUCT_KINDS), "r"),
            "company_id": f"'company-' || (r % {n['companies']})",
            **prov,
        },
        "companies": {
            "company_id": "'company-' || k",
            "name_zh": "'北京第' || k || '科技有限公司'",
            "name_en": "'Beijing Tech Co. ' || k",
            "park_id": f"'park-' || (r % {n['parks']})",
            "sector": _pick(["biomedicine", "ai", "semiconductors", "auto", "software"], "r"),
            **prov,
        },
        "events": {
            "event_id": "'event-' || k",
            "date": date,
            "date_text": "(1 + r % 12) || '月' || (1 + r % 28) || '日'",
            "park_id": f"CASE WHEN k % 2 = 0 THEN 'park-' || (r % {n['parks']}) END",
            "project_id": f"CASE WHEN k % 3 = 0 THEN 'project-' || (r % {n['projects']}) END",
            "company_id": f"CASE WHEN k % 3 = 1 THEN 'company-' || (r % {n['companies']}) END",
            "program_id": f"CASE WHEN k % 5 = 2 THEN 'program-' || (r % {n['programs']}) END",
            "title_zh": "'事件' || k",
            "title_en": "'Event ' || k",
            **prov,
        },
        "clauses": {
            "clause_id": "'clause-' || k",
            "start": "k * 60",
            "end": "k * 60 + 60",
            "rows": f"CASE WHEN k % 4 <> 0 THEN 'park-' || (r % {n['parks']}) END",
            "reason": "CASE WHEN k % 4 = 0 THEN 'a synthetic clause of no fact' END",
            "source_id": _lit(SOURCE_ID),
        },
        "sources": {
            "source_id": _lit(SOURCE_ID),
            "title_zh": "'合成快照'",
            "title_en": "'Synthetic snapshot'",
            "byline": "'zgc benchmarks'",
            "sha256": _lit("0" * 64),
            "characters": "5000",
        },
    }


def generate(indicators: int, seed: int, out: Path) -> dict[str, int]:
    """Write the snapshot for `indicators` rows to `out` (atomically); return the row counts."""
    import duckdb

    n = counts_for(indicators)
    exprs = _expressions(n)
    columns = snapshot_columns()
    # One pipeline over range(total), so rows come out in table order (as `zgc build` writes
    # them); `k` is the row number within its table, `r` a scramble of it driven by the seed.
    offsets: list[tuple[str, int]] = []
    total = 0
    for table in TABLES:
        offsets.append((table, total))
        total += n[table]
    which = " ".join(
        f"WHEN i >= {start} THEN {t}" for t, (_, start) in reversed(list(enumerate(offsets)))
    )
    base = " ".join(f"WHEN {t} THEN {start}" for t, (_, start) in enumerate(offsets))

    def column(name: str, kind: str) -> str:
        if name == "table":
            cases = " ".join(f"WHEN {t} THEN {_lit(table)}" for t, (table, _) in enumerate(offsets))
        else:
            cases = " ".join(
                f"WHEN {t} THEN {exprs[table][name]}"
                for t, (table, _) in enumerate(offsets)
                if name in exprs[table]
            )
        return f'CAST({f"CASE t {cases} END" if cases else "NULL"} AS {kind}) AS "{name}"'

    select = ", ".join(column(name, kind) for name, kind in columns.items())
    rows = (
        f"SELECT t, k, (k * 2654435761 + {seed} * 40503) % 4294967291 AS r FROM ("
        f"SELECT t, i - CASE t {base} END AS k FROM ("
        f"SELECT i, CASE {which} END AS t FROM range({total}) AS g(i)))"
    )
    query = f"SELECT {select} FROM ({rows})"
    metadata = {
        "zgc_schema_version": str(SCHEMA_VERSION),
        "zgc_source_sha256": "0" * 64,
        "zgc_row_counts": json.dumps(n, sort_keys=True),
        "zgc_build_version": f"zgc benchmarks synthetic; seed {seed}",
    }
    kv = ", ".join(f"{_lit(k)}: {_lit(v)}" for k, v in metadata.items())
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    con = duckdb.connect(config={"preserve_insertion_order": True})
    con.execute("SET enable_progress_bar = false")
    try:
        con.execute(
            f"COPY ({query}) TO {_lit(str(tmp))} "
            f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 100000, KV_METADATA {{{kv}}})"
        )
    finally:
        con.close()
    os.replace(tmp, out)
    return n


def snapshot(
    indicators: int, seed: int, directory: Path | None = None, fresh: bool = False
) -> Path:
    """The cached synthetic snapshot for (rows, seed), generated on first use.

    Generation runs in a child process: the harness must stay small, because a child's peak
    RSS as the kernel reports it starts from its parent's at fork.
    """
    base = directory or Path(tempfile.gettempdir()) / "zgc-benchmarks"
    path = base / f"synthetic-{indicators}-seed{seed}-v{SCHEMA_VERSION}.parquet"
    if fresh or not path.is_file():
        subprocess.run(
            [sys.executable, "-m", "benchmarks.synth", str(indicators), str(seed), str(path)],
            check=True,
        )
    return path


if __name__ == "__main__":
    generate(int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
