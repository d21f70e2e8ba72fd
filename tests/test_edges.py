"""Issue 23: promises at the edges, driven through the installed `zgc` as a user would.

One write check (no output replaces any snapshot zgc knows, by name, link or identity; modes;
stale temp files), one escape (every text on its way to a terminal), the environment (no
proxy or path of the user's reaches SQL), and a failing standard output.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import (
    SNAPSHOT,
    Terminals,
    case,
    child_env,
    on_terminal,
    zgc,
    zgc_executable,
    zgc_patched,
    zgc_served,
)

pytestmark = pytest.mark.slow  # each case starts the installed zgc, many in pseudo-terminals


@pytest.fixture
def snap(tmp_path: Path) -> Path:
    copy = tmp_path / "snap.parquet"
    shutil.copyfile(SNAPSHOT, copy)
    return copy


# --- one write check -------------------------------------------------------------------------


def test_zgc_data_is_never_overwritten_through_a_link(snap: Path, tmp_path: Path) -> None:
    before = snap.read_bytes()
    link = tmp_path / "s.csv"
    link.symlink_to(snap)
    for command in (["schema"], ["parks"], ["sql", "SELECT 1 AS x"]):
        done = zgc_served(*command, "-o", str(link), env={"ZGC_DATA": str(snap)}, code=1)
        done.error("refusing to overwrite the snapshot", str(snap))
    assert snap.read_bytes() == before
    assert link.is_symlink()


def test_a_snapshot_named_with_any_extension_is_never_overwritten(tmp_path: Path) -> None:
    odd = tmp_path / "snap.json"
    shutil.copyfile(SNAPSHOT, odd)
    before = odd.read_bytes()
    zgc_served("schema", "-o", str(odd), env={"ZGC_DATA": str(odd)}, code=1).error(
        "refusing to overwrite the snapshot"
    )
    zgc_served("tables", "--data", str(odd), "-o", str(odd), code=1).error("refusing to overwrite")
    assert odd.read_bytes() == before


def test_the_bundled_snapshot_is_protected_while_another_is_in_use(snap: Path) -> None:
    before = SNAPSHOT.read_bytes()
    done = zgc_served("parks", "--data", str(snap), "-o", str(SNAPSHOT), code=1)
    done.error("refusing to overwrite the snapshot", str(SNAPSHOT))
    assert SNAPSHOT.read_bytes() == before


def test_a_hard_link_to_the_snapshot_is_the_snapshot(snap: Path, tmp_path: Path) -> None:
    twin = tmp_path / "twin.csv"
    os.link(snap, twin)
    before = snap.read_bytes()
    for fmt in ("csv", "jsonl", "json", "table"):
        zgc_served("parks", "--data", str(snap), "-f", fmt, "-o", str(twin), code=1).error(
            "refusing to overwrite the snapshot"
        )
    assert twin.read_bytes() == before and snap.read_bytes() == before


def test_setuid_and_setgid_bits_are_not_kept_on_new_content(tmp_path: Path) -> None:
    target = tmp_path / "parks.csv"
    target.write_text("old\n")
    target.chmod(0o6755)
    zgc_served("parks", "-o", str(target))
    mode = stat.S_IMODE(target.stat().st_mode)
    assert mode == 0o755, oct(mode)
    assert target.read_text(encoding="utf-8").startswith("park_id,")


def _dead_pid() -> int:
    for pid in range(4_000_000, 3_000_000, -1):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except OSError:
            continue
    raise AssertionError("no free process id")


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "json"])
def test_a_killed_writes_temp_file_is_removed_by_the_next_write(tmp_path: Path, fmt: str) -> None:
    from zlib import crc32

    target = tmp_path / f"k.{fmt}"
    stale = tmp_path / f".zgc-{crc32(target.name.encode()):08x}-{_dead_pid()}-x1y2.tmp"
    stale.write_bytes(b"x" * 1000)
    alive = tmp_path / f".zgc-{crc32(target.name.encode()):08x}-{os.getpid()}-live.tmp"
    alive.write_bytes(b"mine")  # a live process's temp file: left alone
    other = tmp_path / ".zgc-00000000-1-x.tmp.keep"  # not this target's: left alone
    other.write_bytes(b"keep")
    zgc_served("parks", "-o", str(target))
    assert not stale.exists()
    assert alive.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [target.name, alive.name, other.name]
    )


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "parquet", "tsv", "json"])
def test_an_output_name_that_is_not_utf8_is_written(tmp_path: Path, suffix: str) -> None:
    name = os.fsencode(tmp_path) + b"/\xff." + suffix.encode()
    subprocess.run([zgc_executable(), "parks", "-o", name], env=child_env(), check=True)
    assert os.path.getsize(name) > 100


def test_a_snapshot_at_a_path_that_is_not_utf8_opens(tmp_path: Path) -> None:
    odd = os.fsencode(tmp_path) + b"/\xfe-snap.parquet"
    shutil.copyfile(SNAPSHOT, odd)
    done = subprocess.run(
        [zgc_executable(), "sql", "SELECT count(*) FROM parks", "--data", odd, "-f", "csv"],
        env=child_env(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1].isdigit()


# --- nothing of the user reaches SQL -------------------------------------------------------


def _env_without_cache(home: Path | bytes, **extra: str) -> dict[str, str | bytes]:
    env: dict[str, str | bytes] = {
        k: v for k, v in child_env().items() if k not in ("XDG_CACHE_HOME", "HOME")
    }
    env["HOME"] = home if isinstance(home, bytes) else str(home)
    env.update(extra)
    return env


def test_no_proxy_credential_reaches_a_query(tmp_path: Path) -> None:
    env = _env_without_cache(
        tmp_path,
        HTTP_PROXY="http://alice:hunter2@proxy:3128",
        http_proxy="http://bob:s3cret@proxy:3128",
        HTTPS_PROXY="http://carol:pa55@proxy:3128",
    )
    sql = (
        "SELECT current_setting('http_proxy') AS p, "
        "(SELECT string_agg(name || '=' || value, ' ') FROM duckdb_settings()) AS s"
    )
    done = subprocess.run(
        [zgc_executable(), "sql", sql, "-f", "json"], env=env, capture_output=True, check=True
    )
    for secret in (b"hunter2", b"s3cret", b"pa55", b"alice", b"proxy:3128"):
        assert secret not in done.stdout, secret


def test_no_path_of_the_user_reaches_a_query(tmp_path: Path) -> None:
    """Without XDG_CACHE_HOME (the copy under ~/.cache): no query sees the home directory."""
    home = tmp_path / "home-of-alice"
    home.mkdir()
    env = _env_without_cache(home)
    sql = (
        "SELECT (SELECT string_agg(coalesce(path, ''), ' ') FROM duckdb_databases()) AS d, "
        "(SELECT string_agg(coalesce(file, ''), ' ') FROM pragma_database_list) AS l, "
        "current_setting('allowed_paths')::VARCHAR AS a, "
        "current_setting('allowed_directories')::VARCHAR AS r"
    )
    done = subprocess.run(
        [zgc_executable(), "sql", sql, "-f", "json"], env=env, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert b"alice" not in done.stdout and str(tmp_path).encode() not in done.stdout
    assert (home / ".cache" / "zgc").is_dir()  # the copy is kept there all the same


@pytest.mark.parametrize("variable", ["HOME", "XDG_CACHE_HOME"])
def test_a_home_that_is_not_utf8_still_answers(tmp_path: Path, variable: str) -> None:
    odd = os.fsencode(tmp_path) + b"/h\xff"
    os.mkdir(odd)
    env = _env_without_cache(tmp_path)
    env[variable] = odd
    done = subprocess.run(
        [zgc_executable(), "sql", "SELECT count(*) AS n FROM parks", "-f", "csv"],
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == b"n"


def test_a_home_that_does_not_exist_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent"
    done = subprocess.run(
        [zgc_executable(), "sql", "SELECT 1 AS x", "-f", "csv"],
        env=_env_without_cache(missing),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not missing.exists()


# --- one escape for everything on its way to a terminal ------------------------------------

HOSTILE_NAME = 'SELECT 1 AS "a\x1b]52;c;cHduZWQ=\x07\x1b[2Jb"'
ZERO_WIDTH = "SELECT 'mi' || chr(8203) || 'yun' AS v, 'x' || chr(8232) || chr(65279) AS w"
LONE_CR = "SELECT 'rm -rf ~ #' || chr(13) || 'harmless' AS a"
DECIMALS = "SELECT 12345678901234567890.12::DECIMAL(38,2) AS d, 1.5::DECIMAL(10,2) AS e"
FORMATS = ("csv", "json", "markdown", "tsv")
# The screens of data on a terminal below, drawn in one process on the first one's demand.
TERMINAL = Terminals(
    [
        case(["sql", HOSTILE_NAME], 80),
        *(case(["sql", HOSTILE_NAME, "-f", fmt], 80) for fmt in FORMATS),
        case(["sql", ZERO_WIDTH], 80),
        case(["sql", LONE_CR, "-f", "csv"], 80),
        case(["sql", DECIMALS, "-f", "json"], 100),
    ]
)


def _no_escape_from_data(raw: bytes) -> None:
    text = raw.decode("utf-8", "replace")
    assert "\x1b]52" not in text and "\x1b[2J" not in text and "\x07" not in text, text


def test_a_column_name_cannot_drive_the_terminal() -> None:
    screen = TERMINAL(case(["sql", HOSTILE_NAME], 80))
    _no_escape_from_data(screen.raw)
    assert "a\\x1b]52;c;cHduZWQ=\\x07\\x1b[2Jb" in screen.plain
    for fmt in FORMATS:
        _no_escape_from_data(TERMINAL(case(["sql", HOSTILE_NAME, "-f", fmt], 80)).raw)


def test_a_column_name_cannot_drive_a_text_file(tmp_path: Path) -> None:
    target = tmp_path / "x.txt"
    zgc_served("sql", HOSTILE_NAME, "-o", str(target))
    _no_escape_from_data(target.read_bytes())


def test_invisible_characters_are_shown() -> None:
    screen = TERMINAL(case(["sql", ZERO_WIDTH], 80))
    assert "mi\\u200byun" in screen.plain
    assert "x\\u2028\\ufeff" in screen.plain
    assert "\u200b" not in screen.text and "\u2028" not in screen.text


def test_the_escape_knows_every_format_character_of_this_python() -> None:
    import unicodedata

    from zgc_cli.diagnostics import visible

    missed = [
        hex(code)
        for code in range(0x110000)
        if unicodedata.category(chr(code)) in ("Cf", "Cc", "Zl", "Zp")
        and chr(code) not in "\t\n"
        and visible(chr(code)) == chr(code)
    ]
    assert not missed


def _hostile_snapshot(tmp_path: Path, text: str) -> Path:
    """The real snapshot with every event and park name replaced by `text`."""
    import duckdb

    out = tmp_path / "hostile.parquet"
    con = duckdb.connect()
    meta = con.execute(
        f"SELECT decode(key), decode(value) FROM parquet_kv_metadata('{SNAPSHOT}')"
    ).fetchall()
    kv = ", ".join(f"'{k}': '{v.replace(chr(39), chr(39) * 2)}'" for k, v in meta)
    con.execute(f"CREATE TABLE s AS FROM read_parquet('{SNAPSHOT}')")
    con.execute(
        "UPDATE s SET name_zh = $t, name_en = $t WHERE \"table\" IN ('events', 'parks')",
        {"t": text},
    )
    con.execute(f"COPY s TO '{out}' (FORMAT parquet, KV_METADATA {{{kv}}})")
    con.close()
    return out


def test_charts_and_cards_escape_snapshot_text_even_when_piped(tmp_path: Path) -> None:
    snap = _hostile_snapshot(tmp_path, "E\x1b]52;c;cHduZWQ=\x07\x1b[2J\u202e")
    for args in (
        ["timeline", "--chart"],
        ["chart", "work_resumption_rate"],
        ["parks", "-f", "table"],
        ["show", "changping", "-f", "table"],
    ):
        done = zgc_served(*args, "--data", str(snap), code=None)
        assert done.code == 0, (args, done.err)
        _no_escape_from_data(done.stdout)
        assert "\u202e" not in done.out, args


def test_markdown_never_carries_markup_from_data() -> None:
    sql = (
        "SELECT '<img src=x onerror=alert(1)>' AS a, '<script>alert(1)</script>' AS b, "
        "'[click](javascript:alert(1))' AS c"
    )
    out = zgc_served("sql", sql, "-f", "markdown").out
    assert "<img" not in out and "<script" not in out and "](javascript" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out


# --- a closed, full or abandoned standard output --------------------------------------------

COMMANDS = [["--version"], ["--help"], [], ["parks"], ["parks", "--help"], ["sql", "SELECT 1"]]


def _close_stdout() -> None:
    os.close(1)


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "bare")
def test_a_closed_standard_output_is_one_line(args: list[str]) -> None:
    done = subprocess.run(
        [zgc_executable(), *args],
        stdout=None,
        stderr=subprocess.PIPE,
        env=child_env(),
        preexec_fn=_close_stdout,
        check=False,
    )
    lines = done.stderr.decode().splitlines()
    assert done.returncode == 1, lines
    assert lines == ["zgc: error: standard output is closed; redirect it or give -o FILE"]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "bare")
def test_a_full_standard_output_is_one_line(args: list[str]) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [zgc_executable(), *args], stdout=full, stderr=subprocess.PIPE, env=child_env()
        )
    lines = done.stderr.decode().splitlines()
    assert done.returncode == 1, lines
    assert len(lines) == 1 and "the disk is full" in lines[0], lines


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a) or "bare")
def test_a_reader_that_goes_away_is_a_quiet_success(args: list[str]) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before zgc writes
    try:
        done = subprocess.run(
            [zgc_executable(), *args], stdout=write, stderr=subprocess.PIPE, env=child_env()
        )
    finally:
        os.close(write)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""


def test_help_beside_install_completion_changes_nothing(tmp_path: Path) -> None:
    env = {**child_env(), "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    done = subprocess.run(
        [zgc_executable(), "--install-completion", "bash", "--help"],
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"Usage: zgc" in done.stdout
    assert list(tmp_path.iterdir()) == []


# --- one deadline for the whole command ------------------------------------------------------

WIDE = "SELECT repeat('中', 50000) AS v FROM range(1000)"
TIMEOUT_2 = ("-f", "json", "--timeout", "2")


def test_a_terminal_measures_cells_only_as_far_as_it_shows() -> None:
    """Drawing 1,000 cells of 50,000 characters in 80 columns (40 s before) is within time."""
    import time

    start = time.monotonic()
    screen = on_terminal(
        ["sql", WIDE, "--timeout", "10"], columns=80, env={"ZGC_PAGER": ""}, timeout=60
    )
    assert time.monotonic() - start < 10 + 3
    assert "1,000 rows" in screen.plain
    assert "中中中…" in screen.plain


def test_a_reader_that_stalls_does_not_hold_zgc_past_its_time_out() -> None:
    import time

    read, write = os.pipe()  # nobody reads: the pipe fills and zgc's write blocks
    try:
        start = time.monotonic()
        done = subprocess.run(
            [zgc_executable(), "sql", "SELECT * FROM range(100000000)", *TIMEOUT_2],
            stdout=write,
            stderr=subprocess.PIPE,
            env=child_env(),
            timeout=60,
        )
        took = time.monotonic() - start
    finally:
        os.close(read)
        os.close(write)
    assert done.returncode == 1
    assert done.stderr.decode().splitlines() == ["zgc: error: query timed out after 2 s"]
    assert took < 2 + 3, took


def test_writing_a_file_is_within_the_time_out_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "big.txt"
    done = zgc("sql", WIDE, "--timeout", "1", "-o", str(target), code=1, timeout=60)
    done.error("query timed out after 1 s")
    assert list(tmp_path.iterdir()) == []


# --- found by an attacker's review -----------------------------------------------------------


def test_tmpdir_does_not_carry_the_home_into_a_query(tmp_path: Path) -> None:
    home = tmp_path / "home-of-alice"
    (home / "tmp").mkdir(parents=True)
    env = _env_without_cache(home, TMPDIR=str(home / "tmp"))
    # Every path a query can see: the attached copy's, and the slot the engine may write
    # (allowed_paths: the attacker review of the one writer found TMPDIR there).
    sql = (
        "SELECT string_agg(coalesce(path, ''), ' ') || current_setting('allowed_paths')::VARCHAR"
        " AS d FROM duckdb_databases()"
    )
    done = subprocess.run(
        [zgc_executable(), "sql", sql, "-f", "csv"], env=env, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert b"alice" not in done.stdout and b"/tmp/zgc-" in done.stdout
    assert done.stdout.count(b"/tmp/zgc-") >= 3, done.stdout  # the copy, its WAL names, the slot


def test_a_detached_copy_leaves_no_name_a_statement_can_write_to(tmp_path: Path) -> None:
    """The API's sealed connection runs any statement: detached, the copy's allowed names (the
    file and its WAL names) are directories until exit, so ATTACH makes no database there."""
    probe = """
