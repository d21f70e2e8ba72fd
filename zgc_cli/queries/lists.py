"""The list commands' queries, their SQL named in named.sql. Values are always bound; the only
identifiers formatted into SQL are column names checked against a fixed list first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from zgc_cli.queries.base import (
    EVENT_TIME,
    Query,
    Status,
    like_pattern,
    named_sql,
    unknown,
    view_columns,
)
from zgc_cli.queries.metrics import metric_filter

# The names of a row's park, joined only when a column asks for them (Query.names).
_PARK = ("LEFT JOIN parks k ON k.park_id = q.park_id", "park")


def parks_query(district: str | None) -> Query:
    parent = ("LEFT JOIN parks k ON k.park_id = q.parent_park_id", "parent")
    return Query(named_sql("parks"), {"district": district}, names=parent)


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
        named_sql("projects"),
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
    matches, bound = metric_filter("metric_like", metric, exact_metric)
    return Query(
        named_sql("indicators", matches=matches),
        {"park": park_id, "subject": subject, "metric": metric, "unit": unit, "period": period}
        | bound,
        names=("LEFT JOIN _subjects k USING (subject_type, subject_id)", "subject"),
    )


def companies_query(park_id: str | None) -> Query:
    return Query(named_sql("companies"), {"park": park_id}, names=_PARK)


def programs_query(park_id: str | None, kinds: Sequence[str], issuer: str | None) -> Query:
    params = {"park": park_id, "kinds": list(kinds), "issuer": issuer}
    return Query(named_sql("programs"), params | {"issuer_like": like_pattern(issuer)}, names=_PARK)


PRODUCT_COLUMNS = [*view_columns("products"), "company_name_zh", "company_name_en", "park_id"]


def products_query(park_id: str | None, kinds: Sequence[str], company: str | None) -> Query:
    params = {"park": park_id, "kinds": list(kinds), "company": company}
    like = {"company_like": like_pattern(company)}
    return Query(named_sql("products"), params | like, "_at", _PARK)


def timeline_query(since: dt.date | None, until: dt.date | None) -> Query:
    params = {"since": since, "until": until}
    return Query(named_sql("timeline"), params, f"{EVENT_TIME} NULLS LAST, event_id", _PARK)
