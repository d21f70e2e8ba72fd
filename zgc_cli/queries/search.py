"""`zgc search`: every table's ids, names, labels and quotes, ranked by where TEXT matched."""

from __future__ import annotations

from collections.abc import Sequence

from zgc_cli.queries.base import Query


def _fields(*pairs: tuple[str, str]) -> str:
    return "[" + ", ".join(f"{{'k': '{kind}', 'v': {column}}}" for kind, column in pairs) + "]"


_IDS_NAMES = (("id", "{key}"), ("name", "name_zh"), ("name", "name_en"))
# Each table's searchable fields: (kind, SQL expression). Kinds: id and name (and alias) can
# match exactly; label is a metric, title, kind, role, district or period; summary a project's
# summary. Each row also has its park (the filter --park would give it) and its quote.
SEARCH_TABLES: dict[str, tuple[str, str, str, str, str, tuple[tuple[str, str], ...]]] = {
    # table: (FROM, id, name_zh, name_en, park, fields)
    "parks": (
        "parks",
        "park_id",
        "name_zh",
        "name_en",
        "park_id",
        (
            ("id", "park_id"),
            ("name", "name_zh"),
            ("name", "name_en"),
            ("alias", "aliases"),
            ("label", "district_zh"),
            ("label", "district_en"),
        ),
    ),
    "projects": (
        "projects",
        "project_id",
        "name_zh",
        "name_en",
        "park_id",
        (
            ("id", "project_id"),
            ("name", "name_zh"),
            ("name", "name_en"),
            ("label", "status"),
            ("label", "status_date_text"),
            ("summary", "summary_zh"),
            ("summary", "summary_en"),
            ("summary", "builder_zh"),
            ("summary", "builder_en"),
        ),
    ),
    "indicators": (
        "indicators",
        "indicator_id",
        "metric_zh",
        "metric_en",
        "park_id",
        (
            ("id", "indicator_id"),
            ("label", "metric"),
            ("label", "metric_zh"),
            ("label", "metric_en"),
            ("label", "value_text"),
            ("label", "as_of_text"),
            ("label", "period"),
            # A figure with a year-on-year change answers "year on year", 同比, yoy.
            (
                "label",
                "CASE WHEN yoy_pct IS NOT NULL THEN 'year on year change; 同比; yoy_pct' END",
            ),
        ),
    ),
    "companies": (
        "companies",
        "company_id",
        "name_zh",
        "name_en",
        "park_id",
        (("id", "company_id"), ("name", "name_zh"), ("name", "name_en"), ("label", "sector")),
    ),
    "events": (
        "events",
        "event_id",
        "title_zh",
        "title_en",
        "park_id",
        (
            ("id", "event_id"),
            ("label", "title_zh"),
            ("label", "title_en"),
            ("label", "date_text"),
        ),
    ),
    "programs": (
        "programs",
        "program_id",
        "name_zh",
        "name_en",
        "park_id",
        (
            ("id", "program_id"),
            ("name", "name_zh"),
            ("name", "name_en"),
            ("alias", "aliases"),
            ("label", "kind"),
            ("label", "issuer_zh"),
            ("label", "issuer_en"),
            ("label", "launch_date_text"),
        ),
    ),
    "participants": (
        "participants p LEFT JOIN companies c USING (company_id)",
        "p.participant_id",
        "c.name_zh",
        "c.name_en",
        "c.park_id",
        (("id", "p.participant_id"), ("label", "p.role")),
    ),
    "products": (
        "products d LEFT JOIN companies c USING (company_id)",
        "d.product_id",
        "d.name_zh",
        "d.name_en",
        "c.park_id",
        (("id", "d.product_id"), ("name", "d.name_zh"), ("name", "d.name_en"), ("label", "d.kind")),
    ),
    "sources": (
        "sources",
        "source_id",
        "title_zh",
        "title_en",
        "NULL::VARCHAR",
        (("id", "source_id"), ("name", "title_zh"), ("name", "title_en"), ("label", "byline")),
    ),
}

# rank -> what matched; lower ranks first.
SEARCH_TABLE_ORDER = (
    "['parks', 'programs', 'projects', 'companies', 'products', 'events', 'indicators',"
    " 'participants', 'sources']"
)
SEARCH_RANKS = {
    1: "exact id/name",  # the whole text is an id, a name or an alias (or names the park)
    2: "id/name",  # an id, name or alias holds the text (or all its words)
    3: "label/period",  # a metric, title, kind, role, district, period or date as written
    4: "park",  # the record belongs to the park the text names (miyun, 密云区)
    5: "summary",
    6: "quote",  # only the quote holds it
}
# A hit on a figure carries the figure (value, unit, hedge, words, bounds, basis, change) and
# its date or period; a project's, an event's or a programme's hit its date.
HIT_FIGURE = (
    "value",
    "unit",
    "qualifier",
    "value_text",
    "value_text_en",
    "value_min",
    "value_max",
    "basis",
    "yoy_pct",
    "metric",
)
_HIT_DATES = {
    "indicators": "as_of",
    "projects": "status_date",
    "events": '"date"',
    "programs": "launch_date",
}
SEARCH_COLUMNS = [
    "rank",
    "matched_in",
    "table",
    "id",
    "name_zh",
    "name_en",
    *HIT_FIGURE,
    "date",
    "period",
    "park_id",
    "quote",
]
SEARCH_DEFAULT_COLUMNS = ["rank", "matched_in", "table", "id", "name_zh", "name_en", "quote"]


