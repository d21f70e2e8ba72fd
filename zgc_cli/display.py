"""How a value reads for a person, in Chinese or English: money, figures with their unit,
hedge, bounds and basis, vocabulary words. Files and pipes never pass through here."""

from __future__ import annotations

import decimal
import math
import re
from collections.abc import Mapping
from typing import Any

from zgc_cli.dictionary import COLUMN_UNITS, TABLES, UNITS
from zgc_cli.render import plain
from zgc_cli.vocabulary import word

Row = Mapping[str, Any]

# Hedges as words (never a sign that reads like a quantity): 约 about, 近 nearly, ...
HEDGE_EN = {"approx": "about", "nearly": "nearly", "over": "over", "more_than": "more than"}
HEDGE_ZH = {"approx": "约", "nearly": "近", "over": "超过", "more_than": "余"}
BASIS_ZH = {"planned": "计划", "forecast": "预计"}
_UNIT_EN = {"m2": "m²", "count": "", "percent": "%"}
# Offsets in the report (quote_start, a clause's start and end), as the dictionary says.
OFFSETS = {c.name for t in TABLES.values() for c in t.columns if "offset" in c.meaning}
_MONTHS = "January February March April May June July August September October November December"
_WRITTEN_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(?:(\d{1,2})日)?")


def number(value: float) -> str:
    """`37000.0` → `37,000`; `97.9` → `97.9`; no float noise, full precision."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.10f}".rstrip("0").rstrip(".")


def quantity(value: float, unit: str | None, lang: str) -> str:
    """A number with its unit, once, in the reader's big units and no abbreviation that reads
    like a unit: `2.63万人`, `12,466.2亿元`, `97%`; `26,300 people`, `1,246.62 billion yuan`."""
    if unit == "percent":
        return f"{number(value)}%"
    if lang != "zh" and unit != "yuan":
        return f"{number(value)} {_UNIT_EN.get(unit or '', unit or '')}".rstrip()
    bigs = ((1e8, "亿"), (1e4, "万")) if lang == "zh" else ((1e9, " billion"), (1e6, " million"))
    big, word = next(((f, word) for f, word in bigs if abs(value) >= f), (1, ""))
    said = UNITS.get(unit or "", unit or "").split("/")[0] if lang == "zh" else " yuan"
    return f"{number(value / big)}{word}{said}"


def figure(row: Row, lang: str) -> str:
    """An indicator's value as a reader should take it: unit, hedge as words, bounds as bounds
    (`dozens of people`, `10–99%`, `数十人`), planned or forecast, its change (`同比下降3.4%`)."""
    body = _figure(row, lang)
    change = row.get("yoy_pct")
    if change is None or not body or str(row.get("metric") or "").endswith("_growth"):
        return body  # a growth figure is the change itself (超5倍): said once
    return f"{body}{'，' if lang == 'zh' else ', '}{yoy(float(change), lang)}"


def yoy(change: float, lang: str) -> str:
    """A change on the same period of 2019: 同比下降3.4%, +13.8% y/y (short, so a list view
    at 60 columns keeps the figure, its metric and its date)."""
    if lang == "zh":
        return f"同比{'下降' if change < 0 else '增长'}{number(abs(change))}%"
    return f"{'−' if change < 0 else '+'}{number(abs(change))}% y/y"


def _figure(row: Row, lang: str) -> str:
    value, unit = row.get("value"), row.get("unit")
    if value is None:  # a fact without a number (逆势增长, 多家): its words are the figure,
        words = row.get("value_text_en") if lang == "en" else None  # in the reader's language
        return str(words or row.get("value_text") or "")
    written = str(row.get("value_text") or "")
    if lang == "zh" and written:
        # A Chinese reader gets the report's own words (两个月, 400余项, 十六条, 1.3919万件 as
        # 13919件): rebuilt from the value they can only come out more generic, or wrong.
        said = BASIS_ZH.get(row.get("basis") or "", "")  # 计划, 预计
        return written if not said or said in written else f"{said}{written}"
    qualifier = row.get("qualifier") or "exact"
    low, high = row.get("value_min"), row.get("value_max")
    if qualifier == "order_of_magnitude" and lang != "zh":
        if low is not None and high is not None and high > low:
            least = quantity(low, unit, lang) if unit == "yuan" else number(float(low))
            # The report's vague words where given (dozens of people: 10–99 said less, wider)
            body = row.get("value_text_en") or f"{least}–{quantity(float(high), unit, lang)}"
        else:
            body = f"at least {quantity(float(low if low is not None else value), unit, lang)}"
    else:
        body = quantity(float(value), unit, lang)
        if qualifier in HEDGE_ZH and lang != "zh":
            body = f"{HEDGE_EN[qualifier]} {body}"
        elif qualifier == "more_than":  # 余 after the numeral and its 万/亿: 30余人, 1.5万余个
            end = len(re.findall(r"^[\d.,]*[万亿]?", body)[0])
            body = f"{body[:end]}余{body[end:]}" if end else f"{body}余"
        elif qualifier in HEDGE_ZH:
            body = f"{HEDGE_ZH[qualifier]}{body}"
    return _with_basis(body, row.get("basis"), lang)


def _with_basis(body: str, basis: Any, lang: str) -> str:
    """Planned or forecast money says so: `计划11.9亿元`, `1.19 billion yuan (planned)`."""
    if not body or basis not in BASIS_ZH:
        return body
    return f"{BASIS_ZH[basis]}{body}" if lang == "zh" else f"{body} ({basis})"


def based(column: str, row: Row, lang: str) -> str:
    """A project's money or area with its basis, as `zgc indicators` says it (`计划11.9亿元`)."""
    basis = row.get(column.rsplit("_", 1)[0] + "_basis")
    return _with_basis(cell(column, row.get(column), lang), basis, lang)


