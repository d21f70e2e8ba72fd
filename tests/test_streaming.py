"""Issue 5: csv and jsonl piped from stdout stream through DuckDB's own writer (Database.export).

The fast path must read back exactly as the Python writer's output does (render.py), keep the
sandbox (only /dev/stdout becomes writable, user COPY is still refused) and fall back to
Python wherever DuckDB would spell a value differently or reopening stdout would be unsafe.
"""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_zgc, zgc_executable
from zgc_cli import render
from zgc_cli.db import STDOUT, open_database
from zgc_cli.errors import QueryError

# Awkward values render.py has opinions about: NULL, quotes, delimiters, newlines, CJK,
# markup, floats that tempt a writer into noise, non-finite numbers, dates, decimals.
AWKWARD = """
SELECT * FROM (VALUES
  (1, 'plain', 0.1, DATE '2020-01-24', true, 1.50, NULL::VARCHAR, 9007199254740993),
  (2, 'a,b "c"', 1e16, NULL, false, -2.25, '', -1),
  (3, 'line
break', 1e-7, DATE '2020-04-17', NULL, NULL, '[b]x[/b] | 中关村', NULL),
  (4, '  spaced  ', 'nan'::DOUBLE, DATE '1999-12-31', true, 0.00, 'tab	in', 0),
  (5, NULL, 'inf'::DOUBLE, NULL, false, 100.10, 'é', 123456789012),
  (6, '', '-inf'::DOUBLE, NULL, NULL, NULL, NULL, NULL),
  (7, 'x', 123456.789, NULL, NULL, NULL, NULL, NULL),
  (8, 'y', 1.2345678901234568e+17, NULL, NULL, NULL, NULL, NULL),
  (9, 'z', 25.0, NULL, NULL, NULL, NULL, NULL)
) AS t(id, text, number, day, flag, money, note, big)
ORDER BY id
"""
QUERIES = [
    AWKWARD,
    "SELECT * FROM indicators ORDER BY indicator_id",
    "SELECT * FROM projects ORDER BY project_id",
    "SELECT * FROM events ORDER BY event_id",
    "SELECT * FROM parks",
    "DESCRIBE parks",
]


def piped(args: list[str]) -> str:
    """stdout is a pipe: the native path."""
    done = run_zgc(args)
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode("utf-8")


def through_python(args: list[str], tmp_path: Path, suffix: str) -> str:
    """-o FILE: always render.py's writer."""
    target = tmp_path / f"out{suffix}"
    done = run_zgc([*args, "-o", str(target)])
    assert done.returncode == 0, done.stderr.decode()
    return target.read_text(encoding="utf-8")


def same_cell(native: str, python: str) -> bool:
    if native == python:
        return True
    try:  # numbers: the same float, however spelled (-0.0)
        a, b = float(native), float(python)
    except ValueError:
        return False
    return a == b or (math.isnan(a) and math.isnan(b))


@pytest.mark.parametrize("sql", QUERIES)
def test_csv_fast_path_reads_back_as_the_python_writer(sql: str, tmp_path: Path) -> None:
    args = ["sql", sql, "-f", "csv"]
    native = list(csv.reader(io.StringIO(piped(args), newline="")))
    python = list(csv.reader(io.StringIO(through_python(args, tmp_path, ".csv"), newline="")))
    assert native[0] == python[0]  # the header
    assert len(native) == len(python)
    for got, want in zip(native, python, strict=True):
        assert len(got) == len(want)
        assert all(same_cell(a, b) for a, b in zip(got, want, strict=True)), (got, want)


@pytest.mark.parametrize("sql", QUERIES)
def test_jsonl_fast_path_reads_back_as_the_python_writer(sql: str, tmp_path: Path) -> None:
    args = ["sql", sql, "-f", "jsonl"]
    native = [json.loads(line) for line in piped(args).splitlines()]
    python = [json.loads(line) for line in through_python(args, tmp_path, ".jsonl").splitlines()]
    assert native == python
    for got, want in zip(native, python, strict=True):
        assert list(got) == list(want)  # column order too


def test_csv_keeps_crlf_and_no_header() -> None:
    text = piped(["sql", "SELECT 1 AS a, 'x' AS b", "-f", "csv", "--no-header"])
    assert text == "1,x\r\n"
    assert piped(["parks", "-f", "csv"]).startswith("park_id,")


