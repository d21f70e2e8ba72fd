"""Run a command as a child process and measure its wall time and peak RSS (os.wait4).

Output goes to a pipe the harness drains, to /dev/null, or to a pseudo-terminal (for the
terminal table), as the figure asks.
"""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Sink = Literal["pipe", "null", "tty"]
TTY_ROWS, TTY_COLUMNS = 40, 160


class CommandFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class Sample:
    seconds: float
    max_rss_kb: int
    out_bytes: int


def run(argv: Sequence[str], sink: Sink, env: Mapping[str, str] | None = None) -> Sample:
    """Run `argv` once; fail loudly on a non-zero exit (a broken figure is not a number)."""
    child_env = dict(os.environ if env is None else env)
    if sink == "tty":
        return _run_tty(argv, child_env)
    start = time.perf_counter()
    stdout = subprocess.PIPE if sink == "pipe" else subprocess.DEVNULL
    proc = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.PIPE, env=child_env
    )
    out_bytes = 0
    if proc.stdout is not None:
        while chunk := proc.stdout.read(1 << 16):
            out_bytes += len(chunk)
    assert proc.stderr is not None
    err = proc.stderr.read()
    return _reap(proc, argv, start, out_bytes, err)


def _reap(
    proc: subprocess.Popen[bytes], argv: Sequence[str], start: float, out_bytes: int, err: bytes
) -> Sample:
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()
    if proc.returncode != 0:
        raise CommandFailed(
            f"{' '.join(argv)[:200]} exited {proc.returncode}: "
            f"{err.decode(errors='replace')[-500:]}"
        )
    return Sample(seconds, int(usage.ru_maxrss), out_bytes)


def _run_tty(argv: Sequence[str], env: dict[str, str]) -> Sample:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", TTY_ROWS, TTY_COLUMNS, 0, 0))
    env = {**env, "COLUMNS": str(TTY_COLUMNS), "LINES": str(TTY_ROWS), "TERM": "xterm-256color"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE, env=env
    )
    os.close(slave)
    out_bytes = 0
    try:
        while True:
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            out_bytes += len(chunk)
    finally:
        os.close(master)
    assert proc.stderr is not None
    err = proc.stderr.read()
    return _reap(proc, argv, start, out_bytes, err)
