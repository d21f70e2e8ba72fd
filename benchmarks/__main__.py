"""`python -m benchmarks`: every figure beside its baseline, alternating, min/median/max.

uv run python -m benchmarks            # the full run (~15 min on 2 cores, more the first time)
uv run python -m benchmarks --quick    # a smoke run: 3 runs a figure, 100,000-row snapshot
uv run python -m benchmarks --only startup|scale|curve|peers|install   # one group (or a,b)
uv run python -m benchmarks --only peers --runs 3     # the peers' venv is made on first use
uv run python -m benchmarks --only install --runs 3   # so are venvs A and B (pip, no lock)
uv run python -m benchmarks --fresh    # remake the synthetic snapshots and the cached venvs

Groups: startup (issue 12: zgc over the "typer + engine" floor on the bundled snapshot),
scale and curve (issue 5: synthetic snapshots against plain DuckDB), peers (informational:
the DuckDB CLI, sqlite-utils and Datasette printing the parks), install (`pip install .`
without the lock, and with typer 0.29 forced over it). Everything made lives under
$TMPDIR/zgc-benchmarks; zgc's copies of the snapshots under $XDG_CACHE_HOME/zgc as usual.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import time
from collections.abc import Mapping, Sequence
from importlib import metadata, resources
from pathlib import Path

from benchmarks import floor, install, measure, peers, synth, venvs
from benchmarks.figure import Figure, curve_table, run_figures, table, verdict
from zgc_cli.queries.base import Lang, Query, Status, pick_columns, view_columns
from zgc_cli.queries.lists import PROJECT_COLUMNS, indicators_query, parks_query, projects_query
from zgc_cli.terminal import COUNT_CAP, MAX_ROWS

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "data" / "zgc.parquet"
GROUPS = ("startup", "scale", "curve", "peers", "install")
COUNT = "SELECT count(*) FROM indicators"
AGGREGATE = "SELECT metric, count(*), avg(value) FROM indicators GROUP BY ALL"
EVERYTHING = "SELECT * FROM indicators"
PARK = "park-1"
# Every `zgc sql` over a synthetic snapshot gets the time-out it needs: zgc's default 30 s
# stopped the 10M-row jsonl export on a 2-core Intel machine (37 s), a figure lost to the limit.
TIMEOUT = ["--timeout", "86400"]  # zgc's largest


# --- baselines: plain Python + DuckDB, no zgc imported --------------------------------------
# (the start-up floor, typer + engine, is floor.py)


def _zgc() -> str:
    found = Path(sys.executable).parent / "zgc"
    if not found.exists():
        raise SystemExit(
            "benchmarks: the zgc command is not installed next to this Python; "
            "run with `uv run python -m benchmarks`"
        )
    return str(found)


def _duckdb(path: Path, *lines: str) -> list[str]:
    """A `python -c` script: import duckdb, define zgc's views over the Parquet file, then
    `lines`."""
    views = (resources.files("zgc_cli") / "views.sql").read_text(encoding="utf-8")
    quoted = "'" + str(path).replace("'", "''") + "'"
    views = f"CREATE VIEW _snapshot AS SELECT * FROM read_parquet({quoted});\n{views}"
    script = ["import duckdb", "con = duckdb.connect()", f"con.execute({views!r})", *lines]
    return [sys.executable, "-c", "\n".join(script) + "\n"]


def duckdb_prints(path: Path, sql: str, params: dict[str, object] | None = None) -> list[str]:
    """Baseline D (scale, curve): plain DuckDB runs `sql` and prints the rows."""
    return _duckdb(
        path,
        f"rows = con.execute({sql!r}, {params!r}).fetchall()",
        "print('\\n'.join('\\t'.join('' if v is None else str(v) for v in r) for r in rows))",
    )


def duckdb_writes(path: Path, sql: str, fmt: str) -> list[str]:
    """DuckDB's own writer: COPY the query to /dev/stdout."""
    copy = f"COPY ({sql}) TO '/dev/stdout' (FORMAT {fmt})"
    return _duckdb(path, f"con.execute({copy!r})")


def _named_sql(query: Query, available: Sequence[str]) -> tuple[str, dict[str, object]]:
    """The SQL zgc runs for a list command written to a pipe or a file: every column the
    command can show (pick_columns' default), in both languages."""
    columns = pick_columns(query, available, None, Lang.both)
    return query.sql(columns), dict(query.params)


def parks_sql() -> tuple[str, dict[str, object]]:
    return _named_sql(parks_query(None), view_columns("parks"))


def warm_copy(zgc: str, env: Mapping[str, str]) -> Path:
    """Run `zgc parks` once (it builds the read-only copy of the bundled snapshot if it is not
    cached yet) and return where the copy is: the floor attaches the very same file."""
    measure.run([zgc, "parks"], "pipe", env)
    return floor.require_copy(floor.copy_path(REAL), "the warm-up `zgc parks`")


