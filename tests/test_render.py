"""The renderers on their own: exact output per plain format over awkward values, and the
terminal view's row cap, caption and escaping."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any

from zgc_cli.render import Format, Listed, write
from zgc_cli.terminal import View, console_for, draw_table

COLUMNS = ["name", "value", "when", "note"]
TYPES = ["VARCHAR", "DOUBLE", "DATE", "VARCHAR"]
AWKWARD: list[tuple[Any, ...]] = [
    ("顺义|园", 97.9, dt.date(2020, 1, 24), None),
    ("[b]x[/b]", 1_246_620_000_000.0, None, "two\nlines\tand a tab"),
]


def render(fmt: Format, rows: Sequence[tuple[Any, ...]], **options: Any) -> str:
    buffer = io.StringIO()
    write(Listed(COLUMNS, TYPES, list(rows)), fmt, buffer, **options)
    return buffer.getvalue()


def drawn(rows: Sequence[tuple[Any, ...]], width: int = 100, **view: Any) -> str:
    buffer = io.StringIO()
    draw_table(
        Listed(COLUMNS, TYPES, list(rows)),
        console_for(buffer, width=width, color=False),
        View(**view),
    )
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


def test_limit_cuts_every_plain_format() -> None:
    for fmt in (Format.csv, Format.tsv, Format.jsonl, Format.markdown):
        assert "[b]x[/b]" not in render(fmt, AWKWARD, limit=1), fmt
    assert len(json.loads(render(Format.json, AWKWARD, limit=1))) == 1


def test_table_prints_markup_literally_and_null_as_null() -> None:
    text = drawn(AWKWARD)
    assert "[b]x[/b]" in text and "NULL" in text and "顺义|园" in text
    assert "2 rows" in text


def test_terminal_table_shows_a_screenful_and_counts_the_rest_when_cheap() -> None:
    many = [(f"row {i}", float(i), None, None) for i in range(120)]
    text = drawn(many, screenful=True)
    assert "row 49" in text and "row 50" not in text
    assert "showing first 50 of 120 rows" in text


def test_terminal_table_says_more_rows_when_counting_is_not_cheap() -> None:
    many = [(f"row {i}", float(i), None, None) for i in range(5_000)]
    text = " ".join(drawn(many, screenful=True).split())
    assert "showing first 50 rows; more rows not shown" in text


def test_an_explicit_limit_wins_over_the_screenful() -> None:
    many = [(f"row {i}", float(i), None, None) for i in range(120)]
    text = drawn(many, screenful=True, limit=80)
    assert "row 79" in text and "showing first 80 of 120 rows" in text


def test_control_characters_in_data_never_reach_the_terminal() -> None:
    hostile = [("\x1b[31mRED\x1b]0;title\x07", 1.0, None, "\x9b2J")]
    for text in (drawn(hostile), render(Format.tsv, hostile), render(Format.markdown, hostile)):
        assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
        assert "\\x1b[31mRED" in text
    assert json.loads(render(Format.json, hostile))[0]["name"].startswith("\x1b")  # data kept
