"""`zgc search`: every table's ids, names, labels and quotes, ranked by where TEXT matched."""

from __future__ import annotations

from collections.abc import Sequence

from zgc_cli.queries.base import Query

# Each table's rows with what can match: `names` (ids, names, aliases: `;`-separated; an exact
# one ranks first), `labels` (a metric, title, kind, role, district or period as written) and
# `summaries`; each row also has its park (the filter --park would give it) and its quote. A hit
# on a figure carries the figure (value, unit, hedge, words, bounds, basis, change) and its date
# or period; a project's, an event's or a programme's hit its date. BY NAME: what a table lacks
# is NULL.
_FIELDS = """
SELECT 'parks' AS "table", park_id AS id, name_zh, name_en, park_id, quote,
       [park_id, name_zh, name_en, aliases] AS names, [district_zh, district_en] AS labels
FROM parks
UNION ALL BY NAME
SELECT 'projects' AS "table", project_id AS id, name_zh, name_en, park_id, quote,
       status_date AS "date", [project_id, name_zh, name_en] AS names,
       [status, status_date_text] AS labels,
       [summary_zh, summary_en, builder_zh, builder_en] AS summaries
FROM projects
UNION ALL BY NAME
SELECT 'indicators' AS "table", indicator_id AS id, metric_zh AS name_zh, metric_en AS name_en,
       park_id, quote, period, value, unit, qualifier, value_text, value_text_en, value_min,
       value_max, basis, yoy_pct, metric, as_of AS "date", [indicator_id] AS names,
       -- a figure with a year-on-year change answers "year on year", 同比, yoy
       [metric, metric_zh, metric_en, value_text, as_of_text, period,
        CASE WHEN yoy_pct IS NOT NULL THEN 'year on year change; 同比; yoy_pct' END] AS labels
FROM indicators
UNION ALL BY NAME
SELECT 'companies' AS "table", company_id AS id, name_zh, name_en, park_id, quote,
       [company_id, name_zh, name_en] AS names, [sector] AS labels
FROM companies
UNION ALL BY NAME
SELECT 'events' AS "table", event_id AS id, title_zh AS name_zh, title_en AS name_en, park_id,
       quote, "date", [event_id] AS names, [title_zh, title_en, date_text] AS labels
FROM events
UNION ALL BY NAME
SELECT 'programs' AS "table", program_id AS id, name_zh, name_en, park_id, quote,
       launch_date AS "date", [program_id, name_zh, name_en, aliases] AS names,
       [kind, issuer_zh, issuer_en, launch_date_text] AS labels
FROM programs
UNION ALL BY NAME
SELECT 'participants' AS "table", p.participant_id AS id, c.name_zh, c.name_en, c.park_id,
       p.quote, [p.participant_id] AS names, [p.role] AS labels
FROM participants p LEFT JOIN companies c USING (company_id)
UNION ALL BY NAME
SELECT 'products' AS "table", d.product_id AS id, d.name_zh, d.name_en, c.park_id, d.quote,
       [d.product_id, d.name_zh, d.name_en] AS names, [d.kind] AS labels
FROM products d LEFT JOIN companies c USING (company_id)
UNION ALL BY NAME
SELECT 'sources' AS "table", source_id AS id, title_zh AS name_zh, title_en AS name_en,
       [source_id, title_zh, title_en] AS names, [byline] AS labels
FROM sources
"""


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
