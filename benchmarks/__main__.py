"""`python -m benchmarks`: every figure of issue 5 beside its baseline, alternating, medians.

uv run python -m benchmarks            # the full run (~10 min on 2 cores)
uv run python -m benchmarks --quick    # a smoke run in about a minute
uv run python -m benchmarks --only scale --scale-runs 3   # one group: startup, scale or curve
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

from benchmarks import measure, synth
from zgc_cli import queries

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "data" / "zgc.parquet"
AGGREGATE = "SELECT metric, count(*), avg(value) FROM indicators GROUP BY ALL"
EVERYTHING = "SELECT * FROM indicators"
PARK = "park-1"


@dataclass
class Figure:
    name: str
    argv: list[str]
    baseline: list[str]
    baseline_name: str
    target: float
    sink: measure.Sink = "pipe"
    baseline_sink: measure.Sink | None = None
    rss_limit_mb: float | None = None  # absolute peak RSS cap for zgc
    rss_over_baseline_mb: float | None = None  # zgc's peak RSS ≤ baseline's + this
    samples: list[measure.Sample] = field(default_factory=list)
    base_samples: list[measure.Sample] = field(default_factory=list)


# --- baselines: plain Python + DuckDB, no zgc imported --------------------------------------


def _python() -> str:
    return sys.executable


def _zgc() -> str:
    found = Path(sys.executable).parent / "zgc"
    if not found.exists():
        raise SystemExit(
            "benchmarks: the zgc command is not installed next to this Python; "
            "run with `uv run python -m benchmarks`"
        )
    return str(found)


def _views(path: Path) -> str:
    views = (resources.files("zgc_cli") / "views.sql").read_text(encoding="utf-8")
    quoted = "'" + str(path).replace("'", "''") + "'"
    return f"CREATE VIEW _snapshot AS SELECT * FROM read_parquet({quoted});\n{views}"


def duckdb_prints(path: Path, sql: str, params: dict[str, object] | None = None) -> list[str]:
    """Baselines F and D: import duckdb, define the same views, run `sql`, print the rows."""
    script = (
        "import duckdb\n"
        "con = duckdb.connect()\n"
        f"con.execute({_views(path)!r})\n"
        f"rows = con.execute({sql!r}, {params!r}).fetchall()\n"
        "print('\\n'.join('\\t'.join('' if v is None else str(v) for v in r) for r in rows))\n"
    )
    return [_python(), "-c", script]


def duckdb_writes(path: Path, sql: str, fmt: str) -> list[str]:
    """DuckDB's own writer: COPY the query to /dev/stdout."""
    script = (
        "import duckdb\n"
        "con = duckdb.connect()\n"
        f"con.execute({_views(path)!r})\n"
        f"con.execute({f'COPY ({sql}) TO {chr(39)}/dev/stdout{chr(39)} (FORMAT {fmt})'!r})\n"
    )
    return [_python(), "-c", script]


def _named_sql(query: queries.Query, available: Sequence[str]) -> tuple[str, dict[str, object]]:
    columns = queries.pick_columns(query, available, None, queries.Lang.both)
    return query.sql(columns), dict(query.params)


# --- the figures ----------------------------------------------------------------------------


def startup_figures() -> list[Figure]:
    zgc = _zgc()
    parks_sql, parks_params = _named_sql(queries.parks_query(None), queries.view_columns("parks"))
    started = queries.projects_query([queries.Status.started], None, None, None, None, False)
    proj_sql, proj_params = _named_sql(started, queries.PROJECT_COLUMNS)
    f_parks = duckdb_prints(REAL, parks_sql, parks_params)
    f_projects = duckdb_prints(REAL, proj_sql, proj_params)
    typer = [_python(), "-c", "import typer"]
    return [
        Figure("zgc parks (piped)", [zgc, "parks"], f_parks, "F", 1.2, rss_over_baseline_mb=15),
        Figure("zgc parks -f table", [zgc, "parks", "-f", "table"], f_parks, "F", 1.35),
        Figure(
            "zgc projects --status started -f json",
            [zgc, "projects", "--status", "started", "-f", "json"],
            f_projects,
            "F",
            1.2,
        ),
        Figure("zgc --help", [zgc, "--help"], typer, "import typer", 1.5),
        Figure("zgc --version", [zgc, "--version"], typer, "import typer", 1.5),
        Figure("zgc projects --help", [zgc, "projects", "--help"], typer, "import typer", 1.5),
    ]


