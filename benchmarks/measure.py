"""Timing: a command run as a child (wall time, peak RSS); a figure beside its baseline; a table.
The baselines import no zgc: the floor, "typer + engine", is what zgc cannot do without (typer
and DuckDB's compiled `_duckdb` with zgc's settings, attaching zgc's own copy, running zgc's SQL,
printing its rows into a pipe as zgc does, TSV or JSON); plain DuckDB (D) defines zgc's views
over the Parquet file and prints the rows, or COPYs them with its own writer.

A small launcher (`python -I -S`) forks each command and reports its rusage (os.wait4): on
Linux a forked child's peak RSS starts at its parent's high-water mark (a `/bin/true` forked
from a 240 MB harness measured 240 MB). A command that exits non-zero fails its figure (a row
saying `failed:` and why, a target not met), not the run.
"""

from __future__ import annotations

import contextlib
import math
import os
import pty
import statistics
import subprocess
import sys
import termios
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from zgc_cli.db import snapshot
from zgc_cli.db.connection import (
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_THREADS,
    ENGINE_THREADS,
    STREAMING_MEMORY_LIMIT,
    parse_size,
)

Sink = Literal["pipe", "null", "tty"]  # where a command's output goes
Sample = tuple[float, int]  # seconds, peak RSS in kB
TTY_ROWS, TTY_COLUMNS = 40, 160
SPREAD = "ms (min · median · max)"
# Runs argv[1:] in a child of its own, fork to reap, then writes "seconds max_rss_kb exit" as
# the last line of stderr.
LAUNCHER = """\
import os, sys, time
argv = sys.argv[1:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    except OSError as exc:
        os.write(2, ("cannot run %s: %s\\n" % (argv[0], exc)).encode())
    os._exit(127)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
code = os.waitstatus_to_exitcode(status)
os.write(2, ("\\n%r %d %d" % (seconds, usage.ru_maxrss, code)).encode())
"""


class CommandFailed(RuntimeError):
    """A command that did not exit 0; `short` is what a table row says: the exit code and the
    last line the command wrote on stderr (zgc's `zgc: error: ...`)."""

    def __init__(self, message: str, short: str) -> None:
        super().__init__(message)
        self.short = short


def run(argv: Sequence[str], sink: Sink, env: Mapping[str, str]) -> Sample:
    """Run `argv` once; raise CommandFailed on a non-zero exit (a broken figure is no number)."""
    master, stdout = -1, subprocess.PIPE if sink == "pipe" else subprocess.DEVNULL
    if sink == "tty":
        master, stdout = pty.openpty()
        termios.tcsetwinsize(stdout, (TTY_ROWS, TTY_COLUMNS))
        env = {**env, "COLUMNS": str(TTY_COLUMNS), "LINES": str(TTY_ROWS), "TERM": "xterm-256color"}
    proc = subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", LAUNCHER, *argv],
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=dict(env),
    )
    if master >= 0:
        os.close(stdout)
        with contextlib.suppress(OSError):  # EIO: the child closed the terminal
            while os.read(master, 1 << 16):
                pass
        os.close(master)
    err = proc.communicate()[1].decode(errors="replace")
    said, _, report = err.rpartition("\n")
    words = report.split()
    code = int(words[2]) if proc.returncode == 0 and len(words) == 3 else None
    if code != 0:
        said = err if code is None else said
        last = ([line.strip() for line in said.splitlines() if line.strip()] or [""])[-1][:300]
        why = f"the launcher exited {proc.returncode}" if code is None else f"exit {code}"
        short = f"{why}: {last or '(nothing on stderr)'}"
        raise CommandFailed(f"{why}: {' '.join(argv)[:200]}: {said[-500:]}", short)
    return float(words[0]), int(words[1])


