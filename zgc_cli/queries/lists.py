"""The named SQL of the list commands (parks, projects, indicators, companies, programs,
products, timeline). Values are always bound as parameters; the only identifiers formatted
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
from zgc_cli.queries.metrics import metric_match, metric_params


# Each list joins the names of the records its rows point at (a park, a subject, a maker) for
# the terminal view, so a reader sees 北京汽车生产基地 where the row holds beijing-auto-base
# (layouts._named); files and pipes keep the view's own columns. A join keeps no order: the
# rows are numbered in the snapshot's order first (a streaming window, after the filters, so
# they still reach the scan) and put back in it.
def _numbered(view: str, alias: str, where: str = "true") -> str:
    return (
        f"(SELECT {alias}.*, row_number() OVER () AS _at FROM {view} {alias} WHERE {where}) {alias}"
    )


_PARK_NAMES = "k.name_zh AS park_name_zh, k.name_en AS park_name_en"


def parks_query(district: str | None) -> Query:
    return Query(
        inner="SELECT k.*, u.name_zh AS parent_name_zh, u.name_en AS parent_name_en FROM "
        + _numbered(
            "parks",
            "k",
            "$district IS NULL OR k.district_zh ILIKE '%' || $district || '%' "
            "OR k.district_en ILIKE '%' || $district || '%'",
        )
        + " LEFT JOIN parks u ON u.park_id = k.parent_park_id",
        default_columns=[
            "park_id",
            "name_zh",
            "name_en",
            "district_zh",
            "district_en",
            "kind",
            "parent_park_id",
            "aliases",
        ],
        params={"district": district},
        order_by="_at",
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
    order = f'"{sort or "status_date"}" {direction} NULLS LAST, project_id'
    return Query(
        inner="SELECT p.*, k.name_zh AS park_name_zh, k.name_en AS park_name_en "
        "FROM projects p LEFT JOIN parks k USING (park_id) "
        "WHERE (len($statuses) = 0 OR list_contains($statuses, p.status)) "
        f"AND ($park IS NULL OR p.park_id IN {IN_PARK}) "
        "AND ($since IS NULL OR p.status_date >= $since) "
        "AND ($until IS NULL OR p.status_date <= $until)",
        default_columns=[
            "project_id",
            "name_zh",
            "name_en",
            "park_id",
            "status",
            "status_date",
            "investment_yuan",
            "floor_area_m2",
            "quote",
        ],
        params={
            "statuses": [s.value for s in statuses],
            "park": park_id,
            "since": since,
            "until": until,
        },
        order_by=order,
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
    return Query(
        inner="SELECT i.*, s.name_zh AS subject_name_zh, s.name_en AS subject_name_en FROM "
        + _numbered(
            "indicators",
            "i",
            f"($park IS NULL OR i.park_id IN {IN_PARK}) "
            "AND ($subject IS NULL OR i.subject_type = lower($subject) "
            "  OR i.subject_id ILIKE '%' || $subject || '%') "
            f"AND ($metric IS NULL OR {metric_match('metric', exact_metric)}) "
            "AND ($unit IS NULL OR i.unit = $unit) "
            "AND ($period IS NULL OR i.period = $period)",
        )
        + " LEFT JOIN _subjects s USING (subject_type, subject_id)",
        default_columns=[
            "indicator_id",
            "subject_type",
            "subject_id",
            "metric_zh",
            "metric_en",
            "value",
            "unit",
            "qualifier",
            "value_text",
            "as_of",
            "period",
            "yoy_pct",
            "quote",
        ],
        params={
            "park": park_id,
            "subject": subject,
            "metric": metric,
            **metric_params("metric", metric, exact_metric),
            "unit": unit,
            "period": period,
        },
        order_by="_at",
    )


def companies_query(park_id: str | None) -> Query:
    return Query(
        inner=f"SELECT c.*, {_PARK_NAMES} FROM "
        + _numbered("companies", "c", f"$park IS NULL OR c.park_id IN {IN_PARK}")
        + " LEFT JOIN parks k USING (park_id)",
        default_columns=["company_id", "name_zh", "name_en", "park_id", "sector", "quote"],
        params={"park": park_id},
        order_by="_at",
    )


def programs_query(park_id: str | None, kinds: Sequence[str], issuer: str | None) -> Query:
    return Query(
        inner=f"SELECT g.*, {_PARK_NAMES} FROM "
        + _numbered(
            "programs",
            "g",
            f"($park IS NULL OR g.park_id IN {IN_PARK}) "
            "AND (len($kinds) = 0 OR list_contains($kinds, g.kind)) "
            "AND ($issuer IS NULL OR issuer_id ILIKE $issuer_like ESCAPE '\\' "
            "  OR issuer_zh ILIKE $issuer_like ESCAPE '\\' "
            "  OR issuer_en ILIKE $issuer_like ESCAPE '\\')",
        )
        + " LEFT JOIN parks k USING (park_id)",
        default_columns=[
            "program_id",
            "name_zh",
            "name_en",
            "kind",
            "issuer_zh",
            "issuer_en",
            "park_id",
            "launch_date",
            "quote",
        ],
        params={
            "park": park_id,
            "kinds": list(kinds),
            "issuer": issuer,
            "issuer_like": like_pattern(issuer),
        },
        order_by="_at",
    )


# A product's place is its maker's park; its maker's names come along.
PRODUCT_COLUMNS = [*view_columns("products"), "company_name_zh", "company_name_en", "park_id"]


def products_query(park_id: str | None, kinds: Sequence[str], company: str | None) -> Query:
    return Query(
        inner="SELECT d.*, c.name_zh AS company_name_zh, c.name_en AS company_name_en, "
        f"c.park_id, {_PARK_NAMES} FROM {_numbered('products', 'd')} "
        "LEFT JOIN companies c USING (company_id) LEFT JOIN parks k ON k.park_id = c.park_id "
        f"WHERE ($park IS NULL OR c.park_id IN {IN_PARK}) "
        "AND (len($kinds) = 0 OR list_contains($kinds, d.kind)) "
        "AND ($company IS NULL OR d.company_id ILIKE $company_like ESCAPE '\\' "
        "  OR c.name_zh ILIKE $company_like ESCAPE '\\' "
        "  OR c.name_en ILIKE $company_like ESCAPE '\\')",
        default_columns=[
            "product_id",
            "name_zh",
            "name_en",
            "kind",
            "company_id",
            "park_id",
            "quote",
        ],
        params={
            "park": park_id,
            "kinds": list(kinds),
            "company": company,
            "company_like": like_pattern(company),
        },
        order_by="_at",
    )


def timeline_query(since: dt.date | None, until: dt.date | None) -> Query:
    return Query(
        inner=f"SELECT e.*, {_PARK_NAMES} FROM events e LEFT JOIN parks k USING (park_id) "
        f"WHERE ($since IS NULL OR {EVENT_TIME} >= $since) "
        f"AND ($until IS NULL OR {EVENT_TIME} <= $until)",
        default_columns=[
            "date",
            "date_text",
            "event_id",
            "park_id",
            "title_zh",
            "title_en",
            "quote",
        ],
        params={"since": since, "until": until},
        order_by=f"{EVENT_TIME} NULLS LAST, event_id",
    )