def scale_figures(big: Path) -> list[Figure]:
    zgc = _zgc()
    data = ["--data", str(big)]
    ind_sql, ind_params = _named_sql(
        queries.indicators_query(PARK, None, None, None, None), queries.view_columns("indicators")
    )
    return [
        Figure(
            "sql aggregate", [zgc, "sql", AGGREGATE, *data], duckdb_prints(big, AGGREGATE), "D", 1.1
        ),
        Figure(
            "sql * -f csv > /dev/null",
            [zgc, "sql", EVERYTHING, "-f", "csv", *data],
            duckdb_writes(big, EVERYTHING, "csv"),
            "DuckDB csv",
            1.5,
            sink="null",
            rss_limit_mb=400,
        ),
        Figure(
            "sql * -f jsonl > /dev/null",
            [zgc, "sql", EVERYTHING, "-f", "jsonl", *data],
            duckdb_writes(big, EVERYTHING, "json"),
            "DuckDB json",
            2.0,
            sink="null",
            rss_limit_mb=400,
        ),
        Figure(
            "sql * on a terminal",
            [zgc, "sql", EVERYTHING, *data],
            [zgc, "sql", f"{EVERYTHING} LIMIT 50", *data],
            "same LIMIT 50",
            1.2,
            sink="tty",
            baseline_sink="tty",
        ),
        Figure(
            f"indicators --park {PARK}",
            [zgc, "indicators", "--park", PARK, *data],
            duckdb_prints(big, ind_sql, ind_params),
            "D",
            1.2,
        ),
    ]


def curve_figures(path: Path) -> list[Figure]:
    zgc = _zgc()
    data = ["--data", str(path)]
    return [
        Figure(
            "csv export",
            [zgc, "sql", EVERYTHING, "-f", "csv", *data],
            duckdb_writes(path, EVERYTHING, "csv"),
            "DuckDB csv",
            1.5,
            sink="null",
        ),
        Figure(
            "aggregate", [zgc, "sql", AGGREGATE, *data], duckdb_prints(path, AGGREGATE), "D", 1.1
        ),
    ]


# --- running and reporting ------------------------------------------------------------------


PYCACHE = Path(tempfile.gettempdir()) / "zgc-benchmarks" / "pycache"


def _env() -> dict[str, str]:
    """The children's environment: no zgc or colour overrides, and bytecode caching on.

    Installed Pythons cache bytecode; a sandbox that sets PYTHONDONTWRITEBYTECODE would make
    every run compile every imported module (typer, pydantic) from source, which no user sees.
    The cache goes to a temp prefix so the tree stays clean; the warm-up run fills it.
    """
    drop = {
        "ZGC_DATA",
        "FORCE_COLOR",
        "CLICOLOR_FORCE",
        "NO_COLOR",
        "COLUMNS",
        "LINES",
        "PYTHONDONTWRITEBYTECODE",
    }
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def run_figures(figures: list[Figure], runs: int, log: Callable[[str], None]) -> None:
    """One warm-up of each command, then `runs` rounds alternating zgc and its baseline."""
    env = _env()
    for figure in figures:
        measure.run(figure.argv, figure.sink, env)
        measure.run(figure.baseline, figure.baseline_sink or figure.sink, env)
    for round_ in range(runs):
        for figure in figures:
            pair: list[tuple[list[str], measure.Sink, list[measure.Sample]]] = [
                (figure.argv, figure.sink, figure.samples),
                (figure.baseline, figure.baseline_sink or figure.sink, figure.base_samples),
            ]
            for argv, sink, into in pair if round_ % 2 == 0 else pair[::-1]:
                into.append(measure.run(argv, sink, env))
        log(f"  round {round_ + 1}/{runs} done")


def _median_ms(samples: list[measure.Sample]) -> float:
    return statistics.median(s.seconds for s in samples) * 1000


def _peak_mb(samples: list[measure.Sample]) -> float:
    return max(s.max_rss_kb for s in samples) / 1024


def verdict(figure: Figure) -> tuple[float, bool]:
    ratio = _median_ms(figure.samples) / _median_ms(figure.base_samples)
    ok = ratio <= figure.target
    if figure.rss_limit_mb is not None:
        ok = ok and _peak_mb(figure.samples) <= figure.rss_limit_mb
    if figure.rss_over_baseline_mb is not None:
        ok = ok and _peak_mb(figure.samples) <= (
            _peak_mb(figure.base_samples) + figure.rss_over_baseline_mb
        )
    return ratio, ok


