"""`python -m benchmarks`: every figure beside its baseline, alternating, min/median/max.

uv run python -m benchmarks            # every group (~25 min on 2 cores, more the first time)
uv run python -m benchmarks --quick    # a smoke run: 3 runs a figure, 100,000-row snapshot
uv run python -m benchmarks --only startup,peers --runs 3   # some groups (a unique prefix)
uv run python -m benchmarks --fresh    # remake the synthetic snapshots and the cached venvs

Groups: startup (issue 12: zgc over the "typer + engine" floor on the bundled snapshot),
scale and curve (issue 5: synthetic snapshots against plain DuckDB), peers and install (in
venvs made on first use; see venvs.py). Everything made lives under $TMPDIR/zgc-benchmarks;
zgc's copies of the snapshots under $XDG_CACHE_HOME/zgc as usual.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import shlex
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from importlib import metadata
from pathlib import Path

from benchmarks import measure, synth, venvs
from benchmarks.measure import CommandFailed, Figure, floor
from zgc_cli.queries.base import Lang, Query, Status, pick_columns, view_columns
from zgc_cli.queries.lists import PROJECT_COLUMNS, indicators_query, parks_query, projects_query
from zgc_cli.terminal import COUNT_CAP, MAX_ROWS

ROOT = Path(__file__).resolve().parent.parent
ZGC = str(Path(sys.executable).parent / "zgc")
GROUPS = ("startup", "scale", "curve", "peers", "install")
COUNT = "SELECT count(*) FROM indicators"
AGGREGATE = "SELECT metric, count(*), avg(value) FROM indicators GROUP BY ALL"
EVERYTHING = "SELECT * FROM indicators"
PARK = "park-1"
# Every `zgc sql` over a synthetic snapshot gets the time-out it needs: zgc's default 30 s
# stopped the 10M-row jsonl export on a 2-core Intel machine (37 s), a figure lost to the limit.
TIMEOUT = ["--timeout", "86400"]  # zgc's largest


def _named_sql(query: Query, available: Sequence[str]) -> tuple[str, dict[str, object]]:
    """The SQL a list command runs into a pipe: every column it can show, in both languages."""
    return query.sql(pick_columns(available, None, Lang.both)), dict(query.params)


def parks_sql() -> tuple[str, dict[str, object]]:
    return _named_sql(parks_query(None), view_columns("parks"))


def startup_figures(env: Mapping[str, str]) -> list[Figure]:
    """Issue 12: each query command over the "typer + engine" floor running the same SQL on
    the same copy; the commands that open no database over `import typer`."""
    zgc, python = ZGC, sys.executable
    copy = venvs.warm_copy(zgc, python, env, "the warm-up `zgc parks`")
    started = projects_query([Status.started], None, None, None, None, False)
    f_parks = floor(python, copy, *parks_sql())
    f_projects = floor(python, copy, *_named_sql(started, PROJECT_COLUMNS), json=True)
    typer = [python, "-c", "import typer"]  # the floor of the commands that open no database
    rows = [  # the command as a figure names it (its argv, but for "(piped)"), its floor, target
        ("zgc parks (piped)", f_parks, "typer + engine", 1.15),
        ("zgc projects --status started -f json", f_projects, "typer + engine (json)", 1.15),
        (f'zgc sql "{COUNT}"', floor(python, copy, COUNT), "typer + engine", 1.15),
        ("zgc parks -f table", f_parks, "typer + engine", 1.25),
        ("zgc --help", typer, "import typer", 1.5),
        ("zgc projects --help", typer, "import typer", 1.5),
        ("zgc --version", typer, "import typer", 1.0),
    ]
    figures = [
        Figure(name, [zgc, *shlex.split(name.removesuffix(" (piped)"))[1:]], base, b_name, t)
        for name, base, b_name, t in rows
    ]
    figures[0].rss_over_baseline_mb = 15
    return figures


def scale_figures(big: Path) -> list[Figure]:
    data = ["--data", str(big), *TIMEOUT]
    ind = _named_sql(indicators_query(PARK, None, None, None, None), view_columns("indicators"))
    # The terminal view draws MAX_ROWS rows and counts up to COUNT_CAP more: the same view of
    # exactly those rows is the honest floor.
    limit = MAX_ROWS + COUNT_CAP
    exports = [  # beside DuckDB with zgc's settings, then at its defaults: what the bound costs
        Figure(
            f"sql * -f {fmt} > /dev/null",
            [ZGC, "sql", EVERYTHING, "-f", fmt, *data],
            measure.duckdb_writes(big, EVERYTHING, duck, zgc_settings=held),
            f"DuckDB {duck}, {settings}",
            1.2 if held else None,
            sink="null",
            rss_limit_mb=400 if held else None,
        )
        for held, settings in ((True, "zgc's settings"), (False, "its defaults"))
        for fmt, duck in (("csv", "csv"), ("jsonl", "json"))
    ]
    terminal = [ZGC, "sql", f"{EVERYTHING} LIMIT {limit}", *data]
    return [
        Figure(
            "sql aggregate",
            [ZGC, "sql", AGGREGATE, *data],
            measure.duckdb_prints(big, AGGREGATE),
            "D",
            1.1,
        ),
        *exports,
        Figure(
            "sql * on a terminal",
            [ZGC, "sql", EVERYTHING, *data],
            terminal,
            f"same LIMIT {limit:,}",
            1.2,
            sink="tty",
        ),
        # `zgc indicators` has no --timeout option
        Figure(
            f"indicators --park {PARK}",
            [ZGC, "indicators", "--park", PARK, "--data", str(big)],
            measure.duckdb_prints(big, *ind),
            "D",
            1.2,
        ),
    ]


def curve_figures(path: Path, rows: int, scale: list[Figure] | None = None) -> list[Figure]:
    """A point of the size curve: the scale's csv export and aggregate (those of `scale` when
    it was measured at this size)."""
    aggregate, csv = (scale or scale_figures(path))[:2]
    return [
        replace(csv, name=f"csv export, {rows:,} rows"),
        replace(aggregate, name=f"aggregate, {rows:,} rows"),
    ]


def _env() -> dict[str, str]:
    """No zgc or colour overrides; bytecode cached as an installed Python does (without it every
    run compiles typer), in a temp prefix. XDG_CACHE_HOME is kept: zgc's copies are there."""
    drop = {"ZGC_DATA", "FORCE_COLOR", "CLICOLOR_FORCE", "NO_COLOR", "COLUMNS", "LINES"}
    env = {k: v for k, v in os.environ.items() if k not in drop | {"PYTHONDONTWRITEBYTECODE"}}
    return env | {"PYTHONPYCACHEPREFIX": str(synth.HOME / "pycache")}


