"""Bars of figures across their subjects: the value as written and its hedge, one unit."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict
from itertools import takewhile

from zgc_cli import display
from zgc_cli.charts import Glyphs, bilingual, short_name
from zgc_cli.dictionary import UNITS
from zgc_cli.display import HEDGE_EN
from zgc_cli.drawing import Drawing, Span, cells, pad
from zgc_cli.linebreak import wrap
from zgc_cli.queries.base import Sort
from zgc_cli.queries.charts import Figure as Figure

_MIN_BAR = 10


def finite(value: float) -> float:
    return value if math.isfinite(value) else 0.0


class Bars:
    """What both drawings of the bars say: each bar's label, their order, the metric's name,
    the date all share ('' if they differ: a 5月22日 figure must not pass for a 5月底 one)."""

    def __init__(self, figures: Sequence[Figure], lang: str, sort: Sort) -> None:
        # A date as written; a period in the table's words (annual: 每年).
        each_when = [display.cell("period", f.when, lang) for f in figures]
        self.when = each_when[0] if len(set(each_when)) == 1 else ""
        zh = _shared([f.metric_zh for f in figures], words=False)
        en = _shared([f.metric_en for f in figures], words=True)
        self.name = bilingual(zh, en, lang)  # the dictionary's words, never the metric slugs
        if (kinds := len({f.metric for f in figures})) > 1:  # not one series: say so on top
            self.name = bilingual(f"{zh}等{kinds}项指标", f"{en}: {kinds} metrics", lang)
        self.hedged = any(f.hedged for f in figures)
        metric_lang = "zh" if lang == "zh" else "en"
        metrics = [bilingual(f.metric_zh, f.metric_en, metric_lang) for f in figures]
        # One metric: bars of the title's label say only the subject, variants name themselves.
        # Several metrics: every bar names its own. Dates that differ: every bar says its own.
        plain = min(metrics, key=cells) if len({f.metric for f in figures}) == 1 else ""
        self.labels: list[str] = []
        for f, metric, when in zip(figures, metrics, each_when, strict=True):
            label = bilingual(short_name(f.subject_zh), short_name(f.subject_en), lang)
            label = label if metric == plain else f"{label} · {metric}"
            self.labels.append(f"{label} · {when}" if when and not self.when else label)

        def key(n: int) -> tuple[float, str] | tuple[str, float]:
            value, label = -finite(figures[n].value), self.labels[n].casefold()
            return (value, label) if sort is Sort.value else (label, value)

        self.order = sorted(range(len(figures)), key=key)


_STOP_EN = {"of", "the", "and", "in", "for", "on", "at", "by", "to"}


def _shared(labels: Sequence[str], *, words: bool) -> str:
    """The shortest label of one metric, or what several share (复工率 of 复工率 and 到岗复工率;
    Revenue of Total/Technology revenue)."""
    unique = sorted(set(filter(None, labels)), key=lambda label: (len(label), label))
    if len(unique) <= 1:
        return unique[0] if unique else ""
    split = [label.split() if words else list(label) for label in unique]
    # Chinese puts the head noun last (到岗复工率), English first, then last (Total revenue).
    for from_end in (False, True) if words else (True, False):
        rows = zip(*(s[::-1] if from_end else s for s in split), strict=False)
        common = [parts[0] for parts in takewhile(lambda p: len(set(p)) == 1, rows)]
        common = common[::-1] if from_end else common
        while words and common and common[-1].lower() in _STOP_EN:
            common.pop()
        shared = (" " if words else "").join(common).strip(" ·,、")
        if len(shared) >= (3 if words else 2):
            return shared[:1].upper() + shared[1:]
    return ("; " if words else "、").join(unique)


def value_label(figure: Figure, lang: str) -> str:
    """The value as `zgc indicators` words it in the reader's language: its hedge and basis
    (计划11.9亿元, 1.19 billion yuan (planned)); bilingual readers get both when they differ."""
    row = asdict(figure) | {"value": figure.value if math.isfinite(figure.value) else None}
    en = display.figure(row, "en") or figure.value_text
    if lang == "en":
        return en
    zh = display.figure(row, "zh") or figure.value_text
    return zh if lang == "zh" or zh == en else f"{zh} ({en})"


def _value_label(figure: Figure, lang: str) -> str:
    """A text bar's value: the table's words; bilingual, the Chinese words and the hedge."""
    zh = value_label(figure, "zh" if lang == "both" else lang)
    if not figure.hedged or lang != "both":
        return zh  # the Chinese words carry the hedge (近, 约, 超, 余, 多)
    hedge = HEDGE_EN.get(figure.qualifier, figure.qualifier.replace("_", " "))
    return f"{zh} ({hedge})"  # order_of_magnitude: "order of magnitude"


def bar_chart(
    figures: Sequence[Figure], *, width: int, glyphs: Glyphs, lang: str, sort: Sort, cite: bool
) -> Drawing:
    """Horizontal bars from zero, labelled with subject, the value as written and its hedge."""
    bars = Bars(figures, lang, sort)
    values = [_value_label(f, lang) for f in figures]
    value_cells = max(cells(v) for v in values)
    label_cells = min(max(cells(label) for label in bars.labels), max(12, int(width * 0.42)))
    bar_cells = width - label_cells - value_cells - 2
    if bar_cells < _MIN_BAR:
        label_cells = max(6, label_cells - (_MIN_BAR - bar_cells))
        bar_cells = max(_MIN_BAR, width - label_cells - value_cells - 2)
    top = max((f.value for f in figures if math.isfinite(f.value)), default=0.0)
    unit = figures[0].unit
    unit_zh = UNITS.get(unit, unit)
    at = f" · {bars.when}" if bars.when else ""
    shown = unit if unit_zh in ("", unit) else f"{unit}, {unit_zh}"
    zh = lang == "zh"
    title = f"{bars.name}（单位：{unit_zh}）{at}" if zh else f"{bars.name} (unit: {shown}){at}"
    chart = Drawing(title)
    chart.add(Span(glyphs.fit(title, width), "bold"))
    longest = f"{_number(top)} {unit_zh}" if zh else f"{_number(top)} {unit}"
    if unit == "yuan" and lang != "both":  # as the bars word money: 1,246.62 billion yuan
        longest = display.quantity(top, unit, lang)
    scale = f"条形自 0 起；最长 = {longest}" if zh else f"bars start at 0; longest = {longest}"
    chart.add(Span(glyphs.fit(scale, width), "dim"))
    for n in bars.order:
        figure = figures[n]
        length = figure.value / top * bar_cells if top > 0 and figure.value > 0 else 0.0
        label_lines = wrap(bars.labels[n], label_cells)
        chart.add(
            Span(pad(label_lines[0], label_cells) + " "),
            Span(glyphs.bar(length, figure.hedged), "yellow" if figure.hedged else "cyan"),
            Span(" " + values[n], "bold"),
        )
        for more in label_lines[1:]:
            chart.add(Span("  " + more))
        for piece in wrap(f"“{figure.quote}”", width - 4) if cite else ():
            chart.add(Span("    " + piece, "dim italic"))
    if bars.hedged:
        legend = (
            "约数：报道给出的是约数或界限（约、近、超、余、多）"
            if zh
            else "hedged: the report gives an approximate or bounded figure"
        )
        chart.add(Span(glyphs.fit(f"{glyphs.hedge} {legend}", width), "dim"))
    return chart


def _number(value: float) -> str:
    if value >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.3g}"
