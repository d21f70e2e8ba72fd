"""The list commands' queries, their SQL named in named.sql, and why one matched nothing (asked
only after an empty result: each free-text filter that matches nothing alone, and what there is
to choose from). Values are always bound; the only identifiers formatted into SQL are column
names checked against a fixed list first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from zgc_cli.db.statement import named
from zgc_cli.dictionary import SUBJECT_TYPES
from zgc_cli.queries.base import (
    EVENT_TIME,
    Query,
    Status,
    did_you_mean,
    like_pattern,
    named_sql,
    unknown,
    view_columns,
)
from zgc_cli.queries.metrics import metric_filter

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database

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


def _distinct(db: Database, name: str) -> list[str]:  # a named statement's one column
    return [str(row[0]) for row in db.run(named_sql(name)).rows() if row[0] is not None]


def _none(db: Database, query: Query) -> bool:
    return not db.run(named(f"SELECT 1 FROM ({query.inner}) LIMIT 1"), query.params).fetch(1)


def explain_district(db: Database, district: str | None) -> list[str]:
    if district is None:
        return []
    districts = ", ".join(_distinct(db, "districts"))
    return [f"no park lies in a district named {district!r} (districts: {districts})"]


def explain_indicators(db: Database, subject: str | None, metric: str | None) -> list[str]:
    notes = []
    if subject is not None and _none(db, indicators_query(None, subject, None, None, None)):
        notes.append(
            f"no subject matches {subject!r} (subject types: {', '.join(SUBJECT_TYPES)}; "
            "or part of a subject id, e.g. miyun, megvii)"
        )
    if metric is not None and _none(db, indicators_query(None, None, metric, None, None)):
        import shlex

        metrics = _distinct(db, "metrics")
        notes.append(
            f"no metric name or label matches {metric!r}{did_you_mean(metric, metrics)} "
            f"({len(metrics)} metrics: zgc sql 'SELECT DISTINCT metric, metric_en FROM "
            f"indicators'; words anywhere: zgc search {shlex.quote(metric)})"
        )
    return notes


# A list's own free-text filter: what it names, and the named statement listing the choices.
_WHO = {"programs": ("programme's issuer", "issuers"), "products": ("product's maker", "makers")}


def explain_who(db: Database, name: str, who: str | None) -> list[str]:
    """`zgc programs --issuer` or `zgc products --company` that matches nothing."""
    query = programs_query if name == "programs" else products_query
    if who is None or not _none(db, query(None, [], who)):
        return []
    what, choices = _WHO[name]
    return [f"no {what} matches {who!r} ({choices}: {', '.join(_distinct(db, choices))})"]