def environment() -> str:
    """When and where the run ran: the first line the harness prints."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as handle:
        cpu = next((ln.split(":")[1].strip() for ln in handle if ln.startswith("model name")), cpu)
    versions = ", ".join(f"{n} {metadata.version(n)}" for n in ("zgc", "duckdb", "typer", "rich"))
    load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return (
        f"{dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} · {cpu} × {os.cpu_count()} · "
        f"load {load} · Python {platform.python_version()} · {versions} · "
        f"{platform.system()} {platform.release()}"
    )


def groups(text: str) -> list[str]:
    """`--only a,b`: the groups named (a unique prefix will do), in the order they run."""
    chosen = set()
    for word in filter(None, map(str.strip, text.split(","))):
        matches = [g for g in GROUPS if g.startswith(word)]
        if len(matches) != 1:
            raise argparse.ArgumentTypeError(
                f"unknown group {word!r} (choose from: {', '.join(GROUPS)})"
            )
        chosen |= set(matches)
    return [g for g in GROUPS if g in chosen or not text]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add("--quick", action="store_true", help="smoke run: 100,000 rows, 3 runs, curve to 10^5")
    add("--runs", type=int, default=15, help="runs per start-up, peers and install figure (15)")
    add("--scale-runs", type=int, default=10, help="runs per scale figure (10)")
    add("--rows", type=int, default=10_000_000, help="indicator rows of the big snapshot (10^7)")
    add("--seed", type=int, default=1)
    add(
        "--only",
        type=groups,
        default=list(GROUPS),
        metavar="GROUP[,GROUP]",
        help=f"run only these groups: {', '.join(GROUPS)} (default: all)",
    )
    add("--fresh", action="store_true", help="remake the synthetic snapshots and cached venvs")
    if parser.parse_args(argv).quick:  # --quick changes the defaults; what is given still wins
        parser.set_defaults(runs=3, scale_runs=3, rows=100_000)
    if not Path(ZGC).exists():
        raise SystemExit(
            "benchmarks: the zgc command is not installed next to this Python; "
            "run with `uv run python -m benchmarks`"
        )
    try:
        run_groups(parser.parse_args(argv))
    except CommandFailed as exc:  # outside a figure: a warm-up
        print(f"\nstopped: {exc.short}\n({exc})", flush=True)
        return 1
    return 0


def run_groups(args: argparse.Namespace) -> None:
    chosen, rows, env = args.only, args.rows, _env()
    judged: list[Figure] = []  # every figure, whatever its group; informational ones aside

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    def group(title: str, figures: list[Figure], rounds: int, who: str = "zgc") -> list[Figure]:
        measure.run_figures(figures, rounds, env, log)
        judged.extend(figures)
        print(f"\n{measure.table(figures, title, who)}", flush=True)
        return figures

    print(environment())
    if "startup" in chosen:
        log("start-up figures (bundled snapshot, typer + engine floor)")
        group("Start-up (data/zgc.parquet)", startup_figures(env), args.runs)
    curve: dict[int, list[Figure]] = {}  # rows -> the csv export and the aggregate
    if "scale" in chosen:
        started = time.perf_counter()
        big = synth.snapshot(rows, args.seed, fresh=args.fresh)
        size, took = big.stat().st_size / 2**20, time.perf_counter() - started
        log(f"synthetic snapshot {big} ({rows:,} indicator rows, {size:,.0f} MB, {took:.0f} s)")
        title = f"Scale ({rows:,} indicator rows, seed {args.seed})"
        scale = group(title, scale_figures(big), args.scale_runs)
        curve[rows] = curve_figures(big, rows, scale)  # the curve's largest point
    if "curve" in chosen:
        for size in [10**e for e in range(4, 8) if 10**e <= rows and 10**e not in curve]:
            log(f"curve point {size:,} rows")
            curve[size] = curve_figures(synth.snapshot(size, args.seed, fresh=args.fresh), size)
            measure.run_figures(curve[size], max(3, args.scale_runs // 2), env, log)
        points = [f for n in sorted(curve) for f in curve[n]]
        print(f"\n{measure.table(points, 'Size curve (indicator rows)')}", flush=True)
    if "peers" in chosen:
        log("peers (informational)")
        copy = venvs.warm_copy(ZGC, sys.executable, env, "the warm-up `zgc parks`")
        peers = venvs.peer_figures(ZGC, copy, env, log, args.fresh)
        group("Peers (parks, informational: no targets)", peers, args.runs, who="tool")
    if "install" in chosen:
        log("install: venvs A (pip install .) and B (A + typer 0.29.2)")
        installs = venvs.install_figures(ROOT, *parks_sql(), env, log, args.fresh)
        title = "Install (`zgc parks` piped, each venv against the floor of its own python)"
        group(title, installs, args.runs)
    verdicts = [measure.verdict(figure) for figure in judged]
    failed = verdicts.count(False)
    if verdicts.count(None) == len(verdicts):
        print("\nno targets in the groups run")
    else:
        print(f"\n{failed} target(s) not met" if failed else "\nall targets met")


if __name__ == "__main__":
    raise SystemExit(main())
