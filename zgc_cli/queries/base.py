"""What every query shares: the Query a command runs, the vocabularies of its options
(status, sort), the column choice of --columns and --lang. The reader's language (Lang) and
the usage error that names the closest choice live below, in vocabulary and errors."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

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


class Sort(StrEnum):
    """How `zgc chart` orders its bars."""

    value = "value"
    name = "name"


class Query:
    """A named command's SQL: an inner SELECT of all it can show, default columns, params."""

    __slots__ = ("default_columns", "inner", "order_by", "params")

    def __init__(
        self,
        inner: str,
        default_columns: list[str],
        params: dict[str, Any] | None = None,
        order_by: str = "",
    ) -> None:
        self.inner = inner
        self.default_columns = default_columns
        self.params = params if params is not None else {}
        self.order_by = order_by

    def sql(self, columns: Sequence[str]) -> str:
        select = ", ".join(f'"{c}"' for c in columns)
        order = f" ORDER BY {self.order_by}" if self.order_by else ""
        return f"SELECT {select} FROM ({self.inner}) AS q{order}"


def column_names(text: str) -> list[str]:
    """--columns a,b,c as names, in the order given (`--columns ,` names none: a mistake)."""
    names = [c.strip() for c in text.split(",") if c.strip()]
    if not names:
        raise UsageError(f"--columns {text!r} names no column; give names such as a,b,c")
    return names


def pick_columns(
    query: Query,
    available: Sequence[str],
    columns: str | None,
    lang: Lang,
    *,
    every: bool = True,
) -> list[str]:
    """--columns a,b,c (checked against what the command can show), else by lang: every
    column the command can show, in view order (`every`: exports, pipes, files), or the
    query's default columns (the terminal view's starting point)."""
    if columns:
        chosen = column_names(columns)
        require_columns(chosen, available)
        return chosen
    start = available if every else query.default_columns
    return [c for c in start if in_lang(c, lang)]


def in_lang(column: str, lang: Lang) -> bool:
    if lang is Lang.zh:
        return not column.endswith("_en")
    if lang is Lang.en:
        return not column.endswith("_zh")
    return True


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


# A park filter takes the park and the bases inside it (the semiconductor plant is in
# Shunyi's Beijing Automobile Production Base).


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
