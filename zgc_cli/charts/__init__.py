"""Charts drawn in text (bars.py, timeline.py) and as SVG (*_picture.py, vector.py), and
what they share: the glyphs and the names a chart shows. Never imports typer."""

from __future__ import annotations

from zgc_cli.drawing import cut

CHART_WIDTH = 80  # off a terminal, charts fit an 80-column page


class Glyphs:
    """Block characters for a terminal; ASCII for pipes and .txt files."""

    def __init__(self, *, ascii: bool) -> None:
        self.ascii = ascii
        self.full, self.hedge, self.more, self.track, self.tick, self.earlier = (
            ("#", "~", "...", ".", "|", "<") if ascii else ("█", "░", "…", "·", "┊", "◂")
        )

    def fit(self, text: str, width: int) -> str:
        return cut(text, width, self.more)

    def bar(self, cells: float, hedged: bool) -> str:
        """A bar `cells` long; eighth blocks on a terminal; a hedged bar ends in `hedge`."""
        if cells <= 0:
            return ""
        if self.ascii:
            body = self.full * max(1, round(cells))
        else:
            whole, eighths = divmod(round(cells * 8), 8)
            body = self.full * whole + (" ▏▎▍▌▋▊▉"[eighths].strip() or ("" if whole else "▏"))
        return body[:-1] + self.hedge if hedged else body


def short_name(name: str) -> str:
    """Inside a chart of Zhongguancun, `中关村密云园` reads `密云园`, `Zhongguancun Miyun Park`
    `Miyun Park`; the zone keeps its name."""
    for prefix in ("中关村", "Zhongguancun "):
        rest = name.removeprefix(prefix)
        if rest != name and rest and not rest.startswith(("示范区", "zone", "(")):
            return rest
    return name


def bilingual(zh: str, en: str, lang: str) -> str:
    if lang == "both":
        return f"{zh} {en}".strip() if zh != en else zh
    return (zh or en) if lang == "zh" else (en or zh)
