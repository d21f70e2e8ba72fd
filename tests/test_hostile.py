"""Hostile input against the installed `zgc`, each attempt in its own process.

Every attempt must be refused (exit 1 or 2, one `zgc: error:` line) or bounded (done within
its time-out + 3 s, or ended by `timed out` / `out of memory`), print no traceback, stay
under 1 GB of memory, create or change no file it can see (the snapshot's directory, the
working directory, TMPDIR, HOME, /tmp) and leave the snapshot's bytes and zgc's read-only
copy of it as they were. Each attempt gets its own copy of the snapshot and its own HOME,
working directory and TMPDIR; they run three at a time.

The wall is the sealed connection (no file system at all, a read-only snapshot); the SQL
check only words the refusal. So many attempts are written so that no check of the text can
see them (a COPY built while the query runs, comments that fool a regex): they must fail all
the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from tests.conftest import SNAPSHOT, child_env, zgc_executable

pytestmark = pytest.mark.slow

TIMEOUT_S = 1.0
REFUSED = "refused"
BOUNDED = "bounded"
MARK = "zgc-hostile-"  # every path an attempt tries to create under /tmp starts with this
FILES = "cannot read or write files"  # the sealed connection's refusal
READ_ONLY = "read-only"


@dataclass(frozen=True)
class Attempt:
    id: str
    sql: str | bytes  # {snap} {other} {new} {real} {dir} {cwd} are filled in per attempt
    outcome: str = REFUSED
    expect: str = ""  # substring of the error line, for refusals
    via: str = "argv"  # argv, stdin, file, fifo-file, zero-file, zero-stdin
    extra: tuple[str, ...] = ()  # more options (--timeout 1 is always given unless here)


def _a(id: str, sql: str, expect: str = "", outcome: str = REFUSED) -> Attempt:
    return Attempt(id, sql, outcome, expect)


def _runtime(sql: str) -> str:
    """A statement built while the query runs, out of sight of any check of the text."""
    quoted = sql.replace("'", "''")
    return f"SELECT * FROM json_execute_serialized_sql(json_serialize_sql('{quoted}'))"


def _hex(sql: str) -> str:
    """The same, with the inner SQL hex-encoded: no word of it is in the text at all."""
    encoded = sql.encode().hex()
    return (
        "SELECT * FROM json_execute_serialized_sql(json_serialize_sql("
        f"decode(from_hex('{encoded}'))))"
    )


KIND = "refused:"
MULTI = "only one statement"
COPY_CTE = "WITH x AS (COPY (SELECT 'pwned' AS p) TO '{target}' (FORMAT csv{options})) SELECT 1"

ATTEMPTS: list[Attempt] = [
    # --- reading other files ----------------------------------------------------------------
    _a("read_csv", "SELECT * FROM read_csv('{other}')", FILES),
    _a("read_csv_auto", "FROM read_csv_auto('/etc/passwd')", FILES),
    _a("read_csv_list", "SELECT * FROM read_csv(['/etc/passwd'])", FILES),
    _a("read_text", "SELECT * FROM read_text('/etc/passwd')", FILES),
    _a("read_text_proc", "SELECT * FROM read_text('/proc/self/environ')", FILES),
    _a("read_text_fd", "SELECT * FROM read_text('/proc/self/fd/0')", FILES),
    _a("read_blob", "SELECT * FROM read_blob('/etc/hostname')", FILES),
    _a("read_json", "SELECT * FROM read_json('{other}')", FILES),
    _a("read_json_auto", "SELECT * FROM read_json_auto('/etc/passwd')", FILES),
    _a("read_ndjson", "SELECT * FROM read_ndjson('{other}')", FILES),
    _a("read_parquet_snapshot", "SELECT count(*) FROM read_parquet('{snap}')", FILES),
    _a("read_parquet_other", "SELECT * FROM read_parquet('{real}')", FILES),
    _a("read_parquet_list", "SELECT * FROM read_parquet(['{snap}', '{real}'])", FILES),
    _a("read_parquet_glob", "SELECT * FROM read_parquet('{dir}/*.parquet')", FILES),
    _a("glob_etc", "SELECT * FROM glob('/etc/*')", FILES),
    _a("glob_snapshot_dir", "SELECT * FROM glob('{dir}/*')", FILES),
    _a("glob_cwd", "SELECT * FROM glob('*')", FILES),
    _a("glob_tmp_dir", "SELECT * FROM glob('.tmp/*')", FILES),
    _a("read_tmp_dir", "SELECT * FROM read_text('.tmp/x')", FILES),
    _a("replacement_scan", "SELECT * FROM '{other}'", FILES),
    _a("replacement_scan_join", "SELECT * FROM parks, '{other}'", FILES),
    _a("sniff_csv", "SELECT * FROM sniff_csv('{other}')", FILES),
    _a("parquet_metadata", "SELECT * FROM parquet_metadata('{real}')", FILES),
    _a("parquet_schema", "SELECT * FROM parquet_schema('{real}')", FILES),
    _a("parquet_kv_metadata", "SELECT * FROM parquet_kv_metadata('{snap}')", FILES),
    _a("read_http", "SELECT * FROM read_csv('https://example.com/x.csv')", FILES),
    _a("read_s3", "SELECT * FROM read_parquet('s3://bucket/x.parquet')", FILES),
    _a("cte_read", "WITH t AS MATERIALIZED (SELECT * FROM read_text('/etc/hosts')) FROM t", FILES),
    _a("describe_read", "DESCRIBE SELECT * FROM read_text('/etc/passwd')", FILES),
    _a("summarize_read", "SUMMARIZE SELECT * FROM read_text('/etc/passwd')", FILES),
    _a("explain_analyze_read", "EXPLAIN ANALYZE SELECT * FROM read_text('/etc/hosts')", FILES),
    _a("read_csv_stdout", "SELECT * FROM read_csv('/dev/stdout')", FILES),
    _a("read_text_stdout", "SELECT * FROM read_text('/dev/stdout')", FILES),
    _a("read_csv_stdin", "SELECT * FROM read_csv('/dev/stdin')", FILES),
    _a("runtime_read", _runtime("SELECT * FROM read_text('/etc/passwd')"), FILES),
    _a("runtime_hex_read", _hex("SELECT * FROM read_text('/etc/hostname')"), FILES),
    _a("query_read", "SELECT * FROM query('SELECT * FROM read_text(''/etc/passwd'')')", FILES),
    _a("query_table_read", "SELECT * FROM query_table('/etc/passwd')", "does not exist"),
    # --- writing, overwriting or deleting the snapshot ---------------------------------------
    _a("copy_to", "COPY (SELECT 1) TO '{new}.csv'", "COPY"),
    _a("copy_table_to", "COPY parks TO '{new}.parquet' (FORMAT parquet)", "COPY"),
    _a("copy_to_snapshot", "COPY (SELECT 1 AS a) TO '{snap}' (FORMAT parquet)", "COPY"),
    _a("copy_to_tmp", "COPY (SELECT 1) TO '/tmp/" + MARK + "copy.csv'", "COPY"),
    _a("copy_to_tmp_dir", "COPY (SELECT 1) TO '.tmp/x.csv'", "COPY"),
    _a("copy_from", "COPY parks FROM '{other}'", "COPY"),
    _a(
        "cte_copy_snapshot",
        COPY_CTE.format(target="{snap}", options=", USE_TMP_FILE false"),
        "COPY inside a WITH",
    ),
    _a(
        "cte_copy_delete",
        COPY_CTE.format(target="{snap}", options=", PARTITION_BY (p), OVERWRITE"),
        "COPY inside a WITH",
    ),
    _a(
        "cte_copy_self",
        "WITH x AS (COPY (FROM read_parquet('{snap}')) TO '{snap}' (FORMAT parquet)) SELECT 1",
        "COPY inside a WITH",
    ),
    _a("cte_copy_new", COPY_CTE.format(target="{new}.csv", options=""), "COPY inside a WITH"),
    _a("cte_copy_tmp", COPY_CTE.format(target=".tmp/x.csv", options=""), "COPY inside a WITH"),
    _a(
        "cte_copy_materialized",
        "WITH x AS MATERIALIZED (COPY (SELECT 1) TO '{new}.csv') SELECT 1",
        "COPY inside a WITH",
    ),
    _a(
        "cte_copy_nested",
        "SELECT * FROM (WITH x AS (COPY (SELECT 1) TO '{new}.csv') SELECT 1)",
        "must be at the top level",
    ),
    _a("runtime_copy", _runtime(COPY_CTE.format(target="{snap}", options="")), FILES),
    _a("runtime_hex_copy", _hex(COPY_CTE.format(target="{snap}", options="")), FILES),
    _a(
        "runtime_hex_delete",
        _hex(COPY_CTE.format(target="{snap}", options=", PARTITION_BY (p), OVERWRITE")),
        FILES,
    ),
    _a("runtime_hex_new", _hex(COPY_CTE.format(target="{new}.csv", options="")), FILES),
    _a("runtime_top_copy", _runtime("COPY (SELECT 1) TO '{new}.csv'"), "Only SELECT"),
    _a("query_copy", "SELECT * FROM query('COPY (SELECT 1) TO ''{new}.csv''')", "single SELECT"),
    _a(
        "query_cte_copy",
        "SELECT * FROM query('"
        + COPY_CTE.format(target="{new}.csv", options="").replace("'", "''")
        + "')",
        "must be at the top level",
    ),
    _a("export_database", "EXPORT DATABASE '{new}'", "EXPORT"),
    _a("attach_new", "ATTACH '{new}.duckdb'", "ATTACH"),
    _a("attach_snapshot", "ATTACH '{snap}' AS s", "ATTACH"),
    _a("explain_analyze_copy", "EXPLAIN ANALYZE COPY (SELECT 1) TO '{new}.csv'", "EXPLAIN"),
    _a("explain_copy", "EXPLAIN COPY (SELECT 1) TO '{new}.csv'", "EXPLAIN"),
    _a(
        "explain_nested_comment",
        "EXPLAIN /* /* */ SELECT 1 -- */ ANALYZE COPY (SELECT 1) TO '{new}.csv'",
        "EXPLAIN of COPY",
    ),
    _a(
        "explain_cr_comment",
        "EXPLAIN -- a comment ended by a carriage return\r ANALYZE COPY (SELECT 1) TO '{new}.csv'",
        "EXPLAIN of COPY",
    ),
    _a("explain_options_copy", "EXPLAIN (ANALYZE) COPY (SELECT 1) TO '{new}.csv'", "EXPLAIN"),
    _a(
        "explain_cte_copy",
        "EXPLAIN ANALYZE " + COPY_CTE.format(target="{new}.csv", options=""),
        "EXPLAIN of WITH",
    ),
    _a(
        "pivot_comment_copy",
        "/* PIVOT */ COPY (SELECT 1) TO '{new}.csv'",
        "COPY",
    ),
    _a("pivot_with_copy", "PIVOT (SELECT * FROM read_text('{other}')) ON filename", FILES),
    _a("create_table_as", "CREATE TABLE t AS SELECT 1", "CREATE"),
    _a("insert", "INSERT INTO parks VALUES ('x')", "INSERT"),
    _a("update", "UPDATE parks SET name_en = 'x'", "UPDATE"),
    _a("delete", "DELETE FROM parks", "DELETE"),
    _a(
        "cte_delete",
        "WITH d AS (DELETE FROM _snapshot RETURNING *) SELECT count(*) FROM d",
        "DELETE",
    ),
    _a(
        "cte_insert",
        "WITH d AS (INSERT INTO _snapshot DEFAULT VALUES RETURNING 1) SELECT 1",
        "INSERT",
    ),
    _a("cte_update", "WITH d AS (UPDATE _snapshot SET note = 'x' RETURNING 1) SELECT 1", "UPDATE"),
    _a(
        "runtime_delete",
        _hex("WITH d AS (DELETE FROM zgc._snapshot RETURNING 1) SELECT count(*) FROM d"),
        READ_ONLY,
    ),
    # --- extensions ---------------------------------------------------------------------------
    _a("install", "INSTALL httpfs", KIND),
    _a("load", "LOAD httpfs", KIND),
    _a("force_install", "FORCE INSTALL httpfs", KIND),
    _a("install_community", "INSTALL spatial FROM community", KIND),
    _a("load_path", "LOAD '{dir}/evil.duckdb_extension'", KIND),
    _a("update_extensions", "UPDATE EXTENSIONS", "UPDATE EXTENSIONS"),
    _a("autoload", "SELECT * FROM st_read('{other}')", "st_read"),
    # --- settings and what they disclose ------------------------------------------------------
    _a("set_external_access", "SET enable_external_access = true", "SET"),
    _a("set_global_external", "SET GLOBAL enable_external_access = true", "SET"),
    _a("set_allowed_paths", "SET allowed_paths = ['/']", "SET"),
    _a("set_allowed_dirs", "SET allowed_directories = ['/']", "SET"),
    _a("reset_lock", "RESET lock_configuration", "RESET"),
    _a("set_lock_false", "SET lock_configuration = false", "SET"),
    _a("set_filesystems", "SET disabled_filesystems = ''", "SET"),
    _a("pragma_threads", "PRAGMA threads = 64", "PRAGMA"),
    _a("set_memory_limit", "SET memory_limit = '100GB'", "SET"),
    _a("set_temp_size", "SET max_temp_directory_size = '10GB'", "SET"),
    _a("set_temp_dir", "SET temp_directory = '{new}'", "SET"),
    _a("set_autoload", "SET autoload_known_extensions = true", "SET"),
    _a("set_replacements", "SET python_enable_replacements = true", "SET"),
    _a("set_community", "SET allow_community_extensions = true", "SET"),
    _a("set_profiling_output", "SET profiling_output = '{new}.json'", "SET"),
    _a("pragma_profiling", "PRAGMA enable_profiling", "PRAGMA"),
    _a("set_variable", "SET VARIABLE x = 1", "SET"),
    _a("import_database", "IMPORT DATABASE '{dir}'", "IMPORT DATABASE"),
    _a("use", "USE system", "USE statement"),
    # --- catalog tampering ----------------------------------------------------------------------
    _a("create_view", "CREATE VIEW x AS SELECT 1", "CREATE VIEW"),
    _a("replace_view", "CREATE OR REPLACE VIEW parks AS SELECT 1 AS park_id", "CREATE OR REPLACE"),
    _a("temp_view_shadow", "CREATE TEMP VIEW parks AS SELECT 1 AS park_id", "CREATE TEMP VIEW"),
    _a("drop_view", "DROP VIEW parks", "DROP"),
    _a("alter_view", "ALTER VIEW parks RENAME TO p", "ALTER"),
    _a("create_macro", "CREATE MACRO parks_count() AS 1", "CREATE MACRO"),
    _a("replace_macro", "CREATE OR REPLACE MACRO lower(x) AS 'pwned'", "CREATE OR REPLACE"),
    _a("create_secret", "CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 's')", "CREATE"),
    _a("prepare", "PREPARE p AS SELECT 1", "PREPARE"),
    _a("begin", "BEGIN TRANSACTION", "TRANSACTION"),
    _a("detach", "DETACH memory", "DETACH"),
    _a("checkpoint", "CHECKPOINT", KIND),
    _a("vacuum", "VACUUM", "VACUUM"),
    _a("call", "CALL pragma_version()", "CALL"),
    # --- resource exhaustion: bounded by --timeout and the memory bounds -----------------------
    *(
        _a(id, sql, outcome=BOUNDED)
        for id, sql in {
            "recursive_cte": (
                "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                "SELECT count(*) FROM r"
            ),
            "cross_join": (
                "SELECT count(*) FROM range(10000000) a, range(10000000) b "
                "WHERE a.range + b.range = -1"
            ),
            "cross_join_rows": "SELECT * FROM range(100000) a, range(100000) b",
            "repeat_billion": "SELECT repeat('x', 1000000000)",
            "repeat_length": "SELECT length(repeat('x', 1000000000))",
            "list_huge": "SELECT list(range) FROM range(300000000)",
            "string_agg_huge": "SELECT string_agg(range::VARCHAR, ',') FROM range(300000000)",
            "sleep_ms": "SELECT sleep_ms(60000)",
            "pg_sleep": "SELECT pg_sleep(60)",
            "range_trillion": "SELECT count(*) FROM range(1000000000000)",
            "sort_huge": "SELECT * FROM range(100000000) ORDER BY random() LIMIT 1",
            "runtime_sleep": _hex("SELECT pg_sleep(60)"),
        }.items()
    ),
    # --- several statements in one string -------------------------------------------------------
    _a("select_then_copy", "SELECT 1; COPY (SELECT 1) TO '{new}.csv'", MULTI),
    _a("copy_then_select", "COPY (SELECT 1) TO '{new}.csv'; SELECT 1", MULTI),
    _a("select_then_set", "SELECT 1; SET enable_external_access = true", MULTI),
    _a("select_then_attach", "SELECT ';'; ATTACH '{new}.duckdb'", MULTI),
    _a("two_selects", "FROM parks; FROM parks", MULTI),
    # Multi-byte text before the `;`: DuckDB's token offsets count bytes, not characters.
    _a("cjk_then_copy", "SELECT '中关村科学城'; COPY (SELECT 1) TO '{new}.csv'", MULTI),
    _a("cjk_name_then_attach", "SELECT 1 AS \"园区名称\"; ATTACH '{new}.duckdb'", MULTI),
    _a("emoji_comment_then_set", "SELECT 1 /* 🚀🚀🚀 */; SET threads = 64", MULTI),
    _a("cjk_hides_the_semicolon", "SELECT '中关村中关村中关村' AS a; SET threads = 1", MULTI),
    # --- statements that once printed tracebacks, and text that must be shown escaped -----------
    _a("explain_json", "EXPLAIN (FORMAT json) SELECT 1", outcome=BOUNDED),
    _a("explain_analyze_options", "EXPLAIN (ANALYZE) SELECT 1", outcome=BOUNDED),
    _a(
        "error_escape", "SELECT error(chr(27) || ']0;pwned' || chr(7) || chr(27) || '[2J')", "\\x1b"
    ),
    _a("error_newlines", "SELECT error('one' || chr(10) || 'two' || chr(13) || 'three')", "one"),
    _a("error_huge", "SELECT error(repeat('x', 600000))", "…"),
    _a("syntax_error", "SELEC 1", "syntax error"),
    Attempt("only_comment", "-- nothing here", REFUSED, "no SQL statement", "file"),
    # --- bad text and inputs that never end ----------------------------------------------------
    Attempt("nul_stdin", b"SELECT 1\x00; DROP VIEW parks", REFUSED, "NUL", "stdin"),
    Attempt("nul_file", b"SELECT '\x00'", REFUSED, "NUL", "file"),
    Attempt("bad_utf8_stdin", b"SELECT '\xff\xfe'", REFUSED, "UTF-8", "stdin"),
    Attempt("bad_utf8_file", b"SELECT '\xc3\x28'", REFUSED, "UTF-8", "file"),
    Attempt("lone_surrogate_argv", b"SELECT '\xed\xa0\x80'", REFUSED, "UTF-8", "argv"),
    Attempt("bad_byte_argv", b"SELECT '\xff'", REFUSED, "UTF-8", "argv"),
    Attempt("megabyte_file", "SELECT 1 AS one" + " " * (1 << 20), REFUSED, "larger than", "file"),
    Attempt("megabyte_stdin", "SELECT 1 AS one" + " " * (1 << 20), REFUSED, "larger than", "stdin"),
    Attempt("five_megabytes", "SELECT 1 --" + "x" * (5 << 20), REFUSED, "larger than", "file"),
    Attempt("dev_zero_file", "", REFUSED, "larger than", "zero-file"),
    Attempt("dev_zero_stdin", "", REFUSED, "larger than", "zero-stdin"),
    Attempt("fifo_file", "", REFUSED, "nothing more arrived", "fifo-file"),
    Attempt("directory_file", "", REFUSED, "directory", "dir-file"),
    Attempt(
        "nesting",
        "SELECT " + "(" * 400_000 + "1" + ")" * 400_000,
        BOUNDED,
        "",
        "file",
    ),
    Attempt(
        "many_ctes",
        "WITH " + ", ".join(f"c{i} AS (SELECT {i})" for i in range(30_000)) + " SELECT 1",
        BOUNDED,
        via="file",
    ),
    # --- option values --------------------------------------------------------------------------
    Attempt("timeout_nan", "SELECT pg_sleep(60)", REFUSED, "--timeout", extra=("--timeout", "nan")),
    Attempt("timeout_inf", "SELECT 1", REFUSED, "--timeout", extra=("--timeout", "inf")),
    Attempt("timeout_zero", "SELECT 1", REFUSED, "--timeout", extra=("--timeout", "0")),
    Attempt("timeout_negative", "SELECT 1", REFUSED, "--timeout", extra=("--timeout", "-5")),
    Attempt("timeout_huge", "SELECT 1", REFUSED, "--timeout", extra=("--timeout", "1e12")),
    Attempt(
        "memory_huge",
        "SELECT 1",
        REFUSED,
        "from 16MB to 1TiB",
        extra=("--timeout", "1", "--memory-limit", "9" * 29 + "TB"),
    ),
    Attempt(
        "memory_100tb",
        "SELECT repeat('x', 1000000000)",
        REFUSED,
        "from 16MB to 1TiB",
        extra=("--timeout", "1", "--memory-limit", "100TB"),
    ),
    Attempt(
        "memory_nan",
        "SELECT 1",
        REFUSED,
        "give a size such as",
        extra=("--timeout", "1", "--memory-limit", "nanGB"),
    ),
]


@dataclass
class Outcome:
    code: int
    stdout: bytes
    stderr: str
    seconds: float
    peak_mb: float
    new_files: list[str]
    changed_files: list[str]
    snapshot_changed: bool


def _fill(sql: str | bytes, places: dict[str, str]) -> str | bytes:
    if isinstance(sql, bytes):
        return sql
    for key, value in places.items():
        sql = sql.replace("{" + key + "}", value)
    return sql


def _listing(*roots: Path) -> dict[str, str]:
    """Every file under `roots` with a digest of its bytes."""
    found: dict[str, str] = {}
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif not path.is_symlink():
                found[str(path)] = "dir"
    return found


def _home(home: Path) -> tuple[Path, Path, Path, Path, Path, dict[str, str]]:
    """An attempt's own world: the snapshot's directory, a working directory, TMPDIR and HOME,
    a copy of the snapshot, a secret file beside them; and the paths its SQL names."""
    data, cwd, tmp, user = home / "data", home / "cwd", home / "tmp", home / "home"
    for folder in (data, cwd, tmp, user):
        folder.mkdir(parents=True)
    snap = data / "zgc.parquet"
    shutil.copy2(SNAPSHOT, snap)  # its modification time too: the same copy serves
    other = home / "secret.csv"
    other.write_text("secret,1\n", encoding="utf-8")
    places = {
        "snap": str(snap),
        "other": str(other),
        "new": str(data / "new"),
        "real": str(SNAPSHOT),
        "dir": str(data),
        "cwd": str(cwd),
    }
    return data, cwd, tmp, user, snap, places


def _attack(base: Path, attempt: Attempt, digest: str) -> Outcome:
    home = base / attempt.id
    data, cwd, tmp, user, snap, places = _home(home)
    sql = _fill(attempt.sql, places)
    args: list[str | bytes] = [zgc_executable(), "sql"]
    stdin: int | bytes | None = subprocess.DEVNULL
    if attempt.via == "stdin":
        args.append("-")
        stdin = sql if isinstance(sql, bytes) else sql.encode()
    elif attempt.via == "zero-stdin":
        args.append("-")
        stdin = os.open("/dev/zero", os.O_RDONLY)
    elif attempt.via == "file":
        query_file = home / "query.sql"
        query_file.write_bytes(sql if isinstance(sql, bytes) else sql.encode())
        args += ["--file", str(query_file)]
    elif attempt.via == "zero-file":
        args += ["--file", "/dev/zero"]
    elif attempt.via == "fifo-file":
        fifo = home / "query.fifo"
        os.mkfifo(fifo)
        args += ["--file", str(fifo)]
    elif attempt.via == "dir-file":
        args += ["--file", str(data)]
    else:
        args.append(sql)
    args += ["--data", str(snap), "-f", "csv"]
    if "--memory-limit" not in attempt.extra:  # given twice, it would be refused for that
        args += ["--memory-limit", "256MB"]
    args += list(attempt.extra) or ["--timeout", str(TIMEOUT_S)]
    env = child_env(TMPDIR=str(tmp), HOME=str(user))
    before = _listing(data, cwd, tmp, user)
    started = time.monotonic()
    code, out, err, peak = _measured(args, stdin, env, cwd)
    seconds = time.monotonic() - started
    if isinstance(stdin, int) and stdin >= 0:
        os.close(stdin)
    after = _listing(data, cwd, tmp, user)
    return Outcome(
        code,
        out[:2000],
        err.decode("utf-8", "replace"),
        seconds,
        peak,
        sorted(set(after) - set(before)),
        sorted(name for name in before if name in after and after[name] != before[name]),
        hashlib.sha256(snap.read_bytes()).hexdigest() != digest,
    )


def _measured(
    args: list[str | bytes], stdin: int | bytes | None, env: dict[str, str], cwd: Path
) -> tuple[int, bytes, bytes, float]:
    """Run `args`; its exit code, stdout, stderr and peak resident memory in MB (os.wait4)."""
    process = subprocess.Popen(
        args,
        stdin=subprocess.PIPE if isinstance(stdin, bytes) else stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=env,
    )
    chunks: dict[str, bytes] = {}

    def drain(name: str, stream: IO[bytes]) -> None:
        chunks[name] = stream.read()

    assert process.stdout is not None and process.stderr is not None
    readers = [
        threading.Thread(target=drain, args=("out", process.stdout)),
        threading.Thread(target=drain, args=("err", process.stderr)),
    ]
    for reader in readers:
        reader.start()
    if isinstance(stdin, bytes):
        assert process.stdin is not None
        try:
            process.stdin.write(stdin)
            process.stdin.close()
        except BrokenPipeError:
            pass  # zgc refused the input before reading all of it
    deadline = time.monotonic() + 60
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"{args[2:4]!r} ran for over a minute")
        time.sleep(0.02)
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    return process.returncode, chunks["out"], chunks["err"], usage.ru_maxrss / 1024


@pytest.fixture(scope="session")
def outcomes(tmp_path_factory: pytest.TempPathFactory, private_cache: Path) -> dict[str, Outcome]:
    base = tmp_path_factory.mktemp("hostile")
    digest = hashlib.sha256(SNAPSHOT.read_bytes()).hexdigest()
    tmp_before = {p.name for p in Path("/tmp").iterdir()}
    warm = subprocess.run(  # builds zgc's read-only copy of the snapshot, once, before the attacks
        [zgc_executable(), "parks", "--data", str(SNAPSHOT)],
        env=child_env(),
        capture_output=True,
        check=False,
    )
    assert warm.returncode == 0, warm.stderr
    copies = _listing(private_cache)
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
    assert _listing(private_cache) == copies, "zgc's read-only copy must never change"
    return results


def test_there_are_many_distinct_attempts() -> None:
    assert len(ATTEMPTS) >= 150
    assert len({a.id for a in ATTEMPTS}) == len(ATTEMPTS)


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=[a.id for a in ATTEMPTS])
def test_hostile_input_is_refused_or_bounded(
    attempt: Attempt, outcomes: dict[str, Outcome]
) -> None:
    result = outcomes[attempt.id]
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert not result.new_files, result.new_files
    assert not result.changed_files, result.changed_files
    assert not result.snapshot_changed
    assert result.peak_mb < 1024, result.peak_mb
    # Every attempt's time-out is TIMEOUT_S (or a bad value refused at once); + 1.5 s for
    # start-up on a busy machine.
    assert result.seconds < TIMEOUT_S + 3 + 1.5, result.seconds
    if attempt.outcome == REFUSED:
        assert result.code in (1, 2), (result.code, result.stderr)
        assert len(lines) == 1, lines
        assert lines[0].startswith("zgc: error: "), lines
        assert attempt.expect in lines[0], lines[0]
        assert len(lines[0]) <= 520, len(lines[0])
        assert result.stdout == b""
    else:
        assert result.code in (0, 1), (result.code, result.stderr)
        assert len(lines) <= 1, lines
        if result.code == 1:
            assert lines[0].startswith("zgc: error: "), lines
            assert any(word in lines[0] for word in ("timed out after", "out of memory")), lines[0]


def test_settings_disclose_no_working_or_home_directory(tmp_path: Path) -> None:
    home = tmp_path / "home-of-someone"
    home.mkdir()
    done = subprocess.run(
        [zgc_executable(), "sql", "SELECT name, value FROM duckdb_settings()", "-f", "csv"],
        cwd=tmp_path,
        env=child_env(HOME=str(home)),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode()
    assert str(tmp_path) not in text and "home-of-someone" not in text
    assert "allowed_directories,[]" in text


API_PROBE = """
import json, sys
import zgc_cli
from zgc_cli.errors import ZgcError
outcomes = {}
for attempt_id, sql in json.loads(sys.stdin.read()):
    try:
        zgc_cli.query(sql, timeout=2).fetchall()
    except ZgcError as exc:
        outcomes[attempt_id] = "refused: " + str(exc)
    except Exception as exc:
        outcomes[attempt_id] = f"raised {type(exc).__name__}: {exc}"
    else:
        outcomes[attempt_id] = "ran"
