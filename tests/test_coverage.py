"""The coverage ledger: it tiles the report, the build and `zgc verify` refuse a broken one,
`zgc coverage` lists it in every format, and no tracked file holds the report's text."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path

import pytest

import zgc_build as build
from tests.conftest import ROOT, Terminals, case, report_path, zgc_served
from tests.test_data import snapshot_rows
from tests.test_data_model import _copy, _edit, _problems

KEYS = ["start", "end", "rows", "reason"]

# The ledger on a terminal, drawn in one process on the first one's demand.
TERMINAL = Terminals(
    [
        case(["coverage", "--source", str(report_path()), "--lang", "en"], 100, 400),
        case(["coverage"], 100, 400),
        *(case(["coverage", "--lang", lang], 80, 400) for lang in ("zh", "en")),
    ]
)


def _ledger_lines(sources: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO((sources / "clauses.csv").read_text(encoding="utf-8"))))


def _write_ledger(sources: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (sources / "clauses.csv").write_text(out.getvalue(), encoding="utf-8")


def test_the_ledger_tiles_the_report(report: str) -> None:
    clauses = sorted(snapshot_rows("clauses"), key=lambda r: r["start"])
    assert len(clauses) >= 60
    covered = 0
    for clause in clauses:
        assert clause["start"] >= covered, clause  # in order, no overlap
        assert not report[covered : clause["start"]].strip(), clause  # only blanks between
        assert clause["end"] > clause["start"]
        assert bool(clause["rows"]) != bool(clause["reason"]), clause  # rows or a reason
        covered = clause["end"]
    assert not report[covered:].strip() and covered <= len(report)
    # every non-blank character lies in exactly one clause
    inside = [0] * len(report)
    for clause in clauses:
        for i in range(clause["start"], clause["end"]):
            inside[i] += 1
    assert all(n == 1 for i, n in enumerate(inside) if not report[i].isspace())


def test_every_row_is_in_a_clause_and_every_listed_id_exists() -> None:
    from tests.test_data import cited_rows
    from zgc_cli.dictionary import TABLES

    listed = {i for c in snapshot_rows("clauses") for i in (c["rows"] or "").split(";") if i}
    ids = {row[TABLES[table].key] for table, row in cited_rows()}
    assert ids <= listed
    assert listed <= ids


def test_the_build_fails_when_a_ledger_row_is_removed(tmp_path: Path, report: str) -> None:
    sources = _copy(tmp_path)
    lines = _ledger_lines(sources)
    # a clause with rows (clause-05: the zone's figures at 5月22日)
    (index,) = [i for i, r in enumerate(lines) if r[0] == "clause-05"]
    removed = lines.pop(index)
    _write_ledger(sources, lines)
    problems = _problems(sources, report)
    gap = f"characters {lines[index - 1][2]}-{lines[index][1]}"
    assert any(f"clauses.csv:{index + 1}: start: {gap}" in p for p in problems), problems
    assert any("no clause" in p for p in problems)
    for row_id in removed[3].split(";"):
        assert any(f"{row_id!r} is in no clause" in p for p in problems), row_id


def test_the_build_fails_on_a_reason_only_clause_removed(tmp_path: Path, report: str) -> None:
    sources = _copy(tmp_path)
    lines = _ledger_lines(sources)
    last = lines.pop()  # the outlook (下一步…): a reason, no rows
    assert last[4] and not last[3]
    _write_ledger(sources, lines)
    problems = _problems(sources, report)
    assert any(f"end: characters {lines[-1][2]}-{len(report)}" in p for p in problems)
    build.validate(sources, None)  # without the report the spans cannot be checked


def test_the_build_refuses_overlaps_unknown_rows_and_silent_clauses(
    tmp_path: Path, report: str
) -> None:
    sources = _copy(tmp_path)
    lines = _ledger_lines(sources)
    lines[3][1] = str(int(lines[2][2]) - 1)  # clause-03 starts inside clause-02
    lines[5][3] = lines[5][3] + ";no-such-row"
    lines[6][3], lines[6][4] = "", ""  # neither rows nor a reason
    _write_ledger(sources, lines)
    problems = _problems(sources, report)
    assert any(
        p.startswith(f"{sources}/clauses.csv:4: start: ") and "overlaps" in p for p in problems
    )
    assert any("clauses.csv:6: rows: 'no-such-row' is not the id of any row" in p for p in problems)
    assert any("clauses.csv:7: reason: no rows: say why" in p for p in problems)


@pytest.mark.slow  # builds a snapshot and runs zgc twice: about 2 s
def test_verify_checks_the_ledger_against_the_users_copy(tmp_path: Path, report: str) -> None:
    sources = _copy(tmp_path)
    lines = _ledger_lines(sources)
    lines.pop()  # a reason-only clause: the build without the report cannot see the gap
    _write_ledger(sources, lines)
    snapshot = tmp_path / "gap.parquet"
    build.build(sources, snapshot, None)  # without the report: the gap is not seen
    source = str(report_path())
    bad = zgc_served("verify", "--data", str(snapshot), "--source", source, code=1)
    row = next(line for line in bad.out.splitlines() if line.startswith("coverage ledger"))
    assert "\tfail\t" in row and "in no clause" in row
    good = zgc_served("verify", "--source", source)
    row = next(line for line in good.out.splitlines() if line.startswith("coverage ledger"))
    assert row.startswith("coverage ledger\tpass\t") and "clauses tile the report" in row


@pytest.mark.slow
def test_coverage_lists_spans_and_rows_in_every_format(report: str) -> None:
    as_json = json.loads(zgc_served("coverage", "-f", "json").out)
    assert len(as_json) == len(snapshot_rows("clauses"))
    assert all(list(item) == KEYS for item in as_json)
    assert as_json[0]["start"] == 2 and as_json[0]["rows"] == ["zgc"]  # the zone, named
    heading = next(item for item in as_json if item["reason"] == "section heading")
    assert heading["rows"] == [] and heading["end"] > heading["start"]
    figures = next(item for item in as_json if "zgc-work-resumption-rate" in item["rows"])
    assert report[figures["start"] : figures["end"]].startswith("截至5月22日")
    for fmt in ("csv", "tsv", "markdown", "jsonl"):
        out = zgc_served("coverage", "-f", fmt).out
        assert all(key in out.splitlines()[0] for key in KEYS), fmt
        assert "截至" not in out  # spans and ids: never the report's words
    piped = zgc_served("coverage", "--source", str(report_path()), "-f", "json").out
    assert json.loads(piped) == as_json  # piped, --source adds nothing


def test_coverage_on_a_terminal_marks_the_reports_text() -> None:
    shown = TERMINAL(
        case(["coverage", "--source", str(report_path()), "--lang", "en"], 100, 400)
    ).plain
    assert "截至5月22日,中关村示范区各分园重点监测企业约3.7万家" in shown
    assert "rows: zgc-key-monitored-enterprises" in shown
    assert "none: section heading" in shown
    without = TERMINAL(case(["coverage"], 100, 400)).plain
    assert "截至5月22日" not in without and "zgc-key-monitored-enterprises" in without


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_coverage_lists_each_span_with_its_rows_or_its_reason_in_the_readers_words(
    lang: str,
) -> None:
    """The ids took the line and cut every reason to `links th…`; zh headers were English;
    1,009 read like a quantity: offsets are positions."""
    lines = TERMINAL(case(["coverage", "--lang", lang], 80, 400)).plain.splitlines()
    heading = next(line for line in lines if "section heading" in line)
    assert re.search(r"^\s*\d+\s+\d+\s+(无对应记录：|none: )section heading\s*$", heading)
    assert any(re.search(r"^\s*962\s+1009\s+medical-device-park", line) for line in lines)
    assert not any(re.search(r"\d,\d", line) for line in lines[2:-1])
    head = lines[0].split()
    if lang == "zh":  # headers in Chinese; the reasons exist in English only, and it says so
        assert head[:2] == ["起点", "终点"] and "原因仅有英文" in head[2], head
    else:
        assert head[:2] == ["Start", "End"] and lines[-1].strip() == "72 rows", lines[-1]


def test_coverage_refuses_another_text(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text("不是这篇报道。\n", encoding="utf-8")
    ran = zgc_served("coverage", "--source", str(other), "-f", "table", code=1)
    ran.error("is not the report the snapshot cites")


def test_no_tracked_file_holds_the_reports_text(report: str) -> None:
    """Short quotes only: no 120 characters of the report in a row in any tracked file."""
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    step, limit = 60, 120
    blocks = {report[i : i + step]: i for i in range(0, len(report) - step, step)}
    checked = 0
    for name in filter(None, files):
        try:
            text = (ROOT / name.decode()).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        checked += 1
        for block, at in blocks.items():
            found = text.find(block)
            while found >= 0:
                left = 0
                while (
                    found - left > 0
                    and at - left > 0
                    and text[found - left - 1] == report[at - left - 1]
                ):
                    left += 1
                right = step
                while (
                    found + right < len(text)
                    and at + right < len(report)
                    and text[found + right] == report[at + right]
                ):
                    right += 1
                assert left + right < limit, (name, at - left, left + right)
                found = text.find(block, found + 1)
    assert checked > 50


# --- the build's rules for the new structure ---------------------------------------------------


def test_the_build_refuses_figures_alike_words_with_a_number_and_a_wrong_basis(
    tmp_path: Path, report: str
) -> None:
    sources = _copy(tmp_path)
    indicators, projects = sources / "indicators.csv", sources / "projects.csv"
    same = _edit(
        indicators, "miyun-above-scale-work-resumption-rate", segment="operating_enterprises"
    )
    numbered = _edit(indicators, "online-job-fair-enterprises", value_text="多家企业参与")
    figure = _edit(indicators, "zgc-incubators", unit="", qualifier="")
    words = _edit(indicators, "huohua-aims", qualifier="exact")
    planned = _edit(projects, "medical-device-park-phase2", investment_basis="reported")
    problems = _problems(sources, report)
    path = f"{sources}/indicators.csv"

    def has(line: int, column: str, *needles: str) -> bool:
        prefix = f"{path}:{line}: {column}: "
        return any(p.startswith(prefix) and all(n in p for n in needles) for p in problems)

    assert has(same, "segment", "shares subject, metric", "miyun-work-resumption-rate")
    assert not has(numbered, "value")  # words without a number: no value needed
    assert has(figure, "unit", "must not be empty") and has(figure, "qualifier", "must not")
    assert has(words, "qualifier", "a fact without a number")
    assert any(
        p.startswith(f"{sources}/projects.csv:{planned}: investment_basis: 'reported' but")
        and "'planned'" in p
        for p in problems
    ), problems


def test_the_build_refuses_words_that_hold_a_number_without_a_value(
    tmp_path: Path, report: str
) -> None:
    sources = _copy(tmp_path)
    line = _edit(
        sources / "indicators.csv",
        "zgc-incubators",
        value="",
        qualifier="",
        value_min="",
        value_max="",
    )
    problems = _problems(sources, report)
    assert any(
        p.startswith(f"{sources}/indicators.csv:{line}: value: empty but '195家' says 195")
        for p in problems
    ), problems


def test_ledger_gaps_on_a_small_text() -> None:
    from zgc_cli.coverage import marked
    from zgc_cli.ledger import Clause, ledger_gaps

    text = "甲乙。\n丙丁。\n"
    good = [Clause("c-1", 0, 3, ("a",), None), Clause("c-2", 4, 7, (), "rhetoric")]
    assert ledger_gaps(good, len(text), text, {"a"}) == []
    gap = ledger_gaps(good[:1], len(text), text, {"a"})
    assert [(g.index, g.column) for g in gap] == [(-1, "end")] and "3-8 (3 not blank)" in gap[
        0
    ].message
    wrong = [Clause("c-1", 0, 3, ("b",), "why"), Clause("c-2", 2, 9, (), None)]
    found = {(g.index, g.column) for g in ledger_gaps(wrong, len(text), text, {"a"})}
    assert found == {(0, "rows"), (0, "reason"), (1, "start"), (1, "end"), (1, "reason")}
    drawn = marked(text, good, 40, "en").plain()
    assert "0-3  甲乙。\n     rows: a\n" in drawn and "none: rhetoric" in drawn
