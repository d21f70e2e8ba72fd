"""Bounds on one statement: a deadline, Ctrl-C, and an OS bound on the process's memory.

A DuckDB call blocks inside C, where Python cannot run a signal handler or check a clock. So
every such call runs in a worker thread while the caller's thread waits, free to see the
deadline pass or Ctrl-C arrive; it then interrupts the connections and waits a short grace
period. A call that still has not returned (blocked in the kernel, or in DuckDB's parser, which
cannot be interrupted) is reported through `on_stuck`: the CLI passes a function that ends the
process with the right line and exit code, the Python API passes none and keeps waiting.
The guard never prints and never exits by itself.
"""

from __future__ import annotations

import contextlib
import math
import os
import queue
import threading
import time
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, NoReturn, TypeVar

from zgc_cli.errors import OUT_OF_MEMORY, QueryError

T = TypeVar("T")
GRACE_S = 2.0  # after interrupt(), how long a call may take to stop before it counts as stuck


class Stop(Enum):
    """Why a statement was stopped."""

    TIMEOUT = "timeout"
    INTERRUPT = "interrupt"


StuckHandler = Callable[[Stop, str], NoReturn]


def timeout_message(seconds: float) -> str:
    return f"query timed out after {seconds:g} s"


class _Job:
    def __init__(self, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.function = function
        self.args = args
        self.done = threading.Event()
        self.ok = False
        self.value: Any = None

    def run(self) -> None:
        try:
            self.value = self.function(*self.args)
            self.ok = True
        except BaseException as exc:  # handed to the waiting thread
            self.value = exc
        finally:
            self.done.set()


class Workers:
    """Threads that run DuckDB calls while the caller waits.

    Made before the memory bound is set: under RLIMIT_AS a new thread (its stack and malloc
    arena) may not fit any more. A worker whose call was abandoned stays busy until it ends;
    another one is made then, if memory allows.
    """

    def __init__(self, count: int) -> None:
        self._idle: queue.SimpleQueue[queue.SimpleQueue[_Job | None]] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        for _ in range(count):
            self._start()

    def _start(self) -> None:
        """A new worker; it joins the idle ones once it has run a first, warming job."""
        jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        warm = _Job(lambda: bytearray(1 << 16), ())  # its malloc arena, now, not under the bound
        jobs.put(warm)
        thread = threading.Thread(target=self._serve, args=(jobs,), name="zgc-worker", daemon=True)
        thread.start()
        self._threads.append(thread)
        warm.done.wait()

    def _serve(self, jobs: queue.SimpleQueue[_Job | None]) -> None:
        while (job := jobs.get()) is not None:
            job.run()
            self._idle.put(jobs)  # ready for the next job

    def submit(self, function: Callable[..., Any], *args: Any) -> _Job:
        try:
            jobs = self._idle.get_nowait()
        except queue.Empty:
            try:
                self._start()
            except RuntimeError:  # "can't start new thread": the bound is reached
                raise QueryError(OUT_OF_MEMORY) from None
            jobs = self._idle.get()
        job = _Job(function, args)
        jobs.put(job)
        return job

    def close(self) -> None:
        """End the idle workers and wait for them: a thread still alive when the interpreter
        shuts down is torn down in the middle of C code (glibc aborts: "exception not
        rethrown"). A worker still busy with an abandoned call is left to its fate."""
        while True:
            try:
                self._idle.get_nowait().put(None)
            except queue.Empty:
                break
        for thread in self._threads:
            thread.join(timeout=1.0)


_WAITING: list[_Job] = []  # calls a guard is waiting for: it stops them itself


def waiting() -> bool:
    """Whether a guard is waiting for DuckDB now (the command's deadline leaves it to the
    guard: only the guard can interrupt DuckDB and wait for it to stop)."""
    return bool(_WAITING)


class Guard:
    """The deadline and Ctrl-C of one statement, from its parse to its last fetched row."""

    def __init__(
        self,
        seconds: float | None,
        interrupt: Callable[[], Iterable[Any]],
        on_stuck: StuckHandler | None,
        workers: Workers,
    ) -> None:
        self.seconds = seconds
        self._deadline = None if seconds is None else time.monotonic() + seconds
        self._connections = interrupt  # what to interrupt: the statement's live connections
        self._own: list[Any] = []  # and the cursors the statement opened
        self._on_stuck = on_stuck
        self._workers = workers
        self.stopped: Stop | None = None

    def call(self, function: Callable[..., T], *args: Any) -> T:
        """`function(*args)` in a worker thread; the caller waits for it, the deadline or Ctrl-C.

        Raises QueryError on the deadline and KeyboardInterrupt on Ctrl-C, once DuckDB has
        stopped; errors of `function` are raised as they are.
        """
        if self.stopped is Stop.TIMEOUT:
            raise QueryError(timeout_message(self.seconds or 0))
        job = self._workers.submit(function, *args)
        _WAITING.append(job)
        try:
            if not self._wait(job.done):
                self._stop(Stop.TIMEOUT, job.done)
        except KeyboardInterrupt:
            self._stop(Stop.INTERRUPT, job.done)
        finally:
            _WAITING.remove(job)
        if self.stopped is Stop.INTERRUPT:
            raise KeyboardInterrupt
        if self.stopped is Stop.TIMEOUT:
            raise QueryError(timeout_message(self.seconds or 0))
        if not job.ok:
            raise job.value
        return job.value  # type: ignore[no-any-return]

    def watch(self, connection: Any) -> Any:
        """Interrupt `connection` too when the statement is stopped; returns it."""
        self._own.append(connection)
        return connection

    def start(self, function: Callable[..., Any], *args: Any) -> threading.Event:
        """Run `function(*args)` on another worker without waiting (the export's pump)."""
        return self._workers.submit(function, *args).done

    def _wait(self, done: threading.Event) -> bool:
        """Wait for `done` until the deadline; False when the deadline passed first."""
        while True:
            if self._deadline is None:
                if done.wait(0.25):  # short waits: Ctrl-C is seen at once on every platform
                    return True
                continue
            left = self._deadline - time.monotonic()
            if left <= 0:
                return done.is_set()
            if done.wait(min(left, 0.25)):
                return True

    def _stop(self, why: Stop, done: threading.Event) -> None:
        """Interrupt DuckDB and give it the grace period; then report a call that is stuck.

        Without `on_stuck` (the API) the call is abandoned: its thread finishes in the
        background, and the caller gets its error now.
        """
        self.stopped = why
        for connection in [*self._connections(), *self._own]:
            with contextlib.suppress(Exception):  # already closed: nothing left to stop
                connection.interrupt()
        if done.wait(GRACE_S) or self._on_stuck is None:
            return
        message = timeout_message(self.seconds or 0) if why is Stop.TIMEOUT else "interrupted"
        self._on_stuck(why, message)


MAX_TIMEOUT_S = 86_400.0  # a day: longer is a mistake, not a query


def check_timeout(seconds: float) -> float:
    """A time-out is a finite, positive number of seconds, at most a day."""
    try:
        finite = math.isfinite(seconds)
    except OverflowError:  # an int too large for a float: 10**400
        finite = False
    if not finite or seconds <= 0 or seconds > MAX_TIMEOUT_S:
        raise ValueError(f"give a number of seconds above 0 and at most {MAX_TIMEOUT_S:g}")
    return seconds


class MemoryBound:
    """An OS limit on the process's address space (RLIMIT_AS) while the database is open.

    DuckDB's memory_limit covers its buffer pool, not everything (one `repeat('x', 1e9)`
    reached ~2 GB under a 256 MB limit), so a runaway allocation must fail inside the
    process, as an error zgc reports, before the kernel's OOM killer ends it. The bound is
    the address space in use before DuckDB starts, plus the DuckDB limit, plus headroom for
    DuckDB's own start-up reservations and the Python side of a result. Only the soft limit
    is lowered, and it is restored on release. Where RLIMIT_AS does not exist (Windows) or is
    not enforced (macOS), this is a no-op: see SECURITY.md.
    """

    HEADROOM = 768 * 2**20

    def __init__(self, previous: tuple[int, int] | None) -> None:
        self._previous = previous

    @classmethod
    def around(cls, memory_limit: int) -> MemoryBound:
        try:
            import resource
        except ImportError:  # pragma: no cover - Windows
            return cls(None)
        in_use = _address_space_in_use()
        if in_use is None:
            return cls(None)
        bound = in_use + memory_limit + cls.HEADROOM
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft != resource.RLIM_INFINITY and soft <= bound:
            return cls(None)  # already tighter (ulimit -v): keep the user's
        if hard != resource.RLIM_INFINITY:
            bound = min(bound, hard)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (bound, hard))
        except (ValueError, OSError):  # pragma: no cover - platform without RLIMIT_AS
            return cls(None)
        return cls((soft, hard))

    def release(self) -> None:
        if self._previous is None:
            return
        import resource

        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, self._previous)
        self._previous = None


def _address_space_in_use() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")
