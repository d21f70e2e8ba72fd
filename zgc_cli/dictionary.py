"""The data dictionary: every table and column of the snapshot, type, meaning and unit; one
truth for the build, `zgc schema` and docs/data.md. Its data is dictionary.txt, tab-separated,
read without json (`zgc parks` would otherwise import it)."""

# No `from __future__ import annotations`: NamedTuple would compile each annotation (~1 ms).
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

SCHEMA_VERSION = 4
SOURCE_ID = "zgc-2020"


def _sections(text: str) -> dict[str, list[list[str]]]:
    """`[name]` opens a section; each other line is a row of tab-separated fields."""
    parts = re.split(r"^\[(\w+)\]$", text, flags=re.MULTILINE)  # text, name, rows, name, ...
    # "" is in "#": blank lines and comments are no rows
    rows = ([r.split("\t") for r in part.splitlines() if r[:1] not in "#"] for part in parts[2::2])
    return dict(zip(parts[1::2], rows, strict=True))


DATA = _sections(Path(__file__).with_name("dictionary.txt").read_text(encoding="utf-8"))


def words(section: str) -> dict[str, str]:  # a section of two fields (a missing second: "")
    return {row[0]: "\t".join(row[1:]) for row in DATA[section]}


class Column(NamedTuple):
    name: str
    type: str  # DuckDB type: VARCHAR, DOUBLE, DATE, BOOLEAN, BIGINT
    meaning: str
    unit: str = ""
    required: bool = False  # must be non-empty in every row
    derived: bool = False  # computed by `zgc build` (stored in the snapshot), never curated


class Table(NamedTuple):
    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def key(self) -> str:
        return self.columns[0].name

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


STATUSES = words("statuses")
UNITS = words("units")
# basis (indicators) -> the words of the quote, before the figure, that give it
BASES: dict[str, tuple[str, ...]] = {row[0]: tuple(row[1:]) for row in DATA["bases"]}
PROGRAM_KINDS = words("program_kinds")
PRODUCT_KINDS = words("product_kinds")
SUBJECT_TYPES = ("zone", "park", "company", "project", "program", "product")
# subject_type -> the table its subject_id names (zone: the id is always `zgc`)
SUBJECT_TABLES = words("subject_tables")


def _tables() -> dict[str, Table]:
    """A cited table (its rows quote the report) ends with the provenance columns."""
    columns: dict[str, list[Column]] = {}
    for table, name, type_, unit, flags, meaning in DATA["columns"]:
        flag = flags.split()
        column = Column(name, type_, meaning, unit, "required" in flag, "derived" in flag)
        columns.setdefault(table, []).append(column)
    provenance = columns["provenance"]
    return {
        name: Table(name, description, (*columns[name], *(provenance if cited else ())))
        for name, cited, description in DATA["tables"]
    }


TABLES = _tables()

# Closed vocabularies: (table, column) -> the values allowed. A qualifier is a hedge a value
# may carry; a project's money and areas are reported or planned, as an indicator's basis.
VOCABULARIES: dict[tuple[str, str], Sequence[str]] = {
    ("parks", "kind"): ("zone", "park", "base"),
    ("projects", "status"): tuple(STATUSES),
    ("indicators", "subject_type"): SUBJECT_TYPES,
    ("indicators", "unit"): tuple(UNITS),
    ("indicators", "qualifier"): tuple(words("qualifiers")),
    ("indicators", "basis"): tuple(BASES),
    ("programs", "kind"): tuple(PROGRAM_KINDS),
    ("participants", "role"): tuple(words("participant_roles")),
    ("products", "kind"): tuple(PRODUCT_KINDS),
    **{
        ("projects", f"{c}_basis"): ("reported", "planned")
        for c in ("investment", "land_area", "floor_area")
    },
}
FOREIGN_KEYS = {(table, column): target for table, column, target in DATA["foreign_keys"]}


def cited_tables() -> list[Table]:  # whose rows quote the report: all but sources and clauses
    return [t for t in TABLES.values() if any(c.name == "quote" for c in t.columns)]


def curated_columns(table: Table) -> list[Column]:  # a table's CSV: all but the derived ones
    return [c for c in table.columns if not c.derived]


def snapshot_columns() -> dict[str, str]:
    """Union of all tables' columns (name -> type: one in every table, test_data checks), in
    first-seen order, after `table`."""
    return {"table": "VARCHAR", **{c.name: c.type for t in TABLES.values() for c in t.columns}}


# Per cell of a view, so a dict: the unit of a column of that name (the first table's).
COLUMN_UNITS = {c.name: c.unit for t in reversed(TABLES.values()) for c in reversed(t.columns)}
