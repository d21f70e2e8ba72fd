"""The SQL of `zgc chart` and `zgc timeline --chart`: figures by metric, events by time."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from zgc_cli.queries.base import EVENT_TIME
from zgc_cli.queries.metrics import metric_filter

FIGURES_SQL = """
SELECT i.indicator_id, i.metric, i.metric_zh, i.metric_en, i.value, i.unit, i.qualifier,
       i.value_text, i.quote,
       coalesce(strftime(i.as_of, '%Y-%m-%d'), i.period, '') AS "when",
       coalesce(s.name_zh, nullif(i.subject_id, ''), '(unnamed ' || i.subject_type || ')')
           AS subject_zh,
       coalesce(s.name_en, nullif(i.subject_id, ''), '(unnamed ' || i.subject_type || ')')
           AS subject_en,
       i.park_id IN (
           SELECT park_id FROM parks
           WHERE list_contains($parks, park_id) OR list_contains($parks, parent_park_id)
       ) AS in_parks,
       [{matched}] AS matched
FROM indicators i
LEFT JOIN _subjects s USING (subject_type, subject_id)
WHERE i.value IS NOT NULL AND ({any_matched})  -- a fact without a number draws no bar
ORDER BY i.indicator_id
"""


def figures_sql(patterns: Sequence[str], exact: Collection[str] = ()) -> tuple[str, dict[str, Any]]:
    """zgc chart's SQL and parameters: indicators whose metric name or label matches a pattern
    (`exact`: the patterns that are metric names, which match only themselves), with their
    subjects' names (the _subjects view) and whether they lie in the parks $parks."""
    filters = [metric_filter(f"m{n}", p, p in exact) for n, p in enumerate(patterns)]
    clauses = [sql for sql, _ in filters]
    params = {k: v for _, bound in filters for k, v in bound.items()}
    return FIGURES_SQL.format(matched=", ".join(clauses), any_matched=" OR ".join(clauses)), params


EVENTS_SQL = f"""
SELECT e.event_id, e."date", e.date_text, {EVENT_TIME} AS "when", e.park_id, e.title_zh,
       e.title_en, k.name_zh AS park_zh, k.name_en AS park_en
FROM events e LEFT JOIN parks k USING (park_id)
WHERE ($since IS NULL OR {EVENT_TIME} >= $since) AND ($until IS NULL OR {EVENT_TIME} <= $until)
ORDER BY {EVENT_TIME} NULLS LAST, e.event_id
"""
