"""The Python API: `zgc_cli.connect()` and `zgc_cli.query()`, as a notebook uses them."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import zgc_cli
from tests.conftest import SNAPSHOT
from zgc_cli.errors import DataError, QueryError


@pytest.mark.slow
def test_import_is_cheap_until_the_api_is_used() -> None:
    code = (
        "import sys, zgc_cli\n"
        "assert 'duckdb' not in sys.modules, 'import zgc_cli loaded duckdb'\n"
        "assert 'rich' not in sys.modules, 'import zgc_cli loaded rich'\n"
        "zgc_cli.query\n"  # the attribute alone opens nothing
        "assert 'duckdb' not in sys.modules, 'zgc_cli.query loaded duckdb'\n"
        "print(zgc_cli.query('SELECT count(*) FROM parks').fetchall()[0][0])\n"
        "assert 'duckdb' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 0


def test_two_lines_load_the_projects_table() -> None:
    rows = zgc_cli.query("SELECT project_id, status FROM projects ORDER BY project_id").fetchall()
    assert ("semiconductor-plant", "started") in rows
    assert ("medical-device-park-phase2", "started") in rows


def test_query_binds_named_parameters() -> None:
    relation = zgc_cli.query(
        "SELECT indicator_id, value_text FROM indicators WHERE metric = $m AND qualifier = $q",
        m="staff_work_resumption_rate",
        q="nearly",
    )
    assert isinstance(relation, duckdb.DuckDBPyRelation)
    assert relation.columns == ["indicator_id", "value_text"]
    assert relation.fetchall() == [("zgc-work-resumption-rate", "近97%")]


def test_a_value_with_quotes_is_data_not_sql() -> None:
    sneaky = "x' OR '1'='1"
    assert zgc_cli.query("SELECT * FROM parks WHERE park_id = $p", p=sneaky).fetchall() == []


def test_query_refuses_writes_on_the_shared_connection() -> None:
    with pytest.raises(QueryError, match="refused: DROP VIEW statement"):
        zgc_cli.query("DROP VIEW projects")
    with pytest.raises(QueryError, match="only one statement"):
        zgc_cli.query("SELECT 1; SELECT 2")
    assert zgc_cli.query("SELECT count(*) FROM projects").fetchall()[0][0] > 0


def test_query_errors_are_zgc_errors_with_one_line() -> None:
    with pytest.raises(QueryError) as raised:
        zgc_cli.query("SELECT no_such_column FROM projects")
    assert "no_such_column" in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.slow
def test_query_result_loads_into_pandas() -> None:
    if importlib.util.find_spec("pandas") is None:
        pytest.skip("pandas is not installed (it is optional; zgc does not depend on it)")
    frame = zgc_cli.query("SELECT * FROM projects").df()
    assert "investment_yuan" in frame.columns and len(frame) > 0


def test_query_result_loads_into_polars() -> None:
    if importlib.util.find_spec("polars") is None:
        pytest.skip("polars is not installed (it is optional; zgc does not depend on it)")
    frame = zgc_cli.query("SELECT * FROM projects").pl()
    assert "investment_yuan" in frame.columns and frame.height > 0


def test_connect_has_the_views_and_is_safe_by_default(tmp_path: Path) -> None:
    connection = zgc_cli.connect()
    assert isinstance(connection, duckdb.DuckDBPyConnection)
    views = {row[0] for row in connection.sql("SELECT view_name FROM duckdb_views()").fetchall()}
    assert {"parks", "projects", "indicators", "companies", "events", "sources"} <= views
    outside = tmp_path / "private.csv"
    outside.write_text("secret\n1\n", encoding="utf-8")
    with pytest.raises(duckdb.Error):
        connection.sql(f"SELECT * FROM read_csv('{outside}')").fetchall()
    with pytest.raises(duckdb.Error):
        connection.execute("SET enable_external_access = true")
    connection.close()


def test_connect_unsafe_reads_your_own_files(tmp_path: Path) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text("park_id,visits\nmiyun,3\n", encoding="utf-8")
    connection = zgc_cli.connect(safe=False)
    joined = connection.sql(
        f"SELECT p.name_en, m.visits FROM parks p JOIN read_csv('{mine}') m USING (park_id)"
    ).fetchall()
    assert joined == [("Zhongguancun Miyun Park", 3)]
    connection.close()


def test_connect_takes_a_snapshot_path_and_reports_a_missing_one(tmp_path: Path) -> None:
    connection = zgc_cli.connect(SNAPSHOT)
    assert connection.sql("SELECT count(*) FROM sources").fetchall() == [(1,)]
    connection.close()
    with pytest.raises(DataError, match="snapshot not found"):
        zgc_cli.connect(tmp_path / "missing.parquet")


def test_the_package_ships_py_typed() -> None:
    assert (Path(zgc_cli.__file__).parent / "py.typed").is_file()


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'conect'"):
        getattr(zgc_cli, "conect")  # noqa: B009


def test_the_api_leaves_the_host_process_memory_alone() -> None:
    resource = pytest.importorskip("resource", reason="RLIMIT_AS is POSIX-only")
    before = resource.getrlimit(resource.RLIMIT_AS)
    connection = zgc_cli.connect()
    zgc_cli.query("SELECT count(*) FROM projects").fetchall()
    assert resource.getrlimit(resource.RLIMIT_AS) == before  # a notebook keeps its memory
    connection.close()


def test_connect_leaves_no_threads_behind() -> None:
    import threading

    def workers() -> int:
        return sum(t.name == "zgc-worker" and t.is_alive() for t in threading.enumerate())

    before = workers()
    connections = [zgc_cli.connect() for _ in range(5)]
    assert workers() == before
    assert [c.execute("SELECT count(*) FROM parks").fetchone() for c in connections] == [(9,)] * 5
    for connection in connections:
        connection.close()


@pytest.mark.slow
def test_query_time_out_is_a_query_error() -> None:
    sql = "SELECT count(*) FROM range(100000) a, range(100000) b WHERE a.range * b.range = 7"
    with pytest.raises(QueryError, match="time"):
        zgc_cli.query(sql, timeout=0.5)
    assert zgc_cli.query("SELECT count(*) FROM parks", timeout=5).fetchall() == [(9,)]


@pytest.mark.parametrize("timeout", [0, -1, float("nan"), float("inf"), 10**6])
def test_query_refuses_a_bad_time_out(timeout: float) -> None:
    from zgc_cli.errors import UsageError

    with pytest.raises(UsageError, match="timeout="):
        zgc_cli.query("SELECT 1", timeout=timeout)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT '中文'; COPY parks TO '/tmp/zgc-api-escape.csv'",
        "SELECT '中文' ; ATTACH '/tmp/zgc-api-escape.db' AS x",
        "SELECT * FROM read_csv('/etc/passwd')",
    ],
)
def test_query_refuses_what_would_reach_files(sql: str) -> None:
    with pytest.raises(QueryError, match=r"refused|only one statement"):
        zgc_cli.query(sql)
    assert not Path("/tmp/zgc-api-escape.csv").exists()
    assert not Path("/tmp/zgc-api-escape.db").exists()


def test_query_finds_nothing_at_its_export_slot() -> None:
    """duckdb_settings() names the slot; query() runs no export, so no FIFO waits there."""
    own = "list_filter(current_setting('allowed_paths'), lambda p: p LIKE '%/out')[1]"
    assert zgc_cli.query(f"FROM read_text({own})", timeout=5).fetchall() == []


@pytest.mark.parametrize(("sql", "timeout"), [(None, 5), (b"SELECT 1", 5), ("SELECT 1", "5")])
def test_query_names_a_wrong_type(sql: object, timeout: object) -> None:
    from zgc_cli.errors import UsageError

    with pytest.raises(UsageError):
        zgc_cli.query(sql, timeout=timeout)  # type: ignore[arg-type]


@pytest.mark.parametrize("timeout", [True, False])
def test_query_takes_no_bool_for_a_time_out(timeout: bool) -> None:
    from zgc_cli.errors import UsageError

    with pytest.raises(TypeError, match=f"timeout={timeout}: .*not a bool") as caught:
        zgc_cli.query("SELECT 1", timeout=timeout)
    assert isinstance(caught.value, UsageError)  # as the API's other wrong arguments


@pytest.mark.parametrize("timeout", [10**400, -(10**400), 10**20], ids=["1e400", "-1e400", "1e20"])
def test_query_refuses_a_huge_time_out_with_a_message(timeout: int) -> None:
    from zgc_cli.errors import UsageError

    with pytest.raises(UsageError, match=r"timeout=.*: give a number of seconds") as caught:
        zgc_cli.query("SELECT 1", timeout=timeout)
    assert len(str(caught.value)) < 120  # not 401 digits


# A statement DuckDB cannot interrupt (one regexp_replace over 80 MB): it runs on, seconds past
# its time-out. In a process of its own, which ends without waiting for it.
UNSTOPPABLE = """
import os, time, zgc_cli
from zgc_cli.errors import QueryError
slow = "SELECT length(regexp_replace(repeat('ab', 40000000), '(a|b)+?', 'x', 'g'))"
started = time.monotonic()
try:
    zgc_cli.query(slow, timeout=1)