# --- the figures ----------------------------------------------------------------------------


def startup_figures(env: Mapping[str, str]) -> list[Figure]:
    """Issue 12: each query command over the "typer + engine" floor running the same SQL on
    the same copy; the commands that open no database over `import typer`."""
    zgc, python = _zgc(), sys.executable
    copy = warm_copy(zgc, env)
    p_sql, p_params = parks_sql()
    started = projects_query([Status.started], None, None, None, None, False)
    j_sql, j_params = _named_sql(started, PROJECT_COLUMNS)
    f_parks = floor.argv(python, copy, p_sql, p_params)
    f_projects = floor.argv(python, copy, j_sql, j_params, "json")
    f_count = floor.argv(python, copy, COUNT)
    typer = floor.import_typer(python)
    floor_name, json_name = "typer + engine", "typer + engine (json)"
    return [
        Figure(
            "zgc parks (piped)", [zgc, "parks"], f_parks, floor_name, 1.15, rss_over_baseline_mb=15
        ),
        Figure(
            "zgc projects --status started -f json",
            [zgc, "projects", "--status", "started", "-f", "json"],
            f_projects,
            json_name,
            1.15,
        ),
        Figure(f'zgc sql "{COUNT}"', [zgc, "sql", COUNT], f_count, floor_name, 1.15),
        Figure("zgc parks -f table", [zgc, "parks", "-f", "table"], f_parks, floor_name, 1.25),
        Figure("zgc --help", [zgc, "--help"], typer, "import typer", 1.5),
        Figure("zgc projects --help", [zgc, "projects", "--help"], typer, "import typer", 1.5),
        Figure("zgc --version", [zgc, "--version"], typer, "import typer", 1.0),
    ]


def scale_figures(big: Path) -> list[Figure]:
    zgc = _zgc()
    data = ["--data", str(big), *TIMEOUT]
    ind_sql, ind_params = _named_sql(
        indicators_query(PARK, None, None, None, None), view_columns("indicators")
    )
    return [
        Figure(
            "sql aggregate", [zgc, "sql", AGGREGATE, *data], duckdb_prints(big, AGGREGATE), "D", 1.1
        ),
        *(
            Figure(
                f"sql * -f {fmt} > /dev/null",
                [zgc, "sql", EVERYTHING, "-f", fmt, *data],
                duckdb_writes(big, EVERYTHING, duck),
                f"DuckDB {duck}",
                target,
                sink="null",
                rss_limit_mb=400,
            )
            for fmt, duck, target in (("csv", "csv", 1.2), ("jsonl", "json", 1.2))
        ),
        Figure(
            "sql * on a terminal",
            [zgc, "sql", EVERYTHING, *data],
            # The rows the terminal view fetches at most: it draws MAX_ROWS and counts up to
            # COUNT_CAP more. The same view of exactly those rows is the honest floor.
            [zgc, "sql", f"{EVERYTHING} LIMIT {MAX_ROWS + COUNT_CAP}", *data],
            f"same LIMIT {MAX_ROWS + COUNT_CAP:,}",
            1.2,
            sink="tty",
            baseline_sink="tty",
        ),
        Figure(
            f"indicators --park {PARK}",
            [zgc, "indicators", "--park", PARK, "--data", str(big)],  # no --timeout option
            duckdb_prints(big, ind_sql, ind_params),
            "D",
            1.2,
        ),
    ]


def curve_figures(path: Path) -> list[Figure]:
    zgc = _zgc()
    data = ["--data", str(path), *TIMEOUT]
    return [
        Figure(
            "csv export",
            [zgc, "sql", EVERYTHING, "-f", "csv", *data],
            duckdb_writes(path, EVERYTHING, "csv"),
            "DuckDB csv",
            1.2,
            sink="null",
        ),
        Figure(
            "aggregate", [zgc, "sql", AGGREGATE, *data], duckdb_prints(path, AGGREGATE), "D", 1.1
        ),
    ]


# --- running and reporting ------------------------------------------------------------------


PYCACHE = venvs.HOME / "pycache"


def _env() -> dict[str, str]:
    """The children's environment: no zgc or colour overrides, and bytecode caching on.

    Installed Pythons cache bytecode; a sandbox that sets PYTHONDONTWRITEBYTECODE would make
    every run compile every imported module (typer, pydantic) from source, which no user sees.
    The cache goes to a temp prefix so the tree stays clean; the warm-up run fills it.
    XDG_CACHE_HOME is passed on as it is: zgc's copies are where this process looks for them.
    """
    drop = {"ZGC_DATA", "FORCE_COLOR", "CLICOLOR_FORCE", "NO_COLOR", "COLUMNS", "LINES"}
    drop.add("PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


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
    load = " · load {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return (
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} · {cpu} × {os.cpu_count()}{load} · "
        f"Python {platform.python_version()} · {versions} · {platform.system()} "
        f"{platform.release()}"
    )


