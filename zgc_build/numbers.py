"""Numbers as the report writes them (`约3.7万家`, `十五条`): the build checks every curated
value and bound against the words it was read from (zgc_cli.display shows them)."""

from __future__ import annotations

import math
import re
from typing import NamedTuple

# The value of each Chinese digit, unit and multiplier _FIGURE reads.
_CN = dict(zip("零〇一二两三四五六七八九", [0, 0, 1, 2, 2, *range(3, 10)], strict=True))
_CN |= {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}
# Each hedge word and the qualifier it gives; 余/多 come after the number: 400余项, 1.5万多个.
_HEDGES = {"超过": "over", "超": "over", "约": "approx", "近": "nearly"} | dict.fromkeys(
    "余多", "more_than"
)
# A hedge word before, the first number, then 余/多 before or after 万/亿 (the last one wins).
_FIGURE = re.compile(
    r"(超过|约|近|超)?.*?(?:(\d+(?:\.\d+)?)|([零〇一二两三四五六七八九十百千]+))"
    r"([余多])?([万亿])?([余多])?",
    re.S,
)
# Vague magnitudes: the value kept is the lower bound the words guarantee; the upper bound is
# the largest number with as many digits (两位数, 数十: 10 to 99).
_MAGNITUDES = {"两位数": (10.0, 99.0), "数十": (10.0, 99.0), "数百": (100.0, 999.0)}


class ParsedValue(NamedTuple):
    value: float
    qualifier: str


def chinese_numeral(text: str) -> int:
    """`十五` → 15, `三十` → 30, `两` → 2, `千` → 1000 (the characters _FIGURE reads)."""
    total, digit = 0, None
    for value in map(_CN.__getitem__, text):
        if value < 10:
            digit = value
        else:
            total += (1 if digit is None else digit) * value
            digit = None
    return total + (digit or 0)


def without_names(text: str) -> str:
    """The words without the names that hold a digit but no figure (a list of digital
    technologies names 5G): what is left to hold a figure."""
    return text.replace("5G", "")


def _magnitude(text: str) -> tuple[float, float] | None:
    return next((bounds for word, bounds in _MAGNITUDES.items() if word in text), None)


def parse_value_text(text: str) -> ParsedValue:
    """The first number of `text`, in base units, and its hedge (ValueError if none): `约3.7万家`
    37000 approx; `1.5万多个` 15000 more_than; `千亿元` 1e11 order_of_magnitude."""
    if vague := _magnitude(text):
        return ParsedValue(vague[0], "order_of_magnitude")
    match = _FIGURE.match(text)
    if match is None:
        raise ValueError(f"no number in {text!r}")
    before, arabic, chinese, after, scale, last = match.groups()
    value = float(arabic) if arabic else float(chinese_numeral(chinese))
    qualifier = _HEDGES.get(last or after or before or "", "exact")
    if chinese in {"十", "百", "千"}:  # a bare 千亿 names a scale, not a count
        qualifier = "order_of_magnitude"
    return ParsedValue(value * (_CN[scale] if scale else 1), qualifier)


def is_vague(text: str) -> bool:
    """True when the words give no figure at all (`数十名`, `两位数`): the value is ours."""
    return _magnitude(text) is not None


def value_bounds(text: str) -> tuple[float | None, float | None]:
    """The lowest and highest value the words allow (None: no bound; ValueError: no number):
    exact (v, v); 约 (None, None); 近 (None, v); 超过/超/余/多 and 千亿 (v, None); 数十 (10, 99)."""
    if vague := _magnitude(text):
        return vague
    value, qualifier = parse_value_text(text)
    return (
        None if qualifier in ("nearly", "approx") else value,
        value if qualifier in ("exact", "nearly") else None,
    )


def bounds_agree(a: float | None, b: float | None) -> bool:
    return a is None and b is None if a is None or b is None else values_agree(a, b)


def values_agree(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
