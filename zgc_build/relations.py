"""The checks of programmes, participants and products against their quotes: issuers, launch
dates, names, and participant ids."""

from __future__ import annotations

from pathlib import Path

from zgc_build.read import Curated, Problem, Row, by_id


def _names(row: Row) -> list[str]:
    """A programme's or product's Chinese name and its aliases."""
    aliases = row.get("aliases") or ""
    return [row["name_zh"], *(a.strip() for a in aliases.split(";") if a.strip())]


def _named(row: Row, quote: str) -> bool:
    """The quote names the row: by a name, or, for a robot of a list with 机器人 written once
    after it (测温消毒、巡检、…机器人), by the name's head and that 机器人."""
    if any(n in quote for n in _names(row)):
        return True
    name, robot = row["name_zh"], "机器人"
    return (
        row.get("kind") == "robot"
        and name.endswith(robot)
        and name[: -len(robot)] in quote
        and robot in quote
    )


def check_programs(
    curated: Curated, source_dir: Path, report: str | None, problems: list[Problem]
) -> None:
    companies = by_id(curated, "companies")
    for row in curated.tables["programs"]:

        def problem(column: str, message: str, row: Row = row) -> None:
            problems.append(Problem.of(source_dir, "programs", row, column, message))

        if (row["issuer_zh"] is None) != (row["issuer_en"] is None):
            problem("issuer_en", "give the issuer in both languages, or in neither")
        issuer = companies.get(row["issuer_id"] or "")
        if issuer is not None and row["issuer_zh"] != issuer["name_zh"]:
            problem(
                "issuer_zh",
                f"{row['issuer_zh']!r} but issuer_id {row['issuer_id']!r} is {issuer['name_zh']!r}",
            )
        if report is not None and row["issuer_zh"] and row["issuer_zh"] not in report:
            problem("issuer_zh", f"{row['issuer_zh']!r} is not in the report")
        if row["launch_date"] is not None and row["launch_date_text"] is None:
            problem("launch_date_text", "a launch_date keeps its words (3月18日)")
        if row["launch_date_text"] and row["launch_date_text"] not in row["quote"]:
            problem("launch_date_text", f"{row['launch_date_text']!r} is not in the quote")
        if row["upgrades_program_id"] == row["program_id"]:  # program_id is never empty
            problem("upgrades_program_id", "a programme cannot upgrade itself")


def check_participants(curated: Curated, source_dir: Path, problems: list[Problem]) -> None:
    programs = by_id(curated, "programs")
    companies = by_id(curated, "companies")
    for row in curated.tables["participants"]:

        def problem(column: str, message: str, row: Row = row) -> None:
            problems.append(Problem.of(source_dir, "participants", row, column, message))

        expected = f"{row['program_id']}.{row['company_id']}"
        if row["participant_id"] != expected:
            problem("participant_id", f"{row['participant_id']!r}: use {expected!r}")
        if row["inferred"]:
            continue  # a name cut by a photo caption: the note says how the link is read
        company = companies.get(row["company_id"])
        if company is not None and company["name_zh"] not in row["quote"]:
            problem("quote", f"the quote does not name {company['name_zh']!r}")
        program = programs.get(row["program_id"])
        if program is not None and not any(n in row["quote"] for n in _names(program)):
            problem("quote", f"the quote does not name the programme {_names(program)}")


def check_named(curated: Curated, source_dir: Path, problems: list[Problem]) -> None:
    """A programme's or product's quote names it; an event of a programme names it too."""
    for table in ("programs", "products"):
        for row in curated.tables[table]:
            if not _named(row, row["quote"]):
                said = f"the quote does not name it {_names(row)}"
                problems.append(Problem.of(source_dir, table, row, "quote", said))
    programs = by_id(curated, "programs")
    for row in curated.tables["events"]:
        program = programs.get(row["program_id"] or "")
        if program is not None and not any(n in row["quote"] for n in _names(program)):
            said = f"the event's programme is not named in its quote {_names(program)}"
            problems.append(Problem.of(source_dir, "events", row, "quote", said))
