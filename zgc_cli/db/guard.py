"""Bounds on one statement: a deadline, Ctrl-C, and an OS bound on the process's memory. Each
DuckDB call runs on a thread while the caller waits (on the caller's thread Ctrl-C waited out
`pg_sleep(5)`), then interrupts DuckDB; a call still running after the grace (30,000 CTEs bind
for 14 s, deaf to interrupt()) goes to `on_stuck`. The guard never prints or exits."""

from __future__ import annotations

import _thread
import contextlib
import os
import time
from collections.abc import Callable
from enum import Enum
from typing import Any, NoReturn, TypeVar

from zgc_cli.errors import OUT_OF_MEMORY, QueryError

T = TypeVar("T")
GRACE_S = 2.0  # after interrupt(), how long a call may take to stop before it counts as stuck
MAX_TIMEOUT_S = 86_400.0  # a day: longer is a mistake, not a query


class Stop(Enum):
    TIMEOUT = "timeout"
    INTERRUPT = "interrupt"


StuckHandler = Callable[[Stop, str], NoReturn]
_waiting = [0]  # how many guards wait for DuckDB now
unblockers: list[Callable[[], None]] = []  # what frees a statement blocked on a file (export.py)


def waiting() -> bool:  # a guard waits for DuckDB now: the command's deadline leaves it the stop
    return _waiting[0] > 0


def timeout_message(seconds: float) -> str:
    return f"query timed out after {seconds:g} s"


def check_timeout(seconds: float) -> float:
    if not 0 < seconds <= MAX_TIMEOUT_S:  # NaN too; an int compares exactly (10**400)
        raise ValueError(f"give a number of seconds above 0 and at most {MAX_TIMEOUT_S:g}")
    return seconds


class Guard:  # the deadline and Ctrl-C of one statement, from its parse to its last row
    def __init__(
        self, seconds: float | None, connection: Callable[[], Any], on_stuck: StuckHandler | None
    ) -> None:
        self.seconds = seconds
        self._deadline = None if seconds is None else time.monotonic() + seconds
        self._connection = connection  # the statement's live connection, when it is stopped
        self._on_stuck = on_stuck
        self.stopped: Stop | None = None

    def call(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` on its own thread; QueryError at the deadline, KeyboardInterrupt on
        Ctrl-C (once DuckDB has stopped)."""
        outcome: list[Any] = [False, None]
        done = _thread.allocate_lock()  # a bare lock: 30 us a call, where an Event took 150
        done.acquire()

        def run() -> None:
            try:
                outcome[:] = [True, function(*args)]
            except BaseException as exc:  # handed to the waiting thread
                outcome[1] = exc
            finally:
                done.release()

        if self.stopped is None:
            try:
                _thread.start_new_thread(run, ())
            except RuntimeError:  # "can't start new thread": the memory bound is reached
                raise QueryError(OUT_OF_MEMORY) from None
            _waiting[0] += 1
            try:
                while not done.acquire(timeout=self._slice()):  # Ctrl-C is seen at once
                    if self._slice() == 0:
                        self._stop(Stop.TIMEOUT, done)
                        break
            except KeyboardInterrupt:
                self._stop(Stop.INTERRUPT, done)
            finally:
                _waiting[0] -= 1
        if self.stopped is Stop.INTERRUPT:
            raise KeyboardInterrupt
        if self.stopped is Stop.TIMEOUT:
            raise QueryError(timeout_message(self.seconds or 0))
        if not outcome[0]:
            raise outcome[1]
        return outcome[1]  # type: ignore[no-any-return]

    def _slice(self) -> float:
        if self._deadline is None:
            return 0.25
        return max(0.0, min(self._deadline - time.monotonic(), 0.25))

    def _stop(self, why: Stop, done: Any) -> None:
        self.stopped = why
        with contextlib.suppress(Exception):  # already closed: nothing left to stop
            self._connection().interrupt()
        for unblock in list(unblockers):
            unblock()
        if done.acquire(timeout=GRACE_S) or self._on_stuck is None:
            return
        message = timeout_message(self.seconds or 0) if why is Stop.TIMEOUT else "interrupted"
        self._on_stuck(why, message)


class MemoryBound:
    """RLIMIT_AS while the database is open (DuckDB's memory_limit bounds its buffer pool only:
    under 256MB `SELECT repeat('x', 1000000000)` peaked at 13.3 GB resident without it): the
    address space in use, DuckDB's limit and headroom; a lower ulimit -v is kept."""

    HEADROOM = 768 * 2**20

    def __init__(self, memory_limit: int) -> None:
        self._previous: tuple[int, int] | None = None
        try:
            import resource

            with open("/proc/self/statm", "rb") as handle:
                in_use = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            bound = in_use + memory_limit + self.HEADROOM
            soft, hard = resource.getrlimit(resource.RLIMIT_AS)
            if soft == resource.RLIM_INFINITY or soft > bound:
                bound = bound if hard == resource.RLIM_INFINITY else min(bound, hard)
                resource.setrlimit(resource.RLIMIT_AS, (bound, hard))
                self._previous = (soft, hard)
        except (ImportError, OSError, ValueError, IndexError):  # pragma: no cover - not Linux
            pass

    def release(self) -> None:
        if self._previous is not None:
            import resource

            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(resource.RLIMIT_AS, self._previous)
            self._previous = None