def written_date(text: str, lang: str) -> str:
    """A date the report writes without a day of the calendar, for the reader: 2018年 reads
    2018 in English, 3月18日 18 March; words an English reader cannot take (大年初二) stay as
    they are, since no date is inferred here."""
    found = _WRITTEN_DATE.fullmatch(text.strip())
    if lang != "en" or not found or not any(found.groups()):
        return text
    year, month, day = found.groups()
    said = [day, _MONTHS.split()[int(month) - 1] if month else None, year]
    return " ".join(part for part in said if part)


def field(name: str, record: Row, lang: str) -> str:
    """A record's field as its card reads it: a figure, bounds in its unit, money and areas
    with their basis; anything else as `cell` reads it ("" for NULL). `both`: each reading
    where they differ (4.28亿元 428 million yuan), which a list's narrow column has no room for."""
    if lang == "both":
        zh, en = field(name, record, "zh"), field(name, record, "en")
        return en if zh == en else f"{zh} {en}"
    value = record.get(name)
    if name == "value" and "unit" in record:
        return figure(record, lang)
    if name in ("value_min", "value_max") and value is not None:
        return quantity(float(value), record.get("unit"), lang)
    if name == "yoy_pct" and value is not None:
        return yoy(float(value), lang)
    if name.endswith(("_yuan", "_m2")):
        return based(name, record, lang)
    if name.endswith("_text") and isinstance(value, str):
        return value  # the report's own words, labelled so (Report's words, 原文数值)
    return cell(name, value, lang)


def cell(column: str, value: Any, lang: str, *, raw: bool = False) -> str:
    """Any value of a column, for reading: money and areas by the column's unit in the data
    dictionary, vocabulary words in Chinese for zh, dates as ISO dates. `raw` (zgc sql): the
    value as stored, quantities only grouped, so what is shown is what a WHERE clause matches."""
    if value is None:
        return ""
    if isinstance(value, bool):
        said = ("false", "true") if raw else ("否", "是") if lang == "zh" else ("no", "yes")
        return said[value]
    if isinstance(value, int | float | decimal.Decimal):
        unit = "" if raw else COLUMN_UNITS.get(column, "")
        if not math.isfinite(float(value)):
            return str(float(value))
        if unit in ("yuan", "m2", "percent"):
            return quantity(float(value), unit, lang)
        if isinstance(value, int) and (column in OFFSETS or column.endswith("_id")):
            return str(value)  # a position or an id is no quantity: 1632, never 1,632
        return number(float(value))
    if not isinstance(value, str):
        return plain(value)  # dates as ISO dates
    if raw:
        return value
    if lang == "en" and column.endswith(("date_text", "as_of_text")):
        return written_date(value, lang)  # 2018年 reads 2018; a card shows the words as written
    return word(column, value, lang)


def card_fields(record: Mapping[str, Any], lang: str) -> list[str]:
    """The fields a card of `record` shows, on a terminal and in a page alike."""
    # One note, in the reader's language; the English value of a fact in words is its figure.
    hidden = {"value_text_en", *(["note"] if lang == "zh" and record.get("note_zh") else [])}
    # An id whose record the card names already (issuer_id beside issuer_en) is said once.
    langs = ("zh", "en") if lang == "both" else (lang,)
    hidden |= {n for n in record for x in langs if n.endswith("_id") and f"{n[:-3]}_{x}" in record}
    return [name for name in record if name not in hidden]