except QueryError as exc:
    print("stopped:", exc, round(time.monotonic() - started, 1))
started = time.monotonic()
print("next:", zgc_cli.query("SELECT count(*) FROM parks").fetchall())
print("then:", zgc_cli.query("SELECT $n * 2", n=21).fetchall())
print("seconds:", round(time.monotonic() - started, 2))
os._exit(0)
"""


@pytest.mark.slow
def test_calls_after_an_unstoppable_time_out_run_at_once() -> None:
    done = subprocess.run(
        [sys.executable, "-c", UNSTOPPABLE], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(": ", 1) for line in done.stdout.splitlines())
    assert lines["stopped"].startswith("query timed out after 1 s")
    assert float(lines["stopped"].rsplit(" ", 1)[1]) >= 2.5  # it ignored the interrupt
    parks = str(zgc_cli.query("SELECT count(*) FROM parks").fetchall())  # as an idle call says
    assert lines["next"] == parks and lines["then"] == "[(42,)]"
    assert float(lines["seconds"]) < 2  # not waiting for the statement to end


def test_a_copy_built_for_one_run_cannot_be_attached_afresh_for_writing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without a private cache zgc builds a copy for the run alone; a statement sees the name
    the copy is attached by and used to ATTACH it again read-write, then CREATE TABLE in it."""
    monkeypatch.setenv("XDG_CACHE_HOME", "/proc/no-cache-here")  # no private cache: a temp copy
    con = zgc_cli.connect()
    try:
        attached = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = 'zgc'")
        name = attached.fetchall()[0][0]
        con.execute("USE memory; DETACH zgc")
        for statement in (
            f"ATTACH '{name}' AS again",
            f"ATTACH '{name}.wal' AS again",
            "CREATE TABLE again.evil AS SELECT 1 AS x",
        ):
            with pytest.raises(duckdb.Error):
                con.execute(statement)
    finally:
        con.close()
    assert not Path(name).is_file() and not Path(f"{name}.wal").is_file()
