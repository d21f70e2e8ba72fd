"""`zgc search`: every table's ids, names, labels and quotes, ranked by where TEXT matched."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from zgc_cli.queries.base import Query

# Each table's rows with what can match and how each ranks, as search.sql explains.
_SEARCH = Path(__file__).with_name("search.sql").read_text(encoding="utf-8")

SEARCH_COLUMNS = [
    *("rank", "matched_in", "table", "id", "name_zh", "name_en", "value", "unit", "qualifier"),
    *("value_text", "value_text_en", "value_min", "value_max", "basis", "yoy_pct", "metric"),
    *("date", "period", "park_id", "quote", "subject_id", "subject_name_zh", "subject_name_en"),
]


def search_query(
    text: str,
    words: Sequence[str],
    park: str | None,
    periods: Sequence[str],
    in_park: Sequence[str] = (),
) -> Query:
    """Rows of every table that hold `text` (or each of its `words`), that lie in `in_park`
    (`park`, the park the text names, and its bases), or whose period is in `periods` (the
    periods the text names: Q1, 一季度)."""
    return Query(
        _SEARCH,
        {
            "text": text,
            "words": list(words),
            "park": park,
            "in_park": list(in_park),
            "periods": list(periods),
        },
        # Within a rank, the tables a question is most likely about come first: the loan
        # before the eight rows of who took part in it.
        "rank, whole DESC NULLS LAST, list_position(['parks', 'programs', 'projects', "
        "'companies', 'products', 'events', 'indicators', 'participants', 'sources'], "
        '"table"), id',
    )


def search_words(text: str) -> list[str]:
    """The distinct words of a search text, lower case (a text of one word has none: the
    whole text is matched on its own)."""
    words = list(dict.fromkeys(text.casefold().split()))
    return words if len(words) > 1 else []
