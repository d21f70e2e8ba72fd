"""The query core under the commands: named SQL and the resolvers that turn what a person
types (`顺义`, `Shunyi`, `开工`, `一季度`) into the ids and vocabulary the snapshot uses.

base: Query, option vocabularies, --columns/--lang; resolve: parks, statuses, units, dates,
kinds; period_names: periods as people write them; metrics: metric patterns; lists: the list
commands' SQL; records: one record and its related rows; search; explain: why nothing
matched; charts: the charts' SQL; coverage: the ledger of clauses. Values are always bound
as parameters.

Each name loads its module on first use (PEP 562): a command pays only for the modules its
query needs. Measured: `zgc parks` would otherwise load explain and period_names too (2.1 ms by
-X importtime; test_import_budget's parks budget forbids it), or every caller would import inside
its functions (about 25 places in commands/, charts/, sink and verify).
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

_NAMES = {  # module: the names it lends the package
    "base": (
        "EVENT_TIME IN_PARK Lang Query Sort Status column_names did_you_mean in_lang "
        "like_pattern pick_columns require_columns unknown view_columns"
    ),
    "charts": "EVENTS_SQL FIGURES_SQL figures_sql",
    "coverage": "COVERAGE_SQL read_clauses",
    "explain": "explain_district explain_indicators explain_products explain_programs",
    "lists": (
        "PRODUCT_COLUMNS PROJECT_COLUMNS companies_query indicators_query parks_query "
        "products_query programs_query projects_query timeline_query"
    ),
    "metrics": "exact_metrics metric_match metric_params",
    "period_names": "match_period period_pattern periods resolve_period",
    "records": "KEYS RELATED all_ids find_record table_counts",
    "resolve": (
        "ZONE_NAMES date_range find_park names_the_zone park_and_bases park_table parse_date "
        "resolve_kinds resolve_park resolve_status resolve_statuses resolve_unit"
    ),
    "search": (
        "SEARCH_COLUMNS SEARCH_DEFAULT_COLUMNS SEARCH_RANKS SEARCH_TABLES search_query search_words"
    ),
}
_WHERE = {name: module for module, names in _NAMES.items() for name in names.split()}


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
