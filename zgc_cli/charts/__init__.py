"""Charts drawn in text: bars of figures across their subjects (bars.py) and dated events on
a time axis (timeline.py), as Drawings the sink shows plain, in colour or as a picture.

This module holds what both share: the glyphs (block characters on a terminal, ASCII for
pipes and .txt) and the names a chart shows. Never imports typer; Rich only for cell widths.
"""

from __future__ import annotations

from dataclasses import dataclass

from zgc_cli.drawing import cut

CHART_WIDTH = 80  # off a terminal, charts fit an 80-column page


@dataclass(frozen=True)
class Glyphs:
    """Block characters for a terminal; ASCII for pipes and .txt files."""

    ascii: bool

    @property
    def full(self) -> str:
        return "#" if self.ascii else "█"

    @property
    def hedge(self) -> str:
        return "~" if self.ascii else "░"

    @property
    def more(self) -> str:
        return "..." if self.ascii else "…"

    @property
    def track(self) -> str:
        return "." if self.ascii else "·"

    @property
    def tick(self) -> str:
        return "|" if self.ascii else "┊"

    @property
    def earlier(self) -> str:
        return "<" if self.ascii else "◂"

    def bar(self, cells: float, hedged: bool) -> str:
        """A bar `cells` long; eighth blocks on a terminal; a hedged bar ends in `hedge`."""
        if cells <= 0:
            return ""
        if self.ascii:
            whole, part = max(1, round(cells)), ""
        else:
            whole = int(cells)
            eighths = round((cells - whole) * 8)
            if eighths == 8:
                whole, eighths = whole + 1, 0
            part = " ▏▎▍▌▋▊▉"[eighths].strip()
            if whole == 0 and not part:
                part = "▏"
        body = self.full * whole + part
        return body[:-1] + self.hedge if hedged else body


def fit(text: str, width: int, glyphs: Glyphs) -> str:
    """`text` cut to `width` cells with the glyphs' ellipsis (`...` in ASCII)."""
    return cut(text, width, glyphs.more)


def short_name(name: str) -> str:
    """Inside a chart of Zhongguancun, `中关村密云园` reads `密云园`, `Zhongguancun Miyun Park`
    `Miyun Park`; the zone keeps its name."""
    for prefix in ("中关村", "Zhongguancun "):
        rest = name.removeprefix(prefix)
        if rest != name and rest and not rest.startswith(("示范区", "zone", "(")):
            return rest
    return name


def bilingual(zh: str, en: str, lang: str) -> str:
    if lang == "zh":
        return zh or en
    if lang == "en":
        return en or zh
    return f"{zh} {en}".strip() if zh != en else zh
