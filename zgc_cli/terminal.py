"""The terminal view: query results and records drawn for a person, on a Rich console.

The sink hands it a console (a terminal's, or a recording one for a picture) and it draws;
it never decides where output goes. Rich is imported inside functions only.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zgc_cli.diagnostics import visible
from zgc_cli.numbers import format_money, format_value, group_thousands
from zgc_cli.render import Rows, plain

if TYPE_CHECKING:
    from rich.console import Console

TTY_ROW_LIMIT = 50  # a screenful: rows drawn on a terminal when the user gave no --limit
_COUNT_CAP = 2_000  # past the shown rows, count at most this many more, else say "more rows"

_NUMERIC_TYPES = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
)


@dataclass(frozen=True)
class View:
    """How to draw: for whom (a terminal: a screenful of rows) and in which language."""

    lang: str = "both"
    limit: int | None = None
    screenful: bool = False  # a person is watching: cap rows at TTY_ROW_LIMIT
    natural: bool = False  # a file or pipe: as wide as the content, never cut to a width
    title: str | None = None
    highlight: str | None = None  # text to mark in every cell (zgc search)


def console_for(stream: Any, *, width: int, color: bool, record: bool = False) -> Console:
    """The one way zgc builds a Rich console: no markup, emoji or highlighting of data."""
    from rich.console import Console

    return Console(
        file=stream,
        width=width,
        force_terminal=color or record,
        no_color=not (color or record),
        color_system=("truecolor" if record else "standard") if (color or record) else None,
        highlight=False,
        emoji=False,
        markup=False,
        record=record,
        legacy_windows=False,
        soft_wrap=False,
    )


def is_numeric(kind: str) -> bool:
    return kind.startswith(_NUMERIC_TYPES)


def display_cell(column: str, value: Any, row: dict[str, Any], lang: str) -> str:
    """How a value reads in a table: money readable, hedges visible, thousands grouped."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
        number = float(value)
        if not math.isfinite(number):
            return str(number)
        if column.endswith("_yuan"):
            return format_money(number, "zh" if lang == "zh" else "en")
        if column == "value" and "unit" in row:
            return format_value(
                number, row.get("unit"), row.get("qualifier"), "zh" if lang == "zh" else "en"
            )
        if column.endswith("_m2"):
            return f"{group_thousands(number)} m²"
        if column.endswith("_pct"):
            return f"{number:+g}%"
        if column in {"quote_start", "characters"} or column.endswith("_id"):
            return str(value)
        return group_thousands(number)
    return visible(plain(value))


def draw_table(result: Rows, console: Console, view: View) -> int:
    """Draw `result` as a table with a caption below; return the number of rows drawn."""
    from rich.table import Table
    from rich.text import Text

    limit = view.limit
    if limit is None and view.screenful:
        limit = TTY_ROW_LIMIT
    if limit is None:
        shown = [row for batch in result.batches() for row in batch]
        total: int | None = len(shown)
    else:
        shown = result.fetch(limit)
        rest = _count_rest(result) if len(shown) == limit else 0
        total = None if rest is None else len(shown) + rest
    columns = result.columns
    numeric = [is_numeric(kind) for kind in result.types]
    table = Table(title=view.title, show_lines=False, header_style="bold")
    for name, is_number in zip(columns, numeric, strict=True):
        table.add_column(Text(name), justify="right" if is_number else "left", overflow="fold")
    for row in shown:
        named = dict(zip(columns, row, strict=True))
        table.add_row(
            *[
                Text("NULL", style="dim")
                if value is None
                else _marked(display_cell(column, value, named, view.lang), view.highlight)
                for column, value in zip(columns, row, strict=True)
            ]
        )
    if view.natural:
        console.width = max(console.measure(table).maximum, 20)
    console.print(table)
    # Below the table, not inside it: a narrow table must not fold its caption.
    caption = _caption(len(shown), total, explicit_limit=view.limit is not None)
    console.print(Text(caption, style="dim"), soft_wrap=True)
    return len(shown)


def _marked(text: str, highlight: str | None, style: str = "bold reverse") -> Any:
    from rich.text import Text

    cell = Text(text)
    if highlight:
        cell.highlight_words([highlight], style, case_sensitive=False)
    return cell


def draw_card(
    table_name: str,
    record: dict[str, Any],
    related: Mapping[str, Rows],
    figure: str | None,
    console: Console,
    lang: str,
) -> None:
    """One record as a card: every field, the quote with its figure marked, related rows."""
    from rich.table import Table
    from rich.text import Text

    fields = Table.grid(padding=(0, 2))
    fields.add_column(style="bold")
    fields.add_column(overflow="fold")
    for name, value in record.items():
        if value is None:
            fields.add_row(name, Text("NULL", style="dim"))
        elif name == "quote":
            fields.add_row(name, _marked(f"「{value}」", figure, "bold yellow reverse"))
        else:
            fields.add_row(name, Text(display_cell(name, value, record, lang)))
    console.print(Text(f"{table_name} · {record[next(iter(record))]}", style="bold underline"))
    console.print(fields)
    for label, rows in related.items():
        listed = [row for batch in rows.batches() for row in batch]
        console.print()
        if not listed:
            console.print(Text(f"{label}: none", style="dim"))
            continue
        child = Table(title=f"{label} ({len(listed)})", title_justify="left", header_style="bold")
        numeric = [is_numeric(kind) for kind in rows.types]
        for name, is_number in zip(rows.columns, numeric, strict=True):
            child.add_column(name, justify="right" if is_number else "left", overflow="fold")
        for row in listed:
            named = dict(zip(rows.columns, row, strict=True))
            child.add_row(
                *[
                    Text("NULL", style="dim")
                    if v is None
                    else Text(display_cell(c, v, named, lang))
                    for c, v in zip(rows.columns, row, strict=True)
                ]
            )
        console.print(child)


def _count_rest(result: Rows) -> int | None:
    """Count rows past the shown ones if that is cheap; None when there are more than we'd read."""
    seen = 0
    while seen <= _COUNT_CAP:
        batch = result.fetch(2048)
        if not batch:
            return seen
        seen += len(batch)
    return None


def _caption(shown: int, total: int | None, *, explicit_limit: bool) -> str:
    noun = "row" if shown == 1 else "rows"
    hint = "" if explicit_limit else " (--limit N shows more; -f csv shows all)"
    if total is None:
        return f"showing first {shown:,} rows; more rows not shown{hint}"
    if total > shown:
        return f"showing first {shown:,} of {total:,} rows{hint}"
    return f"{shown:,} {noun}"
