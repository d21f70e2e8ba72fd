"""The checks across rows of the curated tables: ids, vocabularies, provenance (each quote at
its offset), foreign keys, figures against their words, programmes and sources."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

from zgc_build.figures import check_indicators
from zgc_build.ledger import check_ledger
from zgc_build.read import Curated, Problem, Row, by_id, closest
from zgc_build.relations import check_named, check_participants, check_programs
from zgc_cli.dictionary import (
    FOREIGN_KEYS,
    SUBJECT_TABLES,
    TABLES,
    VOCABULARIES,
)

_SLUG = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
_YEAR = re.compile(r"(\d{4})年")
REPORT_YEAR = 2020
_DATE_COLUMNS = ("status_date", "as_of", "date", "launch_date")
ZONE_ID = "zgc"


def check_rows(
    curated: Curated, source_dir: Path, report: str | None, problems: list[Problem]
) -> None:
    ids: dict[str, set[str]] = {}
    for table in TABLES.values():
        seen: set[str] = set()
        for row in curated.tables[table.name]:
            key = row[table.key]

            def problem(column: str, message: str, row: Row = row, name: str = table.name) -> None:
                problems.append(Problem.of(source_dir, name, row, column, message))

            if key is not None:
                if not _SLUG.match(key):
                    problem(table.key, f"{key!r} is not an ascii slug (a-z, 0-9, -)")
                if key in seen:
                    problem(table.key, f"{key!r} is used twice")
                seen.add(key)
            for (vocab_table, column), allowed in VOCABULARIES.items():
                value = row.get(column)
                if vocab_table == table.name and value is not None and value not in allowed:
                    problem(
                        column,
                        f"{value!r} is not one of {', '.join(allowed)}{closest(value, allowed)}",
                    )
            if "quote" in row:
                _check_provenance(row, report, problem)
            if report is not None:
                _check_not_the_report(row, report, problem)
        ids[table.name] = seen
    _check_unique_across_tables(curated, source_dir, problems)
    derive_indicator_parks(curated)
    _check_references(curated, ids, source_dir, problems)
    check_indicators(curated, source_dir, problems)
    check_programs(curated, source_dir, report, problems)
    check_participants(curated, source_dir, problems)
    check_named(curated, source_dir, problems)
    _check_sources(curated, source_dir, report, problems)
    check_ledger(curated, source_dir, report, problems)


REPORT_RUN = 60  # characters of the report in a row that only a quote may hold


def _check_not_the_report(row: Row, report: str, problem: Callable[[str, str], None]) -> None:
    """The report is cited, never redistributed: no text but a quote (one clause, at most 160
    characters) may carry a run of REPORT_RUN of its characters (a note, a reason, a summary)."""
    for column, value in row.items():
        if column == "quote" or not isinstance(value, str) or len(value) < REPORT_RUN:
            continue
        for start in range(len(value) - REPORT_RUN + 1):
            if value[start : start + REPORT_RUN] in report:
                problem(column, f"holds {REPORT_RUN}+ characters of the report; cite, don't copy")
                break


def _check_provenance(row: Row, report: str | None, problem: Callable[[str, str], None]) -> None:
    quote, start = row["quote"], row["quote_start"]
    if row["inferred"] and not row.get("note"):
        problem("note", "an inferred row must say in its note what was inferred and why")
    if bool(row.get("note")) != bool(row.get("note_zh")):
        problem("note_zh", "a note is written in English and Chinese (note_zh), or not at all")
    if quote is None or start is None:
        return
    if len(quote) > 160:
        problem("quote", f"{len(quote)} characters: keep a quote to one clause (≤ 160)")
    if report is not None and report[start : start + len(quote)] != quote:
        found = report.find(quote)
        hint = f" (it is at {found})" if found >= 0 else " (it is not in the report at all)"
        problem("quote_start", f"the quote is not at offset {start}{hint}")
    stated_years = {int(y) for y in _YEAR.findall(quote)}
    for column in _DATE_COLUMNS:
        value = row.get(column)
        if not isinstance(value, dt.date):
            continue
        if value.year != REPORT_YEAR and value.year not in stated_years:
            problem(column, f"{value} is outside 2020 and the quote states no other year")
        elif value.year not in stated_years:
            _check_supplied_year(row, column, problem)
    period = row.get("period")
    if period and period.startswith(str(REPORT_YEAR)) and REPORT_YEAR not in stated_years:
        _check_supplied_year(row, "period", problem)


def _check_supplied_year(row: Row, column: str, problem: Callable[[str, str], None]) -> None:
    """The rule for the year: a date or period in 2020 whose quote writes no year has its year
    supplied by us, so the row is inferred and its note says 2020 was supplied."""
    if not row["inferred"]:
        problem(
            "inferred",
            f"{column} is in 2020 but the quote writes no year: the year is supplied, "
            "so the row must be inferred (true)",
        )
    elif "2020" not in (row.get("note") or ""):
        problem("note", f"{column}: say that the year 2020 is supplied (the quote has none)")


def _check_unique_across_tables(
    curated: Curated, source_dir: Path, problems: list[Problem]
) -> None:
    """An id names one record in the whole snapshot, so `zgc show ID` is never ambiguous."""
    first: dict[str, str] = {}
    for table in TABLES.values():
        for row in curated.tables[table.name]:
            key = row[table.key]
            if key is None:
                continue
            if key in first and first[key] != table.name:
                said = (
                    f"{key!r} is already the id of a row in {first[key]}; "
                    "ids are unique across tables"
                )
                problems.append(Problem.of(source_dir, table.name, row, table.key, said))
            first.setdefault(key, table.name)


def subject_park(curated: Curated, subject_type: str | None, subject_id: str | None) -> str | None:
    """The park an indicator belongs to, through its subject: a park is itself; a project,
    company or programme is in its park_id; a product in its maker's park; the zone in its own
    record (zgc)."""
    if subject_id is None or subject_type is None:
        return None
    if subject_type == "zone":
        return ZONE_ID  # the zone is a record of parks (kind zone)
    if subject_type == "park":
        return subject_id
    if subject_type == "product":
        product = by_id(curated, "products").get(subject_id)
        if product is None or product["company_id"] is None:
            return None
        return subject_park(curated, "company", product["company_id"])
    table = SUBJECT_TABLES.get(subject_type)
    if table is None:
        return None
    record = by_id(curated, table).get(subject_id)
    return None if record is None else record.get("park_id")


def derive_indicator_parks(curated: Curated) -> None:
    """Fill the derived indicators.park_id from each indicator's subject (see subject_park)."""
    for row in curated.tables["indicators"]:
        row["park_id"] = subject_park(curated, row["subject_type"], row["subject_id"])


