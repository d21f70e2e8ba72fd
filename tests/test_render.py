"""The writers on their own: exact output per plain format over awkward values (DuckDB's
COPY for csv, tsv and json, zgc's for markdown), and the terminal view's row cap, caption and
escaping."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any

import pytest

from tests.conftest import assert_nothing_lost
from zgc_cli.db import export
from zgc_cli.drawing import cells
from zgc_cli.render import Format, Listed, write_markdown
from zgc_cli.terminal import MAX_ROWS, View, layout_of, table

COLUMNS = ["name", "value", "when", "note"]
TYPES = ["VARCHAR", "DOUBLE", "DATE", "VARCHAR"]
AWKWARD: list[tuple[Any, ...]] = [
    ("顺义|园", 97.9, dt.date(2020, 1, 24), None),
    ("[b]x[/b]", 1_246_620_000_000.0, None, "two\nlines\tand a tab"),
]


def render(fmt: Format, rows: Sequence[tuple[Any, ...]], **options: Any) -> str:
    """`rows` written as `fmt` by the one writer of that format."""
    buffer = io.StringIO()
    if fmt is Format.markdown:
        write_markdown(Listed(COLUMNS, TYPES, list(rows)), buffer, **options)
        return buffer.getvalue()
    with export.side_engine() as engine:
        relation = export.listed_rows(engine, COLUMNS, TYPES, list(rows))
        export.write(relation, fmt.value, export.into_text(buffer), **options)
    return buffer.getvalue()


def drawn(rows: Sequence[tuple[Any, ...]], width: int | None = 100, **view: Any) -> str:
    result = Listed(COLUMNS, TYPES, list(rows))
    drawing, _ = table(result, layout_of(COLUMNS, TYPES), View(**view), width)
    return drawing.plain()


def test_tsv_escapes_tabs_and_newlines_and_leaves_null_empty() -> None:
    assert render(Format.tsv, AWKWARD) == (
        "name\tvalue\twhen\tnote\n"
        "顺义|园\t97.9\t2020-01-24\t\n"
        "[b]x[/b]\t1246620000000.0\t\ttwo\\nlines\\tand a tab\n"
    )


def test_csv_is_rfc4180() -> None:
    assert render(Format.csv, AWKWARD, header=False) == (
        '顺义|园,97.9,2020-01-24,\r\n[b]x[/b],1246620000000.0,,"two\nlines\tand a tab"\r\n'
    )


def test_json_and_jsonl_keep_types() -> None:
    records = json.loads(render(Format.json, AWKWARD))
    assert records[0] == {"name": "顺义|园", "value": 97.9, "when": "2020-01-24", "note": None}
    lines = render(Format.jsonl, AWKWARD).splitlines()
    assert [json.loads(line) for line in lines] == records
    assert json.loads(render(Format.json, [])) == []


def test_markdown_escapes_pipes_and_newlines() -> None:
    lines = render(Format.markdown, AWKWARD).splitlines()
    assert lines[0] == "| name | value | when | note |"
    assert lines[2] == "| 顺义\\|园 | 97.9 | 2020-01-24 |  |"
    assert lines[3] == "| [b]x[/b] | 1246620000000.0 |  | two<br>lines\tand a tab |"


def test_limit_cuts_every_plain_format() -> None:
    for fmt in (Format.csv, Format.tsv, Format.jsonl, Format.markdown):
        assert "[b]x[/b]" not in render(fmt, AWKWARD, limit=1), fmt
    assert len(json.loads(render(Format.json, AWKWARD, limit=1))) == 1


def test_table_prints_markup_literally_and_null_as_a_dash() -> None:
    text = drawn(AWKWARD)
    assert "[b]x[/b]" in text and "顺义|园" in text
    assert "—" in text and "2 rows" in text
    assert "two↵lines and a tab" in text  # one line a row, the newline shown


def test_a_table_draws_at_most_max_rows_and_counts_the_rest() -> None:
    many = [(f"row {i}", float(i), None, None) for i in range(MAX_ROWS + 500)]
    text = drawn(many)
    assert f"row {MAX_ROWS - 1}" in text and f"row {MAX_ROWS}\n" not in text
    assert f"{MAX_ROWS:,} of {MAX_ROWS + 500:,} rows" in text


def test_a_table_says_more_rows_when_counting_is_not_cheap() -> None:
    many = [(f"row {i}", float(i), None, None) for i in range(MAX_ROWS + 20_000)]
    assert "more not counted" in drawn(many)


def test_an_explicit_limit_is_the_rows_drawn() -> None:
    many = [(f"row {i}", float(i), None, None) for i in range(120)]
    text = drawn(many, limit=80)
    assert "row 79" in text and "row 80" not in text and "80 of 120 rows" in text


@pytest.mark.parametrize("width", [20, 30, 60, 80, 100, 160])
def test_every_line_fits_and_no_text_is_lost(width: int) -> None:
    rows = [
        ("中关村示范区大兴生物医药产业基地", 1_246_620_000_000.0, dt.date(2020, 4, 17), "x" * 200),
        ("Zhongguancun Medical Device Park Phase II", 97.9, None, "短"),
    ]
    layout = layout_of(COLUMNS, TYPES)
    drawing, count = table(Listed(COLUMNS, TYPES, rows), layout, View(), width)
    assert count == 2
    lines = drawing.plain().splitlines()
    assert len(lines) == 2 + len(rows) + 1  # header, rule, a line a row, footer
    assert all(cells(line) <= width for line in lines[:-1]), lines
    named = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    shown = assert_nothing_lost(lines, named, layout, "both")
    assert shown >= 1
    if shown < len(COLUMNS) and width >= 40:
        assert f"{shown} of {len(COLUMNS)} columns" in lines[-1]


def test_control_characters_in_data_never_reach_the_terminal() -> None:
    hostile = [("\x1b[31mRED\x1b]0;title\x07", 1.0, None, "\x9b2J")]
    for text in (drawn(hostile), render(Format.tsv, hostile), render(Format.markdown, hostile)):
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
        assert "\\x1b[31mRED" in text
    assert json.loads(render(Format.json, hostile))[0]["name"].startswith("\x1b")  # data kept
