"""What each command shows on a terminal: the few columns that answer its question, in the
order read, with the priority they are kept by when the terminal is narrow, and their headers
in Chinese for a zh reader. Files and pipes carry every column instead (queries.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zgc_cli import display
from zgc_cli.labels import LABELS_EN as LABELS_EN, LABELS_ZH as LABELS_ZH, label as label
from zgc_cli.queries.base import Lang, in_lang
from zgc_cli.terminal import Layout, Show, plain_cell

Text = Callable[[Mapping[str, Any], str], str]


@dataclass(frozen=True)
class Col:
    """A column of a command's terminal view."""

    key: str
    priority: int
    fixed: bool = False
    right: bool = False
    text: Text | None = None  # derived: how the cell reads from the row
    sources: tuple[str, ...] = ()  # the columns a derived cell reads


def _figure(row: Mapping[str, Any], lang: str) -> str:
    return display.figure(row, lang)


def _when(row: Mapping[str, Any], lang: str) -> str:
    if row.get("as_of") is not None:
        return display.cell("as_of", row["as_of"], lang)
    return display.cell("period", row.get("period"), lang)


def _park_name(row: Mapping[str, Any], lang: str) -> str:
    """Where, by name in the reader's language (北京汽车生产基地, not beijing-auto-base)."""
    name = row.get(f"park_name_{lang}") if lang in ("zh", "en") else None
    return str(name or row.get("park_id") or "")


def _status_when(row: Mapping[str, Any], lang: str) -> str:
    """`开工 2020-04-17`, `resumed 2020-02-18`: what happened, then when."""
    said = [
        display.cell(key, row.get(key), lang)
        for key in ("status", "status_date")
        if row.get(key) is not None
    ]
    return " ".join(said)


def _investment(row: Mapping[str, Any], lang: str) -> str:
    return display.based("investment_yuan", row, lang)


def _floor_area(row: Mapping[str, Any], lang: str) -> str:
    return display.based("floor_area_m2", row, lang)


def _event_date(row: Mapping[str, Any], lang: str) -> str:
    """An event's date, or the report's words when it gives no day (2018年; 2018 in English)."""
    if row.get("date") is not None:
        return display.cell("date", row["date"], lang)
    return display.written_date(str(row.get("date_text") or ""), lang)


FIGURE = (
    *("value", "unit", "qualifier", "value_text", "value_text_en", "value_min", "value_max"),
    *("basis", "yoy_pct", "metric"),
)
VIEWS: dict[str, list[Col]] = {
    "parks": [
        Col("park_id", 0, fixed=True),
        Col("name_zh", 1),
        Col("name_en", 2),
        Col("district_zh", 4),
        Col("district_en", 4),
        Col("kind", 3, fixed=True),
        Col("parent_park_id", 5, fixed=True),
    ],
    # Which projects broke ground, where, when, for how much: the status is often what was
    # asked for (--status started), so it yields first when the line is short.
    "projects": [  # what, how much, when (with its status), where; the id last
        Col("project_id", 6, fixed=True),
        Col("name_zh", 0),
        Col("name_en", 0),
        Col("park_id", 4, text=_park_name, sources=("park_id", "park_name_zh", "park_name_en")),
        # the status rides with its date: a resumption must not read like a ground-breaking
        Col("status_when", 2, fixed=True, text=_status_when, sources=("status", "status_date")),
        Col(
            "investment_yuan",
            1,
            fixed=True,
            right=True,
            text=_investment,
            sources=("investment_yuan", "investment_basis"),
        ),
        Col(
            "floor_area_m2",
            5,
            fixed=True,
            right=True,
            text=_floor_area,
            sources=("floor_area_m2", "floor_area_basis"),
        ),
    ],
    "indicators": [
        Col("indicator_id", 1, fixed=True),
        Col("subject_id", 5),
        Col("metric_zh", 3),
        Col("metric_en", 3),
        Col("value", 0, fixed=True, text=_figure, sources=FIGURE),
        Col("when", 2, fixed=True, text=_when, sources=("as_of", "period")),
    ],
    "companies": [
        Col("company_id", 0, fixed=True),
        Col("name_zh", 1),
        Col("name_en", 2),
        Col("park_id", 3, fixed=True),
        Col("sector", 4),
    ],
    "timeline": [
        Col("date", 0, fixed=True, text=_event_date, sources=("date", "date_text")),
        Col("park_id", 3, fixed=True),
        Col("title_zh", 1),
        Col("title_en", 2),
        Col("event_id", 4, fixed=True),
    ],
    "search": [
        Col("table", 2, fixed=True),
        Col("id", 0, fixed=True),
        Col("name_zh", 1),
        Col("name_en", 3),
        Col("matched_in", 4, fixed=True),
    ],
    "programs": [
        Col("program_id", 0, fixed=True),
        Col("name_zh", 1),
        Col("name_en", 2),
        Col("kind", 3, fixed=True),
        Col("park_id", 4, fixed=True),
        Col("launch_date", 5, fixed=True),
    ],
    "products": [
        Col("product_id", 0, fixed=True),
        Col("name_zh", 1),
        Col("name_en", 2),
        Col("kind", 3, fixed=True),
        Col("company_id", 4, fixed=True),
    ],
}


def layout(command: str, lang: Lang, of_columns: int) -> Layout:
    """The terminal view of a command, for a reader of `lang`."""
    shown = [
        Show(
            key=col.key,
            label=label(col.key, lang),
            text=col.text or plain_cell(col.key),
            right=col.right,
            fixed=col.fixed,
            priority=col.priority,
        )
        for col in VIEWS[command]
        if in_lang(col.key, lang)
    ]
    return Layout(shown, of_columns)


def sources(command: str, lang: Lang) -> list[str]:
    """The columns the command's terminal view reads, for its SQL."""
    needed: list[str] = []
    for col in VIEWS[command]:
        if in_lang(col.key, lang):
            for name in col.sources or (col.key,):
                if name not in needed:
                    needed.append(name)
    return needed


def related(columns: Sequence[str], types: Sequence[str], lang: Lang) -> Layout:
    """A card's related rows: their own columns, headed for the reader."""
    from zgc_cli.terminal import layout_of

    own = layout_of(columns, types)
    # Figures read as figures (unit, hedge, bounds, basis in one cell), as `indicators` shows
    # them: a bare 97 would drop the 近 and the %.
    figure = "value" in columns and "unit" in columns
    shown = [
        Show(
            s.key,
            label(s.key, lang),
            _figure if figure and s.key == "value" else s.text,
            s.right,
            s.fixed,
            _related_priority(s, figure, len(columns)),
        )
        for s in own.columns
        if in_lang(s.key, lang) and not (figure and s.key in FIGURE and s.key != "value")
    ]
    return Layout(shown, own.of_columns)


def _related_priority(show: Show, figure: bool, count: int) -> int:
    """Meaning is kept longest: a figure first, then the row's words; its own id (the first
    column) yields first, since `zgc show ID` gives it."""
    if figure and show.key == "value":
        return 0
    return count if show.priority == 0 and show.key.endswith("_id") else show.priority + 1
