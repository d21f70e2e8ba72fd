"""Every line zgc writes to stderr: errors, notes and the interrupt line, made safe to print.

Error text can carry what a stranger typed (a DuckDB message quotes the SQL, `error('…')`
raises any text): control characters are shown escaped and a line is capped, so stderr can
never drive the terminal or flood it. Nothing here decides an exit code.
"""

from __future__ import annotations

import contextlib
import os
import sys

MAX_LINE = 500  # characters of one message; a 600 KB error is cut with "…"
# C0 controls but tab and newline, DEL and C1, shown as `\x1b`: translate tables, not regular
# expressions, because compiling one costs more than the whole escaping of a table (start-up).
_CONTROL = {
    code: f"\\x{code:02x}" for code in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))
}
# ... and every invisible format character (Unicode category Cf: the bidirectional marks,
# overrides and isolates that reorder what follows them, zero-width spaces and joiners, the
# byte-order mark) and the line and paragraph separators: `mi\u200byun` must not pass for
# `miyun`, nor an error line read backwards. Shown as `\u202e`. tests/test_edges.py checks
# this list against the running Python's own Unicode database.
_FORMAT = (
    0x00AD,
    *range(0x0600, 0x0606),
    0x061C,
    0x06DD,
    0x070F,
    0x0890,
    0x0891,
    0x08E2,
    0x180E,
    *range(0x200B, 0x2010),
    0x2028,
    0x2029,
    *range(0x202A, 0x202F),
    *range(0x2060, 0x2065),
    *range(0x2066, 0x2070),
    0xFEFF,
    *range(0xFFF9, 0xFFFC),
    0x110BD,
    0x110CD,
    *range(0x13430, 0x13441),
    *range(0x1BCA0, 0x1BCA4),
    *range(0x1D173, 0x1D17B),
    0xE0001,
    *range(0xE0020, 0xE0080),
)
_ON_SCREEN = {
    **_CONTROL,
    **{code: f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}" for code in _FORMAT},
}


def visible(text: str) -> str:
    """The one escape of text on its way to a terminal or a text picture: control and format
    characters (an ESC sequence, a bidi override, a zero-width space) shown as `\\x1b` or
    `\\u202e`: text zgc prints for reading must never drive the terminal or hide itself."""
    return text.translate(_ON_SCREEN)


_DATA_ON_SCREEN = {code: text for code, text in _ON_SCREEN.items() if code != 0x0D}


def for_screen(text: str) -> str:
    """Data on a terminal (csv, json): as `visible`, but a line may end in CR LF; a CR that
    ends no line is shown (`a\rb` would write b over a)."""
    shown = text.translate(_DATA_ON_SCREEN)
    if "\r" not in shown:
        return shown
    import re

    return re.sub(r"\r(?!\n)", r"\\r", shown)


def without_controls(text: str) -> str:
    """C0 and C1 controls escaped, bidirectional marks kept: for data formats (tsv, markdown),
    where right-to-left text is data and its marks belong to it."""
    return text.translate(_CONTROL)


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
