"""Charts drawn in text: bars of indicators across their subjects, and events on a time axis.

A chart is lines of styled spans, laid out in terminal cells (`rich.cells.cell_len`, so CJK
lines up) to fit a given width. It prints plain (ASCII bars, no ANSI) when piped, through a
Rich console on a terminal, or onto a recording console for a picture. SQL is named here and
values are always bound. Never imports typer; Rich only inside functions.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from zgc_cli.db.statement import named
from zgc_cli.dictionary import UNITS
from zgc_cli.errors import UsageError
from zgc_cli.queries import Sort, did_you_mean, exact_metrics, metric_match, metric_params

if TYPE_CHECKING:
    from rich.console import Console

    from zgc_cli.db.connection import Database

CHART_WIDTH = 80  # off a terminal, charts fit an 80-column page
_MIN_BAR = 10


# --- lines of styled text -------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    text: str
    style: str = ""


Line = tuple[Span, ...]


@dataclass
class Chart:
    """A drawn chart: its title (also the picture's title) and its lines, title first."""

    title: str
    lines: list[Line] = field(default_factory=list)

    def plain(self) -> str:
        return "".join("".join(span.text for span in line).rstrip() + "\n" for line in self.lines)

    def draw(self, console: Console) -> None:
        from rich.text import Text

        for line in self.lines:
            text = Text(no_wrap=True, end="\n")
            for span in line:
                text.append(span.text, style=span.style or None)
            console.print(text, soft_wrap=True)

    def write(self, stream: TextIO, *, fancy: bool, color: bool, width: int) -> None:
        """Plain text for pipes and files; a Rich console (colour if wanted) for a terminal."""
        if not fancy:
            stream.write(self.plain())
            return
        from rich.console import Console

        console = Console(
            file=stream,
            width=width,
            force_terminal=color,
            no_color=not color,
            color_system="standard" if color else None,
            highlight=False,
            emoji=False,
            markup=False,
            soft_wrap=True,
        )
        self.draw(console)


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


def cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def fit(text: str, width: int, glyphs: Glyphs) -> str:
    """`text` cut to `width` terminal cells (CJK counts 2), marked when cut."""
    if cells(text) <= width:
        return text
    room = width - cells(glyphs.more)
    kept, used = [], 0
    for char in text:
        size = cells(char)
        if used + size > room:
            break
        kept.append(char)
        used += size
    return "".join(kept) + glyphs.more


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cells(text))


_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"  # CJK, full-width forms: break anywhere
_TOKENS = re.compile(rf"[{_WIDE}]|[^\s{_WIDE}]+\s*|\s+")


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrap by terminal cells: English breaks between words, Chinese anywhere."""
    lines: list[str] = []
    current, used = "", 0
    for token in _TOKENS.findall(text):
        size = cells(token.rstrip())
        if used + size > width and current.strip():
            lines.append(current.rstrip())
            current, used = "", 0
            token = token.lstrip()
        while cells(token.rstrip()) > width:  # a word longer than a line
            head = fit_exact(token, width)
            lines.append(head)
            token = token[len(head) :]
        current += token
        used = cells(current)
    if current.strip():
        lines.append(current.rstrip())
    return lines or [""]


def fit_exact(text: str, width: int) -> str:
    kept, used = [], 0
    for char in text:
        size = cells(char)
        if used + size > width:
            break
        kept.append(char)
        used += size
    return "".join(kept)


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


# --- bar charts of indicators ---------------------------------------------------------------

HEDGE_WORDS = {
    "approx": "about",
    "nearly": "nearly",
    "over": "over",
    "more_than": "more than",
    "order_of_magnitude": "order of magnitude",
}

INDICATOR_SQL = """
SELECT i.indicator_id, i.metric, i.metric_zh, i.metric_en, i.value, i.unit, i.qualifier,
       i.value_text, i.quote,
       coalesce(s.name_zh, nullif(i.subject_id, ''), '(unnamed ' || i.subject_type || ')')
           AS subject_zh,
       coalesce(s.name_en, nullif(i.subject_id, ''), '(unnamed ' || i.subject_type || ')')
           AS subject_en,
       i.park_id IN (
           SELECT park_id FROM parks
           WHERE list_contains($parks, park_id) OR list_contains($parks, parent_park_id)
       ) AS in_parks,
       [{matched}] AS matched
