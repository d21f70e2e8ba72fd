"""The coverage ledger: the report's clauses as spans, each with the rows that represent it or
a reason why none does, and the rules a ledger keeps (shared by the build and `zgc verify`)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple


class Clause(NamedTuple):
    clause_id: str
    start: int
    end: int
    rows: tuple[str, ...]
    reason: str | None


@dataclass(frozen=True)
class Gap:  # a problem of one clause (`index` in the ledger; -1: after the last)
    index: int
    column: str
    message: str


def split_rows(text: str | None) -> tuple[str, ...]:
    return tuple(filter(None, (part.strip() for part in (text or "").split(";"))))


def ledger_gaps(
    clauses: Sequence[Clause], length: int, report: str | None, known: Collection[str]
) -> list[Gap]:
    """What is wrong with a ledger, rule by rule; whether it tiles: given the report's text."""
    gaps: list[Gap] = []
    covered = 0
    for index, clause in enumerate(clauses):
        start, end = clause.start, clause.end
        if start < 0 or end <= start:
            gaps.append(Gap(index, "end", f"{start}-{end} is not a span (start < end, from 0)"))
            continue
        if start < covered:
            gaps.append(Gap(index, "start", f"{start} overlaps the clause before (to {covered})"))
        elif report is not None and report[covered:start].strip():
            gaps.append(Gap(index, "start", _unaccounted(report, covered, start)))
        if end > length:
            gaps.append(Gap(index, "end", f"{end} is past the report's end ({length})"))
        if not clause.rows and not clause.reason:
            gaps.append(Gap(index, "reason", "no rows: say why no row represents this clause"))
        if clause.rows and clause.reason:
            gaps.append(Gap(index, "reason", "give the rows or a reason, not both"))
        for row_id in clause.rows:
            if row_id not in known:
                gaps.append(Gap(index, "rows", f"{row_id!r} is not the id of any row"))
        if len(set(clause.rows)) != len(clause.rows):
            gaps.append(Gap(index, "rows", "a row is listed twice"))
        covered = max(covered, end)
    if report is not None and report[covered:].strip():
        gaps.append(Gap(-1, "end", _unaccounted(report, covered, len(report))))
    return gaps


def unlisted(clauses: Iterable[Clause], ids: Iterable[str]) -> list[str]:
    """Rows that no clause lists: a row that represents nothing in the report."""
    listed = {row_id for clause in clauses for row_id in clause.rows}
    return [row_id for row_id in ids if row_id not in listed]


def _unaccounted(report: str, start: int, end: int) -> str:
    blank = sum(1 for ch in report[start:end] if ch.isspace())
    return (
        f"characters {start}-{end} ({end - start - blank} not blank) are in no clause; "
        "the clauses must tile the report"
    )
