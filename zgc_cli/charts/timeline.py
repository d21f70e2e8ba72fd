"""Dated events on a time axis, a letter (and a colour) per park."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from zgc_cli.charts import Glyphs, bilingual
from zgc_cli.drawing import Drawing, Span, cells, pad
from zgc_cli.linebreak import wrap
from zgc_cli.queries.charts import find_events as find_events  # commands.lists asks here

AXIS_START = dt.date(2020, 1, 1)
AXIS_END = dt.date(2020, 6, 30)
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EARLIER_EN = "before the axis (the report gives only the year)"
_PALETTE = ("cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta")


class Axis:
    """What both drawings of the events share: the dated and the undated, each park's first
    event (None: the zone), the months of the axis (Jan-Jun 2020, widened for later days)."""

    def __init__(self, events: Sequence[Mapping[str, Any]]) -> None:
        self.dated = [e for e in events if e["when"] is not None]
        self.undated = [e for e in events if e["when"] is None]
        self.parks: dict[str | None, Mapping[str, Any]] = {}
        for event in self.dated:
            self.parks.setdefault(event["park_id"] or None, event)
        self.earlier = any(e["when"] < AXIS_START for e in self.dated)
        last = max([AXIS_END, *(e["when"] for e in self.dated)])
        self.months = [AXIS_START]
        while (after := next_month(self.months[-1])) <= last:
            self.months.append(after)
        self.end = next_month(self.months[-1])  # the day after the axis
        self.days = (self.end - AXIS_START).days
        self.same_year = all(m.year == AXIS_START.year for m in self.months)
        ends = (self.months[0], self.months[-1])
        self.span_zh = "至".join(f"{m.year}年{m.month}月" for m in ends)
        self.span_en = " to ".join(f"{MONTHS_EN[m.month - 1]} {m.year}" for m in ends)

    def month(self, month: dt.date, zh: bool, year: str = "") -> str:
        """4月 or Apr; on an axis of several years, a January is its year (and `year`)."""
        if not self.same_year and month.month == 1:
            return f"{month.year}{year}"
        return f"{month.month}月" if zh else MONTHS_EN[month.month - 1]


def next_month(day: dt.date) -> dt.date:
    return (day + dt.timedelta(days=32)).replace(day=1)


def park_name(event: Mapping[str, Any], lang: str, zone: tuple[str, str]) -> str:
    """The event's park in the reader's language; `zone` (zh, en) for an event of no park."""
    park = event["park_id"]
    if not park:
        return zone[lang != "zh"]
    return bilingual(str(event["park_zh"] or park), str(event["park_en"] or park), lang)


def event_title(event: Mapping[str, Any], lang: str) -> str:
    return bilingual(str(event["title_zh"] or ""), str(event["title_en"] or ""), lang)


def date_words(event: Mapping[str, Any], lang: str) -> str:
    """A date the report gives only in words: 2018年, or 2018 for an English reader."""
    text = str(event["date_text"] or "")
    return text.removesuffix("年") if lang == "en" and text[:-1].isdigit() else text


def timeline_chart(
    events: Sequence[dict[str, Any]], *, width: int, glyphs: Glyphs, lang: str = "both"
) -> Drawing:
    """One row per event in time order (2018年 first, at the axis's left edge), a letter (and
    colour) per park explained in a legend; undated events listed below."""
    axis = Axis(events)
    months, same_year = axis.months, axis.same_year
    per_month = max(4, min(12, int(width * 0.4) // len(months)))
    track_cells = per_month * len(months)
    worded = [cells(date_words(e, lang)) for e in axis.dated if e["date"] is None]  # 2018年
    date_cells = max([5 if same_year else 10, *worded])
    keys: dict[str | None, tuple[str, str]] = {}  # a park's letter and style; the zone's: *
    for n, park in enumerate(axis.parks):
        letter = "*" if park is None else chr(ord("A") + sum(k is not None for k in keys))
        keys[park] = (letter, "bold" if park is None else _PALETTE[n % len(_PALETTE)])

    title = f"大事记: {axis.span_zh}" if lang == "zh" else f"Dated events, {axis.span_en}"
    title = f"大事记 {title}" if lang == "both" else title
    chart = Drawing(title)
    chart.add(Span(glyphs.fit(title, width), "bold"))
    names = [pad(glyphs.fit(axis.month(m, lang == "zh"), per_month - 1), per_month) for m in months]
    chart.add(Span(" " * (date_cells + 3) + "".join(names).rstrip(), "dim"))
    title_cells = max(8, width - date_cells - 3 - track_cells - 1)
    track = [glyphs.tick if n % per_month == 0 else glyphs.track for n in range(track_cells)]
    for event in axis.dated:
        letter, style = keys[event["park_id"] or None]
        day: dt.date = event["when"]
        earlier = day < months[0]  # before the axis: at its left edge, pointing left
        column = min(track_cells - 1, int((day - months[0]).days / axis.days * track_cells))
        column = 0 if earlier else column
        if event["date"] is None:
            shown = glyphs.fit(date_words(event, lang), date_cells)
        else:
            shown = day.strftime("%m-%d") if same_year else day.isoformat()
        chart.add(
            Span(f"{pad(shown, date_cells)} "),  # every row's track starts in the same column
            Span(letter, style),
            Span(" " + "".join(track[:column]), "dim"),
            Span(glyphs.earlier if earlier else letter, style),
            Span("".join(track[column + 1 :]) + " ", "dim"),
            Span(glyphs.fit(event_title(event, lang), title_cells)),
        )

    chart.add()
    line: list[Span] = []  # the legend, a letter and a name per park, over as many lines
    used = 0
    for park, (letter, style) in sorted(keys.items(), key=lambda item: item[0] is None):
        label = park_name(axis.parks[park], lang, ("全区 (无园区)", "zone-wide (no park)"))
        label = glyphs.fit(label, width - 4)
        if line and used + cells(label) + 4 > width:
            chart.add(*line)
            line, used = [], 0
        line += [Span("  " if line else ""), Span(letter, style), Span(f" {label}")]
        used += cells(label) + 4
    if line:
        chart.add(*line)
    if axis.earlier:
        legend = "早于时间轴 (只有年份)" if lang == "zh" else EARLIER_EN
        chart.add(Span(glyphs.fit(f"{glyphs.earlier} {legend}", width), "dim"))
    if axis.undated:
        listed = ", ".join(f"{e['event_id']} ({e['date_text']})" for e in axis.undated)
        note = (
            f"未标日期、不在时间轴上: {listed}"
            if lang == "zh"
            else f"{len(axis.undated)} undated event(s) not on the axis: {listed}"
        )
        for piece in wrap(note, width):
            chart.add(Span(piece, "dim"))
    return chart
