"""A drawing: lines of styled spans in terminal cells (a table, a card, a chart), printed plain
(pipes, files), with ANSI styles (a terminal) or as a picture (picture.py). Widths are cells as
Rich measures them (CJK is two); only `rich.cells` is imported, never Rich's console."""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.cells import cell_len, set_cell_size

from zgc_cli.diagnostics import visible

ELLIPSIS = "…"


@dataclass(frozen=True)
class Span:
    text: str
    style: str = ""  # Rich style words: bold, dim, italic, reverse, underline and colours


Line = tuple[Span, ...]


@dataclass
class Drawing:
    title: str = ""
    lines: list[Line] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.title = visible(self.title)

    def add(self, *spans: Span) -> None:
        """A line, its text shown safe (diagnostics.visible): data never drives the terminal."""
        self.lines.append(tuple(Span(visible(s.text), s.style) for s in spans))

    def plain(self) -> str:
        return "".join("".join(span.text for span in line).rstrip() + "\n" for line in self.lines)

    def ansi(self) -> str:
        return "".join("".join(_styled(s) for s in line).rstrip() + "\n" for line in self.lines)


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
