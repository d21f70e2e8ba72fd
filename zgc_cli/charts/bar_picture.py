"""`zgc chart -o FILE.svg`: the bars as an SVG drawing, not a picture of the terminal.

One baseline and an axis with round ticks; bar lengths proportional to the values; labels in
their own column (estimated generously, wrapped if long) so every bar starts at the same x;
a hedged figure (约/近/超/余) hatched with an open end, explained in a legend; the title and
axis from the metric's labels and the unit's words in the reader's language; the citation
beneath. Every bar is named for a screen reader: subject, metric and value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from zgc_cli import display
from zgc_cli.charts import vector
from zgc_cli.charts.bars import Figure, labels_of, metric_name, order, shared_when
from zgc_cli.dictionary import UNITS
from zgc_cli.picture import xml_text
from zgc_cli.queries.base import Sort

WIDTH = 760
MARGIN = 20
SIZE = 13  # label and value text, px
ROW = 30  # a bar's row, px, when its label is one line
BAR = 18
GAP = 12  # between the label column and the bar, and a bar and its value


@dataclass(frozen=True)
class Scale:
    """How the axis counts: values are divided by `factor` and read in `words`."""

    factor: float
    words: str  # 亿元, billion yuan, %, "" (a bare count)


def scale(unit: str, top: float, lang: str) -> Scale:
    """The unit's words in the reader's language, in 亿/万 (zh) or billion/million (en)
    when the values are that large; bilingual readers get the Chinese."""
    if unit == "percent":
        return Scale(1.0, "%")
    zh = lang != "en"
    word = UNITS.get(unit, unit).split("/")[0] if zh else display._UNIT_EN.get(unit, unit)
    steps = ((1e8, "亿"), (1e4, "万")) if zh else ((1e9, "billion"), (1e6, "million"))
    for factor, big in steps:
        if top >= factor:
            return Scale(factor, f"{big}{word}" if zh else f"{big} {word}".strip())
    return Scale(1.0, word)


def axis_label(name: str, unit: Scale, lang: str) -> str:
    if not unit.words:
        return name
    return f"{name}（{unit.words}）" if lang != "en" else f"{name} ({unit.words})"


def value_label(figure: Figure, lang: str) -> str:
    """The value as the reader's language writes it, its hedge in words."""
    row = {
        "value": figure.value if math.isfinite(figure.value) else None,
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "value_text": figure.value_text,
    }
    en = display.figure(row, "en") or figure.value_text
    if lang == "en":
        return en
    zh = figure.value_text or display.figure(row, "zh")
    return zh if lang == "zh" or zh == en else f"{zh} ({en})"


def bar_svg(
    figures: Sequence[Figure], *, lang: str, sort: Sort, quotes: bool, citation: str
) -> tuple[str, str]:
    """The chart as a standalone SVG document, and its title."""
    labels = labels_of(figures, lang)
    values = [value_label(f, lang) for f in figures]
    bars = order(figures, labels, sort)
    top = max((_finite(f.value) for f in figures), default=0.0)
    unit = scale(figures[0].unit, top, lang)
    name = metric_name(figures, lang)
    title = axis_label(name, unit, lang)
    when = shared_when(figures)
    steps = vector.ticks(top / unit.factor)
    axis_top = steps[-1]

    inner = WIDTH - 2 * MARGIN
    label_w = min(max(vector.text_width(label, SIZE) for label in labels), inner * 0.4)
    value_w = max(vector.text_width(v, SIZE) for v in values)
    x0 = MARGIN + label_w + GAP
    plot_w = WIDTH - MARGIN - value_w - GAP - x0
    body: list[str] = []
    y: float = MARGIN
    head, y = vector.lines(
        MARGIN,
        y + 17,
        vector.wrap(f"{title} · {when}" if when else title, inner, 17),
        size=17,
        weight="bold",
        extra=' class="title"',
    )
    y += 6
    rows_top = y
    for n in bars:
        figure = figures[n]
        wrapped = vector.wrap(labels[n], label_w, SIZE)
        height = max(ROW, len(wrapped) * SIZE * 1.4 + 10)
        middle = y + height / 2
        first = middle - (len(wrapped) - 1) * SIZE * 0.7 + SIZE * 0.35
        label, _ = vector.lines(MARGIN, first, wrapped, size=SIZE, extra=' class="label"')
        body.append(label)
        length = 0.0
        if math.isfinite(figure.value) and figure.value > 0 and axis_top > 0:
            length = figure.value / unit.factor / axis_top * plot_w
        body.append(_bar(x0, middle - BAR / 2, length, figure, labels[n], values[n]))
        body.append(
            vector.text(
                x0 + length + GAP / 2,
                middle + SIZE * 0.35,
                values[n],
                size=SIZE,
                weight="bold",
                extra=' class="value"',
            )
        )
        y += height
        if quotes and figure.quote:
            said, y = vector.lines(
                x0,
                y + 11,
                vector.wrap(f"“{figure.quote}”", WIDTH - MARGIN - x0, 11),
                size=11,
                fill=vector.MUTED,
                extra=' class="quote" font-style="italic"',
            )
            body.append(said)
            y += 4
    body.insert(0, _axis(x0, plot_w, rows_top, y, steps, axis_top))
    y += 6 + 11
    for step in steps:
        x = x0 + step / axis_top * plot_w if axis_top else x0
        body.append(vector.text(x, y, vector.tick_label(step), size=11, anchor="middle"))
    y += 20
    # Under the axis, centred on it: the title when it fits there, else the unit alone.
    middle = x0 + plot_w / 2
    axis = title
    if vector.text_width(axis, 12) / 2 > min(middle - MARGIN, WIDTH - MARGIN - middle):
        axis = axis_label("数值" if lang == "zh" else "Value", unit, lang)
    body.append(vector.text(middle, y, axis, size=12, anchor="middle", fill=vector.MUTED))
    y += 10
    if any(f.hedged for f in figures):
        legend, y = _legend(MARGIN, y + 14, lang)
        body.append(legend)
    cite, y = vector.citation(MARGIN, y + 22, citation, inner)
    body.append(cite)
    desc = "; ".join(f"{labels[n]}: {values[n]}" for n in bars)
    document = vector.document(
        WIDTH, y + MARGIN - 11, title, desc, head + _defs() + "".join(body), lang
    )
    return document, title


