"""csv, tsv, json, jsonl and parquet are written by one writer, DuckDB's COPY (db/export.py),
into the one file the sealed engine may write, whose bytes zgc moves to standard output (its
own descriptor) or the -o file. The engine reaches no other file meanwhile; user COPY is
refused. Two runs into one file keep every byte.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import child_env, zgc, zgc_executable, zgc_served
from zgc_cli.db.connection import open_database
from zgc_cli.db.sandbox import slot
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
    """stdout is a pipe: DuckDB's bytes through zgc's own descriptor."""
    return zgc_served(*args).out


@pytest.mark.parametrize("sql", QUERIES)
@pytest.mark.slow
def test_every_text_format_reads_back_the_same_rows(sql: str, tmp_path: Path) -> None:
    """Whichever way out (a pipe, a file), csv, tsv, json and jsonl carry the same rows."""
    records = json.loads(piped(["sql", sql, "-f", "json"]))
    assert [json.loads(line) for line in piped(["sql", sql, "-f", "jsonl"]).splitlines()] == records
    table = list(csv.reader(io.StringIO(piped(["sql", sql, "-f", "csv"]), newline="")))
    assert table[0] == list(records[0]) if records else table
    assert len(table) == len(records) + 1
    tsv = piped(["sql", sql, "-f", "tsv"]).split("\n")
    assert len(tsv) == len(records) + 2 and tsv[-1] == ""  # one record a line
    target = tmp_path / "out.csv"
    zgc_served("sql", sql, "-o", str(target))
    assert target.read_bytes().decode("utf-8") == piped(["sql", sql, "-f", "csv"])


@pytest.mark.slow
def test_awkward_values_as_each_format_writes_them() -> None:
    """The choices of the one writer: NULL empty and '' quoted in csv; non-finite numbers
    null in JSON (which has no NaN); tab, newline and controls escaped in tsv."""
    rows = [json.loads(line) for line in piped(["sql", AWKWARD, "-f", "jsonl"]).splitlines()]
    assert [r["number"] for r in rows][3:6] == [None, None, None]
    assert rows[0]["money"] == 1.5 and rows[0]["big"] == 9007199254740993
    assert rows[0]["day"] == "2020-01-24" and rows[2]["text"] == "line\nbreak"
    text = piped(["sql", AWKWARD, "-f", "csv"])
    assert '\r\n2,"a,b ""c""",1e+16,,false,-2.25,"",-1\r\n' in text
    tsv = piped(["sql", AWKWARD, "-f", "tsv"]).splitlines()
    assert tsv[3].split("\t")[1] == "line\\nbreak" and "tab\\tin" in tsv[4]
    hostile = piped(["sql", "SELECT chr(27) || '[31mred' AS s", "-f", "tsv"])
    assert hostile == "s\n\\x1b[31mred\n"


def test_csv_keeps_crlf_and_no_header() -> None:
    text = piped(["sql", "SELECT 1 AS a, 'x' AS b", "-f", "csv", "--no-header"])
    assert text == "1,x\r\n"
    assert piped(["parks", "-f", "csv"]).startswith("park_id,")


def test_named_commands_stream_with_their_parameters(tmp_path: Path) -> None:
    args = ["projects", "--status", "started", "-f", "jsonl"]
    native = [json.loads(line) for line in piped(args).splitlines()]
    in_file = tmp_path / "p.jsonl"
    zgc_served(*args, "-o", str(in_file))
    assert native == [json.loads(line) for line in in_file.read_text().splitlines()] and native