@dataclass
class Figure:
    """A command (zgc's, or a peer's) beside its baseline, and what each run measured."""

    name: str
    argv: list[str]
    baseline: list[str]
    baseline_name: str
    target: float | None  # median ≤ target × the baseline's; None: informational
    sink: Sink = "pipe"  # where both commands write
    rss_limit_mb: float | None = None  # absolute peak RSS cap
    rss_over_baseline_mb: float | None = None  # peak RSS ≤ the baseline's + this
    samples: list[Sample] = field(default_factory=list)
    base_samples: list[Sample] = field(default_factory=list)
    failed: str | None = None  # which command failed, and its message

    def missed(self) -> list[str] | None:
        """The targets missed ("time", "RSS", "failed"); None for an informational figure."""
        limit, over = self.rss_limit_mb, self.rss_over_baseline_mb
        if self.failed is not None:
            return ["failed"]
        if self.target is None and limit is None and over is None:
            return None
        (_, median, peak), (_, base_median, base_peak) = map(
            _stats, (self.samples, self.base_samples)
        )
        slow = self.target is not None and median / base_median > self.target
        heavy = (limit is not None and peak > limit) or (
            over is not None and peak > base_peak + over
        )
        return ["time"] * slow + ["RSS"] * heavy


def verdict(figure: Figure) -> bool | None:
    """Whether every target of the figure is met; None for an informational one."""
    missed = figure.missed()
    return None if missed is None else not missed


def run_figures(
    figures: list[Figure], runs: int, env: Mapping[str, str], log: Callable[[str], None]
) -> None:
    """One warm-up of each command, then `runs` rounds alternating each figure's command and
    its baseline (which goes first flips every round). A figure whose command fails leaves
    the rounds, its samples dropped: it is a failed row, not a number."""
    for round_ in range(-1, runs):  # round -1: the warm-up, not kept
        for f in figures:
            pair = [("zgc", f.argv, f.samples), ("baseline", f.baseline, f.base_samples)]
            for which, argv, into in pair[:: -1 if round_ % 2 else 1]:
                if f.failed is not None:
                    break
                try:
                    sample = run(argv, f.sink, env)
                except CommandFailed as exc:
                    f.failed = f"{which} {exc.short}"
                    f.samples.clear()
                    f.base_samples.clear()
                    log(f"  {f.name}: failed: {f.failed}")
                    break
                if round_ >= 0:
                    into.append(sample)
        if round_ >= 0:
            log(f"  round {round_ + 1}/{runs} done")


def _stats(samples: Sequence[Sample]) -> tuple[str, float, float]:
    """min · median · max ms as shown, the median in ms and the peak RSS in MB (NaN: none)."""
    if not samples:
        return "—", math.nan, math.nan
    times = sorted(seconds * 1000 for seconds, _ in samples)
    median = statistics.median(times)
    spread = f"{times[0]:,.0f} · {median:,.0f} · {times[-1]:,.0f}"
    return spread, median, max(kb for _, kb in samples) / 1024


def table(figures: list[Figure], title: str, who: str = "zgc") -> str:
    """The figures as a Markdown table under `### title`, min · median · max of each side."""
    head = ["figure", f"{who} {SPREAD}", "baseline", f"baseline {SPREAD}", "ratio of medians"]
    head += ["target", f"{who} peak RSS MB", "baseline peak RSS MB", "met"]
    lines = [f"### {title}", "", f"| {' | '.join(head)} |", "|" + "---|" * len(head)]
    for f in figures:
        (spread, median, peak), (base_spread, base_median, base_peak) = map(
            _stats, (f.samples, f.base_samples)
        )
        limits = [(f.target, "≤ {:g}"), (f.rss_limit_mb, "RSS ≤ {:g} MB")]
        limits.append((f.rss_over_baseline_mb, "RSS ≤ base + {:g} MB"))
        targets = [text.format(limit) for limit, text in limits if limit is not None]
        missed = f.missed()
        # a `|` in a failure's message must not split the Markdown cell
        first = spread if f.failed is None else f"failed: {f.failed}"
        cells = [f.name, first.replace("|", "\\|").replace("\n", " "), f.baseline_name]
        cells += [base_spread, _shown(median / base_median, ".2f")]
        cells += [", ".join(targets) or "none (informational)"]
        cells += [_shown(peak, ",.0f"), _shown(base_peak, ",.0f")]
        cells += ["—" if missed is None else f"NO ({', '.join(missed)})" if missed else "yes"]
        lines.append(f"| {' | '.join(cells)} |")
    runs = max(len(f.samples) for f in figures)
    lines.append(
        f"\n({runs} runs of each command after a warm-up, alternating with its baseline; "
        "the target applies to the ratio of medians)"
    )
    return "\n".join(lines)


