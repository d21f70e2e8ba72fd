"""Numbers as the report writes them (`约3.7万家`, `十五条`): the build checks every curated
value and bound against the words it was read from (zgc_cli.display shows them)."""

from __future__ import annotations

import math
import re
from typing import NamedTuple

_CN_DIGITS = dict(
    zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True)
)
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_MULTIPLIERS = {"万": 1e4, "亿": 1e8}
_HEDGES = {"超过": "over", "超": "over", "约": "approx", "近": "nearly"}
_HEDGES |= dict.fromkeys("余多", "more_than")  # after the number: 400余项, 1.5万多个
# A hedge word before, the first number, then 余/多 before or after 万/亿 (the last one wins).
_FIGURE = re.compile(
    r"(超过|约|近|超)?.*?(?:(\d+(?:\.\d+)?)|([零〇一二两三四五六七八九十百千]+))"
    r"([余多])?([万亿])?([余多])?",
    re.S,
)
# Vague magnitudes: the value kept is the lower bound the words guarantee; the upper bound is
# the largest number with as many digits (两位数, 数十: 10 to 99).
_MAGNITUDE_WORDS = (("两位数", 10.0, 99.0), ("数十", 10.0, 99.0), ("数百", 100.0, 999.0))


class ParsedValue(NamedTuple):
    value: float
    qualifier: str


def chinese_numeral(text: str) -> int:
    """`十五` → 15, `三十` → 30, `两` → 2, `千` → 1000 (the characters _FIGURE reads)."""
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    return total + (digit or 0)


def without_names(text: str) -> str:
    """The words without the names that hold a digit but no figure (a list of digital
    technologies names 5G): what is left to hold a figure."""
    return text.replace("5G", "")


def parse_value_text(text: str) -> ParsedValue:
    """The first number of `text`, in base units, and its hedge (ValueError if none): `约3.7万家`
    37000 approx; `1.5万多个` 15000 more_than; `千亿元` 1e11 order_of_magnitude."""
    for word, lower_bound, _ in _MAGNITUDE_WORDS:
        if word in text:
            return ParsedValue(lower_bound, "order_of_magnitude")
    match = _FIGURE.match(text)
    if match is None:
        raise ValueError(f"no number in {text!r}")
    before, arabic, chinese, after, scale, last = match.groups()
    value = float(arabic) if arabic else float(chinese_numeral(chinese))
    if scale:
        value *= _MULTIPLIERS[scale]
    qualifier = _HEDGES.get(last or after or before or "", "exact")
    if chinese in {"十", "百", "千"}:  # a bare 千亿 names a scale, not a count
        qualifier = "order_of_magnitude"
    return ParsedValue(value, qualifier)


def is_vague(text: str) -> bool:
    """True when the words give no figure at all (`数十名`, `两位数`): the value is ours."""
    return any(word in text for word, _, _ in _MAGNITUDE_WORDS)


def value_bounds(text: str) -> tuple[float | None, float | None]:
    """The lowest and highest value the words allow (None: no bound; ValueError: no number):
    exact (v, v); 约 (None, None); 近 (None, v); 超过/超/余/多 and 千亿 (v, None); 数十 (10, 99)."""
    for word, low, high in _MAGNITUDE_WORDS:
        if word in text:
            return low, high
    value, qualifier = parse_value_text(text)
    return (
        None if qualifier in ("nearly", "approx") else value,
        value if qualifier in ("exact", "nearly") else None,
    )


def bounds_agree(a: float | None, b: float | None) -> bool:
    return a is None and b is None if a is None or b is None else values_agree(a, b)


def values_agree(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