def test_named_commands_take_the_fast_path_with_their_parameters(tmp_path: Path) -> None:
    args = ["projects", "--status", "started", "-f", "jsonl"]
    native = [json.loads(line) for line in piped(args).splitlines()]
    python = [json.loads(line) for line in through_python(args, tmp_path, ".jsonl").splitlines()]
    assert native == python and native


def _export(sql: str, fmt: str, target: Path) -> int | None:
    db = open_database(writable=[target])
    try:
        return db.export(sql, None, fmt, target=str(target))
    finally:
        db.close()


def test_export_declines_types_duckdb_spells_differently(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    for sql in (
        "SELECT now() AS t",
        "SELECT [1, 2] AS l",
        "SELECT 0.1::FLOAT AS f",
        "SELECT 'x'::BLOB AS b",
    ):
        assert _export(sql, "csv", target) is None, sql
    assert _export("SELECT 1 AS a", "tsv", target) is None
    assert _export("SELECT * FROM parks", "csv", target) == 8


def test_export_matches_render_for_rows_written_in_python(tmp_path: Path) -> None:
    target = tmp_path / "native.jsonl"
    assert _export(AWKWARD, "jsonl", target) == 9
    db = open_database()
    try:
        buffer = io.StringIO()
        render.write(db.run(AWKWARD), render.Format.jsonl, buffer, render.Options())
    finally:
        db.close()
    native = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert native == [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_only_stdout_becomes_writable_and_user_copy_is_still_refused(tmp_path: Path) -> None:
    db = open_database(writable=[Path(STDOUT)])
    try:
        with pytest.raises(QueryError):
            db.run(f"COPY (SELECT 1) TO '{tmp_path / 'x.csv'}' (FORMAT csv)", trusted=True)
        with pytest.raises(QueryError, match="refused"):
            db.export("COPY parks TO '/dev/stdout'", None, "csv")
    finally:
        db.close()
    assert not (tmp_path / "x.csv").exists()
    done = run_zgc(["sql", "COPY parks TO '/dev/stdout' (FORMAT csv)", "-f", "csv"])
    assert done.returncode == 1 and b"refused" in done.stderr and done.stdout == b""


def test_appending_to_a_file_falls_back_and_keeps_what_was_there(tmp_path: Path) -> None:
    target = tmp_path / "log.csv"
    target.write_text("kept\n", encoding="utf-8")
    with target.open("a", encoding="utf-8") as handle:
        subprocess.run([zgc_executable(), "parks", "-f", "csv"], stdout=handle, check=True)
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "kept" and lines[1].startswith("park_id,") and len(lines) == 10


def test_redirect_to_a_new_file_streams_whole(tmp_path: Path) -> None:
    target = tmp_path / "fresh.csv"
    with target.open("w", encoding="utf-8") as handle:
        subprocess.run([zgc_executable(), "parks", "-f", "csv"], stdout=handle, check=True)
    assert len(target.read_text(encoding="utf-8").splitlines()) == 9


def test_a_reader_that_goes_away_ends_quietly() -> None:
    sql = "SELECT range AS i, 'row ' || range AS s FROM range(2000000)"
    proc = subprocess.Popen(
        [zgc_executable(), "sql", sql, "-f", "csv"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert first == b"i,s\n" or first == b"i,s\r\n"
    assert err == b""


def rows_of(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_limit_and_columns_still_cut_in_python() -> None:
    assert len(rows_of(piped(["sql", "SELECT * FROM parks", "-f", "jsonl", "--limit", "2"]))) == 2
    only = rows_of(piped(["sql", "SELECT * FROM parks", "-f", "jsonl", "--columns", "kind"]))
    assert only and all(list(row) == ["kind"] for row in only)


def test_a_target_locked_by_another_process_falls_back_to_python(tmp_path: Path) -> None:
    import fcntl

    target = tmp_path / "locked.csv"
    expected = run_zgc(["indicators", "-f", "csv"]).stdout
    with target.open("wb") as held:
        fcntl.lockf(held, fcntl.LOCK_EX)  # as another `zgc ... > same file` would hold it
        with target.open("wb") as out:
            result = subprocess.run(
                [zgc_executable(), "indicators", "-f", "csv"],
                stdout=out,
                stderr=subprocess.PIPE,
                check=False,
            )
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == expected