def groups(text: str) -> list[str]:
    """`--only a,b`: the groups named (a unique prefix will do), in the order they run."""
    if not text:
        return list(GROUPS)
    chosen = set()
    for word in (w.strip() for w in text.split(",") if w.strip()):
        matches = [g for g in GROUPS if g.startswith(word)]
        if len(matches) != 1:
            raise argparse.ArgumentTypeError(
                f"unknown group {word!r} (choose from: {', '.join(GROUPS)})"
            )
        chosen.add(matches[0])
    return [g for g in GROUPS if g in chosen]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 100,000 rows, 3 runs, curve to 10^5"
    )
    parser.add_argument(
        "--runs", type=int, default=None, help="runs per start-up, peers and install figure (15)"
    )
    parser.add_argument("--scale-runs", type=int, default=None, help="runs per scale figure (10)")
    parser.add_argument(
        "--rows", type=int, default=None, help="indicator rows of the big snapshot (10,000,000)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--only",
        type=groups,
        default=list(GROUPS),
        metavar="GROUP[,GROUP]",
        help=f"run only these groups: {', '.join(GROUPS)} (default: all)",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="regenerate the synthetic snapshots and remake the cached venvs (peers, install)",
    )
    args = parser.parse_args(argv)
    try:
        return run_groups(args)
    except measure.CommandFailed as exc:  # outside a figure: a warm-up, the peers, a venv
        print(f"\nstopped: {exc.short}\n({exc})", flush=True)
        return 1


def run_groups(args: argparse.Namespace) -> int:
    chosen: list[str] = args.only
    runs = args.runs or (3 if args.quick else 15)
    scale_runs = args.scale_runs or (3 if args.quick else 10)
    rows = args.rows or (100_000 if args.quick else 10_000_000)
    sizes = [10**e for e in range(4, 8) if 10**e <= rows]

    def log(message: str) -> None:
        sys.stderr.write(message + "\n")
        sys.stderr.flush()

    def report(text: str) -> None:
        print("\n" + text, flush=True)

    env = _env()
    print(environment())
    judged: list[Figure] = []  # every figure with a target, whatever its group
    if "startup" in chosen:
        log("start-up figures (bundled snapshot, typer + engine floor)")
        figures = startup_figures(env)
        run_figures(figures, runs, env, log)
        judged += figures
        report(table(figures, "Start-up (data/zgc.parquet)"))
    points: list[tuple[int, list[Figure]]] = []
    if "scale" in chosen:
        started = time.perf_counter()
        big = synth.snapshot(rows, args.seed, fresh=args.fresh)
        log(
            f"synthetic snapshot {big} ({rows:,} indicator rows, "
            f"{big.stat().st_size / 2**20:,.0f} MB, {time.perf_counter() - started:.0f} s)"
        )
        figures = scale_figures(big)
        run_figures(figures, scale_runs, env, log)
        judged += figures
        report(table(figures, f"Scale ({rows:,} indicator rows, seed {args.seed})"))
        if rows in sizes:  # the curve's largest point is the scale run itself
            points.append((rows, [figures[1], figures[0]]))
    if "curve" in chosen:
        for size in sizes:
            if any(size == done for done, _ in points):
                continue
            path = synth.snapshot(size, args.seed, fresh=args.fresh)
            log(f"curve point {size:,} rows")
            figures = curve_figures(path)
            run_figures(figures, max(3, scale_runs // 2), env, log)
            points.append((size, figures))
        points.sort(key=lambda point: point[0])
        report(curve_table(points))
    if "peers" in chosen:
        log("peers (informational)")
        venv = peers.environment(log, fresh=args.fresh)
        zgc = _zgc()
        copy = warm_copy(zgc, env)
        sqlite = peers.sqlite_copy(copy, log, fresh=args.fresh)
        made = peers.peers(zgc, venv, copy, sqlite, env, fresh=args.fresh)
        measure.alternate([peer.command for peer in made], runs, env, log)
        report(peers.table(made))
    if "install" in chosen:
        log("install: venvs A (pip install .) and B (A + typer 0.29.2)")
        sql, params = parks_sql()
        installs = install.installs(
            install.environments(ROOT, log, fresh=args.fresh), sql, params, env, log
        )
        figures = [each.figure for each in installs]
        run_figures(figures, runs, env, log)
        judged += figures
        report(install.table(installs))
    failed = sum(1 for figure in judged if verdict(figure) is False)
    if not judged:
        print("\nno targets in the groups run")
    else:
        print(f"\n{failed} target(s) not met" if failed else "\nall targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
