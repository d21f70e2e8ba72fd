"""Exit codes and the error family: every failure zgc reports carries its exit code.

The CLI maps a ZgcError to one stderr line and `exit(code)`; nothing else decides exit codes.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # query or data error
    USAGE = 2  # bad option or argument
    INTERRUPTED = 130  # Ctrl-C


OUT_OF_MEMORY = "out of memory; add a LIMIT or raise --memory-limit"


class ZgcError(Exception):
    """A failure the user can act on; `str()` is the one-line message."""

    exit_code: ExitCode = ExitCode.ERROR


class UsageError(ZgcError):
    exit_code = ExitCode.USAGE


class QueryError(ZgcError):
    """The SQL failed, was refused, timed out or ran out of memory."""


class DataError(ZgcError):
    """The snapshot (or a curated source) is missing, unreadable or inconsistent."""


class OutputError(ZgcError):
    """The result could not be written where the user asked."""
