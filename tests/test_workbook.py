"""Issue 11: `-o FILE.xlsx` writes a real workbook, read back here with openpyxl: typed
numbers, booleans and real Excel dates, a frozen header with a filter, widths that fit (CJK
counts double), every column of the view, and a "citation" sheet naming the report."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter

from tests.conftest import zgc, zgc_here, zgc_served
from tests.test_cli import duck
from tests.test_startup import PROBE
from zgc_cli.queries.base import view_columns


def sources_row() -> dict[str, Any]:
    columns, rows = duck("SELECT * FROM sources")
    return dict(zip(columns, rows[0], strict=True))


def sheet_rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path)
    return list(book[sheet].iter_rows(values_only=True))


def zone_row(sheet: Any, header: list[Any]) -> int:
    ids = [row[0] for row in sheet.iter_rows(values_only=True)]
    return ids.index("zgc-key-monitored-enterprises") + 1


@pytest.mark.slow
def test_indicators_workbook_has_typed_cells_header_filter_and_citation(tmp_path: Path) -> None:
    target = tmp_path / "ind.xlsx"
    zgc_served("indicators", "-o", str(target))
    assert [p.name for p in tmp_path.iterdir()] == ["ind.xlsx"]  # no temp file left
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["indicators", "citation"]
    sheet = book["indicators"]
    header = [cell.value for cell in sheet[1]]
    assert header == view_columns("indicators")  # every column, in view order
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    last = get_column_letter(len(header))
    assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(2, values_only=True)]
    assert len(rows) == len(duck("SELECT * FROM indicators")[1])
    revenue = next(r for r in rows if r["indicator_id"] == "zgc-2020q1-total-revenue")
    assert revenue["value"] == 1_246_620_000_000 and revenue["yoy_pct"] == -3.4
    assert revenue["value_text"] == "12466.2亿元" and revenue["period"] == "2020-Q1"
    assert revenue["inferred"] is False and isinstance(revenue["quote_start"], int)
    zone = next(r for r in rows if r["indicator_id"] == "zgc-key-monitored-enterprises")
    assert zone["as_of"] == dt.datetime(2020, 5, 22)  # a real Excel date, not text
    assert zone["value_min"] is None and zone["value_max"] is None  # 约: no bounds
    assert zone["inferred"] is True  # a real boolean
    as_of = sheet.cell(zone_row(sheet, header), header.index("as_of") + 1)
    assert isinstance(as_of, Cell) and as_of.is_date and as_of.number_format == "yyyy-mm-dd"
    assert sheet.cell(2, header.index("value") + 1).data_type == "n"
    widths = {key: dim.width for key, dim in sheet.column_dimensions.items()}
    zh = get_column_letter(header.index("metric_zh") + 1)
    unit = get_column_letter(header.index("unit") + 1)
    assert widths[zh] > widths[unit]  # 14 CJK characters are wider than "enterprises"
    assert max(widths.values()) <= 62  # a quote does not make a column screen-wide
    citation = dict(sheet_rows(target, "citation")[1:])
    source = sources_row()
    for field in ("title_zh", "title_en", "byline", "sha256"):
        assert citation[field] == source[field], field
    assert citation["title_zh"] == "中关村·全面复工复产 打造高质量发展主引擎"
    assert citation["byline"] == "本报记者 郑金武"


def test_show_writes_the_record_and_each_related_list(tmp_path: Path) -> None:
    target = tmp_path / "loan.xlsx"
    zgc_served("show", "zgc-anti-epidemic-loan", "-o", str(target))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:4] == ["record", "participants", "events", "indicators"]
    assert book.sheetnames[-1] == "citation"
    record = dict(sheet_rows(target, "record")[1:])
    assert record["launch_date"] == dt.datetime(2020, 3, 18)
    banks = sheet_rows(target, "participants")[1:]
    assert len(banks) == 8 and {row[-1] for row in banks} == {"financial_partner"}
    figures = sheet_rows(target, "indicators")
    value = figures[0].index("value")
    assert ("anti-epidemic-loan-scale", 20_000_000_000) in {(r[0], r[value]) for r in figures}


def test_text_stays_text_and_what_excel_cannot_hold_is_kept_as_words(tmp_path: Path) -> None:
    target = tmp_path / "odd.xlsx"
    sql = (
        "SELECT '=1+1' AS formula, 'http://example.com' AS url, '0012' AS digits, "
        "9007199254740993::BIGINT AS big, 'nan'::DOUBLE AS nan, DATE '1800-01-01' AS old, "
        "TIMESTAMP '2020-03-18 09:30:00' AS ts, true AS yes, 0.1 AS tenth, '顺义' AS cjk"
    )
    zgc_here("sql", sql, "-o", str(target))
    header, row = sheet_rows(target, "sql")
    got = dict(zip(header, row, strict=True))
    assert got["formula"] == "=1+1" and got["url"] == "http://example.com"
    assert got["digits"] == "0012"
    assert got["big"] == "9007199254740993"  # beyond a double's exact integers: kept as text
    assert got["nan"] is None  # as json writes null
    assert got["old"] == "1800-01-01"  # before Excel's first date
    assert got["ts"] == dt.datetime(2020, 3, 18, 9, 30)
    assert got["yes"] is True and got["tenth"] == 0.1 and got["cjk"] == "顺义"
    book = openpyxl.load_workbook(target)
    formula = book["sql"]["A2"]
    assert formula.data_type == "s"  # never a formula


def test_columns_limit_and_no_header(tmp_path: Path) -> None:
    target = tmp_path / "parks.xlsx"
    zgc_here("parks", "--columns", "park_id,name_zh", "--limit", "3", "-o", str(target))
    rows = sheet_rows(target, "parks")
    assert rows[0] == ("park_id", "name_zh") and len(rows) == 4
    bare = tmp_path / "bare.xlsx"
    zgc_here("parks", "--columns", "park_id", "--no-header", "-o", str(bare))
    book = openpyxl.load_workbook(bare)
    assert book["parks"]["A1"].value == "daxing-biomed"
    assert book["parks"].freeze_panes is None and not book["parks"].auto_filter.ref


def test_catalogue_commands_write_workbooks_too(tmp_path: Path) -> None:
    for command in (["tables"], ["schema", "programs"], ["info"], ["search", "miyun"]):
        target = tmp_path / f"{command[0]}.xlsx"
        zgc_here(*command, "-o", str(target))
        book = openpyxl.load_workbook(target)
        assert book.sheetnames == [command[0], "citation"], command
    tables = {r[0]: r[1] for r in sheet_rows(tmp_path / "tables.xlsx", "tables")[1:]}
    assert tables["programs"] == 19 and tables["products"] == 13


def test_too_many_rows_for_a_sheet_is_an_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zgc_cli import workbook

    monkeypatch.setattr(workbook, "MAX_ROWS", 10)
    target = tmp_path / "big.xlsx"
    ran = zgc_here("sql", "SELECT * FROM range(20)", "-o", str(target), code=1)
    ran.error("at most 9 rows under its header", "--limit", ".csv")
    assert list(tmp_path.iterdir()) == []
    zgc_here("sql", "SELECT * FROM range(20)", "--limit", "9", "-o", str(target))
    assert len(sheet_rows(target, "sql")) == 10


def test_xlsxwriter_is_imported_only_for_a_workbook(tmp_path: Path) -> None:
    def loaded(argv: list[str]) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, json.dumps(argv), json.dumps(["xlsxwriter"])],
            capture_output=True,
            timeout=60,
            check=False,
            cwd=tmp_path,
        )
        report = json.loads(done.stderr.decode().strip().splitlines()[-1])
        assert report["code"] in (0, None)
        return list(report["loaded"])

    assert loaded(["parks", "-f", "csv"]) == []
    assert loaded(["parks", "-o", "parks.xlsx"]) == ["xlsxwriter"]


@pytest.mark.slow
def test_a_stopped_workbook_leaves_no_temp_file_anywhere(tmp_path: Path) -> None:
    """xlsxwriter spools sheets to temp files; a time-out mid-write removes them with the
    half-written workbook (TMPDIR is untouched: the spool lies beside the target)."""
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    tmp.mkdir()
    slow = "SELECT i, md5(i::VARCHAR) FROM range(100000000) t(i)"
    ran = zgc(
        "sql", slow, "-o", str(out / "big.xlsx"), "--timeout", "2", env={"TMPDIR": str(tmp)}, code=1
    )
    ran.error("timed out")
    assert list(out.iterdir()) == [] and list(tmp.iterdir()) == []