FROM indicators i
LEFT JOIN _subjects s USING (subject_type, subject_id)
WHERE {any_matched}
ORDER BY i.indicator_id
"""


@dataclass(frozen=True)
class Figure:
    """One bar: an indicator with its subject's names."""

    indicator_id: str
    metric: str
    metric_zh: str
    metric_en: str
    value: float
    unit: str
    qualifier: str
    value_text: str
    quote: str
    subject_zh: str
    subject_en: str

    @property
    def hedged(self) -> bool:
        return self.qualifier not in ("", "exact")


def indicator_sql(
    patterns: Sequence[str], exact: Collection[str] = ()
) -> tuple[str, dict[str, Any]]:
    """The SQL and parameters for indicators whose metric name or label matches a pattern
    (`exact`: the patterns that are metric names, which match only themselves)."""
    clauses = [metric_match(f"m{n}", p in exact) for n, p in enumerate(patterns)]
    params: dict[str, Any] = {}
    for n, pattern in enumerate(patterns):
        params.update(metric_params(f"m{n}", pattern, pattern in exact))
    sql = INDICATOR_SQL.format(matched=", ".join(clauses), any_matched=" OR ".join(clauses))
    return sql, params


def find_figures(
    db: Database, patterns: Sequence[str], unit: str | None, parks: Sequence[str]
) -> list[Figure]:
    """Indicators matching any pattern, in `unit`, of subjects in `parks` (and their bases).

    A pattern that matches no metric at all is a usage error; so is a mix of units.
    """
    if not patterns:
        raise UsageError("name at least one metric, e.g. work_resumption_rate or '*resumption*'")
    sql, params = indicator_sql(patterns, exact_metrics(db, patterns))
    params["parks"] = list(parks)
    result = db.run(named(sql), params)
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows()]
    for n, pattern in enumerate(patterns):
        if not any(row["matched"][n] for row in rows):
            names = [
                str(r[0]) for r in db.run(named("SELECT DISTINCT metric FROM indicators")).rows()
            ]
            raise UsageError(
                f"no metric matches {pattern!r}{did_you_mean(pattern, names)} "
                "(see `zgc indicators` for metric names; globs like '*rate*' work)"
            )
    chosen = [
        row
        for row in rows
        if (unit is None or row["unit"] == unit) and (not parks or row["in_parks"])
    ]
    if not chosen:
        found = sorted({str(row["unit"]) for row in rows})
        where = f" in {', '.join(parks)}" if parks else ""
        raise UsageError(
            f"nothing to draw: no matching figure{where} is in {unit or 'any unit'}"
            f" (their units: {', '.join(found)})"
            if unit is not None
            else f"nothing to draw: no matching figure{where}"
        )
    units: dict[str, int] = {}
    for row in chosen:
        units[row["unit"]] = units.get(row["unit"], 0) + 1
    if len(units) > 1:
        listed = ", ".join(f"{name} ({count})" for name, count in sorted(units.items()))
        raise UsageError(
            f"cannot chart mixed units: {listed}; choose one with --unit, "
            f"e.g. --unit {max(units, key=lambda u: units[u])}"
        )
    fields = Figure.__dataclass_fields__
    return [Figure(**{name: _field(row[name], name) for name in fields}) for row in chosen]


def _field(value: Any, name: str) -> Any:
    if name == "value":
        return float(value) if value is not None else math.nan
    return "" if value is None else str(value)


def _labels(figures: Sequence[Figure], lang: str) -> list[str]:
    subjects = [
        bilingual(short_name(f.subject_zh), short_name(f.subject_en), lang) for f in figures
    ]
    metric_lang = "zh" if lang == "zh" else "en"
    metric_labels = [bilingual(f.metric_zh, f.metric_en, metric_lang) for f in figures]
    # One metric: bars of the title's label say only the subject, variants name themselves.
    # Several metrics: every bar names its own.
    plain = min(metric_labels, key=cells) if len({f.metric for f in figures}) == 1 else ""
    return [s if m == plain else f"{s} · {m}" for s, m in zip(subjects, metric_labels, strict=True)]


def _value_label(figure: Figure, lang: str) -> str:
    if not figure.hedged or lang == "zh":
        return figure.value_text  # the Chinese words carry the hedge (近, 约, 超, 余, 多)
    return f"{figure.value_text} ({HEDGE_WORDS.get(figure.qualifier, figure.qualifier)})"


