"""The checks of figures: each indicator's value, hedge, bounds, basis and change against its
words; facts without a number; figures that share subject, metric and date; a project's money
and areas against the indicators that state them."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from zgc_build import numbers
from zgc_build.read import Curated, Row, Say
from zgc_cli.dictionary import BASES

# project column -> (indicator metric that states the same figure, the column of its basis)
_PROJECT_FIGURES = {
    "investment_yuan": ("investment", "investment_basis"),
    "land_area_m2": ("land_area", "land_area_basis"),
    "floor_area_m2": ("floor_area", "floor_area_basis"),
}
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def stated_bases(quote: str, value_text: str) -> set[str]:
    """The bases the words allow: those whose words stand in the quote before the figure, or
    `reported` when none does."""
    at = quote.find(value_text)
    before = quote[: at if at >= 0 else len(quote)]
    found = {basis for basis, words in BASES.items() if any(w in before for w in words)}
    return found or {"reported"}


def check_indicators(curated: Curated, say: Say) -> None:
    shared: dict[tuple[object, ...], Row] = {}
    for row in curated.tables["indicators"]:
        text, quote, problem = row["value_text"], row["quote"], partial(say, row)
        for column in ("metric", "segment"):
            if row[column] is not None and not _SNAKE.match(row[column]):
                problem(column, f"{row[column]!r} is not snake_case")
        if text not in quote:
            problem("value_text", f"{text!r} is not in the quote")
        if row["value"] is None:
            _check_wordless(row, problem)
        else:
            _check_figure(row, problem)
        allowed = stated_bases(quote, text)
        if row["basis"] not in allowed:
            words = ", ".join(w for b in allowed for w in BASES[b]) or "no such word"
            need = ", ".join(BASES.get(row["basis"], ())) or "none of 预计, 将达, 计划, 规划"
            problem(
                "basis",
                f"{row['basis']!r} needs {need} before the figure in the quote; "
                f"the quote has {words} (basis {' or '.join(sorted(allowed))})",
            )
        yoy, word = row["yoy_pct"], "下降" if (row["yoy_pct"] or 0) < 0 else "增长"
        if yoy is not None and row["unit"] == "times":
            # 增长5倍: an increase of 5 times the base, +500%; the row's hedge applies to both.
            if f"增长{text}" not in quote or not numbers.values_agree(yoy, row["value"] * 100):
                said = f"{yoy:g} needs '增长{text}' in the quote and equals value × 100"
                problem("yoy_pct", f"{said} ({row['value'] * 100:g})")
        elif yoy is not None and f"{word}{abs(yoy):g}%" not in quote:
            problem("yoy_pct", f"{yoy:g} needs '{word}{abs(yoy):g}%' in the quote")
        other = shared.setdefault(tuple(row[c] for c in _SHARED), row)
        if other is not row:
            problem(
                "segment",
                f"shares subject, metric, date and segment with {other['indicator_id']!r} "
                f"(line {other['_line']}): give each the population it counts",
            )
    _check_projects(curated, say)


# Figures that share these must be told apart by their segment.
_SHARED = ("subject_type", "subject_id", "metric", "as_of", "as_of_text", "period", "segment")


def _check_figure(row: Row, problem: Callable[[str, str], None]) -> None:
    text = row["value_text"]
    if row.get("value_text_en") and not numbers.is_vague(text):
        problem("value_text_en", f"must be empty: {text!r} is a number, read from the value")
    elif numbers.is_vague(text) and not row.get("value_text_en"):  # 数十名: dozens of people
        problem("value_text_en", f"must not be empty: an English reader reads {text!r} in words")
    for column in ("unit", "qualifier"):
        if row[column] is None:
            problem(column, f"must not be empty: {text!r} is a figure")
    try:
        parsed = numbers.parse_value_text(text)
        low, high = numbers.value_bounds(text)
    except ValueError as exc:
        problem("value_text", str(exc))
        return
    if not numbers.values_agree(parsed.value, row["value"]):
        problem("value", f"{row['value']:g} but {text!r} says {parsed.value:g}")
    if parsed.qualifier != row["qualifier"]:
        problem("qualifier", f"{row['qualifier']!r} but {text!r} reads {parsed.qualifier!r}")
    for column, expected in (("value_min", low), ("value_max", high)):
        if not numbers.bounds_agree(row[column], expected):
            shown = "empty" if expected is None else f"{expected:g}"
            given = "empty" if row[column] is None else f"{row[column]:g}"
            problem(column, f"{given} but {text!r} gives {shown}")
    if numbers.is_vague(text) and not row["inferred"]:
        problem(
            "inferred",
            f"{text!r} gives no figure: the value is supplied, so the row must be inferred (true)",
        )


def _check_wordless(row: Row, problem: Callable[[str, str], None]) -> None:
    """A fact the report states without a number: its words kept, no value, hedge or bounds."""
    text = row["value_text"]
    try:
        parsed = numbers.parse_value_text(numbers.without_names(text))
    except ValueError:
        pass
    else:
        problem("value", f"empty but {text!r} says {parsed.value:g}")
    for column in ("qualifier", "value_min", "value_max", "yoy_pct"):
        if row[column] is not None:
            problem(column, f"a fact without a number ({text!r}) has no {column}")
    if not row.get("value_text_en"):
        problem("value_text_en", f"must not be empty: an English reader reads {text!r} in words")


def _check_projects(curated: Curated, say: Say) -> None:
    """A project's money and areas are the figures of its indicators, with their basis."""
    figures = {
        (row["subject_id"], row["metric"]): row
        for row in curated.tables["indicators"]
        if row["subject_type"] == "project"
    }
    for project in curated.tables["projects"]:
        problem = partial(say, project)
        for column, (metric, basis_column) in _PROJECT_FIGURES.items():
            stated = figures.get((project["project_id"], metric))
            value, basis = project[column], project[basis_column]
            if value is None and stated is None:
                if basis is not None:
                    problem(basis_column, f"{column} is empty")
                continue
            if value is None or stated is None or not numbers.values_agree(value, stated["value"]):
                shown = None if stated is None else stated["value"]
                problem(
                    column,
                    f"{value} disagrees with the indicator {metric} of this "
                    f"project ({shown}); state the figure in both",
                )
            elif basis != stated["basis"]:
                said = f"{basis!r} but the indicator {stated['indicator_id']!r} is "
                problem(basis_column, f"{said}{stated['basis']!r}")
