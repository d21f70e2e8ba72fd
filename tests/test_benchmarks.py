"""The benchmark harness's own behaviour (the benchmarks themselves are not run in tests): a
command that fails is a row that says so, and every `zgc sql` gets the time-out it needs."""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks import __main__ as harness
from benchmarks.measure import Figure, run_figures, table, verdict

FAILS = [
    sys.executable,
    "-c",
    "import sys; sys.stderr.write('warming up\\nzgc: error: query timed out after 30 s\\n'); "
    "sys.exit(1)",
]
WORKS = [sys.executable, "-c", "print('ok')"]


def _run(figures: list[Figure], runs: int = 2) -> list[str]:
    said: list[str] = []
    run_figures(figures, runs, {"PATH": "/usr/bin:/bin"}, said.append)
    return said


def test_a_command_that_fails_is_a_failed_row_not_a_traceback() -> None:
    broken = Figure("sql * -f jsonl", FAILS, WORKS, "DuckDB json", 2.0, sink="null")
    fine = Figure("sql aggregate", WORKS, WORKS, "D", 100.0)
    said = _run([broken, fine])
    assert broken.failed == "zgc exit 1: zgc: error: query timed out after 30 s"
    assert not broken.samples and not broken.base_samples
    assert len(fine.samples) == 2 and len(fine.base_samples) == 2  # the others go on
    assert verdict(broken) is False and verdict(fine) is True
    assert any("failed: zgc exit 1" in line for line in said)
    rows = table([broken, fine], "Scale").splitlines()
    failed = next(row for row in rows if row.startswith("| sql * -f jsonl |"))
    assert "| failed: zgc exit 1: zgc: error: query timed out after 30 s |" in failed
    assert failed.endswith("| NO (failed) |") and failed.count("|") == 10
    assert any(row.startswith("| sql aggregate |") and row.endswith("| yes |") for row in rows)
    assert "(2 runs of each command" in rows[-1]


def test_a_failing_baseline_is_named_and_a_pipe_in_the_message_kept_in_its_cell() -> None:
    says_pipe = [sys.executable, "-c", "import sys; sys.exit('a | b')"]
    figure = Figure("csv export", WORKS, says_pipe, "DuckDB csv", None)
    _run([figure], runs=1)
    assert figure.failed == "baseline exit 1: a | b"
    assert verdict(figure) is False  # even an informational figure: it is not a number
    row = table([figure, Figure("aggregate", WORKS, WORKS, "D", 1.1)], "Size curve")
    assert "| failed: baseline exit 1: a \\| b |" in row


def test_every_zgc_sql_of_the_scale_and_curve_gets_a_generous_time_out() -> None:
    big = Path("/nonexistent/synthetic.parquet")  # the commands are only built, not run
    figures = harness.scale_figures(big) + harness.curve_figures(big, 10_000)
    commands = [f.argv for f in figures] + [f.baseline for f in figures]
    sql = [argv for argv in commands if argv[0].endswith("zgc") and argv[1] == "sql"]
    # six in the scale (each export beside DuckDB twice), the terminal's baseline, the curve's two
    assert len(sql) == 9
    for argv in sql:
        seconds = float(argv[argv.index("--timeout") + 1])
        assert seconds >= 3600, argv
    assert all(str(big) in argv for argv in commands if argv[0].endswith("zgc"))


def test_the_export_targets_compare_with_duckdb_under_zgcs_own_settings() -> None:
    from zgc_cli.db.connection import STREAMING_MEMORY_LIMIT, parse_size

    figures = harness.scale_figures(Path("/nonexistent/synthetic.parquet"))
    exports = [f for f in figures if "-f" in f.argv]
    held = [f for f in exports if f.target is not None]
    assert [f.argv[f.argv.index("-f") + 1] for f in held] == ["csv", "jsonl"]
    limit = f"'memory_limit': '{parse_size(STREAMING_MEMORY_LIMIT)}B'"
    for figure in held:  # the same job under the same bound: 256MB, no insertion order
        assert (
            limit in figure.baseline[-1]
            and "'preserve_insertion_order': False" in figure.baseline[-1]
        )
        assert figure.rss_limit_mb == 400
    defaults = [f for f in exports if f.target is None]
    assert len(defaults) == 2 and all("config={}" in f.baseline[-1] for f in defaults)