def _title(figures: Sequence[Figure], lang: str) -> str:
    metrics = list(dict.fromkeys(f.metric for f in figures))
    if len(metrics) == 1:
        first = next(f for f in figures if f.metric == metrics[0])
        del first
        zh = min((f.metric_zh for f in figures if f.metric == metrics[0]), key=cells)
        en = min((f.metric_en for f in figures if f.metric == metrics[0]), key=cells)
        name = bilingual(zh, en, lang)
    else:
        name = ", ".join(metrics)
    unit = figures[0].unit
    unit_zh = UNITS.get(unit, unit)
    if lang == "zh":
        return f"{name} (单位: {unit_zh})"
    shown = unit if unit_zh in ("", unit) else f"{unit}, {unit_zh}"
    return f"{name} (unit: {shown})"


def bar_chart(
    figures: Sequence[Figure],
    *,
    width: int,
    glyphs: Glyphs,
    lang: str = "both",
    sort: Sort = Sort.value,
    cite: bool = False,
) -> Chart:
    """Horizontal bars from zero, labelled with subject, the value as written and its hedge."""
    labels = _labels(figures, lang)
    values = [_value_label(f, lang) for f in figures]
    order = list(range(len(figures)))
    if sort is Sort.value:
        order.sort(key=lambda n: (-figures[n].value, labels[n].casefold()))
    else:
        order.sort(key=lambda n: (labels[n].casefold(), -figures[n].value))
    value_cells = max(cells(v) for v in values)
    label_cells = min(max(cells(label) for label in labels), max(12, int(width * 0.42)))
    bar_cells = width - label_cells - value_cells - 2
    if bar_cells < _MIN_BAR:
        label_cells = max(6, label_cells - (_MIN_BAR - bar_cells))
        bar_cells = max(_MIN_BAR, width - label_cells - value_cells - 2)
    top = max((f.value for f in figures if math.isfinite(f.value)), default=0.0)
    title = _title(figures, lang)
    chart = Chart(title)
    chart.lines.append((Span(fit(title, width, glyphs), "bold"),))
    unit = figures[0].unit
    scale = (
        f"条形自 0 起; 最长 = {_number(top)} {UNITS.get(unit, unit)}"
        if lang == "zh"
        else f"bars start at 0; longest = {_number(top)} {unit}"
    )
    chart.lines.append((Span(fit(scale, width, glyphs), "dim"),))
    for n in order:
        figure = figures[n]
        length = figure.value / top * bar_cells if top > 0 and figure.value > 0 else 0.0
        bar = glyphs.bar(length, figure.hedged)
        label_lines = wrap(labels[n], label_cells)
        chart.lines.append(
            (
                Span(pad(label_lines[0], label_cells) + " "),
                Span(bar, "yellow" if figure.hedged else "cyan"),
                Span(" " + values[n], "bold"),
            )
        )
        for more in label_lines[1:]:
            chart.lines.append((Span("  " + more),))
        if cite:
            indent = "    "
            for piece in wrap(f"“{figure.quote}”", width - len(indent)):
                chart.lines.append((Span(indent + piece, "dim italic"),))
    if any(f.hedged for f in figures):
        legend = (
            f"{glyphs.hedge} 约数: 报道给出的是约数或界限(约、近、超、余、多)"
            if lang == "zh"
            else f"{glyphs.hedge} hedged: the report gives an approximate or bounded figure"
        )
        chart.lines.append((Span(fit(legend, width, glyphs), "dim"),))
    return chart


def _number(value: float) -> str:
    if value >= 100 or value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.3g}"


# --- the timeline ---------------------------------------------------------------------------

EVENTS_SQL = """
SELECT e.event_id, e."date", e.date_text, e.park_id, e.title_zh, e.title_en,
       k.name_zh AS park_zh, k.name_en AS park_en
FROM events e LEFT JOIN parks k USING (park_id)
WHERE ($since IS NULL OR e."date" >= $since) AND ($until IS NULL OR e."date" <= $until)
ORDER BY e."date" NULLS LAST, e.event_id
"""
AXIS_START = dt.date(2020, 1, 1)
AXIS_END = dt.date(2020, 6, 30)
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_PALETTE = ("cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta")
_ZONE_KEY = "*"


def find_events(
    db: Database, since: dt.date | None, until: dt.date | None, limit: int | None = None
) -> list[dict[str, Any]]:
    result = db.run(named(EVENTS_SQL), {"since": since, "until": until})
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows()]
    return rows if limit is None else rows[:limit]


