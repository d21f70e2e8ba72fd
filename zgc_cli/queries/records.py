"""One record by its id, from any table, and the rows related to it (`zgc show`)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zgc_cli.db.statement import named
from zgc_cli.dictionary import TABLES

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database


KEYS = {name: table.key for name, table in TABLES.items()}
# Every record's id, read from the snapshot in one scan: its table's key (unique across tables).
_ID = 'CASE "table" ' + " ".join(f"WHEN '{t}' THEN \"{k}\"" for t, k in KEYS.items()) + " END"
# The tables whose records have a name in Chinese and English (and aliases, `;`-separated).
_NAMED = [
    t for t, table in TABLES.items() if {"name_zh", "name_en"} <= {c.name for c in table.columns}
]


def table_counts(db: Database) -> dict[str, int]:
    result = db.run(named('SELECT "table", count(*) FROM _snapshot GROUP BY 1'))
    return {str(name): int(count) for name, count in result.rows()}


def find_record(db: Database, text: str) -> tuple[str, dict[str, Any]] | None:
    """The record `text` names: its id (unique across tables) in any case, or its name or alias
    in any case when that names one record (旷视科技, Megvii)."""
    found = db.run(
        named(
            f'SELECT "table", {_ID} AS id FROM _snapshot WHERE lower(id) = lower($id) '
            "ORDER BY id = $id DESC LIMIT 1"
        ),
        {"id": text},
    ).fetch(1)
    if not found:
        by_name = db.run(
            named(
                f'SELECT DISTINCT "table", {_ID} FROM _snapshot, unnest(list_concat([name_zh, '
                "name_en], string_split(aliases, ';'))) AS u(n) "
                'WHERE list_contains($named, "table") AND lower(trim(n)) = lower(trim($id)) LIMIT 2'
            ),
            {"id": text, "named": _NAMED},
        ).fetch(2)
        found = by_name if len(by_name) == 1 else []
    if not found:
        return None
    table, record_id = str(found[0][0]), found[0][1]
    result = db.run(named(f'SELECT * FROM {table} WHERE "{KEYS[table]}" = $id'), {"id": record_id})
    return table, dict(zip(result.columns, result.fetch(1)[0], strict=True))


def all_ids(db: Database) -> list[str]:
    sql = f'SELECT {_ID} FROM _snapshot WHERE list_contains($tables, "table")'
    return [str(row[0]) for row in db.run(named(sql), {"tables": list(KEYS)}).rows()]


def _related() -> dict[str, list[tuple[str, str]]]:
    """table of the record -> (label, SQL selecting related rows by $id), from related.sql."""
    text = Path(__file__).with_name("related.sql").read_text(encoding="utf-8")
    related: dict[str, list[tuple[str, str]]] = {}
    for tables, label, sql in re.findall(r"^-- show ([\w,]+) (\w+).*\n([^;]*);", text, re.M):
        for table in tables.split(","):
            kind = KEYS[table].removesuffix("_id")
            related.setdefault(table, []).append((label, sql.format(kind=kind)))
    return related


RELATED = _related()
