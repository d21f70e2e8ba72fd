"""Issue 11: programmes, participants and products are things in the model; every figure has
a place, a basis and bounds; the build refuses a broken row of each new kind."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

import zgc_build as build
from tests.conftest import SNAPSHOT, SOURCES, zgc_here, zgc_served
from tests.test_data import cited_rows, snapshot_rows
from tests.test_questions import BANKS
from zgc_build.numbers import is_vague, value_bounds
from zgc_cli.dictionary import BASES

# --- helpers ---------------------------------------------------------------------------------


def by_id(table: str) -> dict[str, dict[str, Any]]:
    key = {
        "indicators": "indicator_id",
        "programs": "program_id",
        "products": "product_id",
        "participants": "participant_id",
        "projects": "project_id",
        "events": "event_id",
        "companies": "company_id",
    }[table]
    return {row[key]: row for row in snapshot_rows(table)}


def expected_park(row: dict[str, Any]) -> str | None:
    """The rule of docs/data.md, written again here from the tables themselves."""
    kind, subject = row["subject_type"], row["subject_id"]
    if subject is None:
        return None
    if kind in ("zone", "park"):  # the zone's own record is the park row zgc
        return str(subject)
    if kind == "product":
        company = by_id("products")[subject]["company_id"]
        return None if company is None else by_id("companies")[company]["park_id"]
    table = {"project": "projects", "company": "companies", "program": "programs"}[kind]
    park: str | None = by_id(table)[subject]["park_id"]
    return park


# --- programmes, participants, products ------------------------------------------------------


def test_every_named_programme_is_a_row() -> None:
    programs = by_id("programs")
    names = {row["name_zh"] for row in programs.values()}
    for name in (
        "中关村企业抗疫发展贷",
        "中关村科技型小微企业研发费用支持资金",
        "18条支持政策",
        "关于中关村科学城新时期再创业再出发提升创新能级的若干措施",
        "创新发展十六条",
        "企业服务包",
        "中关村石景山园加快创新发展的支持办法",
        "石景山区支持中小微企业应对疫情影响保持平稳发展的若干措施",
        "中关村创业服务“+”线上活动",
        "中关村科技成果转化“火花”系列活动",
        "“抗疫情助就业”公益网络招聘活动",
        "高价值专利转化线上路演活动",
        "奖励资金",
        "“1+3+1”高精尖产业体系",
        "一区多园统筹",
        "跨部门、跨领域联动",
        "融资支持",
    ):
        assert name in names, name
    loan = programs["zgc-anti-epidemic-loan"]
    assert loan["kind"] == "loan" and loan["issuer_id"] == "zgc-admin-committee"
    assert str(loan["launch_date"]) == "2020-03-18" and loan["launch_date_text"] == "3月18日"
    assert loan["inferred"] and "2020" in loan["note"]  # the year is ours
    assert programs["haidian-15-measures"]["upgrades_program_id"] == "haidian-16-measures"
    assert programs["haidian-16-measures"]["launch_date"] is None
    assert programs["haidian-16-measures"]["launch_date_text"] == "2018年"
    assert programs["chaoyang-18-policies"]["issuer_zh"] == "朝阳区"


def test_programme_indicators_point_at_programmes() -> None:
    programs = by_id("programs")
    figures = [r for r in snapshot_rows("indicators") if r["subject_type"] == "program"]
    assert len(figures) >= 15
    assert all(r["subject_id"] in programs for r in figures)
    assert {r["subject_id"] for r in figures} >= {
        "zgc-anti-epidemic-loan",
        "haidian-15-measures",
        "haidian-16-measures",
        "chaoyang-18-policies",
        "zgc-high-value-patents",
    }


def test_show_finds_the_loan_as_a_programme() -> None:
    card = json.loads(zgc_served("show", "zgc-anti-epidemic-loan", "-f", "json").out)
    assert card["table"] == "programs"
    assert card["record"]["name_zh"] == "中关村企业抗疫发展贷"


def test_the_eight_financial_institutions_take_part_in_the_loan() -> None:
    links = [
        p for p in snapshot_rows("participants") if p["program_id"] == "zgc-anti-epidemic-loan"
    ]
    assert {p["company_id"] for p in links} == BANKS
    assert {p["role"] for p in links} == {"financial_partner"}  # the report does not split them
    assert all("does not say" in p["note"] for p in links)
    companies = by_id("companies")
    programs = by_id("programs")
    for link in snapshot_rows("participants"):
        assert link["participant_id"] == f"{link['program_id']}.{link['company_id']}"
        if link["inferred"]:  # 中电科, cut by a photo caption: the note says how it is read
            assert "caption" in link["note"], link["participant_id"]
            continue
        assert companies[link["company_id"]]["name_zh"] in link["quote"]
        program = programs[link["program_id"]]
        names = [program["name_zh"], *(program["aliases"] or "").split(";")]
        assert any(name and name in link["quote"] for name in names), link["participant_id"]
    organiser = by_id("participants")["zgc-startup-service-plus.zgc-startup-ecosystem-association"]
    assert organiser["role"] == "organiser"


def test_events_name_their_programme() -> None:
    events = by_id("events")
    loan = events["anti-epidemic-loan-launch"]
    assert loan["program_id"] == "zgc-anti-epidemic-loan"
    assert "中关村企业抗疫发展贷" in loan["quote"] and len(loan["quote"]) <= 160
    assert events["rd-support-fund-online-applications-open"]["program_id"] == (
        "zgc-rd-cost-support-fund"
    )
    assert events["haidian-16-measures-release"]["program_id"] == "haidian-16-measures"


def test_products_and_their_figures() -> None:
    products = by_id("products")
    assert "n95-mask-machine" not in by_id("projects"), "the N95 machine is a product"
    assert products["n95-mask-machine"]["kind"] == "machine"
    assert products["xylink"]["name_zh"] == "小鱼易连" and products["xylink"]["name_en"] == "Xylink"
    assert products["feishu"]["company_id"] is None  # the report names no maker
    deepglint = products["deepglint-temperature-recognition"]
    assert "intelligent recognition" in deepglint["name_en"]
    assert deepglint["company_id"] == "deepglint"
    medicines = {p["name_zh"] for p in products.values() if p["kind"] == "medicine"}
    assert medicines == {"九味镇心颗粒", "格列美脲片", "碘海醇注射液"}
    indicators = by_id("indicators")
    on_products = {
        "n95-mask-machine-development-time": "n95-mask-machine",
        "megvii-deployment-sites": "megvii-mingjing",
        "infervision-hospitals": "infervision-pneumonia-screening",
        "infervision-cases-processed": "infervision-pneumonia-screening",
        "beilu-pharma-daily-output-glimepiride": "glimepiride-tablets",
    }
    for indicator_id, product_id in on_products.items():
        row = indicators[indicator_id]
        assert (row["subject_type"], row["subject_id"]) == ("product", product_id)


# --- places ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_indicator_park_follows_its_subject() -> None:
    rows = snapshot_rows("indicators")
    assert sum(r["park_id"] is not None for r in rows) > 30
    for row in rows:
        assert row["park_id"] == expected_park(row), row["indicator_id"]


def test_haidian_chaoyang_and_miyun_figures_resolve_to_their_parks() -> None:
    indicators = by_id("indicators")
    haidian = [
        "haidian-15-measures-count",
        "haidian-16-measures-count",
        "haidian-15-measures-four-alignments",
        "haidian-15-measures-four-focuses",
        "haidian-15-measures-four-upgrades",
    ]
    assert [indicators[i]["park_id"] for i in haidian] == ["haidian"] * 5
    assert indicators["chaoyang-support-policies"]["park_id"] == "chaoyang"
    miyun = [i for i, r in indicators.items() if r["park_id"] == "miyun"]
    beilu = {p for p, r in by_id("products").items() if r["company_id"] == "beilu-pharma"}
    subjects = {("park", "miyun"), ("company", "beilu-pharma")} | {("product", p) for p in beilu}
    stated = [i for i, r in indicators.items() if (r["subject_type"], r["subject_id"]) in subjects]
    assert sorted(miyun) == sorted(stated) and len(miyun) >= 17
    assert "beilu-pharma-daily-output-iohexol" in miyun  # product → Beilu → Miyun
    assert indicators["zgc-2020q1-total-revenue"]["park_id"] == "zgc"  # the zone's own record
    assert indicators["unknown-park-industrial-cluster"]["park_id"] is None


def test_the_indicators_view_has_park_id_and_the_park_filter_can_use_it() -> None:
    done = zgc_here(
        "sql", "SELECT count(*) AS n FROM indicators WHERE park_id = 'haidian'", "-f", "json"
    )
    programs = {p for p, r in by_id("programs").items() if r["park_id"] == "haidian"}
    subjects = {("park", "haidian")} | {("program", p) for p in programs}
    stated = [
        r for r in by_id("indicators").values() if (r["subject_type"], r["subject_id"]) in subjects
    ]
    assert json.loads(done.out) == [{"n": len(stated)}] and len(stated) >= 6


# --- meaning ---------------------------------------------------------------------------------


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
    from zgc_cli.display import figure

    for text, unit in (("数十名", "people"), ("两位数", "percent")):
        assert is_vague(text)
        low, high = value_bounds(text)
        row = {"value": 10.0, "unit": unit, "qualifier": "order_of_magnitude", "value_text": text}
        for lang in ("en", "zh"):
            shown = figure({**row, "value_min": low, "value_max": high}, lang)
            assert "≈" not in shown and "约" not in shown and "~" not in shown
            assert "10–99" in shown if lang == "en" else shown == text  # zh: the report's words
            floor = figure(row, lang)
            assert floor.startswith("at least") if lang == "en" else floor == text, floor
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


def test_audit_corrections() -> None:
    indicators = by_id("indicators")
    for indicator_id in ("medical-device-park-jobs", "medical-device-park-annual-output-value"):
        row = indicators[indicator_id]
        assert "phases I and II" in row["metric_en"] and "一、二期" in row["metric_zh"]
    years = indicators["medical-device-park-phase2-years-to-operation"]
    assert "from the report" in years["metric_en"] and "not from the" in years["note"]
    assert by_id("projects")["tal-changping-education-park"]["status_date_text"] == "截至目前"
    assert by_id("projects")["zgc-industrial-internet-park"]["name_en"] == (
        "Zhongguancun Industrial Internet Industry Park"  # 产业园: Industry Park, as its neighbour
    )
    growth = indicators["infervision-q1-core-business-growth"]
    assert growth["yoy_pct"] == 500 and growth["qualifier"] == "over"
    assert "+500%" in growth["metric_en"] and "6 times" in growth["metric_en"]
    everything = json.dumps([snapshot_rows(t) for t in ("products", "indicators")], default=str)
    assert "Xiaoyu" not in everything


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


# --- the build refuses broken rows -----------------------------------------------------------


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


# Per case: whether the report is read, the cells changed per row (table, id), and the
# problems the build must list, each at its row's line: (row id, column, words it says...).
Case = tuple[bool, dict[tuple[str, str], dict[str, str]], list[tuple[str, ...]]]
BROKEN: dict[str, Case] = {
    "programmes": (
        True,
        {
            ("programs", "zgc-anti-epidemic-loan"): {"kind": "lone", "issuer_id": "zgc-admin"},
            ("programs", "chaoyang-18-policies"): {"park_id": "chaoyong", "issuer_en": ""},
            ("programs", "haidian-15-measures"): {"upgrades_program_id": "haidian-15-measures"},
            ("programs", "zgc-rd-cost-support-fund"): {"name_zh": "研发资金"},
        },
        [
            ("zgc-anti-epidemic-loan", "kind", "'lone'", "did you mean 'loan'"),
            ("zgc-anti-epidemic-loan", "issuer_id", "not a companies id"),
            ("chaoyang-18-policies", "park_id", "'chaoyong'", "did you mean 'chaoyang'"),
            ("chaoyang-18-policies", "issuer_en", "both languages"),
            ("haidian-15-measures", "upgrades_program_id", "itself"),
            ("zgc-rd-cost-support-fund", "quote", "does not name it"),
        ],
    ),
    "participants": (
        False,
        {
            ("participants", "zgc-anti-epidemic-loan.cdb-beijing"): {"role": "lender-ish"},
            ("participants", "zgc-anti-epidemic-loan.icbc-beijing"): {
                "participant_id": "loan-icbc",
                "company_id": "crsc",
            },
            ("participants", "huohua-online-series.cas"): {"program_id": "huohua"},
        },
        [
            ("zgc-anti-epidemic-loan.cdb-beijing", "role", "'lender-ish'"),
            (
                "zgc-anti-epidemic-loan.icbc-beijing",
                "participant_id",
                "zgc-anti-epidemic-loan.crsc",
            ),
            ("zgc-anti-epidemic-loan.icbc-beijing", "quote", "does not name '中国通号'"),
            ("huohua-online-series.cas", "program_id", "not a programs id"),
        ],
    ),
    "products_and_events": (
        False,
        {
            ("products", "feishu"): {"kind": "app", "company_id": "bytedance"},
            ("events", "anti-epidemic-loan-launch"): {"program_id": "zgc-loan"},
            ("events", "haidian-16-measures-release"): {"program_id": "haidian-15-measures"},
        },
        [
            ("feishu", "kind", "'app'"),
            ("feishu", "company_id", "'bytedance'", "not a companies id"),
            ("anti-epidemic-loan-launch", "program_id", "not a programs id"),
            ("haidian-16-measures-release", "quote", "programme is not named"),
        ],
    ),
    "indicators_of_the_new_kinds": (
        False,
        {
            ("indicators", "haidian-15-measures-count"): {"subject_id": "haidian-15"},
            ("indicators", "megvii-deployment-sites"): {"subject_id": "megvii"},
            ("indicators", "medical-device-park-phase2-investment"): {"basis": "reported"},
            ("indicators", "medical-device-park-jobs"): {"basis": "planned", "value_max": "5000"},
            ("indicators", "beilu-pharma-workers-on-site"): {"inferred": "false", "value_max": ""},
            ("indicators", "miyun-enterprises-resumed"): {"inferred": "false"},
            ("indicators", "zgc-incubators"): {"note": "as_of from the same sentence."},
            ("indicators", "semiconductor-plant-investment"): {"basis": "gossip"},
            ("indicators", "zgc-2020m1-2-it-sector-growth"): {"value_text_en": ""},
            ("indicators", "zgc-incubators-resumed"): {"value_text_en": "191"},
        },
        [
            ("haidian-15-measures-count", "subject_id", "not a program id"),
            ("megvii-deployment-sites", "subject_id", "not a product id"),
            ("medical-device-park-phase2-investment", "basis", "将达"),
            ("medical-device-park-jobs", "basis", "预计"),
            ("medical-device-park-jobs", "value_max", "5000 but '超5000人' gives empty"),
            ("beilu-pharma-workers-on-site", "inferred", "'数十名' gives no figure"),
            ("beilu-pharma-workers-on-site", "value_max", "empty but '数十名' gives 99"),
            ("miyun-enterprises-resumed", "inferred", "as_of is in 2020"),
            ("zgc-incubators", "note", "2020"),
            ("semiconductor-plant-investment", "basis", "'gossip' is not one of"),
            ("zgc-2020m1-2-it-sector-growth", "value_text_en", "'两位数' in words"),
            ("zgc-incubators-resumed", "value_text_en", "must be empty", "'191家' is a number"),
        ],
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_build_reports_broken_rows(tmp_path: Path, report: str, case: str) -> None:
    with_report, edits, expected = BROKEN[case]
    sources = _copy(tmp_path)
    at = {row: (t, _edit(sources / f"{t}.csv", row, **cells)) for (t, row), cells in edits.items()}
    problems = _problems(sources, report if with_report else None)
    for row, column, *words in expected:
        table, line = at[row]
        assert _has(problems, f"{table}.csv", line, column, *words), (row, column, words)


def test_ids_are_unique_across_tables(tmp_path: Path) -> None:
    sources = _copy(tmp_path)
    line = _edit(sources / "products.csv", "feishu", product_id="miyun")
    problems = _problems(sources, None)
    assert _has(problems, "products.csv", line, "product_id", "already the id of a row in parks")


# --- zgc verify ------------------------------------------------------------------------------


def _rewrite(tmp_path: Path, name: str, replace: str) -> Path:
    """A copy of the snapshot with one column replaced, keeping its metadata."""
    con = duckdb.connect()
    meta = dict(
        con.execute(
            f"SELECT decode(key), decode(value) FROM parquet_kv_metadata('{SNAPSHOT}')"
        ).fetchall()
    )
    out = tmp_path / name
    kv = ", ".join(f"'{k}': '{v}'" for k, v in meta.items())
    con.execute(
        f"COPY (SELECT * REPLACE ({replace}) FROM read_parquet('{SNAPSHOT}')) TO '{out}' "
        f"(FORMAT parquet, KV_METADATA {{{kv}}})"
    )
    con.close()
    return out


def _verify(path: Path) -> dict[str, str]:
    done = zgc_here("verify", "--data", str(path), "-f", "json", code=None)
    return {row["check"]: row["status"] for row in json.loads(done.out)}


@pytest.mark.slow
def test_verify_checks_subjects_and_indicator_parks(tmp_path: Path) -> None:
    assert _verify(SNAPSHOT)["indicator parks"] == "pass"
    dangling = _rewrite(
        tmp_path,
        "subject.parquet",
        "CASE WHEN subject_type = 'product' THEN 'atlantis' ELSE subject_id END AS subject_id",
    )
    statuses = _verify(dangling)
    assert statuses["foreign keys"] == "fail"
    moved = _rewrite(
        tmp_path,
        "park.parquet",
        "CASE WHEN \"table\" = 'indicators' AND park_id = 'miyun' THEN 'shunyi' "
        "ELSE park_id END AS park_id",
    )
    statuses = _verify(moved)
    assert statuses["indicator parks"] == "fail" and statuses["foreign keys"] == "pass"


@pytest.mark.slow
def test_verify_refuses_park_parents_that_loop(tmp_path: Path) -> None:
    looped = _rewrite(
        tmp_path,
        "loop.parquet",
        "CASE WHEN \"table\" <> 'parks' THEN parent_park_id WHEN park_id = 'daxing-biomed' "
        "THEN 'shunyi' WHEN park_id = 'shunyi' THEN 'daxing-biomed' "
        "WHEN park_id = 'miyun' THEN 'miyun' ELSE parent_park_id END AS parent_park_id",
    )
    done = zgc_here("verify", "--data", str(looped), "-f", "json", code=1)
    checks = {row["check"]: row for row in json.loads(done.out)}
    assert checks["foreign keys"]["status"] == "fail", checks
    detail = checks["foreign keys"]["detail"]
    for park in ("daxing-biomed", "shunyi", "miyun"):
        assert f"parks.parent_park_id of {park!r} leads back to it (a cycle)" in detail, detail
    assert "beijing-auto-base" not in detail and checks["unique ids"]["status"] == "pass"
