"""What `zgc chart` and `zgc timeline --chart` draw: figures by metric, events by time."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from zgc_cli.db.statement import NamedSQL
from zgc_cli.errors import UsageError
from zgc_cli.queries.base import did_you_mean, named_sql
from zgc_cli.queries.metrics import exact_metrics, metric_filter
from zgc_cli.vocabulary import word

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database


@dataclass(frozen=True)
class Figure:
    """One bar: an indicator with its subject's names."""

    indicator_id: str
    metric: str
    metric_zh: str
    metric_en: str
    value: float
    unit: str
    qualifier: str
    value_text: str
    quote: str
    subject_zh: str
    subject_en: str
    when: str = ""  # the figure's date, else its period (empty when the report gives none)
    # What the table words a figure with (display.figure): 计划11.9亿元, at least 100 billion.
    basis: str = ""
    value_text_en: str = ""
    value_min: float | None = None
    value_max: float | None = None

    @property
    def hedged(self) -> bool:
        return self.qualifier not in ("", "exact")


def find_figures(
    db: Database, patterns: Sequence[str], unit: str | None, parks: Sequence[str]
) -> list[Figure]:
    """Indicators matching any pattern, in `unit`, of subjects in `parks` (and their bases);
    a pattern that matches no metric at all is a usage error, and so is a mix of units. A
    pattern that is a metric name matches only itself (investment, not rd_investment)."""
    if not patterns:
        raise UsageError("name at least one metric, e.g. work_resumption_rate or '*resumption*'")
    exact = exact_metrics(db, patterns)
    filters = [metric_filter(f"m{n}", p, p in exact) for n, p in enumerate(patterns)]
    clauses = [sql for sql, _ in filters]
    sql = named_sql("figures", matched=", ".join(clauses), any_matched=" OR ".join(clauses))
    params = {k: v for _, bound in filters for k, v in bound.items()}
    rows = records(db, sql, params | {"parks": list(parks)})
    for n, pattern in enumerate(patterns):
        if not any(row["matched"][n] for row in rows):
            known = [r["metric"] for r in records(db, named_sql("metrics"), {})]
            raise UsageError(
                f"no metric matches {pattern!r}{did_you_mean(pattern, known)} "
                "(see `zgc indicators` for metric names; globs like '*rate*' work)"
            )
    chosen = [
        r for r in rows if (unit is None or r["unit"] == unit) and (not parks or r["in_parks"])
    ]
    if not chosen:
        where = f" in {', '.join(parks)}" if parks else ""
        if unit is not None:
            found = ", ".join(sorted({str(row["unit"]) for row in rows}))
            where += f" is in {unit or 'any unit'} (their units: {found})"
        raise UsageError(f"nothing to draw: no matching figure{where}")
    units = Counter(str(row["unit"]) for row in chosen)
    if len(units) > 1:
        listed = ", ".join(f"{name} ({count})" for name, count in sorted(units.items()))
        raise UsageError(
            f"cannot chart mixed units: {listed}; choose one with --unit, "
            f"e.g. --unit {max(units, key=units.__getitem__)}"
        )
    figures = []
    for row in chosen:
        typed: dict[str, Any] = {k: str(row[k] or "") for k in Figure.__dataclass_fields__}
        bounds = {
            k: row[k] if row[k] is None else float(row[k]) for k in ("value_min", "value_max")
        }
        kind = str(row["subject_type"])  # a subject without a name: （未命名园区）, (unnamed park)
        typed["subject_zh"] = row["subject_zh"] or f"（未命名{word('subject_type', kind, 'zh')}）"
        typed["subject_en"] = row["subject_en"] or f"(unnamed {kind})"
        figures.append(Figure(**typed | bounds | {"value": float(row["value"])}))
    return figures


def find_events(
    db: Database, since: dt.date | None, until: dt.date | None, limit: int | None = None
) -> list[dict[str, Any]]:
    return records(db, named_sql("events"), {"since": since, "until": until})[:limit]


def records(db: Database, sql: NamedSQL, params: dict[str, Any]) -> list[dict[str, Any]]:
    result = db.run(sql, params)
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows()]
