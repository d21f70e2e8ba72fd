"""The snapshot's vocabularies as words, both ways: stored values stay English slugs (`started`,
`real_estate_development`); a zh reader sees 开工, 房地产开发, an en reader started, real estate
development, never a slug with underscores. The words are in dictionary.txt; a status and a
unit in Chinese are their first word there."""

from __future__ import annotations

from enum import StrEnum

from zgc_cli.dictionary import DATA, STATUSES, UNITS

# The reader's language: zh, en, or both side by side (scripts get both).
Lang = StrEnum("Lang", "zh en both")


def _by_column(section: str) -> dict[str, dict[str, str]]:
    """Rows of column, value, word as {column: {value: word}}."""
    said: dict[str, dict[str, str]] = {}
    for column, value, word in DATA[section]:
        said.setdefault(column, {})[value] = word
    return said


# Not "table": view names are identifiers, typed in SQL and `zgc schema NAME`.
VOCABULARY_ZH: dict[str, dict[str, str]] = {
    **_by_column("vocabulary_zh"),
    "status": {name: words.split(",")[0].split("/")[0].strip() for name, words in STATUSES.items()},
    "unit": {unit: words.split("/")[0] for unit, words in UNITS.items()},
}
# English words where the slug spelled out is not the word a reader uses.
VOCABULARY_EN = _by_column("vocabulary_en")
# The vocabularies an English reader reads as words (`under construction`, not the slug);
# "sector" and "segment" are open (snake_case), spelled out when not listed.
_WORDED = frozenset({*VOCABULARY_ZH, "sector", "segment"} - {"matched_in", "period"})


def word(column: str, value: str, lang: str) -> str:
    """A vocabulary value as words (`started`: 开工, started, both 开工 started; a `*_basis`
    column takes basis's words); any other value as it is."""
    column = "basis" if column.endswith("_basis") else column
    zh = VOCABULARY_ZH.get(column, {}).get(value, value)
    en = VOCABULARY_EN.get(column, {}).get(value)
    if en is None:  # under_construction: under construction
        en = value.replace("_", " ") if column in _WORDED else value
    return zh if lang == "zh" else en if lang == "en" else value if zh == value else f"{zh} {en}"
