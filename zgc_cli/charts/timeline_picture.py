"""`zgc timeline -o FILE.svg`: one row per dated event, its date and name wrapped in their
columns and a dot on the time axis coloured by park (an event of an earlier year: an arrow at
its left edge), a legend; dates read 4月17日, or Apr 17 for an English reader."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from zgc_cli.charts import timeline, vector
from zgc_cli.picture import xml_text

WIDTH = 900
MARGIN = vector.MARGIN
SIZE = 13
GAP = 14
_ZONE = ("全区（无园区）", "Zone-wide (no park)")


def date_label(event: Mapping[str, Any], lang: str, same_year: bool) -> str:
    """4月17日 / Apr 17 (the year too when the axis spans years); words the report gives
    only as a year (2018年) as the year, without 年 for an English reader."""
    day = event.get("date")
    if isinstance(day, dt.date):
        if lang == "en":
            shown = f"{timeline.MONTHS_EN[day.month - 1]} {day.day}"
            return shown if same_year else f"{shown}, {day.year}"
        shown = f"{day.month}月{day.day}日"
        return shown if same_year else f"{day.year}年{shown}"
    worded = timeline.date_words(event, "en" if lang == "en" else "zh")
    return "" if lang == "en" and any(vector.em(c) == 1.0 for c in worded) else worded


def timeline_svg(
    events: Sequence[Mapping[str, Any]], *, lang: str, citation: str
) -> tuple[str, str]:
    """The events as a standalone SVG document, and its title."""
    axis = timeline.Axis(events)
    months, dated = axis.months, axis.dated
    title = f"Dated events, {axis.span_en}" if lang == "en" else f"大事记：{axis.span_zh}"
    colours = {park: vector.PALETTE[n % len(vector.PALETTE)] for n, park in enumerate(axis.parks)}

    inner = WIDTH - 2 * MARGIN
    dates = [date_label(e, lang, axis.same_year) for e in dated]
    names = [timeline.event_title(e, lang) for e in dated]
    date_w = max([vector.text_width(d, SIZE) for d in dates] + [vector.text_width("00", SIZE)])
    name_w = min(max([vector.text_width(n, SIZE) for n in names], default=0.0), inner * 0.42)
    name_x = MARGIN + date_w + GAP
    x0 = name_x + name_w + GAP + 10  # room for an arrow before the axis
    plot_w = WIDTH - MARGIN - x0

    def at(day: dt.date) -> float:
        return x0 + (day - months[0]).days / axis.days * plot_w

    head, y = vector.lines(MARGIN, MARGIN + 17, title, size=17, width=inner, weight="bold")
    top = y
    rows: list[str] = []
    for event, date, name in zip(dated, dates, names, strict=True):
        wrapped = vector.wrap(name, name_w, SIZE)
        height, middle, first = vector.row(y, len(wrapped), 26, 8, SIZE)
        rows.append(vector.text(MARGIN, first, date, size=SIZE, extra=' class="date"'))
        rows.append(vector.lines(name_x, first, wrapped, size=SIZE, extra=' class="name"')[0])
        spoken = xml_text(
            f"{date or event['when']}: {name} ({timeline.park_name(event, lang, _ZONE)})"
        )
        mark = (
            f'fill="{colours[event["park_id"] or None]}" class="event" role="img" '
            f'aria-label="{spoken}" data-id="{xml_text(event["event_id"])}"><title>{spoken}</title>'
        )
        if event["when"] < months[0]:  # before the axis: an arrow at its left edge
            rows.append(f'<path d="M{x0 - 10:.1f},{middle:.1f} l10,-6 v12 z" {mark}</path>')
        else:
            cx = at(event["when"])
            rows.append(f'<circle cx="{cx:.2f}" cy="{middle:.1f}" r="5.5" {mark}</circle>')
        y += height
    grid = []
    for month in months:
        x = at(month)
        grid.append(vector.line(x, top, x, y + 5, vector.GRID))
        word = axis.month(month, lang != "en", "" if lang == "en" else "年")
        middle_x = x + (at(min(axis.end, timeline.next_month(month))) - x) / 2
        grid.append(vector.text(middle_x, y + 20, word, size=11, anchor="middle"))
    grid.append(vector.line(x0, y, x0 + plot_w, y, vector.MUTED))
    y += 34
    legend: list[str] = []  # a swatch and name per park, over as many lines as need be
    x = MARGIN
    for park, event in axis.parks.items():
        said = timeline.park_name(event, lang, _ZONE)
        size = 20 + vector.text_width(said, 12) + 18
        if x > MARGIN and x + size > WIDTH - MARGIN:
            x, y = MARGIN, y + 20
        legend.append(f'<circle cx="{x + 6:.1f}" cy="{y - 4:.1f}" r="5.5" fill="{colours[park]}"/>')
        legend.append(vector.text(x + 18, y, said, size=12, extra=' class="legend"'))
        x += size
    if axis.earlier:
        said = "早于时间轴（报道只给出年份）" if lang == "zh" else timeline.EARLIER_EN
        y += 20
        legend.append(
            vector.text(MARGIN, y, f"◀ {said}", size=12, fill=vector.MUTED, extra=' class="legend"')
        )
    y += 6
    notes = ""
    if axis.undated:
        listed = ", ".join(timeline.event_title(e, lang) for e in axis.undated)
        said = f"未标日期、不在时间轴上：{listed}" if lang == "zh" else f"Undated: {listed}"
        notes, y = vector.lines(MARGIN, y + 8, said, size=12, width=inner)
    desc = "; ".join(f"{d}: {n}" for d, n in zip(dates, names, strict=True))
    body = head + "".join(grid + rows + legend) + notes
    return vector.document(WIDTH, y + 14, title, desc, body, lang, citation)
