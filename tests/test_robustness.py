"""No input crashes zgc or loses data: corrupt snapshots, `zgc verify`, -o failures, property
tests over every command's options and arbitrary SQL, and what only a real process shows
(pipes, Ctrl-C, twenty processes at once)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.conftest import (
    SNAPSHOT,
    child_env,
    report_path,
    zgc_executable,
    zgc_here,
    zgc_patched,
    zgc_served,
)
from zgc_cli.db.connection import open_database, parse_size
from zgc_cli.db.guard import MemoryBound
from zgc_cli.db.statement import named

# --- snapshots, good and broken -----------------------------------------------------------


def _rewrite(target: Path, select: str, metadata: dict[str, str] | None) -> Path:
    """A copy of the real snapshot through `select` (over `snap`), with `metadata`."""
    con = duckdb.connect()
    try:
        con.execute(f"CREATE VIEW snap AS SELECT * FROM read_parquet('{SNAPSHOT}')")
        kv = ""
        if metadata is not None:
            pairs = ", ".join(f"'{k}': '{v}'" for k, v in metadata.items())
            kv = f", KV_METADATA {{{pairs}}}"
        con.execute(f"COPY ({select}) TO '{target}' (FORMAT parquet{kv})")
    finally:
        con.close()
    return target


def _metadata() -> dict[str, str]:
    con = duckdb.connect()
    try:
        rows = con.execute(
            "SELECT decode(key), decode(value) FROM parquet_kv_metadata(?)", [str(SNAPSHOT)]
        ).fetchall()
    finally:
        con.close()
    return {str(k): str(v).replace("'", "''") for k, v in rows}


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("broken")
    raw = SNAPSHOT.read_bytes()
    files = {
        "missing": base / "missing.parquet",
        "directory": base / "directory.parquet",
        "empty": base / "empty.parquet",
        "text": base / "text.parquet",
        "truncated": base / "truncated.parquet",
        "bad_footer": base / "bad_footer.parquet",
    }
    files["directory"].mkdir()
    files["empty"].write_bytes(b"")
    files["text"].write_text("park_id,name\nx,y\n", encoding="utf-8")
    files["truncated"].write_bytes(raw[: len(raw) // 2])
    files["bad_footer"].write_bytes(b"PAR1" + b"\0" * 64 + b"PAR1")
    meta = _metadata()
    files["not_zgc"] = _rewrite(base / "not_zgc.parquet", "SELECT 1 AS a", None)
    files["wrong_version"] = _rewrite(
        base / "wrong_version.parquet", "SELECT * FROM snap", {**meta, "zgc_schema_version": "99"}
    )
    files["wrong_schema"] = _rewrite(
        base / "wrong_schema.parquet", 'SELECT * EXCLUDE ("table") FROM snap', meta
    )
    counts = json.loads(meta["zgc_row_counts"])
    counts["parks"] += 1
    files["wrong_counts"] = _rewrite(
        base / "wrong_counts.parquet",
        "SELECT * FROM snap",
        {**meta, "zgc_row_counts": json.dumps(counts)},
    )
    files["bad_vocabulary"] = _rewrite(
        base / "bad_vocabulary.parquet",
        "SELECT * REPLACE (CASE WHEN status = 'started' THEN 'begun' ELSE status END AS status) "
        "FROM snap",
        meta,
    )
    files["dangling_key"] = _rewrite(
        base / "dangling_key.parquet",
        "SELECT * REPLACE (CASE WHEN \"table\" = 'projects' AND park_id IS NOT NULL "
        "THEN 'atlantis' ELSE park_id END AS park_id) FROM snap",
        meta,
    )
    files["moved_quote"] = _rewrite(
        base / "moved_quote.parquet",
        "SELECT * REPLACE (quote_start + 1 AS quote_start) FROM snap",
        meta,
    )
    return files


CORRUPTIONS = [
    ("missing", "snapshot not found"),
    ("directory", "snapshot is not a file"),
    ("empty", "not a Parquet file"),
    ("text", "not a Parquet file"),
    ("truncated", "truncated"),
    ("bad_footer", "corrupt"),
    ("not_zgc", "not a zgc snapshot"),
    ("wrong_version", "schema version 99"),
    ("wrong_schema", "does not have the zgc schema"),
]


@pytest.mark.parametrize(("name", "needle"), CORRUPTIONS, ids=[c[0] for c in CORRUPTIONS])
@pytest.mark.parametrize("command", [["parks"], ["sql", "FROM parks"], ["verify"]])
def test_each_snapshot_corruption_has_its_own_line(
    broken: dict[str, Path], name: str, needle: str, command: list[str]
) -> None:
    path = broken[name]
    ran = zgc_here(*command, "--data", str(path), "-f", "csv", code=1)
    line = ran.error(needle, str(path))
    assert "rebuild" in line or "point --data" in line
    if command != ["verify"]:
        assert ran.out == ""


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_unreadable_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "zgc.parquet"
    shutil.copyfile(SNAPSHOT, path)
    path.chmod(0)
    zgc_here("parks", "--data", str(path), code=1).error("cannot read snapshot", "permission")


# --- zgc verify -----------------------------------------------------------------------------


def test_verify_passes_on_the_shipped_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ZGC_SOURCE", raising=False)  # CI sets it; without it the report is skipped
    out = zgc_here("verify", "--data", str(SNAPSHOT), "-f", "json").out
    checks = {row["check"]: row["status"] for row in json.loads(out)}
    assert checks["schema version"] == "pass"
    # The wide file's columns, not `zgc schema`'s 143 table columns: the line says which.
    columns = next(row["detail"] for row in json.loads(out) if row["check"] == "columns")
    assert columns.startswith("the snapshot file's ") and "every table's" in columns
    assert checks["row counts"] == "pass"
    assert checks["vocabularies"] == "pass"
    assert checks["foreign keys"] == "pass"
    assert checks["report"] == "skip"


def test_verify_checks_every_quote_and_the_sha256(report: str) -> None:
    out = zgc_here(
        "verify", "--data", str(SNAPSHOT), "--source", str(report_path()), "-f", "json"
    ).out
    checks = {row["check"]: row["status"] for row in json.loads(out)}
    assert checks["quotes"] == "pass"
    assert checks["report sha256"] == "pass"


def test_verify_reads_zgc_source(report: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZGC_SOURCE", str(report_path()))
    assert "quotes,pass" in zgc_here("verify", "--data", str(SNAPSHOT), "-f", "csv").out


def test_verify_fails_on_a_changed_report(report: str, tmp_path: Path) -> None:
    changed = tmp_path / "report.txt"
    changed.write_text("x" + report, encoding="utf-8")
    ran = zgc_here(
        "verify", "--data", str(SNAPSHOT), "--source", str(changed), "-f", "json", code=1
    )
    checks = {row["check"]: row["status"] for row in json.loads(ran.out)}
    assert checks["report sha256"] == "fail"
    assert checks["quotes"] == "fail"
    ran.error("verify failed", "report sha256", "quotes")


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("wrong_counts", "row counts"),
        ("bad_vocabulary", "vocabularies"),
        ("dangling_key", "foreign keys"),
    ],
)
def test_verify_finds_each_inconsistency(broken: dict[str, Path], name: str, check: str) -> None:
    ran = zgc_here("verify", "--data", str(broken[name]), "-f", "json", code=1)
    statuses = {row["check"]: row["status"] for row in json.loads(ran.out)}
    assert statuses[check] == "fail"
    assert [c for c, s in statuses.items() if s == "fail"] == [check]
    ran.error("verify failed", check)


def test_verify_finds_a_moved_quote(broken: dict[str, Path], report: str) -> None:
    ran = zgc_here(
        "verify",
        "--data",
        str(broken["moved_quote"]),
        "--source",
        str(report_path()),
        "-f",
        "json",
        code=1,
    )
    assert {r["check"]: r["status"] for r in json.loads(ran.out)}["quotes"] == "fail"


@pytest.mark.parametrize(
    ("source", "needle"), [("missing.txt", "report not found"), ("bad.txt", "not UTF-8")]
)
def test_verify_bad_source(tmp_path: Path, source: str, needle: str) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\xfa")
    zgc_here("verify", "--source", str(tmp_path / source), code=1).error(needle)


# --- output files ---------------------------------------------------------------------------


@pytest.fixture
def snapshot_copy(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "zgc.parquet"
    path.parent.mkdir()
    shutil.copyfile(SNAPSHOT, path)
    return path


@pytest.mark.parametrize("command", [["parks"], ["sql", "FROM parks"]])
@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".json", ".xlsx"])
def test_output_refuses_the_snapshot(snapshot_copy: Path, command: list[str], suffix: str) -> None:
    before = snapshot_copy.read_bytes()
    alias = snapshot_copy.parent / f"alias{suffix}"
    alias.symlink_to(snapshot_copy)
    for target in (snapshot_copy, alias):
        argv = [*command, "--data", str(snapshot_copy), "-o", str(target)]
        ran = zgc_here(*argv, code=1)
        ran.error("refusing to overwrite the snapshot")
    assert snapshot_copy.read_bytes() == before
    assert sorted(p.name for p in snapshot_copy.parent.iterdir()) == [alias.name, "zgc.parquet"]


def test_output_missing_directory(tmp_path: Path) -> None:
    ran = zgc_here("parks", "-o", str(tmp_path / "nowhere" / "out.csv"), code=1)
    ran.error("does not exist", "create it first")


def test_output_refuses_a_device(tmp_path: Path) -> None:
    zgc_here("parks", "-o", os.devnull, "-f", "csv", code=1).error("not a regular file")
    assert Path(os.devnull).is_char_device()


def test_output_full_disk_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zgc_cli.db import export

    def full(fd: int) -> object:
        def put(chunk: bytes) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        return put

    monkeypatch.setattr(export, "Descriptor", full)
    target = tmp_path / "out.json"
    zgc_here("parks", "-o", str(target), code=1).error("disk is full")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_output_is_never_half_written(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"out{suffix}"
    target.write_text("old\n", encoding="utf-8")
    failing = "SELECT range, CASE WHEN range > 50000 THEN error('boom') END AS x FROM range(100000)"
    zgc_here("sql", failing, "-o", str(target), code=1).error("boom")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


# --- limits ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("512MB", 512 * 10**6),
        ("1GB", 10**9),
        ("2GiB", 2 * 2**30),
        ("16000000B", 16 * 10**6),
        (" 1.5 gb ", 15 * 10**8),
        ("1TiB", 2**40),
    ],
)
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "lots",
        "-1GB",
        "1PB",
        "0",
        "1B",
        "1 GB extra",
        "100TB",
        "nan",
        "inf",
        "9" * 30 + "TB",
    ],
)
def test_bad_memory_limit_is_a_usage_error(text: str) -> None:
    zgc_here("sql", "SELECT 1", "--memory-limit", text, code=2).error("--memory-limit")


@pytest.mark.parametrize("text", ["0", "-1", "nan", "inf", "-inf", "1e309", "86401", "x", ""])
def test_bad_timeout_is_a_usage_error(text: str) -> None:
    zgc_here("sql", "SELECT 1", "--timeout", text, code=2).error(
        "--timeout", "give a number of seconds above 0 and at most 86400"
    )


@pytest.mark.parametrize("text", ["-1", "x", "1.5", "²", ""])
def test_a_bad_limit_says_what_limit_takes_in_words(text: str) -> None:
    line = zgc_served("parks", "--limit", text, code=2).error(
        "--limit", "give a whole number of rows, 0 or more", "(see zgc parks --help)"
    )
    assert "<=" not in line and "valid int" not in line


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="RLIMIT_AS bound is Linux-only")
def test_memory_bound_is_set_while_open_and_restored() -> None:
    before = resource.getrlimit(resource.RLIMIT_AS)
    db = open_database(SNAPSHOT, memory_limit="256MB")
    try:
        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
        in_use = int(Path("/proc/self/statm").read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        assert soft != resource.RLIM_INFINITY
        assert soft < in_use + 256 * 10**6 + 2 * MemoryBound.HEADROOM
        assert db.scalar(named("SELECT count(*) FROM parks")) > 0
    finally:
        db.close()
    assert resource.getrlimit(resource.RLIMIT_AS) == before


def test_the_smallest_memory_limit_is_out_of_memory_not_corrupt() -> None:
    zgc_here("sql", "SELECT 1 AS one", "--memory-limit", "16MB", "-f", "csv")
    hungry = "SELECT length(string_agg(range::VARCHAR, ',')) FROM range(20000000)"
    zgc_here("sql", hungry, "--memory-limit", "16MB", code=1).error("out of memory")


# --- property tests -------------------------------------------------------------------------


def _commands() -> dict[str, list[tuple[str, bool]]]:
    """Every visible command and its options: (name, takes a value)."""
    import typer.main

    from zgc_cli.cli import app

    group: Any = typer.main.get_command(app)
    commands: dict[str, list[tuple[str, bool]]] = {}
    for name, command in group.commands.items():
        if command.hidden:
            continue
        options = [
            (param.opts[0], not param.is_flag)
            for param in command.params
            if getattr(param, "opts", None)
            and param.opts[0].startswith("-")
            and param.opts[0] not in ("--help",)
        ]
        commands[name] = options
    return commands


COMMANDS = _commands()
SAFE_OUTPUTS = [
    "out.csv",
    "out.json",
    "out.parquet",
    "out.md",
    "out.xlsx",
    "out",
    "sub/out.csv",
    ".",
]
TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\0"), max_size=20
)
VALUES = st.one_of(
    TEXT,
    st.sampled_from(
        [
            "",
            "-",
            "0",
            "-1",
            "1e309",
            "csv",
            "json",
            "table",
            "parks",
            "顺义",
            "2020-02-30",
            "a,b",
            "*",
            "%",
            "'",
            str(SNAPSHOT),
            "../..",
            "1GB",
        ]
    ),
)


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    name = draw(st.sampled_from(sorted(COMMANDS)))
    argv = [name]
    options = COMMANDS[name]
    for _ in range(draw(st.integers(0, 4))):
        if not options:
            break
        option, takes_value = draw(st.sampled_from(options))
        argv.append(option)
        if option in ("--output", "-o"):
            argv.append(draw(st.sampled_from(SAFE_OUTPUTS)))
        elif option == "--timeout":
            argv.append(draw(st.sampled_from(["0.5", "2", "-1", "x", "nan", "inf"])))
        elif takes_value:
            argv.append(draw(VALUES))
    if name == "export":  # its argument is a directory to write: never one at random
        argv.append(draw(st.sampled_from(SAFE_OUTPUTS)))
    argv += draw(st.lists(TEXT, max_size=2))
    return argv


PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.slow
@PROPERTY
@given(argv=command_lines())
def test_any_options_never_crash(argv: list[str], scratch: Path) -> None:
    before = SNAPSHOT.stat().st_mtime_ns
    ran = zgc_here(*argv, code=None)
    assert ran.code in (0, 1, 2), (argv, ran.code, ran.err)
    assert len(ran.err.splitlines()) <= 2, ran.err  # an error line, or a note ("no rows match")
    assert SNAPSHOT.stat().st_mtime_ns == before


SQL_WORDS = st.sampled_from(
    [
        "SELECT",
        "FROM",
        "parks",
        "projects",
        "WHERE",
        "*",
        ",",
        ";",
        "(",
        ")",
        "'",
        '"',
        "--",
        "/*",
        "*/",
        "$x",
        "?",
        "1",
        "NULL",
        "PIVOT",
        "EXPLAIN",
        "ANALYZE",
        "COPY",
        "TO",
        "WITH",
        "RECURSIVE",
        "VALUES",
        "DESCRIBE",
        "SUMMARIZE",
        "SHOW",
        "TABLE",
        "ATTACH",
        "SET",
        "\n",
        "\udcff",
        "\x00",
        "read_text('/etc/passwd')",
        "range(10)",
    ]
)
SQL = st.one_of(st.text(max_size=60), st.lists(SQL_WORDS, max_size=12).map(" ".join))


@pytest.mark.slow
@PROPERTY
@given(sql=SQL)
def test_any_sql_never_crashes(sql: str, scratch: Path) -> None:
    ran = zgc_here("sql", sql, "--timeout", "2", "-f", "csv", code=None)
    assert ran.code in (0, 1, 2), (sql, ran.code, ran.err)
    if ran.code:
        ran.error()
    assert list(scratch.iterdir()) == []


@pytest.mark.slow
@PROPERTY
@given(raw=st.binary(max_size=60))
def test_any_bytes_on_stdin_never_crash(raw: bytes, scratch: Path) -> None:
    ran = zgc_here("sql", "-", "--timeout", "2", "-f", "csv", input=raw, code=None)
    assert ran.code in (0, 1, 2), (raw, ran.code, ran.err)
    if ran.code:
        ran.error()


# --- what only a real process shows ---------------------------------------------------------


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    return child_env()


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["sql", "SELECT * FROM range(2000000)", "-f", "csv"],
        ["sql", "SELECT * FROM range(2000000)", "-f", "json"],
        ["indicators"],
    ],
)
def test_pipe_closed_early_is_quiet(args: list[str], env: dict[str, str]) -> None:
    process = subprocess.Popen(
        [zgc_executable(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # like `| head -1`
    err = process.stderr.read()
    code = process.wait(timeout=30)
    assert first
    assert err == b"", err
    assert code == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    "sql",
    [
        "SELECT pg_sleep(30)",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
        "SELECT count(*) FROM range(1000000000000)",
    ],
)
def test_ctrl_c_exits_130_with_one_line(sql: str, env: dict[str, str], tmp_path: Path) -> None:
    process = subprocess.Popen(
        [zgc_executable(), "sql", sql, "--timeout", "60"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    _wait_until_querying(process)
    process.send_signal(signal.SIGINT)
    started = time.monotonic()
    out, err = process.communicate(timeout=20)
    assert time.monotonic() - started < 5
    assert process.returncode == 130, err
    assert err == b"zgc: interrupted\n"
    assert out == b""
    assert list(tmp_path.iterdir()) == []


def _wait_until_querying(process: subprocess.Popen[bytes]) -> None:
    """Past start-up (a SIGINT during imports is Python's, not zgc's): DuckDB's worker and
    zgc's watchdog threads exist once the query runs."""
    tasks = Path(f"/proc/{process.pid}/task")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and process.poll() is None:
        if not tasks.exists():
            time.sleep(2.0)
            return
        if len(list(tasks.iterdir())) >= 3:
            time.sleep(0.3)
            return
        time.sleep(0.05)