print(json.dumps(outcomes))
"""


def test_the_api_refuses_what_the_cli_refuses(tmp_path: Path) -> None:
    """Every SQL text the CLI refuses, given to `zgc_cli.query()` in one Python process: each
    raises a ZgcError (one line), and no file anywhere it can see is created or changed."""
    data, cwd, tmp, user, snap, places = _home(tmp_path)
    chosen = [
        (a.id, _fill(a.sql, places))
        for a in ATTEMPTS
        if a.outcome == REFUSED and a.via == "argv" and not a.extra and isinstance(a.sql, str)
    ]
    assert len(chosen) >= 100
    before = _listing(data, cwd, tmp, user)
    digest = hashlib.sha256(snap.read_bytes()).hexdigest()
    done = subprocess.run(
        [sys.executable, "-c", API_PROBE],
        input=json.dumps(chosen).encode(),
        capture_output=True,
        cwd=cwd,
        env=child_env(ZGC_DATA=str(snap), TMPDIR=str(tmp), HOME=str(user)),
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    outcomes: dict[str, str] = json.loads(done.stdout)
    wrong = {k: v for k, v in outcomes.items() if not v.startswith("refused: ")}
    assert not wrong, wrong
    assert all("\n" not in v for v in outcomes.values())
    assert _listing(data, cwd, tmp, user) == before
    assert hashlib.sha256(snap.read_bytes()).hexdigest() == digest