def table(figures: list[Figure], title: str) -> str:
    head = (
        "| figure | zgc ms | baseline | baseline ms | ratio | target | zgc peak RSS MB "
        "| baseline peak RSS MB | met |"
    )
    lines = [f"### {title}", "", head, "|" + "---|" * 9]
    for f in figures:
        ratio, ok = verdict(f)
        rss_target = ""
        if f.rss_limit_mb is not None:
            rss_target = f", RSS ≤ {f.rss_limit_mb:g} MB"
        if f.rss_over_baseline_mb is not None:
            rss_target = f", RSS ≤ base + {f.rss_over_baseline_mb:g} MB"
        lines.append(
            f"| {f.name} | {_median_ms(f.samples):,.0f} | {f.baseline_name} | "
            f"{_median_ms(f.base_samples):,.0f} | {ratio:.2f} | ≤ {f.target:g}{rss_target} | "
            f"{_peak_mb(f.samples):,.0f} | {_peak_mb(f.base_samples):,.0f} | "
            f"{'yes' if ok else 'NO'} |"
        )
    lines.append(f"\n(medians of {len(figures[0].samples)} runs after a warm-up)")
    return "\n".join(lines)


def curve_table(points: list[tuple[int, list[Figure]]]) -> str:
    lines = [
        "### Size curve (indicator rows; medians, peak RSS)",
        "",
        "| rows | csv zgc ms | csv DuckDB ms | csv ratio | csv zgc RSS MB | "
        "agg zgc ms | agg D ms | agg ratio | agg zgc RSS MB |",
        "|" + "---|" * 9,
    ]
    for rows, (csv, agg) in points:
        lines.append(
            f"| {rows:,} | {_median_ms(csv.samples):,.0f} | {_median_ms(csv.base_samples):,.0f} "
            f"| {verdict(csv)[0]:.2f} | {_peak_mb(csv.samples):,.0f} | "
            f"{_median_ms(agg.samples):,.0f} | {_median_ms(agg.base_samples):,.0f} | "
            f"{verdict(agg)[0]:.2f} | {_peak_mb(agg.samples):,.0f} |"
        )
    return "\n".join(lines)


def environment() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next(
                (ln.split(":", 1)[1].strip() for ln in handle if ln.startswith("model name")), cpu
            )
    except OSError:
        pass
    versions = ", ".join(
        f"{name} {metadata.version(name)}" for name in ("zgc", "duckdb", "typer", "rich")
    )
    return (
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} · {cpu} × {os.cpu_count()} · "
        f"Python {platform.python_version()} · {versions} · {platform.system()} "
        f"{platform.release()}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 100,000 rows, 3 runs, curve to 10^5"
    )
    parser.add_argument("--runs", type=int, default=None, help="runs per start-up figure (15)")
    parser.add_argument("--scale-runs", type=int, default=None, help="runs per scale figure (10)")
    parser.add_argument(
        "--rows", type=int, default=None, help="indicator rows of the big snapshot (10,000,000)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--only", default="", help="run only groups whose name contains this: startup, scale, curve"
    )
    parser.add_argument("--fresh", action="store_true", help="regenerate synthetic snapshots")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 15)
    scale_runs = args.scale_runs or (3 if args.quick else 10)
    rows = args.rows or (100_000 if args.quick else 10_000_000)
    sizes = [10**e for e in range(4, 8) if 10**e <= rows]

    def log(message: str) -> None:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()

    print(environment())
    reports: list[str] = []
    if not args.only or args.only in "startup":
        log("start-up figures (bundled snapshot)")
        figures = startup_figures()
        run_figures(figures, runs, log)
        reports.append(table(figures, "Start-up (data/zgc.parquet)"))
        print("\n" + reports[-1], flush=True)
    points: list[tuple[int, list[Figure]]] = []
    if not args.only or args.only in "scale":
        started = time.perf_counter()
        big = synth.snapshot(rows, args.seed, fresh=args.fresh)
        log(
            f"synthetic snapshot {big} ({rows:,} indicator rows, "
            f"{big.stat().st_size / 2**20:,.0f} MB, {time.perf_counter() - started:.0f} s)"
        )
        figures = scale_figures(big)
        run_figures(figures, scale_runs, log)
        reports.append(table(figures, f"Scale ({rows:,} indicator rows, seed {args.seed})"))
        print("\n" + reports[-1], flush=True)
        if rows in sizes:  # the curve's largest point is the scale run itself
            points.append((rows, [figures[1], figures[0]]))
    if not args.only or args.only in "curve":
        for size in sizes:
            if any(size == done for done, _ in points):
                continue
            path = synth.snapshot(size, args.seed, fresh=args.fresh)
            log(f"curve point {size:,} rows")
            figures = curve_figures(path)
            run_figures(figures, max(3, scale_runs // 2), log)
            points.append((size, figures))
        points.sort(key=lambda point: point[0])
        reports.append(curve_table(points))
        print("\n" + reports[-1], flush=True)
    failed = [line for report in reports for line in report.splitlines() if "| NO |" in line]
    print(f"\n{len(failed)} target(s) not met" if failed else "\nall targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
