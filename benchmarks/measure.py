"""Timing: run a command as a child, take its wall time and peak RSS; figures; the tables.

A small launcher (`python -I -S`) forks each command and reports its rusage (os.wait4): on
Linux a forked child's peak RSS starts at its parent's high-water mark, so a command forked
from the harness (DuckDB loaded) would report at least the harness's peak (a `/bin/true`
measured 240 MB beside a 240 MB harness). A command that exits non-zero fails its figure (a
row saying `failed:` and why, a target not met), not the run.
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
from typing import Literal, NamedTuple

Sink = Literal["pipe", "null", "tty"]  # where a command's output goes
TTY_ROWS, TTY_COLUMNS = 40, 160
SPREAD = "ms (min · median · max)"

# Runs argv[1:] in a child of its own, then writes "seconds max_rss_kb exit" as the last line
# of stderr. The time is fork to reap, as the harness would measure it.
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


class Sample(NamedTuple):
    seconds: float
    max_rss_kb: int


def run(argv: Sequence[str], sink: Sink, env: Mapping[str, str]) -> Sample:
    """Run `argv` once; raise CommandFailed on a non-zero exit (a broken figure is no number)."""
    child_env = dict(env)
    master = slave = -1
    stdout: int = subprocess.PIPE if sink == "pipe" else subprocess.DEVNULL
    if sink == "tty":
        master, slave = pty.openpty()
        termios.tcsetwinsize(slave, (TTY_ROWS, TTY_COLUMNS))
        child_env |= {"COLUMNS": str(TTY_COLUMNS), "LINES": str(TTY_ROWS), "TERM": "xterm-256color"}
        stdout = slave
    proc = subprocess.Popen(
        [sys.executable, "-I", "-S", "-c", LAUNCHER, *argv],
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=child_env,
    )
    if slave >= 0:
        os.close(slave)
    with contextlib.suppress(OSError):  # EIO: the child closed the terminal
        while master >= 0 and os.read(master, 1 << 16):
            pass
    err = proc.communicate()[1].decode(errors="replace")
    if master >= 0:
        os.close(master)
    said, _, report = err.rpartition("\n")
    words = report.split()
    code = int(words[2]) if proc.returncode == 0 and len(words) == 3 else None
    if code != 0:
        said = err if code is None else said
        lines = [line.strip() for line in said.splitlines() if line.strip()]
        last = lines[-1][:300] if lines else "(nothing on stderr)"
        why = f"the launcher exited {proc.returncode}" if code is None else f"exit {code}"
        raise CommandFailed(f"{why}: {' '.join(argv)[:200]}: {said[-500:]}", f"{why}: {last}")
    return Sample(float(words[0]), int(words[1]))


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

    def ratio(self) -> float:
        return _median_ms(self.samples) / _median_ms(self.base_samples)

    def missed(self) -> list[str] | None:
        """The targets missed ("time", "RSS", "failed"); None for an informational figure."""
        if self.failed is not None:
            return ["failed"]
        limit, over = self.rss_limit_mb, self.rss_over_baseline_mb
        if self.target is None and limit is None and over is None:
            return None
        peak = _peak_mb(self.samples)
        rss = (limit is not None and peak > limit) or (
            over is not None and peak > _peak_mb(self.base_samples) + over
        )
        return ["time"] * (self.target is not None and self.ratio() > self.target) + ["RSS"] * rss


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


def _median_ms(samples: Sequence[Sample]) -> float:
    return statistics.median(s.seconds for s in samples) * 1000 if samples else math.nan


def _peak_mb(samples: Sequence[Sample]) -> float:
    return max(s.max_rss_kb for s in samples) / 1024 if samples else math.nan


def _shown(value: float, spec: str) -> str:
    return "—" if math.isnan(value) else format(value, spec)


def _spread_ms(samples: Sequence[Sample]) -> str:
    times = sorted(s.seconds * 1000 for s in samples)
    return f"{times[0]:,.0f} · {statistics.median(times):,.0f} · {times[-1]:,.0f}" if times else "—"


def table(figures: list[Figure], title: str, who: str = "zgc") -> str:
    """The figures as a Markdown table under `### title`, min · median · max of each side."""
    head = ["figure", f"{who} {SPREAD}", "baseline", f"baseline {SPREAD}", "ratio of medians"]
    head += ["target", f"{who} peak RSS MB", "baseline peak RSS MB", "met"]
    lines = [f"### {title}", "", f"| {' | '.join(head)} |", "|" + "---|" * len(head)]
    for f in figures:
        limits = [(f.target, "≤ {:g}"), (f.rss_limit_mb, "RSS ≤ {:g} MB")]
        limits.append((f.rss_over_baseline_mb, "RSS ≤ base + {:g} MB"))
        targets = [text.format(limit) for limit, text in limits if limit is not None]
        missed = f.missed()
        # a failed figure has no samples ("—" for its numbers); a `|` in its message must not
        # split the Markdown cell
        first = _spread_ms(f.samples) if f.failed is None else f"failed: {f.failed}"
        cells = [f.name, first.replace("|", "\\|").replace("\n", " "), f.baseline_name]
        cells += [_spread_ms(f.base_samples), _shown(f.ratio(), ".2f")]
        cells += [", ".join(targets) or "none (informational)"]
        cells += [_shown(_peak_mb(f.samples), ",.0f"), _shown(_peak_mb(f.base_samples), ",.0f")]
        cells += ["—" if missed is None else f"NO ({', '.join(missed)})" if missed else "yes"]
        lines.append(f"| {' | '.join(cells)} |")
    runs = max(len(f.samples) for f in figures)
    lines.append(
        f"\n({runs} runs of each command after a warm-up, alternating with its baseline; "
        "the target applies to the ratio of medians)"
    )
    return "\n".join(lines)
