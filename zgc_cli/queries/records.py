"""One record by its id, from any table, and the rows related to it (`zgc show`); every
table's records that hold a text, ranked by where it matched (`zgc search`, search.sql)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zgc_cli.db.statement import named
from zgc_cli.dictionary import TABLES
from zgc_cli.errors import UsageError
from zgc_cli.queries.base import Query, named_sql
from zgc_cli.queries.resolve import find_park, listed, match_period, park_and_bases, periods
from zgc_cli.render import Listed

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database


KEYS = {name: table.key for name, table in TABLES.items()}
# Every record's id, read from the snapshot in one scan: its table's key (unique across tables).
_ID = 'CASE "table" ' + " ".join(f"WHEN '{t}' THEN \"{k}\"" for t, k in KEYS.items()) + " END"
# What a reader sees a record by: its id, names and aliases, a figure's metric, a title.
_NAMES = (
    f"list_concat([{_ID}, name_zh, name_en, metric_zh, metric_en, title_zh, title_en], "
    "string_split(aliases, ';'))"
)


def table_counts(db: Database) -> dict[str, int]:
    result = db.run(named_sql("table_counts"))
    return {str(name): int(count) for name, count in result.rows()}


def table_listing(db: Database) -> Listed:  # `zgc tables` and the shell's .tables
    counts = table_counts(db)
    rows = [(name, counts.get(name, 0), table.description) for name, table in TABLES.items()]
    return Listed(["table", "rows", "description"], ["VARCHAR", "BIGINT", "VARCHAR"], rows)


def schema_listing(view: str | None) -> Listed:  # `zgc schema [VIEW]` and .schema [VIEW]
    rows = [
        (t.name, c.name, c.type, c.unit or None, c.meaning)
        for t in TABLES.values()
        if view in (None, t.name)
        for c in t.columns
    ]
    return Listed(["table", "column", "type", "unit", "meaning"], ["VARCHAR"] * 5, rows)


def _names(db: Database, text: str | None = None) -> list[tuple[str, str, str]]:
    """(table, id, name) for each id and name of each record; with `text`, those it is."""
    sql = (
        f'SELECT DISTINCT "table", {_ID}, trim(n) FROM _snapshot, unnest({_NAMES}) AS u(n) '
        "WHERE list_contains($tables, \"table\") AND trim(n) <> '' "
        "AND ($text IS NULL OR lower(trim(n)) = lower(trim($text))) ORDER BY 2, 3"
    )
    result = db.run(named(sql), {"text": text, "tables": list(KEYS)})
    return [(str(t), str(i), str(n)) for t, i, n in result.rows()]


def _several(records: dict[str, str]) -> str:  # 'id' (the name it goes by), a few of them
    shown = [
        f"{i!r} ({n})" if n.casefold() != i.casefold() else repr(i) for i, n in records.items()
    ]
    return listed(shown, 5)


def _whose(db: Database, records: dict[str, str], *, ascii: bool) -> dict[str, str]:
    """Figures that share a metric's name, each with whose it is (总投资, 中关村医疗器械园二期)."""
    sql = (
        "SELECT indicator_id, s.name_en, s.name_zh FROM indicators "
        "JOIN _subjects s USING (subject_type, subject_id) WHERE list_contains($ids, indicator_id)"
    )
    rows = db.run(named(sql), {"ids": list(records)}).rows()
    whose = {str(i): str(en if ascii else zh) for i, en, zh in rows}
    return {i: f"{n}, {whose[i]}" if i in whose else n for i, n in records.items()}


def find_record(db: Database, text: str) -> tuple[str, dict[str, Any]] | None:
    """The record `text` names: its id (unique across tables) in any case, else its name,
    alias, metric or title in any case (旷视科技, Megvii), else a park as --park takes it (密云,
    中关村). A name of several records is a usage error that lists them."""
    found = db.run(
        named(
            f'SELECT "table", {_ID} AS id FROM _snapshot WHERE lower(id) = lower($id) '
            "ORDER BY id = $id DESC LIMIT 1"
        ),
        {"id": text},
    ).fetch(1)
    # A name as a narrow column writes it: ZGC for Zhongguancun (the zone's short names are
    # resolve.ZONE_NAMES).
    spelled = re.sub(r"\bZGC\b", "Zhongguancun", text.strip(), flags=re.I)
    for name in dict.fromkeys((text, spelled)) if not found else ():
        rows = _names(db, name)
        if len(records := {i: n for _, i, n in rows}) > 1:
            records = _whose(db, records, ascii=name.isascii())
            raise UsageError(
                f"{text!r} names {len(records)} records: {_several(records)}; give an id"
            )
        found = [(t, i) for t, i, _ in rows[:1]]
        park = None if found else find_park(db, name, loose=True)
        found = [("parks", park)] if park else found
        if found:
            break
    if not found:
        return None
    table, record_id = str(found[0][0]), found[0][1]
    result = db.run(named(f'SELECT * FROM {table} WHERE "{KEYS[table]}" = $id'), {"id": record_id})
    return table, dict(zip(result.columns, result.fetch(1)[0], strict=True))


def suggest(db: Database, text: str) -> str:
    """`did you mean` the record whose id or name is closest to `text` (a name may be several
    records': all of them); a name cut with … on screen, the records whose names begin so."""
    import difflib

    keys: dict[str, dict[str, str]] = {}
    for _, record_id, name in _names(db):
        keys.setdefault(name.casefold(), {})[record_id] = name
    typed = text.strip().casefold()
    if typed.endswith("…") and len(typed) > 1:
        close = [k for k in keys if k.startswith(typed[:-1].rstrip())]
    else:
        close = difflib.get_close_matches(typed, list(keys), n=1, cutoff=0.5)
    records = {i: n for k in close for i, n in keys[k].items()}
    several = f"one of {len(records)}: " if len(records) > 1 else ""
    return f"did you mean {several}{_several(records)}?" if records else ""


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


SEARCH_COLUMNS = [
    *("rank", "matched_in", "table", "id", "name_zh", "name_en", "value", "unit", "qualifier"),
    *("value_text", "value_text_en", "value_min", "value_max", "basis", "yoy_pct", "metric"),
    *("date", "period", "park_id", "quote", "subject_id", "subject_name_zh", "subject_name_en"),
]


def search_query(db: Database, text: str) -> Query:
    """Rows of every table that hold `text` (or each of its words, if several), that lie in the
    park it names and its bases, or whose period it names (Q1, 一季度)."""
    try:
        park = find_park(db, text)
    except UsageError:  # a district of several parks: search its words only
        park = None
    words = list(dict.fromkeys(text.casefold().split()))
    return Query(
        Path(__file__).with_name("search.sql").read_text(encoding="utf-8"),
        {
            "text": text,
            "words": words if len(words) > 1 else [],  # one word is matched as the whole text
            "park": park,
            "in_park": park_and_bases(db, park) if park is not None else [],
            "periods": match_period(text, periods(db)),
        },
        # Within a rank, the tables a question is most likely about come first: the loan
        # before the eight rows of who took part in it.
        "rank, whole DESC NULLS LAST, list_position(['parks', 'programs', 'projects', "
        "'companies', 'products', 'events', 'indicators', 'participants', 'sources'], "
        '"table"), id',
    )
