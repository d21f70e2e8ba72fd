"""Periods as people write them (`Q1`, `一季度`, `1~2月`, `今年`), matched to the periods the
snapshot's figures cover (`2020-Q1`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from zgc_cli.errors import UsageError
from zgc_cli.queries.base import did_you_mean, named_sql

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database


_YEAR = r"(?:(?P<year>\d{4})(?:年|-)?|今年)?"
# A form with `q` names a quarter, one with `m1` a span of months, else a year.
_FORMS = [
    re.compile(_YEAR + r"q(?P<q>[1-4])"),  # Q1, 2020Q1, 2020-Q1, 2020年Q1
    re.compile(r"q(?P<q>[1-4])-?(?P<year>\d{4})"),  # Q1 2020, Q1-2020
    # 一季度, 第一季度, 2020年第一季度, 今年一季度
    re.compile(_YEAR + r"第?(?P<q>[1-4一二三四])季度?"),
    re.compile(r"(?P<q>first|1st|second|2nd|third|3rd|fourth|4th)quarter(?:of)?(?P<year>\d{4})?"),
    re.compile(_YEAR + r"(?P<m1>\d{1,2})(?:~|-|–|至|到)(?P<m2>\d{1,2})月"),  # 1~2月, 2020年1-2月
    re.compile(r"(?:(?P<year>\d{4})年?|今年)"),  # 2020, 2020年, 今年
]
_ORDINALS = ("first", "second", "third", "fourth")
_WORDS = {
    **dict.fromkeys(("每天", "每日", "日", "per day", "a day"), "daily"),
    **dict.fromkeys(("全年", "年度", "每年", "年", "per year", "a year", "yearly"), "annual"),
}


def period_pattern(text: str) -> re.Pattern[str] | None:
    """What `text` can mean, as a pattern over the snapshot's periods: Q1, 一季度, 2020-Q1 ->
    2020-Q1 (any year when none is written)."""
    compact = "".join(text.split()).casefold()
    spaced = " ".join(text.split()).casefold()
    if spaced in _WORDS:
        return re.compile(re.escape(_WORDS[spaced]))
    match = next((m for form in _FORMS if (m := form.fullmatch(compact))), None)
    if match is None:
        return None
    found = match.groupdict()
    year = found["year"] or r"(\d{4})"
    if "q" in found:  # 1, 一, first or 1st
        q = found["q"]
        number = int(q[0]) if q[0].isdigit() else "一二三四".find(q) + 1 or _ORDINALS.index(q) + 1
        return re.compile(f"{year}-Q{number}")
    if "m1" in found:
        again = found["year"] or r"\1"
        return re.compile(f"{year}-{int(found['m1']):02d}/{again}-{int(found['m2']):02d}")
    return re.compile(year)


def periods(db: Database) -> list[str]:
    return [str(row[0]) for row in db.run(named_sql("periods")).rows()]


def match_period(text: str, known: Sequence[str]) -> list[str]:
    """The known periods `text` names: itself (any case), else period_pattern's."""
    exact = [p for p in known if p.casefold() == text.strip().casefold()]
    pattern = period_pattern(text)
    return exact or ([] if pattern is None else [p for p in known if pattern.fullmatch(p)])


def resolve_period(db: Database, text: str) -> str:
    """--period: 2020-Q1, Q1, 一季度, 今年, 1~2月, 每天 ... -> a period the snapshot has; else
    a usage error listing those there are."""
    known = periods(db)
    found = match_period(text, known)
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(
            f"--period {text!r} could mean {', '.join(found)}; give the year, e.g. {found[-1]}"
        )
    raise UsageError(
        f"no figure covers the period {text!r}{did_you_mean(text, known)} "
        f"(periods in the data: {', '.join(known) or 'none'}; Q1 and 一季度 mean 2020-Q1)"
    )