def test_the_sealed_connection_writes_nothing_and_user_copy_is_refused(tmp_path: Path) -> None:
    db = open_database()
    try:
        # zgc's own SQL on the sealed connection cannot write either: the wall is the engine
        with pytest.raises(QueryError, match="cannot read or write files"):
            db.run(named(f"COPY (SELECT 1) TO '{tmp_path / 'x.csv'}' (FORMAT csv)"))
        # the slot, while no export runs, does not exist: nothing to read, nowhere to write
        with pytest.raises(QueryError):
            db.run(named(f"COPY (SELECT 1) TO '{slot(db.connection)}' (FORMAT csv)"))
        with pytest.raises(QueryError, match="refused"):
            db.check("COPY parks TO '/dev/stdout'")
    finally:
        db.close()
    assert not (tmp_path / "x.csv").exists()
    done = zgc_served("sql", "COPY parks TO '/dev/stdout' (FORMAT csv)", "-f", "csv", code=1)
    assert "refused" in done.err and done.stdout == b""


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "tsv", "json"])
@pytest.mark.slow
def test_two_runs_into_one_file_keep_every_byte(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"both.{fmt}"
    shell = (
        f"{{ {zgc_executable()} sql 'SELECT 1 AS a' -f {fmt}; "
        f"{zgc_executable()} sql 'SELECT 2 AS b' -f {fmt}; }} > {target}"
    )
    subprocess.run(["sh", "-c", shell], check=True, env=child_env())
    text = target.read_bytes().decode("utf-8")
    first = zgc_served("sql", "SELECT 1 AS a", "-f", fmt).out
    second = zgc_served("sql", "SELECT 2 AS b", "-f", fmt).out
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


def test_a_large_export_lands_at_the_descriptors_own_offset(tmp_path: Path) -> None:
    """Moved by the kernel (splice) past many pipe buffers, from where the descriptor stands."""
    sql = "SELECT range AS i, 'row ' || range AS s FROM range(300000)"
    target = tmp_path / "placed.csv"
    target.write_bytes(b"0123456789")
    with target.open("r+b") as handle:
        handle.seek(4)
        subprocess.run(
            [zgc_executable(), "sql", sql, "-f", "csv"], stdout=handle, check=True, env=child_env()
        )
        assert handle.tell() == target.stat().st_size  # the shared offset moved with the bytes
    expected = zgc_served("sql", sql, "-f", "csv").out.encode()
    assert len(expected) > 4_000_000
    assert target.read_bytes() == b"0123" + expected


@pytest.mark.parametrize("succeeded", [False, True])
def test_a_copy_that_fails_early_leaves_nothing_it_had_begun(
    succeeded: bool, tmp_path: Path
) -> None:
    """DuckDB writes the header when the COPY starts; a refusal met later must not leave it."""
    from zgc_cli.db import export

    got: list[bytes] = []
    mover = export._Mover(got.append, str(tmp_path / "slot" / "out"))
    writer = os.open(mover.path, os.O_WRONLY)
    os.write(writer, b"i\r\n0\r\n")
    os.close(writer)
    mover.succeeded = succeeded
    mover.finish("standard output")
    assert b"".join(got) == (b"i\r\n0\r\n" if succeeded else b"")


@pytest.mark.slow
def test_a_refusal_met_while_running_writes_nothing_to_standard_output() -> None:
    for _ in range(6):  # DuckDB's threads race: the header went out in 4 runs of 6 here
        result = zgc_served("sql", "FROM duckdb_extensions() WHERE loaded", "-f", "csv", code=1)
        assert result.out == "" and "refused" in result.err


@pytest.mark.slow
def test_a_non_blocking_standard_output_gets_every_byte() -> None:
    """Some parents hand down a pipe in non-blocking mode; zgc waits on it as on any other."""
    sql = "SELECT range AS i FROM range(300000)"
    for fmt in ("csv", "tsv", "jsonl"):
        read, write = os.pipe()
        os.set_blocking(write, False)
        proc = subprocess.Popen(
            [zgc_executable(), "sql", sql, "-f", fmt], stdout=write, env=child_env()
        )
        os.close(write)
        time.sleep(0.5)  # let the pipe fill before anyone reads
        with os.fdopen(read, "rb") as handle:
            got = handle.read()
        assert proc.wait(timeout=60) == 0
        assert got.decode() == zgc_served("sql", sql, "-f", fmt).out


def test_rows_duckdb_does_not_count_are_not_called_none() -> None:
    """COPY of a PIVOT (DuckDB runs it as two statements) reports no count: no "no rows"."""
    pivot = zgc_served("sql", "PIVOT (SELECT 'x' a, 2 b UNION ALL SELECT 'y', 3) ON a USING sum(b)")
    assert pivot.out.splitlines() == ["x\ty", "2\t3"] and pivot.err == ""
    empty = zgc_served("sql", "SELECT 1 AS a WHERE false", "-f", "csv")
    assert "no rows match" in empty.err


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


@pytest.mark.slow
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
    zgc_served("sql", "SELECT * FROM indicators ORDER BY indicator_id", "-o", str(target))
    rows = duckdb.connect().sql(f"SELECT count(*) FROM read_parquet('{target}')").fetchall()
    counted = json.loads(
        zgc_served("sql", "SELECT count(*) AS n FROM indicators", "-f", "json").out
    )
    assert rows == [(counted[0]["n"],)]
    assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]


