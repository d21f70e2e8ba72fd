"""csv, jsonl and parquet stream through DuckDB's own writer (db/export.py), fed from the
sealed connection and written through the standard output zgc inherited.

The fast path must read back exactly as the Python writer's output does (render.py), keep the
sandbox (the sealed connection writes nothing; user COPY is refused) and fall back to Python
wherever DuckDB would spell a value differently. Two runs into one file keep every byte.
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

from tests.conftest import child_env, zgc, zgc_executable
from zgc_cli import render
from zgc_cli.db.connection import open_database
from zgc_cli.db.export import Export, ToFile
from zgc_cli.db.statement import named
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
    return zgc(*args).out


def through_python(args: list[str], sql: str) -> str:
    """render.py's writer over the same rows."""
    fmt = render.Format(args[args.index("-f") + 1])
    db = open_database()
    try:
        buffer = io.StringIO(newline="")
        render.write(db.run(db.check(sql)), fmt, buffer)
    finally:
        db.close()
    return buffer.getvalue()


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
    python = list(csv.reader(io.StringIO(through_python(args, sql), newline="")))
    assert native[0] == python[0]  # the header
    assert len(native) == len(python)
    for got, want in zip(native, python, strict=True):
        assert len(got) == len(want)
        assert all(same_cell(a, b) for a, b in zip(got, want, strict=True)), (got, want)


@pytest.mark.parametrize("sql", QUERIES)
def test_jsonl_fast_path_reads_back_as_the_python_writer(sql: str, tmp_path: Path) -> None:
    args = ["sql", sql, "-f", "jsonl"]
    native = [json.loads(line) for line in piped(args).splitlines()]
    python = [json.loads(line) for line in through_python(args, sql).splitlines()]
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
    in_file = tmp_path / "p.jsonl"
    zgc(*args, "-o", str(in_file))
    assert native == [json.loads(line) for line in in_file.read_text().splitlines()] and native


def _export(sql: str, fmt: str, target: Path) -> int | None:
    db = open_database()
    try:
        prepared = Export(db, db.check(sql), None)
        if fmt != "parquet" and not prepared.spelled_as_zgc():
            return None
        return prepared.write(fmt, ToFile(target))
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
    assert _export("SELECT * FROM parks", "csv", target) == 9


def test_export_matches_render_for_rows_written_in_python(tmp_path: Path) -> None:
    target = tmp_path / "native.jsonl"
    assert _export(AWKWARD, "jsonl", target) == 9
    native = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    python = through_python(["-f", "jsonl"], AWKWARD)
    assert native == [json.loads(line) for line in python.splitlines()]


def test_the_sealed_connection_writes_nothing_and_user_copy_is_refused(tmp_path: Path) -> None:
    db = open_database()
    try:
        # zgc's own SQL on the sealed connection cannot write either: the wall is the engine
        with pytest.raises(QueryError, match="cannot read or write files"):
            db.run(named(f"COPY (SELECT 1) TO '{tmp_path / 'x.csv'}' (FORMAT csv)"))
        with pytest.raises(QueryError, match="refused"):
            db.check("COPY parks TO '/dev/stdout'")
    finally:
        db.close()
    assert not (tmp_path / "x.csv").exists()
    done = zgc("sql", "COPY parks TO '/dev/stdout' (FORMAT csv)", "-f", "csv", code=1)
    assert "refused" in done.err and done.stdout == b""


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "tsv", "json"])
def test_two_runs_into_one_file_keep_every_byte(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"both.{fmt}"
    shell = (
        f"{{ {zgc_executable()} sql 'SELECT 1 AS a' -f {fmt}; "
        f"{zgc_executable()} sql 'SELECT 2 AS b' -f {fmt}; }} > {target}"
    )
    subprocess.run(["sh", "-c", shell], check=True, env=child_env())
    text = target.read_bytes().decode("utf-8")
    first = zgc("sql", "SELECT 1 AS a", "-f", fmt).out
    second = zgc("sql", "SELECT 2 AS b", "-f", fmt).out
    assert text == first + second


def test_a_loop_appending_to_a_file_keeps_what_was_there(tmp_path: Path) -> None:
    target = tmp_path / "log.csv"
    target.write_text("kept\n", encoding="utf-8")
    for _ in range(2):
        with target.open("a", encoding="utf-8") as handle:
            subprocess.run(
                [zgc_executable(), "parks", "-f", "csv"], stdout=handle, check=True, env=child_env()
            )
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "kept" and lines[1].startswith("park_id,") and len(lines) == 21
    assert lines[11].startswith("park_id,")


def test_redirect_to_a_new_file_streams_whole(tmp_path: Path) -> None:
    target = tmp_path / "fresh.csv"
    with target.open("w", encoding="utf-8") as handle:
        subprocess.run(
            [zgc_executable(), "parks", "-f", "csv"], stdout=handle, check=True, env=child_env()
        )
    assert len(target.read_text(encoding="utf-8").splitlines()) == 10


def test_a_reader_that_goes_away_ends_quietly() -> None:
    sql = "SELECT range AS i, 'row ' || range AS s FROM range(2000000)"
    proc = subprocess.Popen(
        [zgc_executable(), "sql", sql, "-f", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert first == b"i,s\r\n"
    assert err == b""


def rows_of(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_limit_and_columns_cut_the_stream() -> None:
    assert len(rows_of(piped(["sql", "SELECT * FROM parks", "-f", "jsonl", "--limit", "2"]))) == 2
    only = rows_of(piped(["sql", "SELECT * FROM parks", "-f", "jsonl", "--columns", "kind"]))
    assert only and all(list(row) == ["kind"] for row in only)
    ordered = piped(
        ["sql", "SELECT * FROM range(5) ORDER BY range DESC", "-f", "csv", "--limit", "2"]
    )
    assert ordered == "range\r\n4\r\n3\r\n"


def test_parquet_output_reads_back(tmp_path: Path) -> None:
    import duckdb

    target = tmp_path / "out.parquet"
    zgc("sql", "SELECT * FROM indicators ORDER BY indicator_id", "-o", str(target))
    rows = duckdb.connect().sql(f"SELECT count(*) FROM read_parquet('{target}')").fetchall()
    counted = json.loads(zgc("sql", "SELECT count(*) AS n FROM indicators", "-f", "json").out)
    assert rows == [(counted[0]["n"],)]
    assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]
