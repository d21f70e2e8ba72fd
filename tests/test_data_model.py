"""Issue 11: what the figures mean. Bounds and basis follow the words; three resumption rates
are three metrics; a year or a figure we supply makes a row inferred; the audit's corrections
hold."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SOURCES
from tests.test_data import cited_rows, snapshot_rows
from zgc_cli import build
from zgc_cli.dictionary import BASES
from zgc_cli.numbers import format_value, is_vague, value_bounds


def by_id(table: str) -> dict[str, dict[str, Any]]:
    key = {"indicators": "indicator_id", "projects": "project_id", "events": "event_id"}[table]
    return {row[key]: row for row in snapshot_rows(table)}


def test_bounds_on_known_rows() -> None:
    indicators = by_id("indicators")
    cases = {
        "beilu-pharma-workers-on-site": (10, 99),  # 数十名
        "zgc-2020m1-2-it-sector-growth": (10, 99),  # 两位数
        "zgc-work-resumption-rate": (None, 97),  # 近97%
        "zgc-key-monitored-enterprises": (None, None),  # 约3.7万家
        "medical-device-park-jobs": (5000, None),  # 超5000人
        "deepglint-emergency-team-size": (30, None),  # 30多人
        "unknown-park-industrial-cluster": (1e11, None),  # 千亿元
        "miyun-work-resumption-rate": (98, 98),  # 98%
    }
    for indicator_id, (low, high) in cases.items():
        row = indicators[indicator_id]
        assert (row["value_min"], row["value_max"]) == (low, high), indicator_id


def test_a_vague_figure_is_never_shown_as_about_ten() -> None:
    for text, unit in (("数十名", "people"), ("两位数", "percent")):
        assert is_vague(text)
        low, high = value_bounds(text)
        for lang in ("en", "zh"):
            shown = format_value(10, unit, "order_of_magnitude", lang, low, high)
            assert "≈" not in shown and "约" not in shown and "~" not in shown
            assert "10–99" in shown
            floor = format_value(10, unit, "order_of_magnitude", lang)
            assert floor.startswith(("≥", "至少")), floor
    assert not is_vague("千亿元") and not is_vague("30多人")


def test_basis_on_known_rows_and_its_words() -> None:
    indicators = by_id("indicators")
    assert indicators["medical-device-park-phase2-investment"]["basis"] == "planned"  # 将达
    assert indicators["medical-device-park-phase2-land-area"]["basis"] == "planned"  # 规划
    assert indicators["medical-device-park-annual-output-value"]["basis"] == "forecast"
    assert indicators["medical-device-park-jobs"]["basis"] == "forecast"
    assert indicators["medical-device-park-phase2-years-to-operation"]["basis"] == "forecast"
    assert indicators["semiconductor-plant-investment"]["basis"] == "reported"
    for row in indicators.values():
        before = row["quote"][: row["quote"].index(row["value_text"])]
        said = {basis for basis, words in BASES.items() if any(w in before for w in words)}
        assert said == ({row["basis"]} if row["basis"] != "reported" else set()), row


def test_three_resumption_rates_are_three_metrics() -> None:
    indicators = by_id("indicators")
    metrics = {
        indicators["zgc-work-resumption-rate"]["metric"],
        indicators["miyun-work-resumption-rate"]["metric"],
        indicators["miyun-job-return-rate"]["metric"],
    }
    assert len(metrics) == 3
    assert (
        indicators["miyun-above-scale-work-resumption-rate"]["metric"]
        == (indicators["miyun-work-resumption-rate"]["metric"])
    )
    labels = {(r["metric"], r["metric_zh"]) for r in indicators.values()}
    assert ("staff_work_resumption_rate", "到岗复工率") in labels
    assert ("staff_return_rate", "复岗率") in labels


def test_audit_corrections() -> None:
    indicators = by_id("indicators")
    for indicator_id in ("medical-device-park-jobs", "medical-device-park-annual-output-value"):
        row = indicators[indicator_id]
        assert "phases I and II" in row["metric_en"] and "一、二期" in row["metric_zh"]
    years = indicators["medical-device-park-phase2-years-to-operation"]
    assert "from the report" in years["metric_en"] and "not from the" in years["note"]
    assert by_id("projects")["tal-changping-education-park"]["status_date_text"] == "截至目前"
    assert by_id("projects")["zgc-industrial-internet-park"]["name_en"] == (
        "Zhongguancun Industrial Internet Park"
    )
    growth = indicators["infervision-q1-core-business-growth"]
    assert growth["yoy_pct"] == 500 and growth["qualifier"] == "over"
    assert "+500%" in growth["metric_en"] and "6 times" in growth["metric_en"]
    everything = json.dumps([snapshot_rows(t) for t in ("indicators",)], default=str)
    assert "Xiaoyu" not in everything


def test_the_loan_event_names_the_loan() -> None:
    loan = by_id("events")["anti-epidemic-loan-launch"]
    assert "中关村企业抗疫发展贷" in loan["quote"] and len(loan["quote"]) <= 160


def test_a_supplied_year_makes_a_row_inferred() -> None:
    count = 0
    for table, row in cited_rows():
        quote = row["quote"]
        dated: list[dt.date] = [
            row[c] for c in ("status_date", "as_of", "date", "launch_date") if row.get(c)
        ]
        period = row.get("period") or ""
        if (any(d.year == 2020 for d in dated) or period.startswith("2020")) and (
            "2020" not in quote
        ):
            count += 1
            assert row["inferred"] and "2020" in row["note"], (table, row)
    assert count > 30


# --- the build refuses rows that break the rule ---------------------------------------------


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "source"
    shutil.copytree(SOURCES, target)
    return target


def _edit(path: Path, row_id: str, **changes: str) -> int:
    """Change cells of the row whose first cell is `row_id`; return its line number."""
    import csv
    import io

    text = path.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    (index,) = [i for i, r in enumerate(rows) if r[0] == row_id]
    for column, value in changes.items():
        rows[index][header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return index + 1


def _problems(sources: Path, report: str | None) -> list[str]:
    with pytest.raises(build.BuildError) as caught:
        build.validate(sources, report)
    return [str(p) for p in caught.value.problems]


def _has(problems: list[str], file: str, line: int, column: str, *words: str) -> bool:
    prefix = re.compile(rf"{re.escape(file)}:{line}: {re.escape(column)}: ")
    return any(prefix.search(p) and all(w in p for w in words) for p in problems)


def test_build_reports_a_supplied_year_or_figure_not_flagged(tmp_path: Path) -> None:
    sources = _copy(tmp_path)
    indicators = sources / "indicators.csv"
    e = _edit(indicators, "beilu-pharma-workers-on-site", inferred="false")
    f = _edit(indicators, "miyun-enterprises-resumed", inferred="false")
    g = _edit(indicators, "zgc-incubators", note="as_of from the same sentence.")
    h = _edit(indicators, "infervision-q1-core-business-growth", yoy_pct="400")
    problems = _problems(sources, None)
    assert _has(problems, "indicators.csv", e, "inferred", "'数十名' gives no figure")
    assert _has(problems, "indicators.csv", f, "inferred", "as_of is in 2020")
    assert _has(problems, "indicators.csv", g, "note", "2020")
    assert _has(problems, "indicators.csv", h, "yoy_pct", "增长超5倍", "500")


def test_build_reports_a_basis_or_bound_the_words_do_not_give(tmp_path: Path) -> None:
    sources = _copy(tmp_path)
    indicators = sources / "indicators.csv"
    c = _edit(indicators, "medical-device-park-phase2-investment", basis="reported")
    d = _edit(indicators, "medical-device-park-jobs", basis="planned", value_max="5000")
    e = _edit(indicators, "beilu-pharma-workers-on-site", value_max="")
    h = _edit(indicators, "semiconductor-plant-investment", basis="gossip")
    problems = _problems(sources, None)
    assert _has(problems, "indicators.csv", c, "basis", "将达")
    assert _has(problems, "indicators.csv", d, "basis", "预计")
    assert _has(problems, "indicators.csv", d, "value_max", "5000 but '超5000人' gives empty")
    assert _has(problems, "indicators.csv", e, "value_max", "empty but '数十名' gives 99")
    assert _has(problems, "indicators.csv", h, "basis", "'gossip' is not one of")