def _quote_column(table: str) -> str:
    return {"participants": "p.quote", "products": "d.quote"}.get(table, "quote")


def search_query(
    text: str,
    words: Sequence[str],
    park: str | None,
    periods: Sequence[str],
    in_park: Sequence[str] = (),
) -> Query:
    """Rows of every table that hold `text` (or each of its `words`), that lie in `in_park`
    (`park`, the park the text names, and its bases), or whose period is in `periods` (the
    periods the text names: Q1, 一季度). Every value is bound; only counts shape the SQL.

    The parks are a list, not a subquery: inside the rank's CASE a subquery was joined to
    every row (minutes over a million rows)."""
    holds = " AND ".join(f"contains(lower(x.v), $w{i})" for i in range(len(words))) or "false"
    quote_holds = " AND ".join(f"contains(lower(quote), $w{i})" for i in range(len(words)))
    selects = []
    for table, (source, key, name_zh, name_en, park_expr, fields) in SEARCH_TABLES.items():
        quote = "NULL::VARCHAR" if table == "sources" else _quote_column(table)
        period = "period" if table == "indicators" else "NULL::VARCHAR"
        figure = ", ".join(f"{c if table == 'indicators' else 'NULL'} AS {c}" for c in HIT_FIGURE)
        selects.append(
            f"SELECT '{table}' AS \"table\", {key} AS id, {name_zh} AS name_zh, "
            f"{name_en} AS name_en, {park_expr} AS park_id, {quote} AS quote, "
            f'{period} AS period, {figure}, {_HIT_DATES.get(table, "NULL::DATE")} AS "date", '
            f"{_fields(*fields)} AS f FROM {source}"
        )
    union = "\n    UNION ALL ".join(selects)
    rank_names = " ".join(f"WHEN {rank} THEN '{name}'" for rank, name in SEARCH_RANKS.items())
    inner = f"""
WITH fields AS (
    {union}
),
ranked AS (
    SELECT "table", id, name_zh, name_en, park_id, quote, period, {", ".join(HIT_FIGURE)},
           "date",
           least(
               list_min(list_transform(f, lambda x: CASE
                   WHEN x.k IN ('id', 'name', 'alias')
                        AND list_contains(string_split(lower(x.v), ';'), lower($text)) THEN 1
                   WHEN x.k IN ('id', 'name', 'alias')
                        AND (contains(lower(x.v), lower($text)) OR ({holds})) THEN 2
                   WHEN x.k = 'label' AND (contains(lower(x.v), lower($text)) OR ({holds}))
                        THEN 3
                   WHEN x.k = 'summary' AND (contains(lower(x.v), lower($text)) OR ({holds}))
                        THEN 5
               END)),
               CASE WHEN "table" = 'parks' AND id = $park THEN 1 END,
               CASE WHEN list_contains($periods, period) THEN 3 END,
               CASE WHEN list_contains($in_park, park_id) THEN 4 END,
               CASE WHEN contains(lower(quote), lower($text)) OR ({quote_holds or "false"})
                    THEN 6 END
           ) AS rank
    FROM fields
)
SELECT rank, CASE rank {rank_names} END AS matched_in,
       "table", id, name_zh, name_en, {", ".join(HIT_FIGURE)}, "date", period, park_id, quote
FROM ranked
WHERE rank IS NOT NULL"""
    return Query(
        inner=inner,
        default_columns=SEARCH_DEFAULT_COLUMNS,
        params={
            "text": text,
            "park": park,
            "in_park": list(in_park),
            "periods": list(periods),
            **{f"w{i}": word for i, word in enumerate(words)},
        },
        # Within a rank, the tables a question is most likely about come first: the loan
        # before the eight rows of who took part in it.
        order_by=f'rank, list_position({SEARCH_TABLE_ORDER}, "table"), id',
    )


def search_words(text: str) -> list[str]:
    """The distinct words of a search text, lower case (a text of one word has none: the
    whole text is matched on its own)."""
    words = list(dict.fromkeys(text.casefold().split()))
    return words if len(words) > 1 else []
