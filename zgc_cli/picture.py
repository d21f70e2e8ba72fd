"""Pictures of what the terminal shows (`-o FILE.svg`; a page, .html, is html_table's): the
drawing on a recording Rich console, the citation below, a self-contained file (no web fonts,
no scripts) naming fonts with Chinese glyphs; and text made safe for XML and HTML."""

from __future__ import annotations

import html
import io
import itertools
import re
from typing import TYPE_CHECKING

from zgc_cli.diagnostics import visible

if TYPE_CHECKING:
    from zgc_cli.drawing import Drawing

# Monospace first for Latin text, then fonts with CJK glyphs, so Chinese never shows as boxes.
FONTS = (
    "'DejaVu Sans Mono', Menlo, Consolas, 'Noto Sans Mono CJK SC', 'Noto Sans CJK SC', "
    "'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', monospace"
)
_FONT_FACE = re.compile(r"@font-face \{.*?\}\s*", re.S)
_RICH_FONT = re.compile(r"font-family: Fira Code, monospace;")
# Rich spreads a run over its characters times a cell: Chinese (two cells) shifted later columns
# and was spaced apart. Each wide or narrow run starts at its own cell; wide glyphs fill theirs.
_TEXT = re.compile(
    r'<text ([^>]*)x="([0-9.]+)" (y="[^"]*") textLength="([0-9.]+)"([^>]*)>([^<]*)</text>'
)
_BUTTONS = re.compile(r"<g transform=\"translate\(26,22\)\">.*?</g>", re.S)

# Characters XML 1.0 forbids (C0 controls but tab, newline and carriage return; lone
# surrogates; U+FFFE/U+FFFF): replaced by U+FFFD, so a drawn picture always parses.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """Any value as text safe in XML and HTML, content or quoted attribute: control and
    format characters shown as the terminal shows them (`\\x1b`, `\\u202e`: an override
    must not reverse a chart's labels), what XML cannot hold replaced, `& < > " '` escaped."""
    return html.escape(_XML_INVALID.sub("\ufffd", visible(str(value))), quote=True)


def export(drawing: Drawing, *, width: int, title: str, cite: str) -> str:
    from rich.console import Console
    from rich.terminal_theme import DEFAULT_TERMINAL_THEME
    from rich.text import Text

    console = Console(
        file=io.StringIO(),
        width=width,
        record=True,
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
    )
    for line in drawing.lines:  # Text, never markup: no markup, emoji or highlighting applies
        console.print(Text.assemble(*((s.text, s.style) for s in line)), soft_wrap=True)
    console.print()
    console.print(Text(cite, style="dim"))
    # Light for print, without the window's traffic-light buttons; Rich's SVG fetches Fira
    # Code from a CDN, a picture for a report must not.
    svg: str = console.export_svg(title=title, theme=DEFAULT_TERMINAL_THEME)
    # Chromium narrows paired CJK punctuation (：《) unless told not to: off the grid.
    css = f"font-family: {FONTS}; text-spacing-trim: space-all;"
    svg = _RICH_FONT.sub(css, _FONT_FACE.sub("", svg))
    svg = _TEXT.sub(_by_cells, _BUTTONS.sub("", svg))
    return _XML_INVALID.sub("\ufffd", svg)  # Rich escapes markup, not these


def _by_cells(match: re.Match[str]) -> str:
    from rich.cells import cell_len

    head, x, y, length, tail, escaped = match.groups()
    text = html.unescape(escaped)
    if cell_len(text) == len(text):  # one cell a character: Rich's text lines up
        return match.group(0)
    cell, done, runs = float(length) / len(text), 0, []
    for wide, chars in itertools.groupby(text, lambda c: cell_len(c) == 2):
        run = "".join(chars)
        fit = ' lengthAdjust="spacingAndGlyphs"' if wide else ""  # glyphs fill their cells
        at = f'x="{float(x) + cell * done:g}" textLength="{cell * cell_len(run):g}"{fit}'
        runs.append(f"<tspan {at}>{html.escape(run)}</tspan>")
        done += cell_len(run)
    return f"<text {head}{y}{tail}>{''.join(runs)}</text>"
