"""The coverage ledger at build time: clauses.csv tiles the report, each clause naming rows
that exist or a reason; every cited row is in some clause. The rules are zgc_cli.ledger's."""

from __future__ import annotations

from pathlib import Path

from zgc_build.read import Curated, Problem
from zgc_cli.dictionary import cited_tables
from zgc_cli.ledger import Clause, ledger_gaps, split_rows, unlisted


def clauses_of(curated: Curated) -> list[Clause]:
    return [
        Clause(r["clause_id"], r["start"], r["end"], split_rows(r["rows"]), r["reason"])
        for r in curated.tables["clauses"]
    ]


def cited_ids(curated: Curated) -> set[str]:
    """Every id a clause may list: the rows that quote the report."""
    return {
        row[table.key]
        for table in cited_tables()
        for row in curated.tables[table.name]
        if row[table.key] is not None
    }


def check_ledger(
    curated: Curated, source_dir: Path, report: str | None, problems: list[Problem]
) -> None:
    path = str(source_dir / "clauses.csv")
    rows = curated.tables["clauses"]
    clauses = clauses_of(curated)
    sources = curated.tables["sources"]
    length = len(report) if report is not None else (sources[0]["characters"] if sources else 0)
    for gap in ledger_gaps(clauses, length, report, cited_ids(curated)):
        line = rows[gap.index]["_line"] if rows and gap.index >= 0 else len(rows) + 1
        problems.append(Problem(path, line, gap.column, gap.message))
    for table in cited_tables():
        keys = [r[table.key] for r in curated.tables[table.name] if r[table.key] is not None]
        missing = set(unlisted(clauses, keys))
        for row in curated.tables[table.name]:
            if row[table.key] in missing:
                said = (
                    f"{row[table.key]!r} is in no clause of clauses.csv: list it where its quote is"
                )
                problems.append(Problem.of(source_dir, table.name, row, table.key, said))
