"""The named SQL of the list commands. Values are always bound; the only identifiers formatted
into SQL are column names checked against a fixed list first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from zgc_cli.queries.base import (
    EVENT_TIME,
    IN_PARK,
    Query,
    Status,
    like_pattern,
    unknown,
    view_columns,
)
from zgc_cli.queries.metrics import metric_filter

# The names of a row's park, joined only when a column asks for them (Query.names).
_PARK = ("LEFT JOIN parks k ON k.park_id = q.park_id", "park")


def _like_any(param: str, value: str | None, *columns: str) -> tuple[str, dict[str, object]]:
    """SQL: `value` ($param) is None, or one of `columns` matches it as $param_like; and its
    parameters."""
    likes = " OR ".join(f"{c} ILIKE ${param}_like ESCAPE '\\'" for c in columns)
    return f"(${param} IS NULL OR {likes})", {param: value, f"{param}_like": like_pattern(value)}


def parks_query(district: str | None) -> Query:
    return Query(
        "SELECT * FROM parks WHERE $district IS NULL "
        "OR district_zh ILIKE '%' || $district || '%' OR district_en ILIKE '%' || $district || '%'",
        {"district": district},
        names=("LEFT JOIN parks k ON k.park_id = q.parent_park_id", "parent"),
    )


PROJECT_COLUMNS = [*view_columns("projects"), "park_name_zh", "park_name_en"]


def projects_query(
    statuses: Sequence[Status],
    park_id: str | None,
    since: dt.date | None,
    until: dt.date | None,
    sort: str | None,
    descending: bool,
) -> Query:
    if sort is not None and sort not in PROJECT_COLUMNS:
        raise unknown("sort field", sort, PROJECT_COLUMNS)
    direction = "DESC" if descending else "ASC"
    return Query(
        "SELECT * FROM projects WHERE (len($statuses) = 0 OR list_contains($statuses, status)) "
        f"AND ($park IS NULL OR park_id IN {IN_PARK}) "
        "AND ($since IS NULL OR status_date >= $since) "
        "AND ($until IS NULL OR status_date <= $until)",
        {"statuses": [s.value for s in statuses], "park": park_id, "since": since, "until": until},
        f'"{sort or "status_date"}" {direction} NULLS LAST, project_id',
        _PARK,
    )


def indicators_query(
    park_id: str | None,
    subject: str | None,
    metric: str | None,
    unit: str | None,
    period: str | None,
    *,
    exact_metric: bool = False,
) -> Query:
    # A figure's park comes with it (indicators.park_id, through its subject: a project's, a
    # company's, a programme's or a product's park); a park includes its bases.
    matches, bound = metric_filter("metric_like", metric, exact_metric)
    return Query(
        f"SELECT * FROM indicators i WHERE ($park IS NULL OR i.park_id IN {IN_PARK}) "
        "AND ($subject IS NULL OR i.subject_type = lower($subject) "
        "  OR i.subject_id ILIKE '%' || $subject || '%') "
        f"AND ($metric IS NULL OR {matches}) "
        "AND ($unit IS NULL OR i.unit = $unit) AND ($period IS NULL OR i.period = $period)",
        {"park": park_id, "subject": subject, "metric": metric, "unit": unit, "period": period}
        | bound,
        names=("LEFT JOIN _subjects k USING (subject_type, subject_id)", "subject"),
    )


def companies_query(park_id: str | None) -> Query:
    return Query(
        f"SELECT * FROM companies WHERE $park IS NULL OR park_id IN {IN_PARK}",
        {"park": park_id},
        names=_PARK,
    )


def programs_query(park_id: str | None, kinds: Sequence[str], issuer: str | None) -> Query:
    by_issuer, bound = _like_any("issuer", issuer, "issuer_id", "issuer_zh", "issuer_en")
    return Query(
        f"SELECT * FROM programs WHERE ($park IS NULL OR park_id IN {IN_PARK}) "
        f"AND (len($kinds) = 0 OR list_contains($kinds, kind)) AND {by_issuer}",
        {"park": park_id, "kinds": list(kinds), **bound},
        names=_PARK,
    )


# A product's place is its maker's park; its maker's names come along.
PRODUCT_COLUMNS = [*view_columns("products"), "company_name_zh", "company_name_en", "park_id"]


def products_query(park_id: str | None, kinds: Sequence[str], company: str | None) -> Query:
    by_maker, bound = _like_any("company", company, "d.company_id", "c.name_zh", "c.name_en")
    return Query(
        "SELECT d.*, c.name_zh AS company_name_zh, c.name_en AS company_name_en, c.park_id "
        "FROM (SELECT *, row_number() OVER () AS _at FROM products) d "
        f"LEFT JOIN companies c USING (company_id) WHERE ($park IS NULL OR c.park_id IN {IN_PARK}) "
        f"AND (len($kinds) = 0 OR list_contains($kinds, d.kind)) AND {by_maker}",
        {"park": park_id, "kinds": list(kinds), **bound},
        "_at",
        _PARK,
    )


def timeline_query(since: dt.date | None, until: dt.date | None) -> Query:
    return Query(
        f"SELECT * FROM events WHERE ($since IS NULL OR {EVENT_TIME} >= $since) "
        f"AND ($until IS NULL OR {EVENT_TIME} <= $until)",
        {"since": since, "until": until},
        f"{EVENT_TIME} NULLS LAST, event_id",
        _PARK,
    )