@pytest.mark.slow
def test_twenty_processes_at_once_agree(env: dict[str, str]) -> None:
    digest = hashlib.sha256(SNAPSHOT.read_bytes()).hexdigest()
    args = [
        zgc_executable(),
        "sql",
        "SELECT * FROM indicators ORDER BY indicator_id",
        "--data",
        str(SNAPSHOT),
        "-f",
        "csv",
    ]
    processes = [
        subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for _ in range(20)
    ]
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda p: (*p.communicate(timeout=120), p.returncode), processes))
    assert {code for _, _, code in results} == {0}
    assert {err for _, err, _ in results} == {b""}
    outputs = {out for out, _, _ in results}
    assert len(outputs) == 1
    assert len(next(iter(outputs)).splitlines()) > 10
    assert hashlib.sha256(SNAPSHOT.read_bytes()).hexdigest() == digest


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_termination_removes_the_half_written_file(
    sig: signal.Signals, env: dict[str, str], tmp_path: Path
) -> None:
    """`timeout`, a supervisor or a closed terminal ends zgc as Ctrl-C does: the export's temp
    file is gone, the exit code is the shell's 128 + signal, nothing is printed."""
    target = tmp_path / "out.csv"
    sql = "SELECT a.range AS a, b.range AS b FROM range(100000) a, range(100000) b"
    process = subprocess.Popen(
        [zgc_executable(), "sql", sql, "--timeout", "60", "-o", str(target)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    deadline = time.monotonic() + 30
    while not list(tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(tmp_path.iterdir()), "the export never started"
    process.send_signal(sig)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 128 + sig, err
    assert (out, err) == (b"", b"")
    assert list(tmp_path.iterdir()) == []


def test_a_value_python_cannot_hold_is_one_line() -> None:
    ran = zgc_here("sql", "SELECT INTERVAL 100000000 YEAR AS i", "-f", "markdown", code=1)
    ran.error("a value cannot be shown", "cast that column to VARCHAR")
    # DuckDB's own writer (json) holds it: written, not refused
    assert (
        "100000000 years"
        in zgc_here("sql", "SELECT INTERVAL 100000000 YEAR AS i", "-f", "json").out
    )


def test_a_bug_in_zgc_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from zgc_cli.sink import Sink

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(Sink, "open", broken)
    zgc_here("parks", code=1).error("internal error (RuntimeError: boom)", "ZGC_DEBUG=1")
    monkeypatch.setenv("ZGC_DEBUG", "1")
    with pytest.raises(RuntimeError, match="boom"):
        zgc_here("parks", code=None)


@pytest.mark.parametrize("mark", ["\u202e", "\u2067", "\u200f"])
def test_bidirectional_controls_in_an_error_are_escaped(mark: str) -> None:
    ran = zgc_here("sql", f"SELECT error('name{mark}gnp.exe')", code=1)
    line = ran.error(f"name\\u{ord(mark):04x}gnp.exe")
    assert mark not in line


def test_duplicate_column_names_are_made_distinct_alike_in_every_format() -> None:
    """DuckDB's writer names a second `a` `a_1`; zgc's own writers do the same, so a header
    does not depend on the format and JSON keeps every column."""
    sql = "SELECT 1 AS a, 2 AS a, 3 AS a, 4 AS a_1, 5 AS A"
    expected = ["a", "a_1", "a_2", "a_1_1", "A_3"]
    csv_header = zgc_served("sql", sql, "-f", "csv").out.splitlines()[0]
    assert csv_header.split(",") == expected
    assert zgc_here("sql", sql, "-f", "tsv").out.splitlines()[0].split("\t") == expected
    assert json.loads(zgc_here("sql", sql, "-f", "json").out) == [
        dict(zip(expected, range(1, 6), strict=True))
    ]


def test_memory_limit_is_given_to_duckdb_as_zgc_reads_it() -> None:
    ran = zgc_here("sql", "SELECT current_setting('memory_limit')", "--memory-limit", "1.5GB")
    assert ran.out.splitlines()[1] == "1.3 GiB"  # 1,500,000,000 bytes, not 1.5 GiB


def test_a_limit_beyond_duckdbs_range_is_a_usage_error() -> None:
    zgc_here("parks", "--limit", str(2**63), code=2).error("--limit", f"at most {2**63 - 1}")
    assert len(zgc_here("parks", "--limit", str(2**63 - 1), "-f", "csv").out.splitlines()) == 10


# --- zgc's read-only copy of the snapshot -------------------------------------------------------


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "zgc"


def _the_copy(cache: Path) -> Path:
    copies = list(cache.glob("*.duckdb"))
    assert len(copies) == 1, copies
    return copies[0]


def test_a_build_a_killed_zgc_left_goes_at_the_next_build(own_cache: Path) -> None:
    """Only zgc's build folders idle for an hour: not a live build, not another name."""
    own_cache.mkdir(parents=True, mode=0o700)
    names = [f".{'a' * 32}.{'b' * 12}.tmp", f".{'c' * 32}.{'d' * 12}.tmp", ".zgc-other.tmp"]
    old = time.time() - 3700
    for n, name in enumerate(names):
        (own_cache / name).mkdir()
        (own_cache / name / "copy.duckdb").write_bytes(b"half built")
        for path in (own_cache / name / "copy.duckdb", own_cache / name):
            if n != 1:  # the second is written to now: a build in another process
                os.utime(path, (old, old))
    zgc_here("parks", "-f", "csv")  # the cache holds no copy: this run builds one
    assert sorted(p.name for p in own_cache.iterdir() if p.suffix == ".tmp") == names[1:]


def test_a_damaged_copy_is_built_again(own_cache: Path) -> None:
    first = zgc_here("parks", "-f", "csv").out
    copy = _the_copy(own_cache)
    copy.write_bytes(b"not a database" * 1000)
    assert zgc_here("parks", "-f", "csv").out == first
    assert _the_copy(own_cache) == copy and copy.stat().st_size > 14_000


def test_a_copy_of_another_snapshot_is_built_again(own_cache: Path) -> None:
    """A copy whose stamp is not this snapshot's (replaced, or tampered with to show other
    numbers) is never read: it is built again from the snapshot."""
    first = zgc_here("sql", "SELECT count(*) FROM projects", "-f", "csv").out
    copy = _the_copy(own_cache)
    with duckdb.connect(str(copy)) as tampered:
        tampered.execute("UPDATE _metadata SET value = 'another' WHERE key = 'zgc_copy'")
        tampered.execute("DELETE FROM _snapshot")
    assert zgc_here("sql", "SELECT count(*) FROM projects", "-f", "csv").out == first
    with duckdb.connect(str(copy), read_only=True) as rebuilt:
        assert rebuilt.execute("SELECT count(*) FROM projects").fetchone() != (0,)


def test_output_refuses_zgcs_cache(own_cache: Path) -> None:
    zgc_here("parks", "-f", "csv")
    for target in (own_cache / "out.csv", _the_copy(own_cache)):
        zgc_here("parks", "-o", str(target), "-f", "csv", code=1).error("zgc's cache")
    assert [p.suffix for p in own_cache.iterdir()] == [".duckdb"]


@pytest.mark.parametrize(
    "args",
    [["parks", "-f", "csv"], ["sql", "SELECT * FROM range(200000)", "-f", "csv"]],
    ids=["zgc-writer", "duckdb-writer"],
)
def test_a_full_disk_on_standard_output_is_one_line(args: list[str], env: dict[str, str]) -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [zgc_executable(), *args], stdout=full, stderr=subprocess.PIPE, env=env, check=False
        )
    assert done.returncode == 1
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("zgc: error: "), lines
    assert "standard output: the disk is full" in lines[0], lines[0]


def test_output_refuses_the_cache_through_a_linked_directory_or_dotdot(
    own_cache: Path, tmp_path: Path
) -> None:
    zgc_here("parks", "-f", "csv")
    link = tmp_path / "elsewhere"
    link.symlink_to(own_cache)
    dotdot = tmp_path / "cache" / "zgc" / ".." / "zgc" / "x.csv"
    for target in (link / "x.csv", dotdot, link / _the_copy(own_cache).name):
        zgc_here("parks", "-o", str(target), "-f", "csv", code=1).error("zgc's cache")
    assert [p.suffix for p in own_cache.iterdir()] == [".duckdb"]


def test_a_planted_copy_runs_nothing_before_the_seal(own_cache: Path, tmp_path: Path) -> None:
    """A copy whose `_metadata` reads a file (here a FIFO no one writes, which would block
    forever) is sealed before anything of it is read: it fails to open and is built again."""
    zgc_here("parks", "-f", "csv")
    copy = _the_copy(own_cache)
    fifo = tmp_path / "never.fifo"
    os.mkfifo(fifo)
    with duckdb.connect(str(copy)) as planted:
        planted.execute("ALTER TABLE _metadata RENAME TO _kept")
        planted.execute(f"CREATE VIEW _metadata AS SELECT k.* FROM _kept k, read_text('{fifo}') t")
    done = subprocess.run(
        [zgc_executable(), "sql", "SELECT count(*) FROM parks", "-f", "csv"],
        capture_output=True,
        timeout=30,
        env=child_env(XDG_CACHE_HOME=str(own_cache.parent)),
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, b"count_star()\r\n9\r\n"), done.stderr
    with duckdb.connect(str(copy), read_only=True) as rebuilt:
        kinds = rebuilt.execute(
            "SELECT table_type FROM information_schema.tables WHERE table_name = '_metadata'"
        ).fetchall()
    assert kinds == [("BASE TABLE",)]


def test_the_cache_keeps_only_its_own_copies_and_never_follows_links(
    own_cache: Path, tmp_path: Path
) -> None:
    own_cache.mkdir(parents=True)
    strangers = [own_cache / f"project{n}.duckdb" for n in range(10)]
    for path in strangers:
        path.write_bytes(b"someone else's database")
    zgc_here("parks", "-f", "csv")
    assert all(p.exists() for p in strangers)
    # A link where the copy should be, pointing at a file zgc must not touch.
    copy = _the_copy_named(own_cache)
    copy.unlink()
    victim = tmp_path / "victim.parquet"
    shutil.copy2(SNAPSHOT, victim)
    os.utime(victim, ns=(1, 1))
    copy.symlink_to(victim)
    zgc_here("parks", "-f", "csv")
    assert not copy.is_symlink() and copy.is_file()
    assert victim.stat().st_mtime_ns == 1


def _the_copy_named(cache: Path) -> Path:
    copies = [p for p in cache.glob("*.duckdb") if len(p.stem) == 32]
    assert len(copies) == 1, copies
    return copies[0]


def test_an_open_cache_directory_is_closed_to_others(own_cache: Path) -> None:
    own_cache.mkdir(parents=True, mode=0o777)
    os.chmod(own_cache, 0o777)
    zgc_here("parks", "-f", "csv")
    assert own_cache.stat().st_mode & 0o777 == 0o700


def test_a_relative_cache_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from zgc_cli.output import cache_dir

    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_dir() == tmp_path / ".cache" / "zgc"


def test_a_data_path_is_a_file_name_not_a_pattern(own_cache: Path, tmp_path: Path) -> None:
    folder = tmp_path / "g"
    folder.mkdir()
    shutil.copy2(SNAPSHOT, folder / "*.parquet")
    shutil.copy2(SNAPSHOT, folder / "other.parquet")
    ran = zgc_here("sql", "SELECT count(*) FROM parks", "--data", str(folder / "*.parquet"))
    assert ran.out.splitlines()[1] == "9"


def test_a_snapshot_changed_in_place_gets_a_new_copy(own_cache: Path, tmp_path: Path) -> None:
    """Same size, same first and last bytes, a new modification time: not the old copy."""
    snap = tmp_path / "zgc.parquet"
    shutil.copy2(SNAPSHOT, snap)
    zgc_here("parks", "--data", str(snap), "-f", "csv")
    os.utime(snap, ns=(snap.stat().st_atime_ns, snap.stat().st_mtime_ns + 10**9))
    zgc_here("parks", "--data", str(snap), "-f", "csv")
    assert len(list(own_cache.glob("*.duckdb"))) == 2


def test_a_command_started_with_stderr_closed_keeps_its_exit_code(tmp_path: Path) -> None:
    """`2>&-`: no stream to flush at the end is no failure; a failure keeps its own code."""
    target = tmp_path / "a.csv"
    for args, code in ((f"sql 'SELECT 1 AS a' -o {target}", 0), ("sql 'SELEC 1'", 1)):
        done = subprocess.run(
            ["sh", "-c", f"{zgc_executable()} {args} 2>&-"], env=child_env(), check=False
        )
        assert done.returncode == code, args
    assert target.read_bytes() == b"a\r\n1\r\n"


def test_a_snapshot_swapped_for_a_fifo_after_its_check_is_one_line(tmp_path: Path) -> None:
    """identify() checks the name, the build opens it again: a name swapped for a FIFO in
    between blocked DuckDB's read past any time-out or Ctrl-C. The build reads through the
    descriptor it checked, and a FIFO there is refused at once."""

    fifo = tmp_path / "swapped.parquet"
    os.mkfifo(fifo)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from zgc_cli.db import snapshot\n"
        "from zgc_cli.errors import DataError\n"
        "try:\n"
        "    snapshot.prepared(Path(sys.argv[1]), 'f' * 32, memory_bytes=10**9, fresh=True)\n"
        "except DataError as exc:\n"
        "    print(exc)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", script, str(fifo)], env=env, capture_output=True, timeout=20
    )
    said = done.stdout.decode()
    assert "is a FIFO, not a regular Parquet file" in said and str(fifo) in said, (
        said,
        done.stderr[-500:],
    )
    assert not list((tmp_path / "cache" / "zgc").glob(".*.tmp")), "a build folder was left"


