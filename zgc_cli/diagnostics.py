"""Every line zgc writes to stderr: errors, notes and the interrupt line, made safe to print.

Error text can carry what a stranger typed (a DuckDB message quotes the SQL, `error('…')`
raises any text): control characters are shown escaped and a line is capped, so stderr can
never drive the terminal or flood it. Nothing here decides an exit code.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys

MAX_LINE = 500  # characters of one message; a 600 KB error is cut with "…"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but tab/newline, DEL, C1
# ... and the bidirectional marks, overrides and isolates, which reorder what follows them on
# screen (a quoted name could make an error line read backwards).
_ON_SCREEN = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def visible(text: str) -> str:
    """Control characters (an ESC sequence in data or an error) shown as `\\x1b` or
    `\\u202e`: text zgc prints for reading must never drive the terminal."""
    return _ON_SCREEN.sub(_escaped, text)


def without_controls(text: str) -> str:
    """C0 and C1 controls escaped, bidirectional marks kept: for data formats (tsv, markdown),
    where right-to-left text is data and its marks belong to it."""
    return _CONTROL.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(message: str, limit: int = MAX_LINE) -> str:
    """A message as one safe line: newlines and control characters escaped, length capped."""
    flat = visible(message.replace("\r", "\\r").replace("\n", "\\n").replace("\t", " "))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def error_line(message: str) -> str:
    return f"zgc: error: {one_line(message)}\n"


def error(message: str) -> None:
    _write(error_line(message))


def problem(message: str) -> None:
    """One problem of a list (zgc build's file:line: column: what), escaped, unprefixed."""
    _write(f"{one_line(message)}\n")


def note(message: str) -> None:
    """Row counts and hints: stderr, so stdout stays data."""
    _write(f"zgc: {one_line(message)}\n")


INTERRUPTED = "zgc: interrupted\n"


def interrupted() -> None:
    _write(INTERRUPTED)


def last_words(line: str) -> None:
    """A line written straight to file descriptor 2, for an exit that skips Python's streams."""
    with contextlib.suppress(OSError):
        os.write(2, line.encode("utf-8", "replace"))


def _write(line: str) -> None:
    try:
        sys.stderr.write(line)
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed: nowhere left to say it
        pass
