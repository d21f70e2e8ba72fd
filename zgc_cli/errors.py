"""Exit codes and the error family: every failure zgc reports carries its exit code; the CLI
maps a ZgcError to one stderr line and `exit(code)`."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from itertools import accumulate


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1  # query or data error
    USAGE = 2  # bad option or argument
    INTERRUPTED = 130  # Ctrl-C


OUT_OF_MEMORY = (
    "out of memory; ask for fewer rows (a LIMIT, --limit) or give zgc sql a larger --memory-limit"
)


class ZgcError(Exception):  # a failure the user can act on; `str()` is its one line
    exit_code: ExitCode = ExitCode.ERROR


class UsageError(ZgcError):
    exit_code = ExitCode.USAGE


class QueryError(ZgcError):  # the SQL failed, was refused, timed out or ran out of memory
    said: str = ""  # DuckDB's whole message, whose `LINE n:` and caret zgc sql points with


class DataError(ZgcError):  # the snapshot (or a curated source) is missing, unreadable or wrong
    pass


class OutputError(ZgcError):  # the result could not be written where the user asked
    pass


def did_you_mean(value: str, choices: Sequence[str]) -> str:
    import difflib

    folded = {c.casefold(): c for c in reversed(choices)}  # each to the first that folds so
    match = difflib.get_close_matches(value.casefold(), list(folded), n=1, cutoff=0.5)
    return f"; did you mean {folded[match[0]]!r}?" if match else ""


SHORT = 160  # characters of choices an error line lists whole (5 statuses with their words)


def unknown(
    kind: str,
    value: str,
    choices: Sequence[str],
    labels: Sequence[str] | None = None,
    *,
    listed_by: str | None = None,
) -> UsageError:
    """Exit 2 with the closest choice and all of them (or their `labels`); when they are many
    (every park, 600 characters), the closest alone or else the first few, and the command
    that lists them all (`listed_by`)."""
    close = did_you_mean(value, choices)
    shown = ", ".join(labels or choices)
    if len(shown) <= SHORT:
        return UsageError(f"unknown {kind} {value!r}{close} (choose from: {shown})")
    few = ""
    if not close:  # the first few, by id: a name in Chinese would make the line long
        ends = accumulate(len(choice) + 2 for choice in choices)  # each ", " included
        taken = [c for c, end in zip(choices, ends, strict=True) if end - 2 <= SHORT // 2]
        few = f"; choose from {', '.join(taken)}, …"
    listed = f"{listed_by} lists them all" if listed_by else f"{len(choices):,} in all"
    return UsageError(f"unknown {kind} {value!r}{close}{few} ({listed})")


def require_columns(chosen: Sequence[str], available: Sequence[str]) -> None:
    for name in chosen:  # exit 2 with the closest one, and all of them
        if name not in available:
            raise unknown("column", name, list(available))


RECEIVED: list[int] = []  # SIGTERM or SIGHUP, if this run received one (cli.py's handler)


def terminated() -> bool:
    return bool(RECEIVED)


def interrupted_exit_code() -> int:
    """128 + the signal for SIGTERM or SIGHUP, as a shell reports it; 130 for Ctrl-C."""
    return 128 + RECEIVED[0] if RECEIVED else int(ExitCode.INTERRUPTED)
