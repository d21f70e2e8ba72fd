"""The renderer on its own: exact output per format over awkward values, and the terminal
table's row cap and caption."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any

from zgc_cli.render import Format, Listed, Options, write

COLUMNS = ["name", "value", "when", "note"]
TYPES = ["VARCHAR", "DOUBLE", "DATE", "VARCHAR"]
AWKWARD: list[tuple[Any, ...]] = [
    ("顺义|园", 97.9, dt.date(2020, 1, 24), None),
    ("[b]x[/b]", 1_246_620_000_000.0, None, "two\nlines\tand a tab"),
]


def render(fmt: Format, rows: Sequence[tuple[Any, ...]], **options: Any) -> str:
    buffer = io.StringIO()
    write(Listed(COLUMNS, TYPES, list(rows)), fmt, buffer, Options(**options))
    return buffer.getvalue()


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
    assert render(Format.json, []) == "[]\n"


def test_markdown_escapes_pipes_and_newlines() -> None:
    lines = render(Format.markdown, AWKWARD).splitlines()
    assert lines[0] == "| name | value | when | note |"
    assert lines[2] == "| 顺义\\|园 | 97.9 | 2020-01-24 |  |"
    assert lines[3] == "| [b]x[/b] | 1246620000000.0 |  | two<br>lines\tand a tab |"


def test_table_prints_markup_literally_and_null_as_null() -> None:
    text = render(Format.table, AWKWARD)
    assert "[b]x[/b]" in text and "NULL" in text and "顺义|园" in text
    assert "2 rows" in text


def test_terminal_table_shows_a_screenful_and_counts_the_rest_when_cheap() -> None:
    many = [(f"row {i}", float(i), None, None) for i in range(120)]
    text = render(Format.table, many, terminal=True, width=100)
    assert "row 49" in text and "row 50" not in text
    assert "showing first 50 of 120 rows" in text


def test_terminal_table_says_more_rows_when_counting_is_not_cheap() -> None:
    many = [(f"row {i}", float(i), None, None) for i in range(5_000)]
    text = " ".join(render(Format.table, many, terminal=True, width=100).split())
    assert "showing first 50 rows; more rows not shown" in text  # the caption wraps


def test_an_explicit_limit_wins_over_the_screenful() -> None:
    many = [(f"row {i}", float(i), None, None) for i in range(120)]
    text = render(Format.table, many, terminal=True, width=100, limit=80)
    assert "row 79" in text and "showing first 80 of 120 rows" in text


def test_control_characters_in_data_never_reach_the_terminal() -> None:
    hostile = [("\x1b[31mRED\x1b]0;title\x07", 1.0, None, "\x9b2J")]
    for fmt in (Format.table, Format.tsv, Format.markdown):
        text = render(fmt, hostile)
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text, fmt
        assert "\\x1b[31mRED" in text, fmt
    assert json.loads(render(Format.json, hostile))[0]["name"].startswith("\x1b")  # data kept
