"""One record by its id, from any table, and the rows related to it (`zgc show`)."""

from __future__ import annotations

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
    """Rows per view, counted from the snapshot's `table` column."""
    result = db.run(named('SELECT "table", count(*) FROM _snapshot GROUP BY 1'))
    return {str(name): int(count) for name, count in result.rows()}


def find_record(db: Database, text: str) -> tuple[str, dict[str, Any]] | None:
    """The record `text` names: its id (ids are unique across tables), the id in any case, or
    its exact name or alias in any case when that names one record (旷视科技, Megvii)."""
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


# A figure reads with its unit, hedge, bounds, basis and change on 2019 (display.figure).
_FIGURE = (
    "indicator_id, metric, metric_zh, metric_en, value, unit, qualifier, value_text, value_text_en,"
    " value_min, value_max, basis, yoy_pct, as_of, period"
)
_FIGURES = f"SELECT {_FIGURE} FROM indicators WHERE subject_type = '{{kind}}' AND subject_id = $id"
# The date as written is the event's own card's (3月18日 is no date for an English reader).
_EVENTS = (
    'SELECT event_id, "date", title_zh, title_en FROM events '
    'WHERE {column} = $id ORDER BY "date" NULLS LAST, event_id'
)
# The company or the programme a row of {table} (keyed by {key}) names.
_COMPANY = (
    "SELECT c.company_id, c.name_zh, c.name_en, c.park_id FROM {table} x "
    "JOIN companies c USING (company_id) WHERE x.{key} = $id"
)
_PROGRAM = (
    "SELECT g.program_id, g.name_zh, g.name_en, g.kind FROM {table} x "
    "JOIN programs g USING (program_id) WHERE x.{key} = $id"
)

RELATED: dict[str, list[tuple[str, str]]] = {
    # table of the record -> (label, SQL selecting related rows by $id)
    "parks": [
        (
            "projects",
            "SELECT project_id, name_zh, name_en, status, status_date, investment_yuan "
            "FROM projects WHERE park_id = $id ORDER BY status_date NULLS LAST",
        ),
        ("indicators", f"SELECT {_FIGURE} FROM indicators WHERE park_id = $id"),
        (
            "companies",
            "SELECT company_id, name_zh, name_en, sector FROM companies WHERE park_id = $id",
        ),
        (
            "programs",
            "SELECT program_id, name_zh, name_en, kind, issuer_zh FROM programs "
            "WHERE park_id = $id",
        ),
        ("bases", "SELECT park_id, name_zh, name_en FROM parks WHERE parent_park_id = $id"),
    ],
    "projects": [
        ("events", _EVENTS.format(column="project_id")),
        ("indicators", _FIGURES.format(kind="project")),
    ],
    "companies": [
        ("events", _EVENTS.format(column="company_id")),
        ("indicators", _FIGURES.format(kind="company")),
        (
            # The programmes it issues or takes part in, with its role.
            "programs",
            "SELECT g.program_id, g.name_zh, g.name_en, g.kind, r.role FROM ("
            "  SELECT program_id, 'issuer' AS role, 0 AS n FROM programs WHERE issuer_id = $id"
            "  UNION ALL SELECT program_id, role, 1 FROM participants WHERE company_id = $id"
            ") r JOIN programs g USING (program_id) ORDER BY r.n, g.program_id",
        ),
        (
            "products",
            "SELECT product_id, name_zh, name_en, kind FROM products WHERE company_id = $id",
        ),
    ],
    "programs": [
        (
            "participants",
            "SELECT p.company_id, c.name_zh, c.name_en, p.role FROM participants p "
            "JOIN companies c USING (company_id) WHERE p.program_id = $id",
        ),
        ("events", _EVENTS.format(column="program_id")),
        ("indicators", _FIGURES.format(kind="program")),
        (
            "upgrades",
            "SELECT u.program_id, u.name_zh, u.name_en, u.launch_date, u.launch_date_text "
            "FROM programs g JOIN programs u ON u.program_id = g.upgrades_program_id "
            "WHERE g.program_id = $id",
        ),
        (
            "upgraded_by",
            "SELECT program_id, name_zh, name_en, launch_date, launch_date_text FROM programs "
            "WHERE upgrades_program_id = $id",
        ),
    ],
    "products": [
        ("company", _COMPANY.format(table="products", key="product_id")),
        ("indicators", _FIGURES.format(kind="product")),
    ],
    "participants": [
        ("program", _PROGRAM.format(table="participants", key="participant_id")),
        ("company", _COMPANY.format(table="participants", key="participant_id")),
    ],
    "indicators": [
        (
            "subject",
            "SELECT s.subject_type, s.subject_id, s.name_zh, s.name_en, s.park_id "
            "FROM indicators i JOIN _subjects s USING (subject_type, subject_id) "
            "WHERE i.indicator_id = $id",
        ),
    ],
    "events": [
        ("program", _PROGRAM.format(table="events", key="event_id")),
    ],
}
