"""How a metric pattern matches a figure: its metric name exactly, or any of its labels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from zgc_cli.db.statement import named
from zgc_cli.queries.base import like_pattern

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database


def metric_filter(name: str, pattern: str | None, exact: bool) -> tuple[str, dict[str, object]]:
    """SQL matching indicators `i` against `pattern` ($name), and its parameters: an exact
    metric name matches only itself (investment, not rd_investment), other text names and
    labels as a substring or a glob."""
    if exact:
        return f"i.metric = ${name}", {name: pattern}
    likes = " OR ".join(
        f"i.{c} ILIKE ${name} ESCAPE '\\'" for c in ("metric", "metric_zh", "metric_en")
    )
    return f"({likes})", {name: like_pattern(pattern)}


def exact_metrics(db: Database, patterns: Sequence[str]) -> set[str]:
    """Which patterns are metric names. Asked once, outside the main query: as a subquery in
    its WHERE clause it joined every row against every metric (out of memory at 10M rows)."""
    if not patterns:
        return set()
    found = db.run(
        named("SELECT DISTINCT metric FROM indicators WHERE list_contains($names, metric)"),
        {"names": list(patterns)},
    ).rows()
    return {str(row[0]) for row in found}