@pytest.mark.slow
def test_while_an_export_runs_the_query_reaches_no_other_file(tmp_path: Path) -> None:
    """The engine may write one file, the slot, and only while zgc's own COPY fills it: a
    query run by that COPY reads its own slot at most, never a file beside it or elsewhere."""
    secret = tmp_path / "secret.txt"
    secret.write_text("secret\n", encoding="utf-8")
    for sql in (
        f"SELECT * FROM read_text('{secret}')",
        f"SELECT * FROM glob('{tmp_path}/*')",
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT * FROM read_text(current_setting('allowed_paths')[1] || '.x')",
        "SELECT * FROM glob(parse_dirpath(current_setting('allowed_paths')[1]) || '/*')",
        "SELECT * FROM read_text(parse_dirpath(current_setting('allowed_paths')[1]) || '/x')",
    ):
        for fmt in ("csv", "jsonl", "json", "tsv"):
            done = zgc_served("sql", sql, "-f", fmt, code=1)
            assert "secret" not in done.out and done.out == "", (sql, fmt)
            assert "refused" in done.err or "error" in done.err, (sql, done.err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.txt"]  # nothing written


@pytest.mark.parametrize("fmt", ["tsv", "json", "csv", "jsonl"])
def test_a_statement_that_answers_otherwise_under_copy_fails_rather_than_slip_past(
    fmt: str,
) -> None:
    """The columns are planned once (LIMIT 0) and COPY runs the statement again: one that
    asks current_query() which run it is in could hand COPY a raw ESC where the plan said
    INTEGER (attacker review). The COPY casts to the planned types, so it fails instead."""
    swap = "'SELECT chr(27) || ''[2J'' AS x'"
    sql = f"FROM query(CASE WHEN current_query() LIKE 'COPY%' THEN {swap} ELSE 'SELECT 1 AS x' END)"
    ran = zgc_served("sql", sql, "-f", fmt, code=1)
    assert b"\x1b" not in ran.out.encode() and "\x1b" not in ran.err, (ran.out, ran.err)
    assert ran.err.startswith("zgc: error: Conversion Error"), ran.err


def test_tsv_control_characters_are_shown_across_chunk_boundaries() -> None:
    """The FIFO hands bytes over in chunks: a C1 character (U+0085, UTF-8 C2 85) split
    between two is still shown as \\x85, and a CJK character's bytes pass whole."""
    from zgc_cli.db.export import _controls_shown

    got: list[bytes] = []
    put = _controls_shown(got.append)
    for chunk in (b"a\x1bb\xc2", b"\x85c\xe7\x95", b"\x8c\x7f", b""):
        put(chunk)
    assert b"".join(got) == "a\\x1bb\\x85c界\\x7f".encode() and got[-1] == b""


@pytest.mark.slow
def test_a_query_that_reads_its_own_slot_ends_at_its_time_out() -> None:
    """The slot is named in duckdb_settings(): read during its own export, the FIFO holds no
    end while the COPY waits for the read; at the deadline zgc frees the read."""
    own = "list_filter(current_setting('allowed_paths'), lambda p: p LIKE '%/out')[1]"
    started = time.monotonic()
    done = zgc("sql", f"SELECT * FROM read_text({own})", "-f", "csv", "--timeout", "1", code=1)
    assert done.err == "zgc: error: query timed out after 1 s\n" and done.out == ""
    assert time.monotonic() - started < 10