def test_a_session_whose_copy_went_or_was_swapped_builds_it_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shell and the API open a new connection per statement (renew): a copy pruned by
    another run (KEEP) ended the shell with `internal error (FileNotFoundError)`, and one
    swapped for another user's file, with a valid stamp, was attached (second attacker
    review, F9 and F2). Now the copy is checked as opened and built again."""
    from zgc_cli.db.statement import named

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    db = open_database(timeout=None, bound_process=False)
    try:
        (copy,) = (tmp_path / "cache" / "zgc").glob("*.duckdb")
        copy.unlink()
        db.renew()
        assert db.run(named("SELECT count(*) AS n FROM parks")).rows() == [(9,)]
        assert copy.exists()  # built again
        if os.geteuid() == 0:  # a file another user owns: only root can make one here
            os.chown(copy, 1001, 1001)
            db.renew()
            assert copy.stat().st_uid == os.getuid()  # not attached: built again
            assert db.run(named("SELECT count(*) AS n FROM parks")).rows() == [(9,)]
    finally:
        db.close()


@pytest.mark.parametrize("odd", ["open", "undecodable"])
def test_a_temp_folder_others_may_swap_or_duckdb_cannot_name_is_one_line(
    odd: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where /tmp is not the shared sticky one, Python's temp folder was taken as it came: one
    writable by anyone without the sticky bit (another user renames zgc's folder and puts
    theirs), or a non-UTF-8 TMPDIR (`internal error (RuntimeError: std::bad_cast)`)."""
    import tempfile

    from zgc_cli.db import sandbox
    from zgc_cli.errors import UsageError

    where = tmp_path / ("open" if odd == "open" else "caf\udce9")
    where.mkdir()
    where.chmod(0o777)
    real_stat = os.stat

    def without_a_shared_tmp(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if path == "/tmp":  # as on a machine whose /tmp is not the shared sticky one
            raise FileNotFoundError(path)
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", without_a_shared_tmp)
    monkeypatch.setattr(tempfile, "tempdir", str(where))
    with pytest.raises(UsageError, match="set TMPDIR to a directory of your own"):
        sandbox.neutral_temp()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_a_signal_during_the_last_clean_up_ends_without_a_traceback(
    signum: int, tmp_path: Path
) -> None:
    """Ctrl-C, SIGTERM or SIGHUP landing in the final removal of temp files printed a Python
    traceback (second attacker review, F3: 15-100 runs of a sweep). Sent from inside that
    removal here, every time: the run ends by its signal, one line at most."""
    patch = (
        "import os\n"
        "import zgc_cli.output as output\n"
        "clean, sent = output.remove_partial_files, []\n"
        "def late():\n"
        "    if not sent:\n"
        f"        sent.append(os.kill(os.getpid(), {int(signum)}))\n"
        "    clean()\n"
        "output.remove_partial_files = late\n"
    )
    done = zgc_patched(tmp_path, patch, ["parks", "-f", "csv"])
    assert "Traceback" not in done.stderr.decode(), done.stderr.decode()
    assert done.returncode in (-signum, 128 + signum), done.returncode
    assert len(done.stderr.decode().strip().splitlines()) <= 1, done.stderr.decode()


def test_a_copy_damaged_past_its_stamp_says_how_to_mend_it(tmp_path: Path) -> None:
    """A block of the cached copy damaged after its stamp was read: every query failed with
    DuckDB's checksum words alone (second attacker review, F6). One line says what and how."""
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    zgc_served("sql", "SELECT 1", env=env)
    (copy,) = (tmp_path / "cache" / "zgc").glob("*.duckdb")
    damaged = bytearray(copy.read_bytes())
    for at in range(300_000, len(damaged), 4096):
        damaged[at] ^= 0xFF
    copy.write_bytes(bytes(damaged))
    said = zgc_served("sql", "SELECT count(*) FROM parks", env=env, code=1)
    said.error("zgc's copy of the snapshot is damaged", f"remove {tmp_path / 'cache' / 'zgc'}")
    shutil.rmtree(tmp_path / "cache" / "zgc")
    again = zgc_served("sql", "SELECT count(*) AS n FROM parks", "-f", "csv", env=env)
    assert again.out.split() == ["n", "9"]  # built again
