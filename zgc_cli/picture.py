"""Pictures of what the terminal shows: `-o FILE.svg` and `-o FILE.html` for every command.

A recording Rich console replays the terminal drawing (a table as ANSI text, or a chart) and
adds the snapshot's citation line at the bottom; the export is self-contained (no web fonts,
no scripts). Rich is imported only here, inside functions. Never imports typer or duckdb.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from zgc_cli.db import Database

PICTURE_KINDS = ("svg", "html")
CITATION_SQL = "SELECT title_zh, title_en, byline, sha256 FROM sources ORDER BY source_id LIMIT 1"
_MONO = "Menlo,'DejaVu Sans Mono',consolas,'Courier New',monospace"
_FONT_FACE = re.compile(r"@font-face \{\{.*?\}\}\s*", re.S)

Draw = Callable[["Console"], None]


def citation(db: Database, lang: str = "both") -> str:
    """`Source: 《title》 (English title), byline; report SHA-256 71d761baf226…`."""
    rows = db.run(CITATION_SQL, trusted=True).rows()
    if not rows:
        return "Source: unknown (the snapshot has no sources row)"
    title_zh, title_en, byline, sha256 = (str(v or "") for v in rows[0])
    title = f"《{title_zh}》" if lang == "zh" or not title_en else f"《{title_zh}》 ({title_en})"
    if lang == "en" and title_en:
        title = f"“{title_en}” (《{title_zh}》)"
    return f"Source: {title}, {byline}; report SHA-256 {sha256[:12]}…"


def from_ansi(text: str) -> Draw:
    """Replay text a renderer drew for a terminal (with ANSI styles) onto a console."""

    def draw(console: Console) -> None:
        from rich.text import Text

        for line in text.rstrip("\n").split("\n"):
            console.print(Text.from_ansi(line, no_wrap=True, end=""), soft_wrap=True)

    return draw


def export(kind: str, draw: Draw, *, width: int, title: str, cite: str) -> str:
    """Record `draw` on a `width`-column console, add `cite` below, export as svg or html."""
    from rich._export_format import CONSOLE_SVG_FORMAT
    from rich.console import Console
    from rich.text import Text

    if kind not in PICTURE_KINDS:
        raise ValueError(f"not a picture kind: {kind!r}")
    console = Console(
        record=True,
        file=io.StringIO(),
        width=width,
        force_terminal=True,
        color_system="truecolor",
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    draw(console)
    console.print()
    console.print(Text(cite, style="dim"))
    if kind == "svg":
        # Rich's template fetches Fira Code from a CDN; a picture for a report must not.
        return console.export_svg(title=title, code_format=_FONT_FACE.sub("", CONSOLE_SVG_FORMAT))
    return console.export_html(code_format=_html_format(title), inline_styles=True)


def _html_format(title: str) -> str:
    safe = html.escape(title).replace("{", "{{").replace("}", "}}")
    return f"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="UTF-8">
<title>{safe}</title>
<style>
{{stylesheet}}
body {{{{
    color: {{foreground}};
    background-color: {{background}};
}}}}
</style>
</head>
<body>
    <pre style="font-family:{_MONO}"><code style="font-family:inherit">{{code}}</code></pre>
</body>
</html>
"""


class Canvas(io.StringIO):
    """A stream that stands in for a terminal: renderers draw on it as they would for a person
    (colour, terminal width), and the drawing becomes a picture."""

    def isatty(self) -> bool:
        return True
