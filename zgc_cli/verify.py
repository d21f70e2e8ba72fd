"""`zgc verify`: a snapshot against its own metadata, the data dictionary and its coverage
ledger; given the report, every quote, its SHA-256 and the ledger's tiling. Knows nothing of
the CLI; reads the snapshot only through named, bound SQL."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from zgc_cli.db.statement import named
from zgc_cli.dictionary import (
    FOREIGN_KEYS,
    SCHEMA_VERSION,
    SUBJECT_TABLES,
    TABLES,
    VOCABULARIES,
    cited_tables,
    snapshot_columns,
)
from zgc_cli.errors import DataError
from zgc_cli.ledger import ledger_gaps
from zgc_cli.queries.coverage import read_clauses
from zgc_cli.queries.records import all_ids, table_counts

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database

PASS, FAIL, SKIP = "pass", "fail", "skip"
COLUMNS = ["check", "status", "detail"]


class Check(NamedTuple):  # a row of `zgc verify`
    name: str
    status: str
    detail: str


def _outcome(name: str, problems: Sequence[object], ok: str, what: str) -> Check:
    if not problems:
        return Check(name, PASS, ok)
    shown = ", ".join(repr(p) for p in problems[:3])
    more = f" and {len(problems) - 3} more" if len(problems) > 3 else ""
    return Check(name, FAIL, f"{len(problems)} {what}: {shown}{more}")


def _checks(db: Database, metadata: dict[str, str], report: str | None) -> Iterator[Check]:
    """Every check but whether the snapshot opens, in order."""
    version = metadata.get("zgc_schema_version")
    ok = version == str(SCHEMA_VERSION)
    said = f"version {version}" if ok else f"found {version}, expected {SCHEMA_VERSION}"
    yield Check("schema version", PASS if ok else FAIL, said)
    found = {str(r[0]): str(r[1]) for r in db.run(named("DESCRIBE _snapshot")).rows()}
    expected = snapshot_columns()
    problems = [
        f"{name} {found.get(name, 'missing')} (expected {kind})"
        for name, kind in expected.items()
        if found.get(name) != kind
    ] + [f"{name} unexpected" for name in found if name not in expected]
    columns = f"the snapshot file's {len(expected)} columns (every table's) as documented"
    yield _outcome("columns", problems, columns, "column problems")
    try:
        recorded = json.loads(metadata.get("zgc_row_counts") or "null")
    except ValueError:
        recorded = None
    if not isinstance(recorded, dict):
        missing = "the snapshot's zgc_row_counts metadata is missing or not a JSON object"
        yield Check("row counts", FAIL, missing)
    else:
        actual = table_counts(db)
        problems = [
            f"{name}: {actual.get(name, 0)} rows, metadata says {recorded.get(name, 0)}"
            for name in sorted(set(actual) | set(recorded) | set(TABLES))
            if actual.get(name, 0) != recorded.get(name, 0)
        ]
        matched = f"{sum(actual.values())} rows in {len(actual)} tables match the metadata"
        yield _outcome("row counts", problems, matched, "mismatches")
    yield from _dictionary(db)
    # indicators.park_id is what the subject gives, as zgc build derives it (a zone's or a
    # park's subject is its park); a subject that is no park is the foreign-key check's.
    rows = db.run(
        named(
            "SELECT indicator_id, park_id, expected FROM (SELECT i.indicator_id, i.park_id, "
            "CASE WHEN subject_type IN ('zone', 'park') THEN subject_id ELSE s.park_id END "
            "AS expected FROM indicators i LEFT JOIN _subjects s USING (subject_type, subject_id)) "
            "WHERE park_id IS DISTINCT FROM expected "
            "AND (expected IS NULL OR expected IN (SELECT park_id FROM parks)) ORDER BY 1"
        )
    ).rows()
    problems = [f"{key}: {park!r}, its subject says {expected!r}" for key, park, expected in rows]
    said = "every indicator's park follows its subject"
    yield _outcome("indicator parks", problems, said, "mismatches")
    # The ledger: in order, not overlapping, rows that exist or a reason; given the report, tiled.
    clauses = read_clauses(db)
    known = set(all_ids(db)) - {c.clause_id for c in clauses}
    stored = db.scalar(named('SELECT max("characters") FROM sources'))
    length = len(report) if report is not None else int(stored or 0)
    problems = [
        f"{clauses[g.index].clause_id if g.index >= 0 else 'after the last clause'}: {g.message}"
        for g in ledger_gaps(clauses, length, report, known)
    ]
    scope = "tile the report" if report is not None else "are in order (give --source to tile)"
    yield _outcome("coverage ledger", problems, f"{len(clauses)} clauses {scope}", "problems")
    if report is None:
        skipped = "give --source FILE or set ZGC_SOURCE to check quotes and the SHA-256"
        yield Check("report", SKIP, skipped)
        return
    digest = hashlib.sha256(report.encode("utf-8")).hexdigest()
    sources = db.run(named("SELECT source_id, sha256, characters FROM sources")).rows()
    problems = [f"{key}: {sha} in the snapshot" for key, sha, _ in sources if sha != digest]
    if metadata.get("zgc_source_sha256", digest) != digest:
        problems.append(f"metadata: {metadata['zgc_source_sha256']}")
    problems += [
        f"{source_id}: {characters} characters in the snapshot, the report has {len(report)}"
        for source_id, _, characters in sources
        if characters != len(report)
    ]
    bad: list[str] = []
    total = 0
    for table in cited_tables():
        sql = f'SELECT "{table.key}", quote, quote_start FROM {table.name} ORDER BY 1'
        for key, quote, start in db.run(named(sql)).rows():
            total += 1
            if quote is None or start is None or report[start : start + len(quote)] != quote:
                at = report.find(quote) if quote else -1
                where = f"found at {at}" if at >= 0 else "not in the report"
                bad.append(f"{table.name}/{key} at {start}: {where}")
    yield _outcome("report sha256", problems, f"{digest[:16]}… matches", "mismatches")
    yield _outcome("quotes", bad, f"all {total} quotes are at their offsets", "quotes misplaced")


def _firsts(db: Database, sql: str, params: dict[str, object] | None = None) -> list[object]:
    return [row[0] for row in db.run(named(sql), params).rows()]


def _stray(db: Database, table: str, column: str, test: str, **params: object) -> list[object]:
    """The distinct values of `table.column` that fail `test`, in order."""
    sql = f'SELECT DISTINCT "{column}" FROM {table} WHERE "{column}" IS NOT NULL AND NOT ({test})'
    return _firsts(db, f"{sql} ORDER BY 1", params)


def _dictionary(db: Database) -> list[Check]:
    """What the data dictionary says: required values, unique ids, vocabularies, references."""
    missing: list[str] = []
    duplicates: list[str] = []
    for view in TABLES.values():
        for column in (c.name for c in view.columns if c.required):
            count = db.scalar(named(f'SELECT count(*) FROM {view.name} WHERE "{column}" IS NULL'))
            if count:
                missing.append(f"{view.name}.{column} empty in {count} rows")
        sql = f'SELECT "{view.key}" FROM {view.name} GROUP BY 1 HAVING count(*) > 1'
        duplicates += [f"{view.name}.{view.key} {key!r}" for key in _firsts(db, sql)]
    unknown: list[str] = []
    for (table, column), allowed in VOCABULARIES.items():
        test = f'list_contains($allowed, "{column}")'
        values = _stray(db, table, column, test, allowed=list(allowed))
        unknown += [f"{table}.{column} {value!r}" for value in values]
    dangling: list[str] = []
    references = {**FOREIGN_KEYS, **{(t, "source_id"): "sources" for t in TABLES}}
    for (table, column), target in references.items():
        test = f'"{column}" IN (SELECT "{TABLES[target].key}" FROM {target})'
        values = _stray(db, table, column, test)
        dangling += [f"{table}.{column} {value!r} not in {target}" for value in values]
    # An indicator's subject_id names a row of the table its subject_type says.
    for kind, target in SUBJECT_TABLES.items():
        test = (
            f'subject_type <> $kind OR subject_id IN (SELECT "{TABLES[target].key}" FROM {target})'
        )
        values = _stray(db, "indicators", "subject_id", test, kind=kind)
        dangling += [f"indicators.subject_id {v!r} ({kind}) not in {target}" for v in values]
    # A park's parents end at a top park: none is its own ancestor (UNION ends the recursion).
    cyclic = _firsts(
        db,
        "WITH RECURSIVE up(park_id, parent) AS (SELECT park_id, parent_park_id FROM parks UNION "
        "SELECT up.park_id, p.parent_park_id FROM up JOIN parks p ON p.park_id = up.parent) "
        "SELECT DISTINCT park_id FROM up WHERE parent = park_id ORDER BY 1",
    )
    dangling += [f"parks.parent_park_id of {park!r} leads back to it (a cycle)" for park in cyclic]
    zone = db.scalar(
        named(
            "SELECT count(*) FROM indicators WHERE subject_type = 'zone' "
            "AND subject_id IS DISTINCT FROM 'zgc'"
        )
    )
    if zone:
        dangling.append(f"indicators.subject_id of the zone is not 'zgc' in {zone} rows")
    resolve = f"{len(references) + len(SUBJECT_TABLES)} references resolve"
    return [
        _outcome("required values", missing, "every required column is filled", "gaps"),
        _outcome("unique ids", duplicates, "every id is used once", "duplicates"),
        _outcome(
            "vocabularies", unknown, f"{len(VOCABULARIES)} vocabularies hold", "unknown values"
        ),
        _outcome("foreign keys", dangling, resolve, "broken references"),
    ]


MAX_REPORT_BYTES = 1_000_000  # the report is 12 KB: anything this large is not it


def read_report(path: Path) -> str:
    """The report as the build reads it: UTF-8, newlines kept so offsets are exact. Only a
    regular file of at most MAX_REPORT_BYTES is read: a device, a FIFO or a huge file is
    refused with one line before any byte is read."""

    def refused(what: str, hint: str = "give the report's text file") -> DataError:
        return DataError(f"report {what}: {path}; {hint}")

    try:  # O_NONBLOCK: a FIFO with no writer opens at once, to be refused, not waited for
        with open(path, "rb", opener=lambda name, flags: os.open(name, flags | os.O_NONBLOCK)) as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise refused("is not a regular file")
            # One byte past the limit: a file that grew while it was read is refused too.
            limit = MAX_REPORT_BYTES
            if info.st_size > limit or len(data := f.read(limit + 1)) > limit:
                raise refused(
                    f"is larger than {limit:,} bytes", "give the report's text file (about 12 KB)"
                )
    except FileNotFoundError:
        raise refused("not found", "give --source FILE or set ZGC_SOURCE") from None
    except IsADirectoryError:
        raise refused("is a directory") from None
    except OSError as exc:
        raise DataError(f"cannot read report {path}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise refused("is not UTF-8 text") from None


def verify(open_db: Callable[[], Database], source: Path | None) -> list[Check]:
    """Every check, in order; a snapshot that does not open is one failing check."""
    report = read_report(source) if source is not None else None
    try:
        db = open_db()
    except DataError as exc:
        return [Check("snapshot opens", FAIL, str(exc))]
    try:
        return [Check("snapshot opens", PASS, str(db.path)), *_checks(db, db.metadata(), report)]
    finally:
        db.close()
