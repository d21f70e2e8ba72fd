"""What a person types, resolved to what the snapshot uses: parks (`顺义`, `Shunyi`, a
district), statuses (`开工`), units, dates, kinds and periods (`Q1`, `一季度`, `1~2月`, `今年`:
`2020-Q1`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from zgc_cli.dictionary import STATUSES, UNITS
from zgc_cli.errors import UsageError
from zgc_cli.queries.base import Status, comma_items, did_you_mean, named_sql, unknown

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database


def _chosen(texts: Sequence[str], words: Mapping[str, str], what: str, listed: bool) -> list[str]:
    """Repeated options, each a comma list of slugs of `words` (any case, ` ` or `-` for `_`)
    or their Chinese words (`,` or `/` apart: 开工, 药品 as the zh view shows them)."""
    chosen = []
    option = "--status" if what == "status" else "--kind"
    for part in (p for text in texts for p in comma_items(text, option)):
        wanted = part.casefold().replace(" ", "_").replace("-", "_")
        found = [
            slug
            for slug, zh in words.items()
            if wanted == slug or part in {w.strip() for w in zh.replace("/", ",").split(",")}
        ]
        if not found:
            labels = [f"{slug} ({zh})" for slug, zh in words.items()] if listed else None
            raise unknown(what, part, list(words), labels)
        chosen.append(found[0])
    return chosen


def resolve_statuses(texts: Sequence[str]) -> list[Status]:  # `started,开工`, `在建`
    return [Status(s) for s in _chosen(texts, STATUSES, "status", listed=True)]


def resolve_kinds(texts: Sequence[str], kinds: Mapping[str, str], what: str) -> list[str]:
    from zgc_cli.vocabulary import VOCABULARY_ZH

    zh = VOCABULARY_ZH["kind"]
    return _chosen(texts, {k: zh.get(k, "") for k in kinds}, what, listed=False)


def resolve_unit(text: str) -> str:
    if text in UNITS:
        return text
    found = [unit for unit, zh in UNITS.items() if text.strip() and text.strip() in zh.split("/")]
    if len(found) > 1:  # 家 counts enterprises, institutions, hospitals and products
        raise UsageError(f"unit {text!r} is the word of several units ({listed(found)}); name one")
    if found:
        return found[0]
    raise unknown("unit", text, list(UNITS))


def listed(items: Sequence[str], most: int = 10) -> str:
    """The first `most` items, and how many more."""
    more = f" and {len(items) - most:,} more" if len(items) > most else ""
    return ", ".join(items[:most]) + more


# Names of the whole zone, whose record is the park row `zgc` (kind zone): a name search for
# one park must not take them for a park (中关村 is also what 中关村科学城, Haidian's alias,
# leaves without its suffix); --park takes them as the zone's record.
ZONE_ID = "zgc"
ZONE_NAMES = frozenset(
    {
        "zgc",
        "中关村",
        "中关村示范区",
        "中关村国家自主创新示范区",
        "中关村科技园区",
        "示范区",
        "zhongguancun",
        "zhongguancun zone",
        "zhongguancun science park",
        "zhongguancun national innovation demonstration zone",
        "zhongguancun national independent innovation demonstration zone",
    }
)
# The city every park is in: a park whose name begins with it is not named by it.
CITY = frozenset({"北京", "beijing"})


def _keys(
    names: Iterable[str | None], prefixes: Sequence[str], suffixes: Sequence[str]
) -> set[str]:
    """Each name in any case, also without a prefix or suffix (中关村密云园: 密云园, 密云)."""
    keys: set[str] = set()
    for name in names:
        key = (name or "").strip().casefold()
        keys |= {key, *(key.removeprefix(p) for p in prefixes if key.startswith(p))} - {""}
    for suffix in suffixes:
        keys |= {k.removesuffix(suffix).strip() for k in keys if k.endswith(suffix)} - {""}
    return keys - ZONE_NAMES


def _park_keys(row: dict[str, Any]) -> set[str]:
    aliases = (row["aliases"] or "").split(";")
    names = [row["park_id"], row["name_zh"], row["name_en"], *aliases]
    return _keys(names, ("中关村", "zhongguancun "), ("园", " park", " sub-park", "科学城"))


def _district_keys(row: dict[str, Any]) -> set[str]:  # 密云区, Miyun District, 密云, Miyun
    return _keys((row["district_zh"], row["district_en"]), (), ("区", " district"))


def _typed(text: str) -> str:  # 密云园区 is 密云园: a park (园区) by its 园
    wanted = " ".join(text.split()).casefold()
    return wanted.removesuffix("区") if wanted.endswith("园区") else wanted


def park_table(db: Database, containing: str | None = None) -> list[dict[str, Any]]:
    """The parks with their names; with `containing`, only those whose names or district hold
    it (as each of their keys does), so a large snapshot's parks stay in DuckDB."""
    text = None if containing is None else containing.lower()
    result = db.run(named_sql("park_table"), {"text": text})
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows()]


