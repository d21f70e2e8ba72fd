"""Dated events on a time axis, a letter (and a colour) per park."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from zgc_cli.charts import Glyphs, bilingual
from zgc_cli.db.statement import named
from zgc_cli.drawing import Drawing, Span, cells, pad
from zgc_cli.linebreak import wrap
from zgc_cli.queries.charts import EVENTS_SQL

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database

AXIS_START = dt.date(2020, 1, 1)
AXIS_END = dt.date(2020, 6, 30)
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PALETTE = ("cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta")
_ZONE_KEY = "*"


def find_events(
    db: Database, since: dt.date | None, until: dt.date | None, limit: int | None = None
) -> list[dict[str, Any]]:
    result = db.run(named(EVENTS_SQL), {"since": since, "until": until})
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows()]
    return rows[:limit]


class Axis:
    """The events split into dated and undated, and the months of the axis: January to June
    2020, widened for later days."""

    def __init__(self, events: Sequence[Any]) -> None:
        self.dated = [e for e in events if e["when"] is not None]
        self.undated = [e for e in events if e["when"] is None]
        last = max([AXIS_END, *(e["when"] for e in self.dated)])
        self.months = [AXIS_START]
        while (after := next_month(self.months[-1])) <= last:
            self.months.append(after)
        self.end = next_month(self.months[-1])  # the day after the axis
        self.days = (self.end - AXIS_START).days
        self.same_year = all(m.year == AXIS_START.year for m in self.months)
        first, last = self.months[0], self.months[-1]
        self.span_zh = f"{first.year}年{first.month}月至{last.year}年{last.month}月"
        self.span_en = (
            f"{MONTHS_EN[first.month - 1]} {first.year} to {MONTHS_EN[last.month - 1]} {last.year}"
        )


def next_month(day: dt.date) -> dt.date:
    return (day + dt.timedelta(days=32)).replace(day=1)


def _worded(event: dict[str, Any], lang: str) -> str:
    """A date the report gives only in words: 2018年, or 2018 for an English reader."""
    text = str(event["date_text"] or "")
    return text.removesuffix("年") if lang == "en" and text[:-1].isdigit() else text


def timeline_chart(
    events: Sequence[dict[str, Any]], *, width: int, glyphs: Glyphs, lang: str = "both"
) -> Drawing:
    """One row per event on a January–June 2020 axis (widened for later days), in time
    order; an event the report dates only by an earlier year (2018年) comes first, marked at
    the axis's left edge. Each park has a letter (and a colour on a terminal), explained in a
    legend; events with no time at all are listed below."""
    axis = Axis(events)
    dated, undated, months, same_year = axis.dated, axis.undated, axis.months, axis.same_year
    per_month = max(4, min(12, int(width * 0.4) // len(months)))
    track_cells = per_month * len(months)
    worded = [cells(_worded(e, lang)) for e in dated if e["date"] is None]  # 2018年
    date_cells = max([5 if same_year else 10, *worded])

    keys: dict[str | None, tuple[str, str]] = {}
    for event in dated:
        park = event["park_id"] or None
        if park not in keys:
            letter = _ZONE_KEY if park is None else chr(ord("A") + sum(k is not None for k in keys))
            keys[park] = (letter, "bold" if park is None else _PALETTE[len(keys) % len(_PALETTE)])

    title = f"大事记: {axis.span_zh}" if lang == "zh" else f"Dated events, {axis.span_en}"
    title = f"大事记 {title}" if lang == "both" else title
    chart = Drawing(title)
    chart.add(Span(glyphs.fit(title, width), "bold"))

    lead = " " * (date_cells + 3)
    header = ""
    for month in months:
        name = f"{month.month}月" if lang == "zh" else MONTHS_EN[month.month - 1]
        if not same_year and month.month == 1:
            name = f"{month.year}"
        header += pad(glyphs.fit(name, per_month - 1), per_month)
    chart.add(Span(lead + header.rstrip(), "dim"))

    title_cells = max(8, width - date_cells - 3 - track_cells - 1)
    for event in dated:
        letter, style = keys[event["park_id"] or None]
        day: dt.date = event["when"]
        earlier = day < months[0]  # before the axis: at its left edge, pointing left
        column = (
            0
            if earlier
            else min(track_cells - 1, int((day - months[0]).days / axis.days * track_cells))
        )
        track = [glyphs.tick if n % per_month == 0 else glyphs.track for n in range(track_cells)]
        before, after = "".join(track[:column]), "".join(track[column + 1 :])
        if event["date"] is None:
            shown = glyphs.fit(_worded(event, lang), date_cells)
        else:
            shown = day.strftime("%m-%d") if same_year else day.isoformat()
        shown = pad(shown, date_cells)  # every row's track starts in the same column
        name = bilingual(event["title_zh"] or "", event["title_en"] or "", lang)
        chart.add(
            Span(f"{shown} "),
            Span(letter, style),
            Span(" " + before, "dim"),
            Span(glyphs.earlier if earlier else letter, style),
            Span(after + " ", "dim"),
            Span(glyphs.fit(name, title_cells)),
        )

    chart.add()
    line: list[Span] = []  # the legend, a letter and a name per park, over as many lines
    used = 0
    for park, (letter, style) in sorted(keys.items(), key=lambda item: item[0] is None):
        if park is None:
            label = "全区 (无园区)" if lang == "zh" else "zone-wide (no park)"
        else:
            row = next(e for e in dated if e["park_id"] == park)
            label = bilingual(row["park_zh"] or park, row["park_en"] or park, lang)
        label = glyphs.fit(label, width - 4)
        size = cells(label) + 4
        if line and used + size > width:
            chart.add(*line)
            line, used = [], 0
        line += [Span("  " if line else ""), Span(letter, style), Span(f" {label}")]
        used += size
    if line:
        chart.add(*line)
    if any(e["when"] < months[0] for e in dated):
        legend = (
            f"{glyphs.earlier} 早于时间轴 (只有年份)"
            if lang == "zh"
            else f"{glyphs.earlier} before the axis (the report gives only the year)"
        )
        chart.add(Span(glyphs.fit(legend, width), "dim"))
    if undated:
        names = ", ".join(f"{e['event_id']} ({e['date_text']})" for e in undated)
        note = (
            f"未标日期、不在时间轴上: {names}"
            if lang == "zh"
            else f"{len(undated)} undated event(s) not on the axis: {names}"
        )
        for piece in wrap(note, width):
            chart.add(Span(piece, "dim"))
    return chart