def _shown(value: float, spec: str) -> str:
    return "—" if math.isnan(value) else format(value, spec)


_PRINT = {  # the rows as zgc prints them into a pipe: TSV, or JSON for -f json
    False: "import sys\nsys.stdout.write('\\n'.join(['\\t'.join(names)] + ["
    "'\\t'.join('' if v is None else str(v) for v in row) for row in rows]) + '\\n')",
    True: "import json\nprint(json.dumps([dict(zip(names, row)) for row in rows], default=str, "
    "ensure_ascii=False))",
}


def _config(memory_limit: str, **more: object) -> dict[str, object]:
    """zgc's settings: its threads, memory limit and no async I/O threads."""
    limit = f"{parse_size(memory_limit)}B"
    return {"threads": DEFAULT_THREADS, "memory_limit": limit, **more, **ENGINE_THREADS}


def floor(
    python: str,
    copy: Path,
    sql: str,
    params: Mapping[str, object] | None = None,
    json: bool = False,
) -> list[str]:
    attach = f"ATTACH {snapshot.sql_literal(str(copy))} AS zgc (READ_ONLY)"
    script = [
        "import typer, _duckdb",
        f"con = _duckdb.connect(':memory:', config={_config(DEFAULT_MEMORY_LIMIT)!r})",
        f"con.execute({attach!r})",
        "con.execute('USE zgc')",
        f"cursor = con.execute({sql!r}, {dict(params or {})!r})",
        "names = [d[0] for d in cursor.description]",
        "rows = cursor.fetchall()",
        _PRINT[json],
    ]
    return [python, "-c", "\n".join(script) + "\n"]


def _duckdb(path: Path, *lines: str, config: Mapping[str, object] | None = None) -> list[str]:
    quoted = snapshot.sql_literal(str(path))
    views = f"CREATE VIEW _snapshot AS SELECT * FROM read_parquet({quoted});\n{snapshot.views()}"
    connect = f"con = duckdb.connect(config={dict(config or {})!r})"
    script = ["import duckdb", connect, f"con.execute({views!r})", *lines]
    return [sys.executable, "-c", "\n".join(script) + "\n"]


def duckdb_prints(path: Path, sql: str, params: Mapping[str, object] | None = None) -> list[str]:
    """D: plain DuckDB runs `sql` over zgc's views of the Parquet file and prints the rows."""
    return _duckdb(
        path,
        f"rows = con.execute({sql!r}, {params!r}).fetchall()",
        "print('\\n'.join('\\t'.join('' if v is None else str(v) for v in r) for r in rows))",
    )


def duckdb_writes(path: Path, sql: str, fmt: str, *, zgc_settings: bool = True) -> list[str]:
    """DuckDB's own writer: COPY the query to /dev/stdout, with the settings zgc streams under
    (no insertion order, its 256MB limit) or with DuckDB's defaults (80% of RAM: 2.2 GB at
    10M rows, past the 400 MB zgc is held to)."""
    config = _config(STREAMING_MEMORY_LIMIT, preserve_insertion_order=False)
    copy = f"COPY ({sql}) TO '/dev/stdout' (FORMAT {fmt})"
    return _duckdb(path, f"con.execute({copy!r})", config=config if zgc_settings else None)
