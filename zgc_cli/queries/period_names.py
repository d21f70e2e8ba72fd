"""Periods as people write them (`Q1`, `一季度`, `1~2月`, `今年`), matched to the periods the
snapshot's figures cover (`2020-Q1`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from zgc_cli.db.statement import named
from zgc_cli.errors import UsageError
from zgc_cli.queries.base import did_you_mean

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database


_QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
_ORDINALS |= {"fourth": 4, "4th": 4}
_YEAR = r"(?:(?P<year>\d{4})(?:年|-)?|今年)?"
_PERIOD_FORMS = (
    # Q1, 2020Q1, 2020-Q1, 2020年Q1
    (re.compile(_YEAR + r"q(?P<q>[1-4])"), "quarter"),
    # Q1 2020, Q1-2020
    (re.compile(r"q(?P<q>[1-4])-?(?P<year>\d{4})"), "quarter"),
    # 一季度, 第一季度, 1季度, 2020年第一季度, 今年一季度
    (re.compile(_YEAR + r"第?(?P<q>[1-4一二三四])季度?"), "quarter"),
    # first quarter, 1st quarter (of 2020)
    (
        re.compile(
            r"(?P<q>first|1st|second|2nd|third|3rd|fourth|4th)quarter(?:of)?(?P<year>\d{4})?"
        ),
        "quarter",
    ),
    # 1~2月, 1-2月, 1至2月, 今年1~2月, 2020年1-2月
    (re.compile(_YEAR + r"(?P<m1>\d{1,2})(?:~|-|–|至|到)(?P<m2>\d{1,2})月"), "months"),
    # 2020, 2020年, 今年
    (re.compile(r"(?:(?P<year>\d{4})年?|今年)"), "year"),
)
_PERIOD_WORDS = {
    "每天": "daily",
    "每日": "daily",
    "日": "daily",
    "per day": "daily",
    "a day": "daily",
    "全年": "annual",
    "年度": "annual",
    "每年": "annual",
    "年": "annual",
    "per year": "annual",
    "a year": "annual",
    "yearly": "annual",
}


def period_pattern(text: str) -> re.Pattern[str] | None:
    """The periods `text` can mean, as a pattern over the snapshot's `period` values:
    Q1, 一季度, 第一季度, 2020-Q1 -> 2020-Q1 (any year when none is written)."""
    compact = "".join(text.split()).casefold()
    spaced = " ".join(text.split()).casefold()
    if spaced in _PERIOD_WORDS:
        return re.compile(re.escape(_PERIOD_WORDS[spaced]))
    for form, kind in _PERIOD_FORMS:
        match = form.fullmatch(compact)
        if match is None:
            continue
        year = match.group("year") or r"(\d{4})"
        if kind == "quarter":
            q = match.group("q")
            number = _QUARTERS.get(q) or _ORDINALS[q]
            return re.compile(f"{year}-Q{number}")
        if kind == "months":
            first, last = int(match.group("m1")), int(match.group("m2"))
            again = match.group("year") or r"\1"
            return re.compile(f"{year}-{first:02d}/{again}-{last:02d}")
        return re.compile(year)
    return None


def periods(db: Database) -> list[str]:
    """The periods the snapshot's figures cover, sorted."""
    result = db.run(
        named("SELECT DISTINCT period FROM indicators WHERE period IS NOT NULL ORDER BY 1")
    )
    return [str(row[0]) for row in result.rows()]


def match_period(text: str, known: Sequence[str]) -> list[str]:
    """The known periods `text` names: itself (any case), else what period_pattern means."""
    wanted = text.strip().casefold()
    exact = [p for p in known if p.casefold() == wanted]
    if exact:
        return exact
    pattern = period_pattern(text)
    return [] if pattern is None else [p for p in known if pattern.fullmatch(p)]


def resolve_period(db: Database, text: str) -> str:
    """--period: 2020-Q1, Q1, 一季度, 第一季度, 今年, 1~2月, daily, 每天 ... -> a period the
    snapshot has; anything else is a usage error listing the periods that exist."""
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