import re, zgc_cli
c = zgc_cli.connect()
paths = c.execute("SELECT current_setting('allowed_paths')::VARCHAR").fetchone()[0]
copy = re.search(r"/tmp/zgc-\\w+/snapshot\\.duckdb", paths)[0]
c.execute("USE memory; DETACH zgc")
for end in ("", ".wal", ".wal.checkpoint", ".wal.recovery"):
    for sql in (f"ATTACH '{copy}{end}' AS x", f"COPY (SELECT 1) TO '{copy}{end}'"):
        try:
            c.execute(sql)
            print("wrote", sql)
        except Exception:
            pass
print(copy)
"""
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, env=child_env()
    )
    assert done.returncode == 0 and "wrote" not in done.stdout, (done.stdout, done.stderr)
    assert not Path(done.stdout.strip()).parent.exists()  # gone with the process


def test_a_lone_carriage_return_in_csv_on_a_terminal_is_shown() -> None:
    screen = TERMINAL(case(["sql", LONE_CR, "-f", "csv"], 80))
    assert "rm -rf ~ #\\rharmless" in screen.text
    assert "#\rh" not in screen.text


def test_markdown_links_no_bare_address() -> None:
    sql = "SELECT 'https://evil.example/x www.evil.com user@evil.com' AS d"
    out = zgc_served("sql", sql, "-f", "markdown").out
    assert "https\\://evil.example/x www\\.evil.com user\\@evil.com" in out


def test_killed_workbook_and_export_leave_nothing_after_the_next_write(tmp_path: Path) -> None:
    import signal
    import time

    slow_xlsx = "SELECT repeat('x', 100) || i AS a FROM range(3000000) t(i)"
    for args in (
        ["sql", slow_xlsx, "-o", str(tmp_path / "out.xlsx"), "--timeout", "60"],
        ["export", str(tmp_path / "pkg")],
    ):
        before = set(tmp_path.iterdir())
        child = subprocess.Popen([zgc_executable(), *args], env=child_env())
        deadline = time.monotonic() + 30
        while set(tmp_path.iterdir()) == before and time.monotonic() < deadline:
            time.sleep(0.02)  # until its temp file or directory exists
        child.send_signal(signal.SIGKILL)
        child.wait()
    left = {p.name for p in tmp_path.iterdir()}
    assert any(name.startswith(".zgc-") for name in left), left  # what the kills left
    zgc_served("parks", "-o", str(tmp_path / "out.xlsx"))
    zgc_served("export", str(tmp_path / "pkg"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx", "pkg"]


def test_json_keeps_every_digit_of_a_decimal() -> None:
    sql = DECIMALS
    for fmt in ("json", "jsonl"):
        out = zgc_served("sql", sql, "-f", fmt).out
        assert '"d":12345678901234567890.12' in out and '"e":1.5' in out, out
    on_screen = TERMINAL(case(["sql", sql, "-f", "json"], 100))
    assert '"d":12345678901234567890.12' in on_screen.plain


@pytest.mark.slow
def test_the_shell_starts_at_the_smallest_memory_limit(tmp_path: Path) -> None:
    screen = on_terminal(
        ["sql", "--memory-limit", "16MB"],
        env={"XDG_STATE_HOME": str(tmp_path)},
        keys=[(b"SELECT 42 AS answer;\r", 0.3, "zgc>"), (b"\x04", 0.5, "1 row")],
        timeout=60,
        cwd=tmp_path,
    )
    assert "answer" in screen.plain and "42" in screen.plain
    assert "completion knows keywords and views only" in screen.plain


MANY_ROWS = "SELECT range AS n, 'row ' || range AS t FROM range(3000000)"


def _file_size_limit() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "json", "tsv"])
def test_a_file_size_limit_is_one_line_naming_the_users_file(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"big.{fmt}"
    done = subprocess.run(
        [zgc_executable(), "sql", MANY_ROWS, "-o", str(target), "--timeout", "60"],
        env=child_env(),
        capture_output=True,
        preexec_fn=_file_size_limit,
        timeout=120,
    )
    lines = done.stderr.decode().splitlines()
    assert done.returncode == 1, lines
    assert len(lines) == 1 and lines[0].startswith(f"zgc: error: cannot write {target}: "), lines
    assert "size limit" in lines[0] and "errno" not in lines[0] and ".tmp" not in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_umask_0277_does_not_lock_a_user_out_of_their_own_files(tmp_path: Path) -> None:
    """As a user bound by permissions (root without CAP_DAC_OVERRIDE, through setpriv): every
    format, an export and the copy's neutral name still work under umask 0277."""
    setpriv = shutil.which("setpriv")
    if setpriv is None or os.geteuid() != 0:
        pytest.fail("needs root and setpriv (util-linux) to drop the permission override")
    bound = [setpriv, "--bounding-set=-dac_override,-dac_read_search", zgc_executable()]
    env = {**child_env(), "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def umask_0277() -> None:
        os.umask(0o277)

    for suffix in ("csv", "jsonl", "json", "tsv", "md", "txt", "parquet", "xlsx", "svg", "html"):
        target = tmp_path / f"parks.{suffix}"
        done = subprocess.run(
            [*bound, "parks", "-o", str(target)],
            env=env,
            capture_output=True,
            preexec_fn=umask_0277,
            check=False,
        )
        assert done.returncode == 0, (suffix, done.stderr)
        assert stat.S_IMODE(target.stat().st_mode) == 0o400  # 0666 less the umask
    done = subprocess.run(
        [*bound, "export", str(tmp_path / "pkg")],
        env=env,
        capture_output=True,
        preexec_fn=umask_0277,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "pkg" / "datapackage.json").stat().st_size > 1000


def test_the_builder_may_replace_the_snapshot_in_use(tmp_path: Path) -> None:
    """The one writer allowed onto a snapshot: `python -m zgc_build` rebuilding it."""
    import sys

    out = tmp_path / "zgc.parquet"
    shutil.copyfile(SNAPSHOT, out)
    out.write_bytes(out.read_bytes()[:-100] + b"damaged!" * 12 + b"PAR1")
    done = subprocess.run(
        [sys.executable, "-m", "zgc_build", "--out", str(out)],
        env={**child_env(), "ZGC_DATA": str(out)},
        capture_output=True,
        cwd=SNAPSHOT.parent.parent,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == SNAPSHOT.read_bytes()


def test_a_link_another_user_planted_in_a_shared_folder_is_never_written_through(
    tmp_path: Path,
) -> None:
    """-o /tmp/shared/result.csv, a link uid 1001 left there to ~/.ssh/authorized_keys: the
    stranger's SQL chose what went into the victim's file (second attacker review). A link of
    one's own there is followed as before."""
    if os.geteuid() != 0:
        pytest.skip("making a link another user owns needs root")
    shared, victim = tmp_path / "shared", tmp_path / "authorized_keys"
    shared.mkdir()
    shared.chmod(0o1777)
    victim.write_text("mine\n")
    for planted, target in (("result.csv", victim), ("dir", tmp_path)):
        (shared / planted).symlink_to(target)
        os.lchown(shared / planted, 1001, 1001)
    for name in ("result.csv", "dir/authorized_keys"):
        evil = ("sql", "SELECT 'ssh-ed25519 AAAA evil' AS k", "-f", "csv", "--no-header")
        done = zgc(*evil, "-o", str(shared / name), code=1)
        done.error("refusing to write through", "another user")
    zgc("export", str(shared / "dir" / "pkg"), code=1).error("refusing to write through")
    open_to_all = tmp_path / "open"  # no sticky bit: a stranger's link there too (N3)
    open_to_all.mkdir()
    open_to_all.chmod(0o777)
    (open_to_all / "report.csv").symlink_to(victim)
    os.lchown(open_to_all / "report.csv", 1001, 1001)
    zgc(*evil, "-o", str(open_to_all / "report.csv"), code=1).error("refusing to write through")
    assert victim.read_text() == "mine\n"
    (shared / "mine.csv").symlink_to(tmp_path / "out.csv")  # the user's own link: followed
    zgc("sql", "SELECT 1 AS x", "-f", "csv", "-o", str(shared / "mine.csv"))
    assert (tmp_path / "out.csv").read_text() == "x\n1\n"


def test_a_link_put_in_place_of_the_temp_file_is_never_followed(tmp_path: Path) -> None:
    """In a folder others may rename in, another user swapped zgc's temp file for a link to the
    victim's ~/.pgpass while zgc wrote: zgc chmodded it 0644 by name and renamed the link onto
    the target (second attacker re-review, N1). The swap is made here at the last moment."""
    folder, secret = tmp_path / "shared", tmp_path / "pgpass"
    folder.mkdir()
    secret.write_text("password\n")
    secret.chmod(0o600)
    patch = (
        "import os\n"
        "import zgc_cli.output as output\n"
        "mode_for = output.mode_for\n"
        "def swapped(target, new):\n"
        "    (tmp,) = target.parent.glob('.zgc-*.tmp')\n"
        "    os.rename(tmp, tmp.with_name('taken'))\n"
        f"    os.symlink({str(secret)!r}, tmp)\n"
        "    return mode_for(target, new)\n"
        "output.mode_for = swapped\n"
    )
    done = zgc_patched(tmp_path, patch, ["parks", "-f", "csv", "-o", str(folder / "out.csv")])
    said = done.stderr.decode()
    assert done.returncode == 1 and "another user replaced zgc's temp file" in said, said
    assert "Traceback" not in said and len(said.strip().splitlines()) == 1, said
    assert secret.read_text() == "password\n" and stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert not (folder / "out.csv").exists()
    assert not os.path.lexists(folder / "out.csv")


def test_an_export_folder_swapped_for_a_link_is_never_written_into(tmp_path: Path) -> None:
    """`zgc export` into a folder others may rename in: another user swapped zgc's scratch
    folder for a link to the victim's ~/.ssh, which filled with CSVs and went 0755 (second
    attacker re-review, N1). The swap is made here after the first table."""
    folder, ssh = tmp_path / "shared", tmp_path / "ssh"
    folder.mkdir()
    ssh.mkdir(mode=0o700)
    patch = (
        "import os\n"
        "import zgc_cli.datapackage as package\n"
        "write, done = package._write_table, []\n"
        "def swapped(db, table, directory, target):\n"
        "    if not done:\n"
        "        (tmp,) = target.parent.glob('.zgc-*.export')\n"
        "        os.rename(tmp, tmp.with_name('taken'))\n"
        f"        done.append(os.symlink({str(ssh)!r}, tmp))\n"
        "    return write(db, table, directory, target)\n"
        "package._write_table = swapped\n"
    )
    done = zgc_patched(tmp_path, patch, ["export", str(folder / "pkg")])
    said = done.stderr.decode()
    assert done.returncode == 1 and "another user replaced zgc's temp file" in said, said
    assert list(ssh.iterdir()) == [] and stat.S_IMODE(ssh.stat().st_mode) == 0o700
    assert not os.path.lexists(folder / "pkg")


def test_a_workbook_spool_swapped_for_a_link_is_never_written_into(tmp_path: Path) -> None:
    """xlsxwriter reopens its spool files by name: another user who swapped zgc's spool folder
    beside the target for a link to a folder of theirs could put the victim's file in each
    file's place (attacker re-review, A1). The swap is made here as the workbook starts; each
    spool file's real folder is noted as it is made."""
    folder, theirs, seen = tmp_path / "shared", tmp_path / "theirs", tmp_path / "seen"
    folder.mkdir()
    theirs.mkdir(mode=0o777)
    patch = (
        "import os, tempfile\n"
        "from pathlib import Path\n"
        "import xlsxwriter\n"
        "made, start = tempfile.mkstemp, xlsxwriter.Workbook.__init__\n"
        "def noted(*args, **kwargs):\n"
        "    fd, name = made(*args, **kwargs)\n"
        f"    with open({str(seen)!r}, 'a') as out:\n"
        "        out.write(os.path.realpath(os.path.dirname(name)) + '\\n')\n"
        "    return fd, name\n"
        "def swapped(self, *args, **kwargs):\n"
        f"    (spool,) = Path({str(folder)!r}).glob('.zgc-*.xlsx-spool')\n"
        "    os.rename(spool, spool.with_name('taken'))\n"
        f"    os.symlink({str(theirs)!r}, spool)\n"
        "    start(self, *args, **kwargs)\n"
        "tempfile.mkstemp, xlsxwriter.Workbook.__init__ = noted, swapped\n"
    )
    done = zgc_patched(tmp_path, patch, ["parks", "-o", str(folder / "parks.xlsx")])
    assert done.returncode == 0, done.stderr.decode()
    folders = set(seen.read_text().split())
    assert folders and str(theirs) not in folders, folders  # made in zgc's own folder only
    assert (folder / "parks.xlsx").read_bytes()[:2] == b"PK"


def test_a_link_put_at_the_target_while_writing_gives_it_no_mode(tmp_path: Path) -> None:
    """The finished file took its mode from the target by name: a link another user put there
    mid-write, to a 0777 folder, made the victim's result 0777 (attacker re-review, A2)."""
    folder, open_to_all = tmp_path / "shared", tmp_path / "open"
    folder.mkdir()
    open_to_all.mkdir(mode=0o777)
    open_to_all.chmod(0o777)
    target = folder / "out.csv"
    patch = (
        "import os\n"
        "import zgc_cli.output as output\n"
        "mode_for = output.mode_for\n"
        "def late(target, new):\n"
        f"    os.symlink({str(open_to_all)!r}, {str(target)!r})\n"
        "    return mode_for(target, new)\n"
        "output.mode_for = late\n"
    )
    done = zgc_patched(tmp_path, patch, ["parks", "-f", "csv", "-o", str(target)])
    assert done.returncode == 0, done.stderr.decode()
    assert not target.is_symlink() and stat.S_IMODE(target.stat().st_mode) & 0o077 <= 0o044
