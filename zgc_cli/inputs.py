"""Reading what a user hands zgc (a query file, standard input, the report), bounded: capped
before it is read (`/dev/zero` is refused after the cap) and waited for at most a deadline (a
FIFO nobody writes), never hanging or filling memory."""

from __future__ import annotations

import os
import select
import stat
import time
from pathlib import Path

from zgc_cli.errors import UsageError


def read_bounded(source: Path | int, *, what: str, limit: int, seconds: float | None) -> bytes:
    """At most `limit` bytes of a file (or an open descriptor) within `seconds` (None: a person
    typing at a terminal); a UsageError naming `what` otherwise."""
    owned = not isinstance(source, int)
    try:  # a directory opens (Linux): fstat below refuses it
        fd = source if isinstance(source, int) else os.open(source, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise UsageError(f"cannot read {what}: {exc.strerror or exc}") from None
    too_large = UsageError(f"{what} is larger than {limit:,} bytes; zgc reads at most that much")
    deadline = None if seconds is None else time.monotonic() + seconds
    blocking = os.get_blocking(fd)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"cannot read {what}: it is a directory; give a file")
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            raise too_large
        # A FIFO opened by its name may have no writer yet, and reads as empty until one comes;
        # an inherited pipe at its end is simply empty (`printf '' | zgc sql`).
        fifo = owned and stat.S_ISFIFO(info.st_mode)
        data = bytearray()
        os.set_blocking(fd, False)
        while True:
            try:
                chunk = os.read(fd, min(1 << 16, limit + 1 - len(data)))
            except BlockingIOError:
                chunk = None
            if chunk is None or (not chunk and fifo and not data):
                if deadline is not None and time.monotonic() >= deadline:
                    raise UsageError(
                        f"cannot read {what}: nothing more arrived in {seconds:g} s "
                        "(a pipe nobody writes?); give a file"
                    )
                if chunk is None:
                    left = 0.25 if deadline is None else deadline - time.monotonic()
                    select.select([fd], [], [], min(max(left, 0), 0.25))
                else:
                    time.sleep(0.05)  # a FIFO at end of file is always ready
                continue
            if not chunk:
                return bytes(data)
            data += chunk
            if len(data) > limit:
                raise too_large
    except OSError as exc:
        raise UsageError(f"cannot read {what}: {exc.strerror or exc}") from None
    finally:
        os.set_blocking(fd, blocking)
        if owned:
            os.close(fd)
