"""The checks across rows of the curated tables: ids, vocabularies, provenance (each quote at
its offset), foreign keys, programmes and participants against their quotes, sources and the
coverage ledger (the rules are zgc_cli.ledger's); figures are figures.py's."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path

from zgc_build.figures import check_indicators
from zgc_build.read import Curated, Problem, Row, Say, by_id, closest
from zgc_cli.dictionary import FOREIGN_KEYS, SUBJECT_TABLES, TABLES, VOCABULARIES, cited_tables
from zgc_cli.ledger import Clause, ledger_gaps, split_rows, unlisted

_SLUG = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
_YEAR = re.compile(r"(\d{4})年")
REPORT_YEAR = 2020
_DATE_COLUMNS = ("status_date", "as_of", "date", "launch_date")
ZONE_ID = "zgc"
REPORT_RUN = 60  # characters of the report in a row that only a quote may hold


def check_rows(
    curated: Curated, source_dir: Path, report: str | None, problems: list[Problem]
) -> None:
    def say(row: Row, column: str, said: str) -> None:
        problems.append(Problem(row["_path"], row["_line"], column, said))

    ids: dict[str, set[str]] = {}
    first: dict[str, str] = {}  # id -> the table that has it first
    for table in TABLES.values():
        seen = ids[table.name] = set()
        for row in curated.tables[table.name]:
            key = row[table.key]
            if key is not None:
                if not _SLUG.match(key):
                    say(row, table.key, f"{key!r} is not an ascii slug (a-z, 0-9, -)")
                if key in seen:
                    say(row, table.key, f"{key!r} is used twice")
                seen.add(key)
                # an id names one record, so `zgc show ID` is never ambiguous
                if (owner := first.setdefault(key, table.name)) != table.name:
                    said = f"{key!r} is already the id of a row in {owner}"
                    say(row, table.key, f"{said}; ids are unique across tables")
            for (vocab_table, column), allowed in VOCABULARIES.items():
                if vocab_table == table.name and (value := row[column]) not in (None, *allowed):
                    said = f"{value!r} is not one of {', '.join(allowed)}{closest(value, allowed)}"
                    say(row, column, said)
            if "quote" in row:
                _check_provenance(row, report, partial(say, row))
            for column, value in row.items():
                # The report is cited, never redistributed: no text but a quote (one clause,
                # at most 160 characters) may carry a run of REPORT_RUN of its characters.
                if report is None or column in ("quote", "_path") or not isinstance(value, str):
                    continue
                runs = (value[i : i + REPORT_RUN] for i in range(len(value) - REPORT_RUN + 1))
                if any(run in report for run in runs):
                    said = f"holds {REPORT_RUN}+ characters of the report; cite, don't copy"
                    say(row, column, said)
    for row in curated.tables["indicators"]:  # the derived indicators.park_id
        row["park_id"] = subject_park(curated, row["subject_type"], row["subject_id"])
    _check_references(curated, ids, say)
    check_indicators(curated, say)
    _check_programs(curated, report, say)
    if report is not None:
        digest = hashlib.sha256(report.encode("utf-8")).hexdigest()
        for row in curated.tables["sources"]:
            if row["sha256"] != digest:
                say(row, "sha256", f"the report's SHA-256 is {digest}")
            if row["characters"] != len(report):
                say(row, "characters", f"the report has {len(report)} characters")
    # clauses.csv tiles the report, each clause naming rows that exist or a reason; every row
    # that quotes the report is in some clause.
    rows, sources = curated.tables["clauses"], curated.tables["sources"]
    clauses = [
        Clause(r["clause_id"], r["start"], r["end"], split_rows(r["rows"]), r["reason"])
        for r in rows
    ]
    cited = [
        (t, [r for r in curated.tables[t.name] if r[t.key] is not None]) for t in cited_tables()
    ]
    length = len(report) if report is not None else (sources[0]["characters"] if sources else 0)
    for gap in ledger_gaps(clauses, length, report, {r[t.key] for t, kept in cited for r in kept}):
        line = rows[gap.index]["_line"] if rows and gap.index >= 0 else len(rows) + 1
        problems.append(Problem(str(source_dir / "clauses.csv"), line, gap.column, gap.message))
    for table, kept in cited:
        missing = set(unlisted(clauses, [r[table.key] for r in kept]))
        for row in (r for r in kept if r[table.key] in missing):
            said = "is in no clause of clauses.csv: list it where its quote is"
            say(row, table.key, f"{row[table.key]!r} {said}")


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
    stated = {int(y) for y in _YEAR.findall(quote)}
    unstated = {
        c: v for c in _DATE_COLUMNS if isinstance(v := row.get(c), dt.date) and v.year not in stated
    }
    for column, value in unstated.items():
        if value.year != REPORT_YEAR:
            problem(column, f"{value} is outside 2020 and the quote states no other year")
    # the columns whose year 2020 the quote does not write: we supply it
    supplied = [column for column, value in unstated.items() if value.year == REPORT_YEAR]
    if str(row.get("period") or "").startswith(str(REPORT_YEAR)) and REPORT_YEAR not in stated:
        supplied.append("period")
    for column in supplied:  # a supplied year makes the row inferred, its note saying so
        if not row["inferred"]:
            problem(
                "inferred",
                f"{column} is in 2020 but the quote writes no year: the year is supplied, "
                "so the row must be inferred (true)",
            )
        elif "2020" not in (row.get("note") or ""):
            problem("note", f"{column}: say that the year 2020 is supplied (the quote has none)")


def subject_park(curated: Curated, subject_type: str | None, subject_id: str | None) -> str | None:
    """The park an indicator belongs to, through its subject: a park is itself; a project,
    company or programme is in its park_id; a product in its maker's park; the zone in its own
    record (zgc)."""
    if subject_id is None or subject_type is None:
        return None
    if subject_type in ("zone", "park"):
        return ZONE_ID if subject_type == "zone" else subject_id  # the zone: a park of kind zone
    if subject_type == "product":
        maker = by_id(curated, "products").get(subject_id, {}).get("company_id")
        return subject_park(curated, "company", maker)
    table = SUBJECT_TABLES.get(subject_type)
    return None if table is None else by_id(curated, table).get(subject_id, {}).get("park_id")


def _check_references(curated: Curated, ids: dict[str, set[str]], say: Say) -> None:
    for (table, column), target in FOREIGN_KEYS.items():
        for row in curated.tables[table]:
            value = row.get(column)
            if value is not None and value not in ids[target]:
                said = f"{value!r} is not a {target} id{closest(value, ids[target])}"
                say(row, column, said)
    # A park's parents end at a top park: a cycle would make a park lie within itself.
    parents = {row["park_id"]: row["parent_park_id"] for row in curated.tables["parks"]}
    for row in curated.tables["parks"]:
        chain = [row["park_id"]]
        while (parent := parents.get(chain[-1])) is not None and parent not in chain:
            chain.append(parent)
        if parent == chain[0] and len(chain) == 1:
            say(row, "parent_park_id", "a park cannot be its own parent")
        elif parent == chain[0]:
            cycle = " → ".join(repr(park) for park in [*chain, parent])
            say(row, "parent_park_id", f"the parents make a cycle: {cycle}")
    for table in TABLES:
        for row in curated.tables[table] if table != "sources" else []:
            if row.get("source_id") not in ids["sources"]:
                say(row, "source_id", f"{row.get('source_id')!r} is not a source")
    for row in curated.tables["indicators"]:
        kind, subject = row["subject_type"], row["subject_id"]
        if kind == "zone" and subject != ZONE_ID:
            say(row, "subject_id", f"the zone's id is {ZONE_ID!r}")
        elif kind in SUBJECT_TABLES and subject is not None:
            target = SUBJECT_TABLES[kind]
            if subject not in ids[target]:
                said = f"{subject!r} is not a {kind} id (a row of {target}.csv)"
                say(row, "subject_id", f"{said}{closest(subject, ids[target])}")
        elif subject is None and not row.get("note"):
            say(row, "subject_id", "empty: say in the note why the subject is unknown")


def _names(row: Row) -> list[str]:
    """A programme's or product's Chinese name and its aliases."""
    return [row["name_zh"], *filter(None, map(str.strip, (row.get("aliases") or "").split(";")))]


def _check_programs(curated: Curated, report: str | None, say: Say) -> None:
    """Programmes' issuers and launch dates; participants' ids; and each quote names its
    programme, participant's company or product."""
    companies, programs = by_id(curated, "companies"), by_id(curated, "programs")
    for row in curated.tables["programs"]:
        issuer_zh, launch = row["issuer_zh"], row["launch_date_text"]
        if (issuer_zh is None) != (row["issuer_en"] is None):
            say(row, "issuer_en", "give the issuer in both languages, or in neither")
        issuer = companies.get(row["issuer_id"] or "")
        if issuer is not None and issuer_zh != issuer["name_zh"]:
            said = f"{issuer_zh!r} but issuer_id {row['issuer_id']!r} is {issuer['name_zh']!r}"
            say(row, "issuer_zh", said)
        if report is not None and issuer_zh and issuer_zh not in report:
            say(row, "issuer_zh", f"{issuer_zh!r} is not in the report")
        if row["launch_date"] is not None and launch is None:
            say(row, "launch_date_text", "a launch_date keeps its words (3月18日)")
        if launch and launch not in row["quote"]:
            say(row, "launch_date_text", f"{launch!r} is not in the quote")
        if row["upgrades_program_id"] == row["program_id"]:  # program_id is never empty
            say(row, "upgrades_program_id", "a programme cannot upgrade itself")
    for row in curated.tables["participants"]:
        expected = f"{row['program_id']}.{row['company_id']}"
        if row["participant_id"] != expected:
            say(row, "participant_id", f"{row['participant_id']!r}: use {expected!r}")
        if row["inferred"]:
            continue  # a name cut by a photo caption: the note says how the link is read
        company = companies.get(row["company_id"])
        if company is not None and company["name_zh"] not in row["quote"]:
            say(row, "quote", f"the quote does not name {company['name_zh']!r}")
        program = programs.get(row["program_id"])
        if program is not None and not any(n in row["quote"] for n in _names(program)):
            say(row, "quote", f"the quote does not name the programme {_names(program)}")
    for table in ("programs", "products"):
        for row in curated.tables[table]:
            # named by a name, or, for a robot of a list with 机器人 written once after it
            # (测温消毒、巡检、…机器人), by the name's head and that 机器人
            quote, name, robot = row["quote"], row["name_zh"], "机器人"
            if not any(n in quote for n in _names(row)) and not (
                row.get("kind") == "robot"
                and name.endswith(robot)
                and name[: -len(robot)] in quote
                and robot in quote
            ):
                say(row, "quote", f"the quote does not name it {_names(row)}")
    for row in curated.tables["events"]:
        program = programs.get(row["program_id"] or "")
        if program is not None and not any(n in row["quote"] for n in _names(program)):
            said = f"the event's programme is not named in its quote {_names(program)}"
            say(row, "quote", said)
