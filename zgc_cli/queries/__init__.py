"""The query core under the commands: named SQL and the resolvers that turn what a person
types (`顺义`, `Shunyi`, `开工`, `一季度`) into the ids and vocabulary the snapshot uses.

base: Query, option vocabularies, --columns/--lang; resolve: parks, statuses, units, dates,
kinds; period_names: periods as people write them; metrics: metric patterns; lists: the list
commands' SQL; records: one record and its related rows; search; explain: why nothing
matched; charts: the charts' SQL; coverage: the ledger of clauses. Values are always bound
as parameters.

Each name loads its module on first use (PEP 562): a command pays only for the modules
its query needs, and `from zgc_cli.queries import X` and `queries.X` work as ever.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zgc_cli.queries.base import (
        EVENT_TIME as EVENT_TIME,
        IN_PARK as IN_PARK,
        Lang as Lang,
        Query as Query,
        Sort as Sort,
        Status as Status,
        column_names as column_names,
        did_you_mean as did_you_mean,
        in_lang as in_lang,
        like_pattern as like_pattern,
        pick_columns as pick_columns,
        require_columns as require_columns,
        unknown as unknown,
        view_columns as view_columns,
    )
    from zgc_cli.queries.charts import (
        EVENTS_SQL as EVENTS_SQL,
        FIGURES_SQL as FIGURES_SQL,
        figures_sql as figures_sql,
    )
    from zgc_cli.queries.coverage import (
        COVERAGE_SQL as COVERAGE_SQL,
        read_clauses as read_clauses,
    )
    from zgc_cli.queries.explain import (
        explain_district as explain_district,
        explain_indicators as explain_indicators,
        explain_products as explain_products,
        explain_programs as explain_programs,
    )
    from zgc_cli.queries.lists import (
        PRODUCT_COLUMNS as PRODUCT_COLUMNS,
        PROJECT_COLUMNS as PROJECT_COLUMNS,
        companies_query as companies_query,
        indicators_query as indicators_query,
        parks_query as parks_query,
        products_query as products_query,
        programs_query as programs_query,
        projects_query as projects_query,
        timeline_query as timeline_query,
    )
    from zgc_cli.queries.metrics import (
        exact_metrics as exact_metrics,
        metric_match as metric_match,
        metric_params as metric_params,
    )
    from zgc_cli.queries.period_names import (
        match_period as match_period,
        period_pattern as period_pattern,
        periods as periods,
        resolve_period as resolve_period,
    )
    from zgc_cli.queries.records import (
        KEYS as KEYS,
        RELATED as RELATED,
        all_ids as all_ids,
        find_record as find_record,
        table_counts as table_counts,
    )
    from zgc_cli.queries.resolve import (
        ZONE_NAMES as ZONE_NAMES,
        date_range as date_range,
        find_park as find_park,
        names_the_zone as names_the_zone,
        park_and_bases as park_and_bases,
        park_table as park_table,
        parse_date as parse_date,
        resolve_kinds as resolve_kinds,
        resolve_park as resolve_park,
        resolve_status as resolve_status,
        resolve_statuses as resolve_statuses,
        resolve_unit as resolve_unit,
    )
    from zgc_cli.queries.search import (
        SEARCH_COLUMNS as SEARCH_COLUMNS,
        SEARCH_DEFAULT_COLUMNS as SEARCH_DEFAULT_COLUMNS,
        SEARCH_RANKS as SEARCH_RANKS,
        SEARCH_TABLES as SEARCH_TABLES,
        search_query as search_query,
        search_words as search_words,
    )

_WHERE: dict[str, str] = {
    "COVERAGE_SQL": "coverage",
    "EVENTS_SQL": "charts",
    "EVENT_TIME": "base",
    "FIGURES_SQL": "charts",
    "IN_PARK": "base",
    "KEYS": "records",
    "Lang": "base",
    "PRODUCT_COLUMNS": "lists",
    "PROJECT_COLUMNS": "lists",
    "Query": "base",
    "RELATED": "records",
    "SEARCH_COLUMNS": "search",
    "SEARCH_DEFAULT_COLUMNS": "search",
    "SEARCH_RANKS": "search",
    "SEARCH_TABLES": "search",
    "Sort": "base",
    "Status": "base",
    "ZONE_NAMES": "resolve",
    "all_ids": "records",
    "column_names": "base",
    "companies_query": "lists",
    "date_range": "resolve",
    "did_you_mean": "base",
    "exact_metrics": "metrics",
    "explain_district": "explain",
    "explain_indicators": "explain",
    "explain_products": "explain",
    "explain_programs": "explain",
    "figures_sql": "charts",
    "find_park": "resolve",
    "find_record": "records",
    "in_lang": "base",
    "indicators_query": "lists",
    "like_pattern": "base",
    "match_period": "period_names",
    "metric_match": "metrics",
    "metric_params": "metrics",
    "names_the_zone": "resolve",
    "park_and_bases": "resolve",
    "park_table": "resolve",
    "parks_query": "lists",
    "parse_date": "resolve",
    "period_pattern": "period_names",
    "periods": "period_names",
    "pick_columns": "base",
    "products_query": "lists",
    "programs_query": "lists",
    "projects_query": "lists",
    "read_clauses": "coverage",
    "require_columns": "base",
    "resolve_kinds": "resolve",
    "resolve_park": "resolve",
    "resolve_period": "period_names",
    "resolve_status": "resolve",
    "resolve_statuses": "resolve",
    "resolve_unit": "resolve",
    "search_query": "search",
    "search_words": "search",
    "table_counts": "records",
    "timeline_query": "lists",
    "unknown": "base",
    "view_columns": "base",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'zgc_cli.queries' has no attribute {name!r}")
    value = getattr(import_module(f"zgc_cli.queries.{module}"), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(_WHERE)


__all__ = sorted(_WHERE)