def _month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return months


def timeline_chart(
    events: Sequence[dict[str, Any]], *, width: int, glyphs: Glyphs, lang: str = "both"
) -> Chart:
    """One row per dated event on a January–June 2020 axis (widened if events fall outside);
    each park has a letter (and a colour on a terminal), explained in a legend."""
    dated = [e for e in events if e["date"] is not None]
    undated = [e for e in events if e["date"] is None]
    first = min([AXIS_START, *(e["date"] for e in dated)])
    last = max([AXIS_END, *(e["date"] for e in dated)])
    months = _month_starts(first, last)
    end = (months[-1] + dt.timedelta(days=32)).replace(day=1)  # the day after the axis
    per_month = max(4, min(12, int(width * 0.4) // len(months)))
    track_cells = per_month * len(months)
    span_days = (end - months[0]).days
    same_year = all(m.year == months[0].year for m in months)
    date_cells = 5 if same_year else 10

    keys: dict[str | None, tuple[str, str]] = {}
    for event in dated:
        park = event["park_id"] or None
        if park not in keys:
            letter = _ZONE_KEY if park is None else chr(ord("A") + sum(k is not None for k in keys))
            keys[park] = (letter, "bold" if park is None else _PALETTE[len(keys) % len(_PALETTE)])

    if lang == "zh":
        first_month, last_month = months[0], months[-1]
        title = (
            f"大事记: {first_month.year}年{first_month.month}月"
            f"至{last_month.year}年{last_month.month}月"
        )
    else:
        title = (
            f"Dated events, {_MONTHS_EN[months[0].month - 1]} {months[0].year} to "
            f"{_MONTHS_EN[months[-1].month - 1]} {months[-1].year}"
        )
        if lang == "both":
            title = f"大事记 {title}"
    chart = Chart(title)
    chart.lines.append((Span(fit(title, width, glyphs), "bold"),))

    lead = " " * (date_cells + 3)
    header = ""
    for month in months:
        name = f"{month.month}月" if lang == "zh" else _MONTHS_EN[month.month - 1]
        if not same_year and month.month == 1:
            name = f"{month.year}"
        header += pad(fit(name, per_month - 1, glyphs), per_month)
    chart.lines.append((Span(lead + header.rstrip(), "dim"),))

    title_cells = max(8, width - date_cells - 3 - track_cells - 1)
    for event in dated:
        letter, style = keys[event["park_id"] or None]
        day: dt.date = event["date"]
        column = min(track_cells - 1, int((day - months[0]).days / span_days * track_cells))
        track = [glyphs.tick if n % per_month == 0 else glyphs.track for n in range(track_cells)]
        before, after = "".join(track[:column]), "".join(track[column + 1 :])
        shown = day.strftime("%m-%d") if same_year else day.isoformat()
        name = bilingual(event["title_zh"] or "", event["title_en"] or "", lang)
        chart.lines.append(
            (
                Span(f"{shown} "),
                Span(letter, style),
                Span(" " + before, "dim"),
                Span(letter, style),
                Span(after + " ", "dim"),
                Span(fit(name, title_cells, glyphs)),
            )
        )

    chart.lines.append(())
    items = []
    for park, (letter, style) in sorted(keys.items(), key=lambda item: item[0] is None):
        if park is None:
            label = "全区 (无园区)" if lang == "zh" else "zone-wide (no park)"
        else:
            row = next(e for e in dated if e["park_id"] == park)
            label = bilingual(row["park_zh"] or park, row["park_en"] or park, lang)
        items.append((letter, style, label))
    line: list[Span] = []
    used = 0
    for letter, style, label in items:
        label = fit(label, width - 4, glyphs)
        size = cells(label) + 4
        if line and used + size > width:
            chart.lines.append(tuple(line))
            line, used = [], 0
        line += [Span("  " if line else ""), Span(letter, style), Span(f" {label}")]
        used += size
    if line:
        chart.lines.append(tuple(line))
    if undated:
        names = ", ".join(f"{e['event_id']} ({e['date_text']})" for e in undated)
        note = (
            f"未标日期、不在时间轴上: {names}"
            if lang == "zh"
            else f"{len(undated)} undated event(s) not on the axis: {names}"
        )
        for piece in wrap(note, width):
            chart.lines.append((Span(piece, "dim"),))
    return chart