def park_ids(db: Database) -> list[str]:  # what --park completes
    return [str(row["park_id"]) for row in park_table(db)]


def find_park(db: Database, text: str, *, loose: bool = False) -> str | None:
    """The park a name, alias or district names exactly (any case), else None. A district
    names its park (密云区 -> miyun), not the park's bases (顺义区: shunyi, not its auto base).
    `loose`, as --park takes it: a name of the zone (中关村, Zhongguancun) names its record,
    `zgc`, and a unique beginning names a park (大兴 -> 大兴生物医药产业基地)."""
    wanted = _typed(text)
    if not wanted or wanted in ZONE_NAMES:
        return ZONE_ID if loose and wanted else None
    # An exact id is looked up in DuckDB: a large snapshot's parks never come into Python.
    exact = db.run(named_sql("park_id"), {"wanted": wanted}).fetch(1)
    if exact:
        return str(exact[0][0])
    rows = park_table(db, wanted)
    in_district = {str(r["park_id"]): r for r in rows if wanted in _district_keys(r)}
    top = sorted(pid for pid, r in in_district.items() if r["parent_park_id"] not in in_district)
    named_by = sorted(str(row["park_id"]) for row in rows if wanted in _park_keys(row))
    if named_by or top or not loose or len(wanted) < 2 or wanted in CITY:
        return _one(text, named_by or top, "names" if named_by else "is the district of")
    starting = [str(r["park_id"]) for r in rows if any(n.startswith(wanted) for n in _park_keys(r))]
    return _one(text, sorted(starting), "begins the names of")


def _one(text: str, parks: Sequence[str], what: str) -> str | None:
    if len(parks) > 1:  # never one of them picked in silence
        raise UsageError(f"{text!r} {what} several parks ({listed(parks)}); name one of them")
    return parks[0] if parks else None


def resolve_park(db: Database, text: str) -> str:
    """A park by slug, Chinese or English name, alias or district, any case -> park_id."""
    found = find_park(db, text, loose=True)
    if found is not None:
        return found
    parks, wanted = park_table(db), _typed(text)
    import difflib  # the closest name, alias or district: 密云县 is miyun's

    keys = {key: row for row in parks for key in _district_keys(row)}  # a park's own names win
    keys |= {key: row for row in parks for key in _park_keys(row)}
    close = difflib.get_close_matches(wanted, list(keys), n=1, cutoff=0.5)
    if close:
        row = keys[close[0]]
        raise UsageError(
            f"unknown park {text!r}; did you mean {row['park_id']!r}? "
            f"({row['name_zh']}, {row['name_en']}; zgc parks lists them all)"
        )
    raise unknown(
        "park",
        text,
        [str(r["park_id"]) for r in parks],
        [
            f"{r['park_id']} ({r['name_zh']}, {r['district_zh']})"
            if r["district_zh"]
            else f"{r['park_id']} ({r['name_zh']})"  # the zone spans districts
            for r in parks
        ],
        listed_by="zgc parks",
    )


def park_and_bases(db: Database, park: str) -> list[str]:  # what a park filter takes
    result = db.run(named_sql("park_and_bases"), {"park": park})
    return [str(row[0]) for row in result.rows()]


def dates(since: str | None, until: str | None) -> tuple[dt.date | None, dt.date | None]:
    """--since and --until (YYYY-MM-DD) as dates, the first not after the second."""
    found: list[dt.date | None] = []
    for text, option in ((since, "--since"), (until, "--until")):
        try:
            found.append(None if text is None else dt.date.fromisoformat(text.strip()))
        except ValueError:
            why = f"{option}: {text!r} is not a date; use YYYY-MM-DD, e.g. 2020-03-01"
            raise UsageError(why) from None
    start, end = found
    if start is not None and end is not None and start > end:
        raise UsageError(f"--since {start} is after --until {end}; swap them")
    return start, end


_YEAR = r"(?:(?P<year>\d{4})(?:年|-)?|今年)?"
# A form with `q` names a quarter, one with `m1` a span of months, else a year.
_FORMS = [  # patterns, compiled by re's own cache when a period is first read
    _YEAR + r"q(?P<q>[1-4])",  # Q1, 2020Q1, 2020-Q1, 2020年Q1
    r"q(?P<q>[1-4])-?(?P<year>\d{4})",  # Q1 2020, Q1-2020
    _YEAR + r"第?(?P<q>[1-4一二三四])季度?",  # 一季度, 第一季度, 2020年第一季度, 今年一季度
    r"(?P<q>first|1st|second|2nd|third|3rd|fourth|4th)quarter(?:of)?(?P<year>\d{4})?",
    _YEAR + r"(?P<m1>\d{1,2})(?:~|-|–|至|到)(?P<m2>\d{1,2})月",  # 1~2月, 2020年1-2月
    r"(?:(?P<year>\d{4})年?|今年)",  # 2020, 2020年, 今年
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
    match = next((m for form in _FORMS if (m := re.fullmatch(form, compact))), None)
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
