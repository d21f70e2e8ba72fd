"""Run a command as a child process and measure its wall time and peak RSS (os.wait4).

A small launcher (`python -I -S`) forks the command and reports its rusage: on Linux a
process's peak RSS starts at the high-water mark of the process it was forked from, so a
command forked from the harness (DuckDB loaded) would report at least the harness's peak (a
`/bin/true` measured 240 MB beside a 240 MB harness). Output goes to a pipe, /dev/null or a
pseudo-terminal, as the figure asks.
"""

from __future__ import annotations

import fcntl
import math
import os
import pty
import statistics
import struct
import subprocess
import sys
import termios
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

Sink = Literal["pipe", "null", "tty"]
TTY_ROWS, TTY_COLUMNS = 40, 160


class CommandFailed(RuntimeError):
    """A command that did not exit 0. `short` is what a table row says of it: the exit code and
    the last line the command wrote on stderr (zgc's `zgc: error: ...`)."""

    def __init__(self, message: str, short: str) -> None:
        super().__init__(message)
        self.short = short


def _last_line(err: bytes) -> str:
    lines = [line.strip() for line in err.decode(errors="replace").splitlines() if line.strip()]
    return lines[-1][:300] if lines else "(nothing on stderr)"


# Runs `argv` (its arguments) in a child of its own and writes "seconds max_rss_kb exit" to the
# file descriptor given first. The time is fork to reap, as the harness would measure it.
LAUNCHER = """\
import os, sys, time
report = int(sys.argv[1])
os.set_inheritable(report, False)
argv = sys.argv[2:]
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
os.write(report, ("%r %d %d" % (seconds, usage.ru_maxrss, code)).encode())
"""


def _launch(
    argv: Sequence[str], stdout: int, env: Mapping[str, str]
) -> tuple[subprocess.Popen[bytes], int]:
    """Start `argv` under the launcher; the second value is the read end of its report."""
    read, write = os.pipe()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", LAUNCHER, str(write), *argv],
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=subprocess.PIPE,
            env=dict(env),
            pass_fds=(write,),
        )
    except BaseException:
        os.close(read)
        raise
    finally:
        os.close(write)
    return proc, read


@dataclass(frozen=True)
class Sample:
    seconds: float
    max_rss_kb: int
    out_bytes: int


def run(argv: Sequence[str], sink: Sink, env: Mapping[str, str] | None = None) -> Sample:
    """Run `argv` once; fail loudly on a non-zero exit (a broken figure is not a number)."""
    child_env = dict(os.environ if env is None else env)
    if sink != "tty":
        proc, report = _launch(
            argv, subprocess.PIPE if sink == "pipe" else subprocess.DEVNULL, child_env
        )
        out_bytes = _drain(lambda: proc.stdout.read(1 << 16) if proc.stdout else b"")
    else:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", TTY_ROWS, TTY_COLUMNS, 0, 0))
        child_env |= {"COLUMNS": str(TTY_COLUMNS), "LINES": str(TTY_ROWS), "TERM": "xterm-256color"}
        try:
            proc, report = _launch(argv, slave, child_env)
        finally:
            os.close(slave)
        try:
            out_bytes = _drain(lambda: _read_tty(master))
        finally:
            os.close(master)
    assert proc.stderr is not None
    return _reap(proc, report, argv, out_bytes, proc.stderr.read())


def _drain(read: Callable[[], bytes]) -> int:
    count = 0
    while chunk := read():
        count += len(chunk)
    return count


def _read_tty(master: int) -> bytes:
    try:
        return os.read(master, 1 << 16)
    except OSError:  # EIO: the child closed the terminal
        return b""


def _reap(
    proc: subprocess.Popen[bytes], report: int, argv: Sequence[str], out_bytes: int, err: bytes
) -> Sample:
    try:
        launcher = proc.wait()
        with os.fdopen(report, "rb", closefd=False) as handle:
            words = handle.read().split()
    finally:
        os.close(report)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    message = err.decode(errors="replace")[-500:]
    if launcher != 0 or len(words) != 3:
        raise CommandFailed(
            f"the launcher of {' '.join(argv)[:200]} exited {launcher}: {message}",
            f"the launcher exited {launcher}: {_last_line(err)}",
        )
    seconds, max_rss_kb, code = float(words[0]), int(words[1]), int(words[2])
    if code != 0:
        raise CommandFailed(
            f"{' '.join(argv)[:200]} exited {code}: {message}",
            f"exit {code}: {_last_line(err)}",
        )
    return Sample(seconds, max_rss_kb, out_bytes)


# --- several commands in one alternating run, and their figures ----------------------------


@dataclass
class Command:
    """One command of an alternating run and the samples it collected."""

    argv: list[str]
    sink: Sink = "pipe"
    samples: list[Sample] = field(default_factory=list)


def alternate(
    commands: Sequence[Command],
    runs: int,
    env: Mapping[str, str] | None = None,
    log: Callable[[str], None] | None = None,
) -> None:
    """One warm-up of each command, then `runs` rounds over all of them, the order rotated one
    place every round (and reversed every other), so no command always follows the same one."""
    for command in commands:
        run(command.argv, command.sink, env)
    count = len(commands)
    for round_ in range(runs):
        order = [commands[(i + round_) % count] for i in range(count)]
        if round_ % 2:
            order.reverse()
        for command in order:
            command.samples.append(run(command.argv, command.sink, env))
        if log is not None:
            log(f"  round {round_ + 1}/{runs} done")


def median_ms(samples: Sequence[Sample]) -> float:
    """The median time; NaN with no sample (a command that failed)."""
    return statistics.median(s.seconds for s in samples) * 1000 if samples else math.nan


def spread_ms(samples: Sequence[Sample]) -> str:
    """`min · median · max` in milliseconds, the cell every table prints (— with no sample)."""
    times = [s.seconds * 1000 for s in samples]
    if not times:
        return "—"
    return f"{min(times):,.0f} · {statistics.median(times):,.0f} · {max(times):,.0f}"


def peak_mb(samples: Sequence[Sample]) -> float:
    return max(s.max_rss_kb for s in samples) / 1024 if samples else math.nan


SPREAD = "ms (min · median · max)"
