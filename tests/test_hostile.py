"""Hostile SQL against the installed `zgc sql`, each attempt in its own subprocess.

Every attempt must be refused (non-zero exit, one `zgc: error:` line) or bounded (done within
its timeout, or ended by `timed out` / `out of memory`), print no traceback, create no file
(working directory, TMPDIR, the snapshot's directory, /tmp) and leave the snapshot's bytes as
they were. Each attempt gets its own copy of the snapshot; the attempts run four at a time so
the whole suite stays well under a minute.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SNAPSHOT, zgc_executable

TIMEOUT_S = 1.0
REFUSED = "refused"
BOUNDED = "bounded"
MARK = "zgc-hostile-"  # every path an attempt tries to create under /tmp starts with this


@dataclass(frozen=True)
class Attempt:
    id: str
    sql: str | bytes  # {snap} {other} {new} {real} {dir} are filled in per attempt
    outcome: str = REFUSED
    expect: str = ""  # substring of the error line, for refusals
    via: str = "argv"  # argv, stdin or file


def _a(id: str, sql: str, expect: str = "", outcome: str = REFUSED) -> Attempt:
    return Attempt(id, sql, outcome, expect)


PERM = "Permission Error"
KIND = "refused:"
MULTI = "only one statement"

ATTEMPTS: list[Attempt] = [
    # reading other files
    _a("read_csv", "SELECT * FROM read_csv('{other}')", PERM),
    _a("read_csv_auto", "FROM read_csv_auto('/etc/passwd')", PERM),
    _a("read_csv_list", "SELECT * FROM read_csv(['/etc/passwd'])", PERM),
    _a("read_text", "SELECT * FROM read_text('/etc/passwd')", PERM),
    _a("read_text_proc", "SELECT * FROM read_text('/proc/self/environ')", PERM),
    _a("read_blob", "SELECT * FROM read_blob('/etc/hostname')", PERM),
    _a("read_json", "SELECT * FROM read_json('{other}')", PERM),
    _a("read_json_auto", "SELECT * FROM read_json_auto('/etc/passwd')", PERM),
    _a("read_ndjson", "SELECT * FROM read_ndjson('{other}')", PERM),
    _a("read_parquet_other", "SELECT * FROM read_parquet('{real}')", PERM),
    _a("read_parquet_list", "SELECT * FROM read_parquet(['{snap}', '{real}'])", PERM),
    _a("read_parquet_glob", "SELECT * FROM read_parquet('{dir}/*.parquet')", PERM),
    _a("glob_etc", "SELECT * FROM glob('/etc/*')", PERM),
    _a("glob_snapshot_dir", "SELECT * FROM glob('{dir}/*')", PERM),
    _a("replacement_scan", "SELECT * FROM '{other}'", PERM),
    _a("replacement_scan_join", "SELECT * FROM parks, '{other}'", PERM),
    _a("sniff_csv", "SELECT * FROM sniff_csv('{other}')", PERM),
    _a("parquet_metadata", "SELECT * FROM parquet_metadata('{real}')", PERM),
    _a("parquet_schema", "SELECT * FROM parquet_schema('{real}')", PERM),
    _a("parquet_kv_metadata", "SELECT * FROM parquet_kv_metadata('{real}')", PERM),
    _a("read_http", "SELECT * FROM read_csv('https://example.com/x.csv')", PERM),
    _a("read_s3", "SELECT * FROM read_parquet('s3://bucket/x.parquet')", PERM),
    _a("cte_read", "WITH t AS MATERIALIZED (SELECT * FROM read_text('/etc/hosts')) FROM t", PERM),
    _a("describe_read", "DESCRIBE SELECT * FROM read_text('/etc/passwd')", PERM),
    _a("summarize_read", "SUMMARIZE SELECT * FROM read_text('/etc/passwd')", PERM),
    _a("explain_analyze_read", "EXPLAIN ANALYZE SELECT * FROM read_text('/etc/hosts')", PERM),
    # writing
    _a("copy_to", "COPY (SELECT 1) TO '{new}.csv'", "COPY"),
    _a("copy_table_to", "COPY parks TO '{new}.parquet' (FORMAT parquet)", "COPY"),
    _a("copy_to_snapshot", "COPY (SELECT 1 AS a) TO '{snap}' (FORMAT parquet)", "COPY"),
    _a("copy_to_tmp", "COPY (SELECT 1) TO '/tmp/" + MARK + "copy.csv'", "COPY"),
    _a("copy_from", "COPY parks FROM '{other}'", "COPY"),
    _a("export_database", "EXPORT DATABASE '{new}'", "EXPORT"),
    _a("attach_new", "ATTACH '{new}.duckdb'", "ATTACH"),
    _a("attach_snapshot", "ATTACH '{snap}' AS s", "ATTACH"),
    _a("explain_analyze_copy", "EXPLAIN ANALYZE COPY (SELECT 1) TO '{new}.csv'", "EXPLAIN ANALYZE"),
    _a("explain_copy", "EXPLAIN COPY (SELECT 1) TO '{new}.csv'", "EXPLAIN"),
    _a("create_table_as", "CREATE TABLE t AS SELECT 1", "CREATE"),
    _a("insert", "INSERT INTO parks VALUES ('x')", "INSERT"),
    _a("update", "UPDATE parks SET name_en = 'x'", "UPDATE"),
    _a("delete", "DELETE FROM parks", "DELETE"),
    _a("query_copy", "SELECT * FROM query('COPY (SELECT 1) TO ''{new}.csv''')", ""),
    # extensions
    _a("install", "INSTALL httpfs", KIND),
    _a("load", "LOAD httpfs", KIND),
    _a("force_install", "FORCE INSTALL httpfs", KIND),
    _a("install_community", "INSTALL spatial FROM community", KIND),
    _a("load_path", "LOAD '{dir}/evil.duckdb_extension'", KIND),
    _a("autoload", "SELECT * FROM st_read('{other}')", ""),
    # settings
    _a("set_external_access", "SET enable_external_access = true", "SET"),
    _a("set_global_external", "SET GLOBAL enable_external_access = true", "SET"),
    _a("set_allowed_paths", "SET allowed_paths = ['/']", "SET"),
    _a("set_allowed_dirs", "SET allowed_directories = ['/']", "SET"),
    _a("reset_lock", "RESET lock_configuration", "SET"),
    _a("set_lock_false", "SET lock_configuration = false", "SET"),
    _a("pragma_threads", "PRAGMA threads = 64", KIND),
    _a("set_memory_limit", "SET memory_limit = '100GB'", "SET"),
    _a("set_temp_size", "SET max_temp_directory_size = '10GB'", "SET"),
    _a("set_temp_dir", "SET temp_directory = '{new}'", "SET"),
    _a("set_autoload", "SET autoload_known_extensions = true", "SET"),
    _a("set_replacements", "SET python_enable_replacements = true", "SET"),
    _a("set_community", "SET allow_community_extensions = true", "SET"),
    _a("set_profiling_output", "SET profiling_output = '{new}.json'", "SET"),
    _a("pragma_profiling", "PRAGMA enable_profiling", KIND),
    _a("set_variable", "SET VARIABLE x = 1", "SET"),
    # catalog tampering
    _a("create_view", "CREATE VIEW x AS SELECT 1", "CREATE"),
    _a("replace_view", "CREATE OR REPLACE VIEW parks AS SELECT 1 AS park_id", "CREATE"),
    _a("temp_view_shadow", "CREATE TEMP VIEW parks AS SELECT 1 AS park_id", "CREATE"),
    _a("drop_view", "DROP VIEW parks", "DROP"),
    _a("alter_view", "ALTER VIEW parks RENAME TO p", "ALTER"),
    _a("create_macro", "CREATE MACRO parks_count() AS 1", "CREATE"),
    _a("create_secret", "CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 's')", "CREATE"),
    _a("prepare", "PREPARE p AS SELECT 1", "PREPARE"),
    _a("begin", "BEGIN TRANSACTION", "TRANSACTION"),
    _a("use", "USE system", KIND),
    _a("detach", "DETACH memory", "DETACH"),
    _a("checkpoint", "CHECKPOINT", KIND),
    _a("vacuum", "VACUUM", "VACUUM"),
    _a("call", "CALL pragma_version()", "CALL"),
    # resource exhaustion: bounded by --timeout and the memory bounds
    _a(
        "recursive_cte",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
        outcome=BOUNDED,
    ),
    _a(
        "cross_join",
        "SELECT count(*) FROM range(10000000) a, range(10000000) b WHERE a.range + b.range = -1",
        outcome=BOUNDED,
    ),
    _a("cross_join_rows", "SELECT * FROM range(100000) a, range(100000) b", outcome=BOUNDED),
    _a("repeat_billion", "SELECT repeat('x', 1000000000)", outcome=BOUNDED),
    _a("repeat_length", "SELECT length(repeat('x', 1000000000))", outcome=BOUNDED),
    _a("list_huge", "SELECT list(range) FROM range(300000000)", outcome=BOUNDED),
    _a(
        "string_agg_huge",
        "SELECT string_agg(range::VARCHAR, ',') FROM range(300000000)",
        outcome=BOUNDED,
    ),
    _a("sleep_ms", "SELECT sleep_ms(60000)", outcome=BOUNDED),
    _a("pg_sleep", "SELECT pg_sleep(60)", outcome=BOUNDED),
    _a("range_trillion", "SELECT count(*) FROM range(1000000000000)", outcome=BOUNDED),
    _a("sort_huge", "SELECT * FROM range(100000000) ORDER BY random() LIMIT 1", outcome=BOUNDED),
    # the streaming writer's own target: a read of it blocks in the kernel, where DuckDB's
    # interrupt() cannot reach; the time-out must end it all the same
    _a("read_csv_stdout", "SELECT * FROM read_csv('/dev/stdout')", outcome=BOUNDED),
    _a("read_text_stdout", "SELECT * FROM read_text('/dev/stdout')", outcome=BOUNDED),
    _a("read_csv_stdin", "SELECT * FROM read_csv('/dev/stdin')", PERM),
    # several statements in one string
    _a("select_then_copy", "SELECT 1; COPY (SELECT 1) TO '{new}.csv'", MULTI),
    _a("copy_then_select", "COPY (SELECT 1) TO '{new}.csv'; SELECT 1", MULTI),
    _a("select_then_set", "SELECT 1; SET enable_external_access = true", MULTI),
    _a("select_then_attach", "SELECT ';'; ATTACH '{new}.duckdb'", MULTI),
    _a("two_selects", "FROM parks; FROM parks", MULTI),
    # bad text
    Attempt("nul_stdin", b"SELECT 1\x00; DROP VIEW parks", REFUSED, "NUL", "stdin"),
    Attempt("nul_file", b"SELECT '\x00'", REFUSED, "NUL", "file"),
    Attempt("bad_utf8_stdin", b"SELECT '\xff\xfe'", REFUSED, "UTF-8", "stdin"),
    Attempt("bad_utf8_file", b"SELECT '\xc3\x28'", REFUSED, "UTF-8", "file"),
    Attempt("lone_surrogate_argv", b"SELECT '\xed\xa0\x80'", REFUSED, "UTF-8", "argv"),
    Attempt("bad_byte_argv", b"SELECT '\xff'", REFUSED, "UTF-8", "argv"),
    Attempt("megabyte_query", "SELECT 1 AS one" + " " * (1 << 20), BOUNDED, via="file"),
    Attempt(
        "megabyte_nesting",
        "SELECT " + "(" * 500_000 + "1" + ")" * 500_000,
        REFUSED,
        "depth",
        "file",
    ),
]


@dataclass
class Outcome:
    code: int
    stdout: bytes
    stderr: str
    seconds: float
    new_files: list[str]
    snapshot_changed: bool


def _fill(sql: str | bytes, places: dict[str, str]) -> str | bytes:
    if isinstance(sql, bytes):
        return sql
    for key, value in places.items():
        sql = sql.replace("{" + key + "}", value)
    return sql


def _listing(*roots: Path) -> set[str]:
    return {str(p) for root in roots for p in root.rglob("*")}


def subprocess_env(pycache: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without ZGC_ settings, with bytecode cached in `pycache`.

    Installed packages have their bytecode; a test run with PYTHONDONTWRITEBYTECODE would
    otherwise recompile typer and rich in every one of the hundred processes.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ZGC_") and k not in {"PYTHONDONTWRITEBYTECODE", "FORCE_COLOR"}
    }
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env.update(extra)
    return env


def _attack(base: Path, attempt: Attempt, digest: str) -> Outcome:
    home = base / attempt.id
    data, cwd, tmp = home / "data", home / "cwd", home / "tmp"
    for folder in (data, cwd, tmp):
        folder.mkdir(parents=True)
    snap = data / "zgc.parquet"
    shutil.copyfile(SNAPSHOT, snap)
    other = home / "secret.csv"
    other.write_text("secret,1\n", encoding="utf-8")
    places = {
        "snap": str(snap),
        "other": str(other),
        "new": str(data / "new"),
        "real": str(SNAPSHOT),
        "dir": str(data),
    }
    sql = _fill(attempt.sql, places)
    before = _listing(data, cwd, tmp)
    args: list[str | bytes] = [zgc_executable(), "sql"]
    stdin: bytes | None = None
    if attempt.via == "stdin":
        args.append("-")
        stdin = sql if isinstance(sql, bytes) else sql.encode()
    elif attempt.via == "file":
        query_file = home / "query.sql"
        query_file.write_bytes(sql if isinstance(sql, bytes) else sql.encode())
        args += ["--file", str(query_file)]
    else:
        args.append(sql)
    args += [
        "--data",
        str(snap),
        "--timeout",
        str(TIMEOUT_S),
        "--memory-limit",
        "256MB",
        "-f",
        "csv",
    ]
    env = subprocess_env(base / "pycache", TMPDIR=str(tmp))
    started = time.monotonic()
    done = subprocess.run(
        args, input=stdin, capture_output=True, cwd=cwd, env=env, timeout=60, check=False
    )
    seconds = time.monotonic() - started
    after = _listing(data, cwd, tmp)
    changed = hashlib.sha256(snap.read_bytes()).hexdigest() != digest
    return Outcome(
        done.returncode,
        done.stdout[:2000],
        done.stderr.decode("utf-8", "replace"),
        seconds,
        sorted(after - before),
        changed,
    )


@pytest.fixture(scope="session")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    base = tmp_path_factory.mktemp("hostile")
    digest = hashlib.sha256(SNAPSHOT.read_bytes()).hexdigest()
    tmp_before = {p.name for p in Path("/tmp").iterdir()}
    warm = subprocess.run(
        [zgc_executable(), "--version"],
        env=subprocess_env(base / "pycache"),
        capture_output=True,
        check=False,
    )
    assert warm.returncode == 0
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = dict(
            zip(
                [a.id for a in ATTEMPTS],
                pool.map(lambda a: _attack(base, a, digest), ATTEMPTS),
                strict=True,
            )
        )
    created = {p.name for p in Path("/tmp").iterdir()} - tmp_before
    assert not [name for name in created if MARK in name or name.startswith(".tmp")], created
    assert hashlib.sha256(SNAPSHOT.read_bytes()).hexdigest() == digest
    return results


def test_there_are_at_least_sixty_distinct_attempts() -> None:
    assert len(ATTEMPTS) >= 60
    assert len({a.id for a in ATTEMPTS}) == len(ATTEMPTS)
    assert len({a.sql for a in ATTEMPTS}) == len(ATTEMPTS)


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=[a.id for a in ATTEMPTS])
def test_hostile_input_is_refused_or_bounded(
    attempt: Attempt, outcomes: dict[str, Outcome]
) -> None:
    result = outcomes[attempt.id]
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert not result.new_files, result.new_files
    assert not result.snapshot_changed
    if attempt.outcome == REFUSED:
        assert result.code in (1, 2), (result.code, result.stderr)
        assert len(lines) == 1, lines
        assert lines[0].startswith("zgc: error: "), lines
        assert attempt.expect in lines[0], lines[0]
        assert result.stdout == b""
    else:
        assert result.seconds < TIMEOUT_S + 20, result.seconds
        assert result.code in (0, 1), (result.code, result.stderr)
        assert len(lines) <= 1, lines
        if result.code == 1:
            assert lines[0].startswith("zgc: error: "), lines
            assert any(
                word in lines[0] for word in ("timed out after", "out of memory", "Error")
            ), lines[0]
