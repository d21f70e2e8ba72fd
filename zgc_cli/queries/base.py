"""What every query shares: the Query a command runs, its options' vocabularies (status,
sort), the columns of --columns and --lang."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from zgc_cli.db.statement import NamedSQL, named
from zgc_cli.dictionary import TABLES
from zgc_cli.errors import (  # re-exported: queries.unknown and the others, as ever
    UsageError,
    did_you_mean as did_you_mean,
    require_columns as require_columns,
    unknown as unknown,
)
from zgc_cli.vocabulary import Lang as Lang


class Status(StrEnum):
    started = "started"
    resumed = "resumed"
    under_construction = "under_construction"
    completed = "completed"
    planned = "planned"


class Sort(StrEnum):  # how `zgc chart` orders its bars
    value = "value"
    name = "name"


class Query(NamedTuple):
    """A list command's SQL: `inner` selects the rows it can show, in the snapshot's order or
    by `order_by`. `names` (a join of `k`, a prefix) adds k's names as `{prefix}_name_zh` and
    `_en` only when a column or the order asks for them: piped `zgc parks` skips the join and
    the sort (3 of its 14 ms; a 2M-row `zgc indicators -f csv`, out of memory in that sort,
    now streams). A join keeps no order, so the rows are numbered before it and put back."""

    inner: str
    params: dict[str, Any]
    order_by: str = ""
    names: tuple[str, str] | None = None

    def sql(self, columns: Sequence[str]) -> str:
        rows, order = self.inner, self.order_by
        if self.names is not None:
            join, prefix = self.names
            if any(f"{prefix}_name_" in c for c in [*columns, order]):
                rows = (
                    f"SELECT q.*, k.name_zh AS {prefix}_name_zh, k.name_en AS {prefix}_name_en "
                    f"FROM (SELECT *, row_number() OVER () AS _n FROM ({rows})) q {join}"
                )
                order = order or "_n"
        select = ", ".join(f'"{c}"' for c in columns)
        return f"SELECT {select} FROM ({rows}) AS q" + (f" ORDER BY {order}" if order else "")


def comma_items(text: str, option: str) -> list[str]:
    """A comma list (`a,b,c`) as its items, stripped, in the order given; an empty item
    (`a,,b`, `a,`, `,`) is a mistake, not "no filter"."""
    items = [item.strip() for item in text.split(",")]
    if not all(items):
        raise UsageError(f"{option} {text!r} has an empty item; give names such as a,b,c")
    return items


def column_names(text: str) -> list[str]:  # --columns a,b,c, in the order given
    return comma_items(text, "--columns")


def pick_columns(available: Sequence[str], columns: str | None, lang: Lang) -> list[str]:
    """--columns a,b,c (checked against what the command can show), else every column it can
    show in `lang`, in view order (the terminal view picks its own: layouts.sources)."""
    if columns:
        chosen = column_names(columns)
        require_columns(chosen, available)
        return chosen
    return [c for c in available if in_lang(c, lang)]


def in_lang(column: str, lang: Lang) -> bool:
    other = {Lang.zh: "_en", Lang.en: "_zh"}.get(lang)  # `both` reads every column
    return other is None or not column.endswith(other)


def reader_columns(available: Sequence[str], lang: Lang) -> list[str]:
    """The columns a reader of `lang` has in all (a footer's `of N columns`): a note counts
    once, as the card shows it (a zh reader's note is note_zh), so zh and en count the same."""
    return [
        c
        for c in available
        if in_lang(c, lang) and not (lang is Lang.zh and c == "note" and "note_zh" in available)
    ]


def view_columns(table: str) -> list[str]:
    return [c.name for c in TABLES[table].columns]


def like_pattern(pattern: str | None) -> str | None:
    """A glob (`*resumption*`) or plain text (substring) as an ILIKE pattern."""
    if pattern is None:
        return None
    escaped = pattern.replace("%", r"\%").replace("_", r"\_")
    if "*" in pattern or "?" in pattern:
        return escaped.replace("*", "%").replace("?", "_")
    return f"%{escaped}%"


# The park $park and the bases that lie in it, for a --park filter.
IN_PARK = "(SELECT park_id FROM parks WHERE park_id = $park OR parent_park_id = $park)"

# When an event happened, for ordering and --since/--until: its date, else the first day of the
# year its words give (2018年: the 2018 "16 measures" come before 2020), else unknown (last).
EVENT_TIME = (
    "coalesce(\"date\", make_date(TRY_CAST(nullif(regexp_extract(date_text, '(\\d{4})年', 1), '')"
    " AS INTEGER), 1, 1))"
)


@functools.cache
def _statements() -> dict[str, str]:
    text = Path(__file__).with_name("named.sql").read_text(encoding="utf-8")
    return dict(re.findall(r"^-- (\w+)(?::.*)?\n([^;]*);", text, re.M))


def named_sql(name: str, **parts: str) -> NamedSQL:
    """The statement `name` of named.sql, its {parts} filled in."""
    return named(_statements()[name].format(in_park=IN_PARK, event_time=EVENT_TIME, **parts))
