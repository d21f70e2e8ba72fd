"""A drawing: lines of styled spans laid out in terminal cells, and the three ways to show it.

Tables, cards and charts are drawn as a Drawing; it prints plain (pipes, files), with ANSI
styles (a terminal) or onto a Rich console (a picture). Widths are terminal cells, measured
with Rich's own cell functions (a CJK character is two). Imports only `rich.cells`, never
Rich's console, so a terminal view costs no more than the text it prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size

from zgc_cli.diagnostics import visible

if TYPE_CHECKING:
    from rich.console import Console

ELLIPSIS = "…"


@dataclass(frozen=True)
class Span:
    text: str
    style: str = ""  # Rich style words: bold, dim, italic, reverse, underline and colours


Line = tuple[Span, ...]


@dataclass
class Drawing:
    """Lines to print, and the title a picture of them carries."""

    title: str = ""
    lines: list[Line] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.title = visible(self.title)

    def add(self, *spans: Span) -> None:
        """A line; its text shown safe (diagnostics.visible): headers, cells, titles, labels and
        notes alike, whatever their source, so data can never drive the terminal."""
        self.lines.append(tuple(Span(visible(s.text), s.style) for s in spans))

    def plain(self) -> str:
        return "".join("".join(span.text for span in line).rstrip() + "\n" for line in self.lines)

    def ansi(self) -> str:
        """The lines with ANSI styles, for a terminal that wants colour."""
        return "".join("".join(_styled(s) for s in line).rstrip() + "\n" for line in self.lines)

    def draw(self, console: Console) -> None:
        """Onto a Rich console (a recording one, for a picture)."""
        from rich.text import Text

        for line in self.lines:
            text = Text(no_wrap=True, end="\n")
            for span in line:
                text.append(span.text, style=span.style or None)
            console.print(text, soft_wrap=True)


cells = cell_len


def cut(text: str, width: int, ellipsis: str = ELLIPSIS) -> str:
    """`text` in at most `width` cells: whole, or its beginning and "…" (CJK counts 2)."""
    if cell_len(text) <= width:
        return text
    room = width - cell_len(ellipsis)
    if room <= 0:
        return ellipsis[:width]
    return set_cell_size(text, room).rstrip() + ellipsis


def pad(text: str, width: int, *, right: bool = False) -> str:
    """`text` padded with spaces to `width` cells (on the left when `right`-aligned)."""
    room = " " * max(0, width - cell_len(text))
    return room + text if right else text + room


_COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
_SGR = {"bold": "1", "dim": "2", "italic": "3", "underline": "4", "reverse": "7"}
_SGR |= {name: str(30 + n) for n, name in enumerate(_COLOURS)}
_SGR |= {"bright_magenta": "95", "bright_cyan": "96"}


def _styled(span: Span) -> str:
    codes = [_SGR[word] for word in span.style.split() if word in _SGR]
    if not codes or not span.text:
        return span.text
    return f"\x1b[{';'.join(codes)}m{span.text}\x1b[0m"
