"""`zgc search`: every table's ids, names, labels and quotes, ranked by where TEXT matched."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from zgc_cli.queries.base import Query

# Each table's rows with what can match, as search.sql explains.
_FIELDS = Path(__file__).with_name("search.sql").read_text(encoding="utf-8")


def _holds(value: str) -> str:
    """SQL: `value` holds the text, or each of its words."""
    return (
        f"(contains(lower({value}), lower($text)) OR (len($words) > 0 AND "
        f"list_bool_and(list_transform($words, lambda w: contains(lower({value}), w)))))"
    )


def _any_holds(values: str) -> str:
    return f"list_bool_or(list_transform({values}, lambda v: {_holds('v')}))"


# rank -> what matched; lower ranks first. The parks are a list ($in_park), not a subquery:
# inside the rank a subquery was joined to every row (minutes over a million rows).
_SEARCH = f"""
SELECT *, CASE rank WHEN 1 THEN 'exact id/name' WHEN 2 THEN 'id/name' WHEN 3 THEN 'label/period'
       WHEN 4 THEN 'park' WHEN 5 THEN 'summary' WHEN 6 THEN 'quote' END AS matched_in
FROM (SELECT *, least(
    CASE WHEN list_contains(flatten(list_transform(names, lambda v: string_split(lower(v), ';'))),
                            lower($text)) OR ("table" = 'parks' AND id = $park) THEN 1 END,
    CASE WHEN {_any_holds("names")} THEN 2 END,
    CASE WHEN {_any_holds("labels")} OR list_contains($periods, period) THEN 3 END,
    CASE WHEN list_contains($in_park, park_id) THEN 4 END,
    CASE WHEN {_any_holds("summaries")} THEN 5 END,
    CASE WHEN {_holds("quote")} THEN 6 END
) AS rank FROM ({_FIELDS}))
WHERE rank IS NOT NULL"""

SEARCH_COLUMNS = [
    *("rank", "matched_in", "table", "id", "name_zh", "name_en", "value", "unit", "qualifier"),
    *("value_text", "value_text_en", "value_min", "value_max", "basis", "yoy_pct", "metric"),
    *("date", "period", "park_id", "quote"),
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
        "rank, list_position(['parks', 'programs', 'projects', 'companies', 'products', 'events',"
        " 'indicators', 'participants', 'sources'], \"table\"), id",
    )


def search_words(text: str) -> list[str]:
    """The distinct words of a search text, lower case (a text of one word has none: the
    whole text is matched on its own)."""
    words = list(dict.fromkeys(text.casefold().split()))
    return words if len(words) > 1 else []
