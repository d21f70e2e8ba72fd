"""`zgc chart -o FILE.svg`: the bars drawn, not a picture of the terminal: an axis with round
ticks, wrapped labels, a hedged figure (约/近/超/余) hatched with an open end and explained in
a legend, the citation beneath; every bar named for a screen reader."""

from __future__ import annotations

from collections.abc import Sequence

from zgc_cli import display
from zgc_cli.charts import vector
from zgc_cli.charts.bars import Bars, Figure, finite, value_label as value_label
from zgc_cli.dictionary import UNITS
from zgc_cli.picture import xml_text
from zgc_cli.queries.base import Sort

WIDTH = 760
MARGIN = vector.MARGIN
SIZE = 13  # label and value text, px
ROW = 30  # a bar's row, px, when its label is one line
BAR = 18
GAP = 12  # between the label column and the bar, and a bar and its value
# A hedged figure's hatching; its far end is left open.
DEFS = (
    '<defs><pattern id="hedged" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#dbe7f3"/>'
    f'<rect width="2.5" height="6" fill="{vector.BAR}"/></pattern></defs>'
)
_HIDDEN = 'aria-hidden="true"/>'
LEGEND = {
    "zh": "约数：报道给出的是约数或界限（约、近、超、余）",
    "en": "Hedged: the report gives an approximate or bounded figure "
    "(about, nearly, over, more than)",
}


def scale(unit: str, top: float, lang: str) -> tuple[float, str]:
    """How the axis counts: values divided by the factor, read in the words (亿元, billion
    yuan, %, "" for a bare count) of the reader's language, in 亿/万 (zh) or billion/million
    (en) when the values are that large; bilingual readers get the Chinese."""
    if unit == "percent":
        return 1.0, "%"
    zh = lang != "en"
    word = UNITS.get(unit, unit).split("/")[0] if zh else display._UNIT_EN.get(unit, unit)
    steps = ((1e8, "亿"), (1e4, "万")) if zh else ((1e9, "billion"), (1e6, "million"))
    for factor, big in steps:
        if top >= factor:
            return factor, f"{big}{word}" if zh else f"{big} {word}".strip()
    return 1.0, word


def axis_label(name: str, words: str, lang: str) -> str:
    if not words:
        return name
    return f"{name}（{words}）" if lang != "en" else f"{name} ({words})"


def bar_svg(
    figures: Sequence[Figure], *, lang: str, sort: Sort, quotes: bool, citation: str
) -> tuple[str, str]:
    """The chart as a standalone SVG document, and its title."""
    bars = Bars(figures, lang, sort)
    values = [value_label(f, lang) for f in figures]
    top = max((finite(f.value) for f in figures), default=0.0)
    factor, words = scale(figures[0].unit, top, lang)
    title = axis_label(bars.name, words, lang)
    steps = vector.ticks(top / factor)
    most = steps[-1]

    inner = WIDTH - 2 * MARGIN
    label_w = min(max(vector.text_width(label, SIZE) for label in bars.labels), inner * 0.4)
    value_w = max(vector.text_width(v, SIZE) for v in values)
    x0 = MARGIN + label_w + GAP
    plot_w = WIDTH - MARGIN - value_w - GAP - x0
    heading = f"{title} · {bars.when}" if bars.when else title
    head, y = vector.lines(
        MARGIN, MARGIN + 17, heading, size=17, width=inner, weight="bold", extra=' class="title"'
    )
    y += 6
    rows_top = y
    body: list[str] = []
    for n in bars.order:
        figure, label = figures[n], bars.labels[n]
        wrapped = vector.wrap(label, label_w, SIZE)
        height, middle, first = vector.row(y, len(wrapped), ROW, 10, SIZE)
        body.append(vector.lines(MARGIN, first, wrapped, size=SIZE, extra=' class="label"')[0])
        length = finite(figure.value) / factor / most * plot_w if figure.value > 0 else 0.0
        name = xml_text(f"{label}: {values[n]}")
        named = (
            f'class="bar{" hedged" if figure.hedged else ""}" role="img" aria-label="{name}" '
            f'data-value="{finite(figure.value)!r}" data-id="{xml_text(figure.indicator_id)}"'
            f"><title>{name}</title></rect>"
        )
        body.append(_bar(x0, middle - BAR / 2, length, BAR, figure.hedged, named))
        at = (x0 + length + GAP / 2, middle + SIZE * 0.35)
        body.append(vector.text(*at, values[n], size=SIZE, weight="bold", extra=' class="value"'))
        y += height
        if quotes and figure.quote:
            style = {"fill": vector.MUTED, "extra": ' class="quote" font-style="italic"'}
            said = f"“{figure.quote}”"
            quote, y = vector.lines(x0, y + 11, said, size=11, width=WIDTH - MARGIN - x0, **style)
            body.append(quote)
            y += 4
    # Grid lines at the ticks, the axis, and the baseline every bar starts from.
    ticks = [(x0 + step / most * plot_w, step) for step in steps]
    grid = [vector.line(x, rows_top, x, y + 5, vector.GRID) for x, _ in ticks[1:]]
    grid.append(vector.line(x0, y, x0 + plot_w, y, vector.MUTED))
    grid.append(vector.line(x0, rows_top, x0, y + 5, vector.INK, 1.5, ' class="baseline"'))
    y += 6 + 11
    for x, step in ticks:
        body.append(vector.text(x, y, display.number(step), size=11, anchor="middle"))
    y += 20
    # Under the axis, centred on it: the title when it fits there, else the unit alone.
    middle = x0 + plot_w / 2
    axis = title
    if vector.text_width(axis, 12) / 2 > min(middle - MARGIN, WIDTH - MARGIN - middle):
        axis = axis_label("数值" if lang == "zh" else "Value", words, lang)
    body.append(vector.text(middle, y, axis, size=12, anchor="middle", fill=vector.MUTED))
    y += 10
    if bars.hedged:
        said = LEGEND["en" if lang == "en" else "zh"]
        base = y + 14
        legend, y = vector.lines(
            MARGIN + 30, base, said, size=12, width=inner - 30, extra=' class="legend"'
        )
        body.append(_bar(MARGIN, base - 11, 22, 13, True) + legend)
        y -= 12
    desc = "; ".join(f"{bars.labels[n]}: {values[n]}" for n in bars.order)
    drawn = head + DEFS + "".join(grid) + "".join(body)
    return vector.document(WIDTH, y + 22, title, desc, drawn, lang, citation)


def _bar(
    x: float, y: float, length: float, height: float, hedged: bool, named: str = _HIDDEN
) -> str:
    """A bar (`named`: its accessible name), or a hedged one hatched with its far end open
    (the legend's swatch too)."""
    fill = "url(#hedged)" if hedged else vector.BAR
    drawn = (
        f'<rect x="{x:.2f}" y="{y:.1f}" width="{length:.2f}" height="{height:g}" '
        f'fill="{fill}" {named}'
    )
    if not hedged:
        return drawn
    return drawn + (
        f'<path d="M{x + length:.2f},{y:.1f} H{x:.2f} V{y + height:.1f} H{x + length:.2f}" '
        f'fill="none" stroke="{vector.BAR}" stroke-width="1.5" {_HIDDEN}'
    )