def _check_references(
    curated: Curated, ids: dict[str, set[str]], source_dir: Path, problems: list[Problem]
) -> None:
    def problem(table: str, row: Row, column: str, message: str) -> None:
        problems.append(Problem.of(source_dir, table, row, column, message))

    for (table, column), target in FOREIGN_KEYS.items():
        for row in curated.tables[table]:
            value = row.get(column)
            if value is not None and value not in ids[target]:
                said = f"{value!r} is not a {target} id{closest(value, ids[target])}"
                problem(table, row, column, said)
    for table in TABLES:
        for row in curated.tables[table] if table != "sources" else []:
            if row.get("source_id") not in ids["sources"]:
                problem(table, row, "source_id", f"{row.get('source_id')!r} is not a source")
    for row in curated.tables["indicators"]:
        kind, subject = row["subject_type"], row["subject_id"]
        if kind == "zone" and subject != ZONE_ID:
            problem("indicators", row, "subject_id", f"the zone's id is {ZONE_ID!r}")
        elif kind in SUBJECT_TABLES and subject is not None:
            target = SUBJECT_TABLES[kind]
            if subject not in ids[target]:
                said = (
                    f"{subject!r} is not a {kind} id (a row of {target}.csv)"
                    f"{closest(subject, ids[target])}"
                )
                problem("indicators", row, "subject_id", said)
        elif subject is None and not row.get("note"):
            said = "empty: say in the note why the subject is unknown"
            problem("indicators", row, "subject_id", said)


def _check_sources(
    curated: Curated, source_dir: Path, report: str | None, problems: list[Problem]
) -> None:
    if report is None:
        return
    digest = hashlib.sha256(report.encode("utf-8")).hexdigest()
    for row in curated.tables["sources"]:
        if row["sha256"] != digest:
            said = f"the report's SHA-256 is {digest}"
            problems.append(Problem.of(source_dir, "sources", row, "sha256", said))
        if row["characters"] != len(report):
            said = f"the report has {len(report)} characters"
            problems.append(Problem.of(source_dir, "sources", row, "characters", said))
