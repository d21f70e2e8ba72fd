"""How a metric pattern matches a figure: its metric name exactly, or any of its labels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from zgc_cli.db.statement import named
from zgc_cli.queries.base import like_pattern

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database


def metric_match(name: str, exact: bool) -> str:
    """SQL matching indicators `i` against the pattern bound as $name (see metric_params):
    an exact metric name matches only itself (investment, not rd_investment); other text
    matches metric names and labels as a substring or a glob."""
    if exact:
        return f"i.metric = ${name}"
    like = f"${name}_like"
    return (
        f"(i.metric ILIKE {like} ESCAPE '\\' OR i.metric_zh ILIKE {like} ESCAPE '\\' "
        f"OR i.metric_en ILIKE {like} ESCAPE '\\')"
    )


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


def metric_params(name: str, pattern: str | None, exact: bool) -> dict[str, str | None]:
    """The parameters metric_match(name, exact) binds (DuckDB refuses unused ones)."""
    return {name: pattern} if exact else {f"{name}_like": like_pattern(pattern)}
