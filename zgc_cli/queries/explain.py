"""Why nothing matched, asked only after an empty result: each free-text filter that matches
nothing alone (the list's query with only that filter), and what there is to choose from."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from zgc_cli.db.statement import named
from zgc_cli.dictionary import SUBJECT_TYPES
from zgc_cli.queries.base import Query, did_you_mean, named_sql
from zgc_cli.queries.lists import indicators_query, products_query, programs_query

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database


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
