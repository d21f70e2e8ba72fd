"""Issue 23, at the edges of what zgc reads: a query file with a byte-order mark, a report
that is a device, a FIFO or far too large; the installed `zgc`, as users run it."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import Ran, child_env, zgc, zgc_executable, zgc_here, zgc_served

BOM = b"\xef\xbb\xbf"


# --- a query file written by an editor that puts a byte-order mark first ---------------------


def test_a_query_file_may_start_with_a_byte_order_mark(tmp_path: Path) -> None:
    query = tmp_path / "q.sql"
    query.write_bytes(BOM + "SELECT '中' AS a -- 注释\n".encode())
    ran = zgc_served("sql", "--file", str(query), "-f", "csv")
    assert ran.out == "a\r\n中\r\n" and ran.err == ""


def test_a_query_on_stdin_may_start_with_a_byte_order_mark() -> None:
    ran = zgc_served("sql", "-", "-f", "tsv", input=BOM + b"SELECT 7 AS seven")
    assert ran.out == "seven\n7\n"


def test_only_one_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    query = tmp_path / "q.sql"
    query.write_bytes(BOM + BOM + b"SELECT 1")
    zgc_served("sql", "--file", str(query), code=1).error("syntax error", "\\ufeff")
    query.write_bytes(b"SELECT '" + BOM + b"' AS kept")  # inside the text: data, kept
    assert (
        zgc_served("sql", "--file", str(query), "-f", "csv").stdout == b"kept\r\n" + BOM + b"\r\n"
    )


# --- zgc verify --source: only a regular file of a report's size is read ---------------------


def _refused(source: str, *needles: str) -> None:
    started = time.monotonic()
    ran = zgc_served("verify", "--source", source, code=None, timeout=30)
    assert ran.code == 1, (ran.code, ran.err)
    ran.error(*needles)
    assert ran.out == ""
    assert time.monotonic() - started < 10  # refused before reading, not after gigabytes


def test_verify_refuses_a_device_as_the_report() -> None:
    _refused("/dev/zero", "report is not a regular file: /dev/zero")


def test_verify_refuses_a_fifo_as_the_report(tmp_path: Path) -> None:
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)
    _refused(str(fifo), "report is not a regular file")  # no writer: it must not wait


def test_verify_refuses_a_huge_sparse_report(tmp_path: Path) -> None:
    huge = tmp_path / "report.txt"
    with huge.open("wb") as handle:
        handle.truncate(8 * 2**30)  # 8 GiB of holes: reading it would fill memory
    _refused(str(huge), "report is larger than 1,000,000 bytes")


def test_verify_refuses_a_report_just_over_the_limit_through_a_link(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 1_000_001)
    link = tmp_path / "link.txt"
    link.symlink_to(big)
    _refused(str(link), "larger than 1,000,000 bytes")


@pytest.mark.parametrize("size", [0, 1_000_000])
def test_verify_reads_a_report_up_to_the_limit(tmp_path: Path, size: int) -> None:
    text = tmp_path / "report.txt"
    text.write_bytes(b"x" * size)
    ran = zgc_served("verify", "--source", str(text), "-f", "csv", code=1)
    assert "report sha256,fail" in ran.out  # read and checked: not this report
    ran.error("verify failed", "report sha256")


# --- arguments as typed: UTF-8 text, comma lists without holes, file names ------------------


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["show", b"\xff"], "'ID'"),
        (["search", b"\xff"], "'text'"),
        (["projects", "--park", b"\xff"], "'--park'"),
        (["projects", b"--park=\xff"], "'--park'"),
        (["sql", b"SELECT '\xff'"], "'query'"),
    ],
)
def test_an_argument_that_is_not_utf8_is_a_usage_error(args: list[str | bytes], named: str) -> None:
    zgc(*args, code=2).error(named, "not valid UTF-8", "--help")


@pytest.mark.parametrize(
    "args",
    [
        ["programs", "--kind", ",,"],
        ["programs", "--kind", "loan,,fund"],
        ["projects", "--status", "started,"],
        ["projects", "-s", "started", "-s", ",开工"],
        ["parks", "--columns", ","],
        ["sql", "SELECT 1 AS a", "--columns", "a,"],
    ],
)
def test_a_comma_list_with_an_empty_item_is_a_usage_error(args: list[str]) -> None:
    zgc_served(*args, code=2).error("has an empty item")


def test_comma_list_items_may_have_spaces_around_them() -> None:
    spaced = zgc_served("projects", "-s", " started , 开工 ", "-f", "csv").out
    assert spaced == zgc_served("projects", "-s", "started", "-f", "csv").out


@pytest.mark.parametrize("tail", ["/", "/.", "/.."])
def test_an_output_name_ending_in_a_slash_names_a_folder(tmp_path: Path, tail: str) -> None:
    zgc_served("parks", "-o", f"{tmp_path}/name.csv{tail}", code=2).error(
        "'--output'", "names a folder"
    )
    data = f"{tmp_path}/zgc.parquet{tail}"
    zgc_served("parks", "--data", data, code=2).error("'--data'", "names a folder")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["parks", "-o"], ["export"]])
def test_a_loop_of_links_as_the_target_is_one_line(tmp_path: Path, command: list[str]) -> None:
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop.name)
    zgc_served(*command, str(loop), code=1).error("Too many levels of symbolic links")
    assert loop.is_symlink() and [p.name for p in tmp_path.iterdir()] == ["loop.csv"]


def test_a_workbook_holds_at_most_excels_columns(tmp_path: Path) -> None:
    query = tmp_path / "wide.sql"
    query.write_text("SELECT " + ", ".join(f"{i} AS c{i}" for i in range(17_000)))
    out = tmp_path / "wide.xlsx"
    zgc_served("sql", "--file", str(query), "-o", str(out), code=1).error(
        "16,384 columns", "17,000"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wide.sql"]


def _under_file_size_limit(*args: str, cwd: Path, warm: bool = True, **env: str) -> Ran:
    import resource

    if warm:  # zgc's copy of the snapshot made first, so that the limit meets the write asked
        zgc_served("tables", env=env)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (8 * 1024, 8 * 1024))

    done = subprocess.run(
        [zgc_executable(), *args],
        capture_output=True,
        # No bytecode: under the limit Python writes a truncated .pyc into place (its write
        # stops short without an error), and every later zgc fails to import it (EOFError).
        env=child_env(PYTHONDONTWRITEBYTECODE="1", **env),
        cwd=cwd,
        preexec_fn=limit,
        check=False,
        timeout=60,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def test_a_workbook_past_the_file_size_limit_says_so(tmp_path: Path) -> None:
    ran = _under_file_size_limit("indicators", "-o", "out.xlsx", cwd=tmp_path)
    assert ran.code == 1
    ran.error("cannot write out.xlsx", "size limit (ulimit -f)")
    assert list(tmp_path.iterdir()) == []


def test_a_copy_of_the_snapshot_past_the_file_size_limit_says_so(tmp_path: Path) -> None:
    """No copy cached yet: building it is the first write past the limit (not an internal
    error), in the cache and in the temp directory it falls back to."""
    cache = str(tmp_path / "c")
    ran = _under_file_size_limit("parks", cwd=tmp_path, warm=False, XDG_CACHE_HOME=cache)
    assert ran.code == 1 and not ran.out
    ran.error("cannot write zgc's copy of the snapshot", "size limit (ulimit -f)")
    assert [p.name for p in tmp_path.iterdir()] == ["c"] and not any((tmp_path / "c").rglob("*.*"))


def test_an_export_past_the_file_size_limit_names_the_file_in_its_folder(tmp_path: Path) -> None:
    ran = _under_file_size_limit("export", "pkg", cwd=tmp_path)
    assert ran.code == 1
    ran.error(f"cannot write {tmp_path / 'pkg' / 'projects.csv'}", "size limit (ulimit -f)")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("sql", "fmt"),
    [("SELECT 42; /* c */ ;", "csv"), ("SELECT 42;;", "markdown"), ("; SELECT 42 ; --", "csv")],
)
def test_empty_parts_around_the_statement_count_as_nothing(sql: str, fmt: str) -> None:
    assert "42" in zgc_here("sql", sql, "-f", fmt).out  # exit 0, not a parser error


@pytest.mark.parametrize("kind", ["a FIFO", "a device", "a directory"])
def test_a_snapshot_that_is_not_a_regular_file_is_one_line(tmp_path: Path, kind: str) -> None:
    path = {"a FIFO": tmp_path / "s.parquet", "a device": Path(os.devnull)}.get(kind, tmp_path)
    if kind == "a FIFO":
        os.mkfifo(path)  # no writer: zgc must not wait for one, nor try to seek it
    args = ("parks", "--data", str(path))
    ran = zgc(*args, code=1, timeout=20) if kind == "a FIFO" else zgc_here(*args, code=1)
    ran.error(f"{path} is {kind}, not a regular Parquet file; point --data or ZGC_DATA at")
