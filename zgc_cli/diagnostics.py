"""Every line zgc writes to stderr (errors, notes, the interrupt line), made safe to print:
error text can carry what a stranger typed, so control characters are shown escaped and a
line is capped. Nothing here decides an exit code."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable

MAX_LINE = 500  # characters of one message; a 600 KB error is cut with "…"


def _codes(spans: str) -> list[int]:
    """Code points from hexadecimal spans: `7f-9f 2028` is 0x7F to 0x9F, and 0x2028."""
    bounds = [[int(end, 16) for end in span.split("-")] for span in spans.split()]
    return [code for ends in bounds for code in range(ends[0], ends[-1] + 1)]


# C0 controls but tab and newline, DEL and C1, shown as `\x1b`: translate tables, not regular
# expressions, because compiling one costs more than the whole escaping of a table (start-up).
_CONTROL = {code: f"\\x{code:02x}" for code in _codes("0-8 b-1f 7f-9f")}
# ... and the invisible format characters (Unicode Cf: bidi marks and overrides, zero-width
# spaces and joiners, the BOM) and line separators: `mi\u200byun` must not pass for `miyun`.
# Shown as `\u202e`; tests/test_edges.py checks this list against Python's Unicode database.
_FORMAT = _codes(
    "ad 600-605 61c 6dd 70f 890-891 8e2 180e 200b-200f 2028-202e 2060-2064 2066-206f feff "
    "fff9-fffb 110bd 110cd 13430-13440 1bca0-1bca3 1d173-1d17a e0001 e0020-e007f"
)
_ON_SCREEN = {
    **_CONTROL,
    **{code: f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}" for code in _FORMAT},
}


def visible(text: str) -> str:  # to a terminal or a picture: never driving the terminal
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


def without_controls(text: str) -> str:  # tsv, markdown: bidi marks are right-to-left data's
    return text.translate(_CONTROL)


def one_line(message: str) -> str:  # newlines and control characters escaped, length capped
    flat = visible(message.replace("\r", "\\r").replace("\n", "\\n").replace("\t", " "))
    return flat if len(flat) <= MAX_LINE else flat[: MAX_LINE - 1] + "…"


def error_line(message: str) -> str:
    return f"zgc: error: {one_line(message)}\n"


def error(message: str, *under: str) -> None:  # and the lines that point into the query
    _write(error_line(message) + "".join(f"{line}\n" for line in under))


def note(message: str) -> None:  # row counts and hints: stderr, so stdout stays data
    _write(f"zgc: {one_line(message)}\n")


CONTEXT = 60  # cells of the query shown around the position an error points at


def _width(char: str) -> int:
    """Cells a character takes for DuckDB's caret: wide East Asian 2, combining, control and
    format characters none."""
    import unicodedata

    if unicodedata.combining(char) or unicodedata.category(char) in ("Cc", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _shown(chars: Iterable[str], room: int) -> tuple[list[str], bool]:
    """As many of `chars` as fit in `room` cells once escaped (never half an escape), and
    whether any were left over."""
    taken: list[str] = []
    used = 0
    for char in chars:
        shown = visible(char)
        cells = _width(char) if shown == char else len(shown)
        if used + cells > room:
            return taken, True
        taken.append(shown)
        used += cells
    return taken, False


def pointer(query: str, said: str) -> list[str]:
    """Two lines under an error, as DuckDB's shell prints them: the line of `query` where
    DuckDB's message (`said`) puts the error, and a caret under it. DuckDB's excerpt may be cut
    ("..."): the line shown is the query's own, found again, escaped and cut to CONTEXT cells."""
    import re

    found = re.search(r"^LINE (\d+): (.*)\n( *)\^", said, re.MULTILINE)
    lines = query.splitlines()
    if found is None or not 0 < int(found[1]) <= len(lines):
        return []
    number, excerpt, gap = int(found[1]), found[2], len(found[3]) - len(f"LINE {found[1]}: ")
    at = 0
    while at < len(excerpt) and (gap > 0 or _width(excerpt[at]) == 0):
        gap -= _width(excerpt[at])
        at += 1
    core = excerpt.removeprefix("...").removesuffix("...")
    start = lines[number - 1].find(core)
    if start < 0 or gap < 0:
        return []
    line = lines[number - 1].replace("\t", " ")
    place = start + at - (len(excerpt) - len(excerpt.removeprefix("...")))
    before, cut = _shown(reversed(line[:place]), CONTEXT // 2 - 1)
    shown = ("…" if cut else "") + "".join(reversed(before))
    width = sum(_width(c) for c in shown)
    after, cut = _shown(line[place:], CONTEXT - width - 1)
    head = f"  LINE {number}: "
    return [head + shown + "".join(after) + ("…" if cut else ""), " " * (len(head) + width) + "^"]


INTERRUPTED = "zgc: interrupted\n"


def interrupted() -> None:
    _write(INTERRUPTED)


def last_words(line: str) -> None:  # straight to fd 2: an exit that skips Python's streams
    with contextlib.suppress(OSError):
        os.write(2, line.encode("utf-8", "replace"))


def _write(line: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # stderr closed: nowhere left to say it
        sys.stderr.write(line)
        sys.stderr.flush()
