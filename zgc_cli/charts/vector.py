"""What the SVG charts share: generous text widths, wrapping, ticks, the accessible frame and
a page around it. By hand, not Vega-Lite (vl-convert-python 1.9: 84 MB, 0.5 s for a first
SVG, 0.9 MB in a page): 5-11 kB of SVG in about 5 ms with the standard library alone."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from zgc_cli import linebreak
from zgc_cli.picture import xml_text

# Proportional fonts with Chinese glyphs. DejaVu Sans first: its Latin letters are the widest
# of these, so the width estimates below, made for it, hold for the others too.
FONTS = (
    "'DejaVu Sans', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', "
    "'Microsoft YaHei', 'Noto Sans', Arial, sans-serif"
)
MARGIN = 20
INK = "#1f2328"
MUTED = "#57606a"
GRID = "#d0d7de"
_CITED = {"fill": MUTED, "extra": ' class="citation"'}
BAR = "#2f6fb0"
PALETTE = ("#2f6fb0", "#c0392b", "#2e8b57", "#b8860b", "#7b4fa0", "#d35400", "#008b8b", "#555")
_EM = dict.fromkeys("il.,:;'!|`·", 0.36) | {" ": 0.34} | dict.fromkeys("mwMW%&@—–", 0.86)
_CJK = r"\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60"
_WIDE = re.compile(f"[{_CJK}]")


def em(char: str) -> float:
    """A character's advance in em, a little above DejaVu Sans's (CJK: a full em)."""
    if _WIDE.match(char):
        return 1.0
    if 0x2190 <= ord(char) <= 0x27BF:  # arrows and shapes: ◀ ●
        return 0.9
    return _EM.get(char) or (0.86 if char.isupper() else 0.66 if char.isdigit() else 0.64)


def text_width(text: str, size: float) -> float:
    """The width `text` takes at `size` px, estimated so it is never less than drawn."""
    return sum(em(c) for c in text) * size


def wrap(text: str, width: float, size: float) -> list[str]:
    """`text` in lines of at most `width` px, by the cards' rules (linebreak)."""
    return linebreak.wrap(" ".join(text.split()), width, lambda part: text_width(part, size))


def ticks(top: float, count: int = 5) -> list[float]:
    """0 and round steps up to the first at or above `top` (0, 20, 40, ..., 100)."""
    if top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    steps = math.ceil(top / step - 1e-9)
    return [round(n * step, 10) for n in range(steps + 1)]


def text(x: float, y: float, content: str, *, size: float = 13, **style: str) -> str:
    """One line of text; `y` is its baseline; style: anchor, weight, fill, extra attributes."""
    s = {"anchor": "start", "weight": "normal", "fill": INK, "extra": ""} | style
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{s["anchor"]}" '
        f'font-weight="{s["weight"]}" fill="{s["fill"]}"{s["extra"]}>{xml_text(content)}</text>'
    )


def lines(
    x: float,
    y: float,
    rows: Sequence[str] | str,
    *,
    size: float = 13,
    width: float = 0,
    **style: str,
) -> tuple[str, float]:
    """Lines (a str: wrapped to `width` px) from baseline `y`, styled as `text`; the markup and
    the next baseline."""
    drawn = []
    for row in wrap(rows, width, size) if isinstance(rows, str) else rows:
        drawn.append(text(x, y, row, size=size, **style))
        y += size * 1.4
    return "".join(drawn), y


def line(
    x1: float, y1: float, x2: float, y2: float, stroke: str, width: float = 1, extra: str = ""
) -> str:
    return (
        f'<line{extra} x1="{x1:.2f}" y1="{y1:.1f}" x2="{x2:.2f}" y2="{y2:.1f}" '
        f'stroke="{stroke}" stroke-width="{width:g}"/>'
    )


def row(y: float, rows: int, least: float, pad: float, size: float) -> tuple[float, float, float]:
    """A row of `rows` wrapped lines from `y`: its height, its middle and its first baseline."""
    height = max(least, rows * size * 1.4 + pad)
    middle = y + height / 2
    return height, middle, middle - (rows - 1) * size * 0.7 + size * 0.35


def document(
    width: float, y: float, title: str, desc: str, body: str, lang: str, citation: str
) -> tuple[str, str]:
    """A standalone SVG and its title: `body` on white, titled for screen readers, the report
    cited under it from baseline `y`."""
    cite, y = lines(MARGIN, y, citation, size=11, width=width - 2 * MARGIN, **_CITED)
    height = y + MARGIN - 11
    code = "en" if lang == "en" else "zh-Hans"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" xml:lang="{code}" '
        f'aria-labelledby="chart-title chart-desc" font-family="{xml_text(FONTS)}">\n'
        f'<title id="chart-title">{xml_text(title)}</title>\n'
        f'<desc id="chart-desc">{xml_text(desc)}</desc>\n'
        f'<rect width="100%" height="100%" fill="#ffffff"/>\n{body}{cite}\n</svg>\n'
    ), title


def page(svg: str, title: str, lang: str) -> str:
    """The SVG inline in a page; narrower screens scroll it sideways rather than shrink text."""
    from zgc_cli.html_table import document

    inline = svg.split("?>", 1)[1].strip() if svg.startswith("<?xml") else svg
    css = "body { margin: 1rem; background: #ffffff; }\nfigure { margin: 0; overflow-x: auto; }\n"
    return document(title, lang, f"<figure>\n{inline}\n</figure>", css)
