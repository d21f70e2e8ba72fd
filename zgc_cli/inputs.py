"""Reading what a user hands zgc (a query file, standard input, the report), bounded.

Every input is capped before it is read and waited for at most a deadline: `/dev/zero` is
refused after the cap, a FIFO nobody writes after the deadline, never by hanging or by
filling memory.
"""

from __future__ import annotations

import os
import select
import stat
import time
from pathlib import Path

from zgc_cli.errors import UsageError


def read_bounded(source: Path | int, *, what: str, limit: int, seconds: float | None) -> bytes:
    """At most `limit` bytes of a file (or an open descriptor), within `seconds` (None: a
    person typing at a terminal, who ends with Ctrl-D or Ctrl-C).

    Raises UsageError naming `what` when it is larger, does not end in time, or cannot be read.
    """
    owned = not isinstance(source, int)
    try:
        fd = source if isinstance(source, int) else os.open(source, os.O_RDONLY | os.O_NONBLOCK)
    except IsADirectoryError:
        raise UsageError(f"cannot read {what}: it is a directory; give a file") from None
    except OSError as exc:
        raise UsageError(f"cannot read {what}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"cannot read {what}: it is a directory; give a file")
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise _too_large(what, limit)
        # A FIFO opened by its name may have no writer yet; an inherited pipe at its end is
        # simply empty (`printf '' | zgc sql`).
        return _read(fd, what, limit, seconds, fifo=owned and stat.S_ISFIFO(info.st_mode))
    except OSError as exc:
        raise UsageError(f"cannot read {what}: {exc.strerror or exc}") from None
    finally:
        if owned:
            os.close(fd)


def _read(fd: int, what: str, limit: int, seconds: float | None, *, fifo: bool) -> bytes:
    """Read to the end; a FIFO that has no writer yet reads as empty, so it is waited for
    (until the deadline) while nothing at all has arrived."""
    deadline = None if seconds is None else time.monotonic() + seconds
    chunks: list[bytes] = []
    size = 0
    blocking = os.get_blocking(fd)
    os.set_blocking(fd, False)
    try:
        while True:
            try:
                chunk = os.read(fd, min(1 << 16, limit + 1 - size))
            except BlockingIOError:
                _expired(deadline, what, seconds)
                left = 0.25 if deadline is None else deadline - time.monotonic()
                select.select([fd], [], [], min(max(left, 0), 0.25))
                continue
            if not chunk:
                if fifo and size == 0 and not _expired(deadline, what, seconds):
                    time.sleep(0.05)  # no writer yet: a FIFO at end of file is always ready
                    continue
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise _too_large(what, limit)
    finally:
        os.set_blocking(fd, blocking)


def _expired(deadline: float | None, what: str, seconds: float | None) -> bool:
    """Raise once the deadline has passed; False before it."""
    if deadline is not None and time.monotonic() >= deadline:
        raise UsageError(
            f"cannot read {what}: nothing more arrived in {seconds:g} s "
            "(a pipe nobody writes?); give a file"
        )
    return False


def _too_large(what: str, limit: int) -> UsageError:
    return UsageError(f"{what} is larger than {limit:,} bytes; zgc reads at most that much")