def _finite(value: float) -> float:
    return value if math.isfinite(value) else 0.0


def _defs() -> str:
    return (
        '<defs><pattern id="hedged" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#dbe7f3"/>'
        f'<rect width="2.5" height="6" fill="{vector.BAR}"/></pattern></defs>'
    )


def _bar(x: float, y: float, length: float, figure: Figure, label: str, value: str) -> str:
    """A bar with its accessible name; a hedged one hatched, its far end left open."""
    name = xml_text(f"{label}: {value}")
    common = (
        f'class="bar{" hedged" if figure.hedged else ""}" role="img" aria-label="{name}" '
        f'data-value="{_finite(figure.value)!r}" data-id="{xml_text(figure.indicator_id)}"'
    )
    fill = "url(#hedged)" if figure.hedged else vector.BAR
    rect = (
        f'<rect x="{x:.2f}" y="{y:.1f}" width="{length:.2f}" height="{BAR}" '
        f'fill="{fill}" {common}><title>{name}</title></rect>'
    )
    if not figure.hedged:
        return rect
    return rect + (
        f'<path d="M{x + length:.2f},{y:.1f} H{x:.2f} V{y + BAR:.1f} H{x + length:.2f}" '
        f'fill="none" stroke="{vector.BAR}" stroke-width="1.5" aria-hidden="true"/>'
    )


def _axis(
    x0: float, plot_w: float, top: float, bottom: float, steps: list[float], most: float
) -> str:
    """Grid lines at the ticks, and the baseline every bar starts from."""
    out = []
    for step in steps[1:]:
        x = x0 + step / most * plot_w
        out.append(
            f'<line x1="{x:.2f}" y1="{top:.1f}" x2="{x:.2f}" y2="{bottom + 5:.1f}" '
            f'stroke="{vector.GRID}" stroke-width="1"/>'
        )
    out.append(
        f'<line x1="{x0:.2f}" y1="{bottom:.1f}" x2="{x0 + plot_w:.2f}" y2="{bottom:.1f}" '
        f'stroke="{vector.MUTED}" stroke-width="1"/>'
    )
    out.append(
        f'<line class="baseline" x1="{x0:.2f}" y1="{top:.1f}" x2="{x0:.2f}" '
        f'y2="{bottom + 5:.1f}" stroke="{vector.INK}" stroke-width="1.5"/>'
    )
    return "".join(out)


def _legend(x: float, y: float, lang: str) -> tuple[str, float]:
    words = {
        "zh": "约数：报道给出的是约数或界限（约、近、超、余）",
        "en": "Hedged: the report gives an approximate or bounded figure "
        "(about, nearly, over, more than)",
    }
    said = words["en"] if lang == "en" else words["zh"]
    swatch = (
        f'<rect x="{x:.1f}" y="{y - 11:.1f}" width="22" height="13" fill="url(#hedged)" '
        'aria-hidden="true"/>'
        f'<path d="M{x + 22:.1f},{y - 11:.1f} H{x:.1f} V{y + 2:.1f} H{x + 22:.1f}" fill="none" '
        f'stroke="{vector.BAR}" stroke-width="1.5" aria-hidden="true"/>'
    )
    wrapped = vector.wrap(said, WIDTH - MARGIN - x - 30, 12)
    said_lines, after = vector.lines(x + 30, y, wrapped, size=12, extra=' class="legend"')
    return swatch + said_lines, after - 12
