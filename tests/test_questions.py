"""Issue 11, the CLI: the questions a person asks of programmes, products, places and periods
are answered in one try through the installed `zgc`, piped as scripts and people use it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import zgc_here, zgc_served
from tests.test_cli import duck
from zgc_cli.queries.base import view_columns
from zgc_cli.queries.lists import PRODUCT_COLUMNS
from zgc_cli.queries.records import KEYS

BANKS = {
    "cdb-beijing",
    "icbc-beijing",
    "abc-beijing",
    "boc-beijing",
    "ccb-beijing",
    "bank-of-beijing",
    "zgc-bank",
    "zgc-guarantee",
}


def tsv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter="\t"))


def fields(text: str) -> list[tuple[str, str]]:
    """`zgc show` piped: field<TAB>value lines after the header."""
    lines = text.splitlines()
    assert lines[0] == "field\tvalue"
    return [tuple(line.split("\t", 1)) for line in lines[1:]]  # type: ignore[misc]


# --- the questions, in one try ---------------------------------------------------------------


def test_indicators_of_haidian() -> None:
    rows = tsv(zgc_served("indicators", "--park", "haidian").out)
    assert len(rows) >= 4
    assert {r["park_id"] for r in rows} == {"haidian"}
    assert {"haidian-15-measures-count", "haidian-16-measures-count"} <= {
        r["indicator_id"] for r in rows
    }


def test_show_the_loan_with_its_date_banks_and_size() -> None:
    lines = fields(zgc_served("show", "zgc-anti-epidemic-loan").out)
    record = dict(lines)
    assert record["launch_date"] == "2020-03-18" and record["launch_date_text"] == "3月18日"
    assert record["kind"] == "loan" and record["issuer_zh"] == "中关村管委会"
    participants = [value for name, value in lines if name == "participants"]
    assert len(participants) == 8
    assert {value.split(" · ")[0] for value in participants} == BANKS
    assert all(value.endswith("financial_partner") for value in participants)
    figures = [value for name, value in lines if name == "indicators"]
    assert any("200亿元" in value for value in figures)
    assert any(" · 8家 · " in value for value in figures)
    events = [value for name, value in lines if name == "events"]
    assert events and "2020-03-18" in events[0]


def test_show_the_loan_as_json_carries_related_rows() -> None:
    card = json.loads(zgc_served("show", "zgc-anti-epidemic-loan", "-f", "json").out)
    assert {p["company_id"] for p in card["related"]["participants"]} == BANKS
    assert {i["value_text"] for i in card["related"]["indicators"]} >= {"200亿元", "8家"}


def test_search_miyun_finds_the_park_and_what_lies_in_it() -> None:
    rows = tsv(zgc_served("search", "miyun").out)
    assert len(rows) >= 10
    first = rows[0]
    assert (first["rank"], first["table"], first["id"]) == ("1", "parks", "miyun")
    found = {(r["table"], r["id"]) for r in rows}
    assert ("companies", "beilu-pharma") in found  # its park is Miyun; no "miyun" in its text
    assert ("products", "iohexol-injection") in found  # through its maker's park
    miyun_figures = {
        r[0] for r in duck("SELECT indicator_id FROM indicators WHERE park_id = 'miyun'")[1]
    }
    assert miyun_figures <= {i for t, i in found if t == "indicators"}
    assert [int(r["rank"]) for r in rows] == sorted(int(r["rank"]) for r in rows)


@pytest.mark.parametrize("text", ["Q1", "一季度", "2020-Q1", "第一季度"])
def test_search_a_quarter_finds_its_figures(text: str) -> None:
    rows = tsv(zgc_here("search", text).out)
    q1 = {r[0] for r in duck("SELECT indicator_id FROM indicators WHERE period = '2020-Q1'")[1]}
    ranked = {r["id"]: int(r["rank"]) for r in rows if r["table"] == "indicators"}
    assert q1 <= set(ranked), text
    assert all(ranked[i] <= 3 for i in q1), text


def test_search_finds_words_of_labels() -> None:
    revenue = tsv(zgc_here("search", "revenue").out)
    assert "Total revenue" in {r["name_en"] for r in revenue}
    yoy = {r["id"] for r in tsv(zgc_here("search", "year on year").out)}
    with_yoy = {
        r[0] for r in duck("SELECT indicator_id FROM indicators WHERE yoy_pct IS NOT NULL")[1]
    }
    assert with_yoy <= yoy
    assert {r["id"] for r in tsv(zgc_here("search", "同比").out)} >= with_yoy


def test_search_covers_programmes_products_and_ranks_exact_names_first() -> None:
    feishu = tsv(zgc_here("search", "Feishu").out)
    assert (feishu[0]["rank"], feishu[0]["table"], feishu[0]["id"]) == ("1", "products", "feishu")
    loan = tsv(zgc_here("search", "中关村企业抗疫发展贷").out)
    assert (loan[0]["table"], loan[0]["id"], loan[0]["matched_in"]) == (
        "programs",
        "zgc-anti-epidemic-loan",
        "exact id/name",
    )
    alias = tsv(zgc_here("search", "十五条措施").out)
    assert (alias[0]["rank"], alias[0]["id"]) == ("1", "haidian-15-measures")
    bank = {(r["table"], r["id"]) for r in tsv(zgc_here("search", "zgc-bank").out)}
    assert {("companies", "zgc-bank"), ("participants", "zgc-anti-epidemic-loan.zgc-bank")} <= bank


@pytest.mark.slow
def test_search_binds_what_it_is_given() -> None:
    for text in ("'; DROP VIEW parks; --", "%", "_", "$text", "\\", "a' OR '1'='1"):
        zgc_here("search", text)
    assert len(tsv(zgc_here("search", "%%%").out)) == 0  # a literal %, not a wildcard
    assert {r["table"] for r in tsv(zgc_here("search", "97%").out)} == {"indicators"}


# --- places and periods ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "park"),
    [
        ("密云区", "miyun"),
        ("Miyun District", "miyun"),
        ("miyun district", "miyun"),
        ("海淀区", "haidian"),
        ("Haidian", "haidian"),
        ("顺义区", "shunyi"),
        ("大兴区", "daxing-biomed"),
    ],
)
def test_park_takes_district_names(text: str, park: str) -> None:
    by_district = zgc_here("indicators", "--park", text, "-f", "json").out
    by_id = zgc_here("indicators", "--park", park, "-f", "json").out
    assert by_district == by_id and json.loads(by_id)


@pytest.mark.parametrize(
    "text",
    ["中关村", "中关村示范区", "中关村国家自主创新示范区", "Zhongguancun", "zgc", "ZHONGGUANCUN"],
)
def test_a_name_of_the_whole_zone_names_its_record(text: str) -> None:
    figures = json.loads(zgc_here("indicators", "--park", text, "-f", "json").out)
    assert figures and {r["subject_type"] for r in figures} == {"zone", "program"}
    assert {r["park_id"] for r in figures} == {"zgc"}
    programmes = json.loads(zgc_here("programs", "--park", text, "-f", "json").out)
    zone_programmes = duck("SELECT program_id FROM programs WHERE park_id = 'zgc'")[1]
    assert {p["program_id"] for p in programmes} == {r[0] for r in zone_programmes}
    assert "zgc-one-zone-many-parks" in {p["program_id"] for p in programmes}
    # the zone's own figures, and those of the programmes the report gives the whole zone
    by_subject = json.loads(zgc_here("indicators", "--subject", "zone", "-f", "json").out)
    of_programmes = [r for r in figures if r["subject_type"] == "program"]
    assert {r["subject_id"] for r in of_programmes} <= {p["program_id"] for p in programmes}
    assert {r["indicator_id"] for r in by_subject} == {
        r["indicator_id"] for r in figures if r["subject_type"] == "zone"
    }


@pytest.mark.parametrize("text", ["2020-Q1", "Q1", "q1", "一季度", "第一季度", "2020年第一季度"])
def test_period_takes_a_quarter_as_people_write_it(text: str) -> None:
    rows = json.loads(zgc_here("indicators", "--period", text, "-f", "json").out)
    assert {r["period"] for r in rows} == {"2020-Q1"} and len(rows) == 5


def test_period_takes_other_words() -> None:
    for text, period in (("今年", "2020"), ("1~2月", "2020-01/2020-02"), ("每天", "daily")):
        rows = json.loads(zgc_here("indicators", "--period", text, "-f", "json").out)
        assert rows and {r["period"] for r in rows} == {period}, text


def test_a_period_no_figure_covers_lists_those_that_exist() -> None:
    ran = zgc_here("indicators", "--period", "Q3", code=2)
    ran.error("no figure covers the period 'Q3'", "2020-Q1", "daily", "annual")


def test_an_empty_result_of_valid_filters_is_a_note() -> None:
    ran = zgc_here("indicators", "--park", "haidian", "--unit", "people")
    assert ran.err == "zgc: no rows match\n"
    assert ran.out.splitlines() == ["\t".join(view_columns("indicators"))]


def test_a_filter_that_matches_nothing_says_what_there_is() -> None:
    # A metric no figure has is a usage error, as in `zgc chart` (issue 17); it still says
    # what there is.
    metric = zgc_here("indicators", "--metric", "revenu_total", code=2)
    metric.error("no metric name or label matches 'revenu_total'", "metrics: zgc sql")
    subject = zgc_here("indicators", "--subject", "nowhere")
    assert "subject types: zone, park, company, project, program, product" in subject.err
    both = zgc_here("indicators", "--subject", "nowhere", "--metric", "revenue")
    lines = both.err.splitlines()
    assert lines[0] == "zgc: no rows match" and len(lines) == 2  # one line of reasons
    assert "no subject matches" in lines[1]
    district = zgc_here("parks", "--district", "Pudong")
    assert "密云区 Miyun District" in district.err
    issuer = zgc_here("programs", "--issuer", "State Council")
    assert "中关村管委会" in issuer.err
    maker = zgc_here("products", "--company", "bytedance")
    assert "makers:" in maker.err and "megvii" in maker.err


# --- programmes and products -----------------------------------------------------------------


def test_programs_lists_filters_and_checks_kinds() -> None:
    everything = tsv(zgc_served("programs").out)
    assert len(everything) == len(duck("SELECT * FROM programs")[1])
    assert list(everything[0]) == view_columns("programs")
    loans = json.loads(zgc_here("programs", "--kind", "loan", "-f", "json").out)
    assert {r["program_id"] for r in loans} == {
        "zgc-anti-epidemic-loan",
        "preferential-rate-loan-list",
    }
    both = json.loads(zgc_here("programs", "--kind", "loan,fund", "-f", "json").out)
    assert len(both) == 3
    haidian = json.loads(zgc_here("programs", "--park", "海淀", "-f", "json").out)
    assert {r["program_id"] for r in haidian} == {"haidian-15-measures", "haidian-16-measures"}
    committee = json.loads(zgc_here("programs", "--issuer", "管委会", "-f", "json").out)
    assert committee and {r["issuer_id"] for r in committee} == {"zgc-admin-committee"}
    zgc_here("programs", "--kind", "lone", code=2).error("did you mean 'loan'?")


def test_products_lists_with_maker_and_park() -> None:
    rows = tsv(zgc_served("products").out)
    assert len(rows) == len(duck("SELECT * FROM products")[1])
    assert list(rows[0]) == PRODUCT_COLUMNS
    miyun = json.loads(zgc_here("products", "--park", "miyun", "-f", "json").out)
    assert {r["product_id"] for r in miyun} == {
        "jiuwei-zhenxin-granules",
        "glimepiride-tablets",
        "iohexol-injection",
    }
    assert {r["company_name_zh"] for r in miyun} == {"北京北陆药业股份有限公司"}
    medicine = json.loads(zgc_here("products", "--kind", "medicine", "-f", "json").out)
    assert len(medicine) == 3
    megvii = json.loads(zgc_here("products", "--company", "旷视", "-f", "json").out)
    assert [r["product_id"] for r in megvii] == ["megvii-mingjing"]


def test_show_a_company_lists_its_programmes_and_products() -> None:
    committee = fields(zgc_here("show", "zgc-admin-committee").out)
    issued = [v for k, v in committee if k == "programs"]
    assert len(issued) >= 5 and all(v.endswith(" · issuer") for v in issued)
    bank = fields(zgc_here("show", "zgc-bank").out)
    assert [v for k, v in bank if k == "programs"] == [
        "zgc-anti-epidemic-loan · 中关村企业抗疫发展贷 · "
        "Zhongguancun Enterprise Anti-epidemic Development Loan · loan · financial_partner"
    ]
    beilu = fields(zgc_here("show", "beilu-pharma").out)
    assert len([v for k, v in beilu if k == "products"]) == 3


def test_show_a_product_with_its_maker_and_a_programme_with_what_it_upgrades() -> None:
    machine = fields(zgc_here("show", "n95-mask-machine").out)
    assert (
        "company",
        "beiyi-machine-tool · 北一机床 · Beijing No.1 Machine Tool Plant · shunyi",
    ) in machine
    assert any(k == "indicators" and "25天" in v for k, v in machine)
    measures = json.loads(zgc_here("show", "haidian-15-measures", "-f", "json").out)
    assert [r["program_id"] for r in measures["related"]["upgrades"]] == ["haidian-16-measures"]
    older = json.loads(zgc_here("show", "haidian-16-measures", "-f", "json").out)
    assert [r["program_id"] for r in older["related"]["upgraded_by"]] == ["haidian-15-measures"]
    link = json.loads(zgc_here("show", "huohua-online-series.cas", "-f", "json").out)
    assert link["table"] == "participants"
    assert [r["program_id"] for r in link["related"]["program"]] == ["huohua-online-series"]


@pytest.mark.slow
def test_every_id_of_the_new_tables_is_found() -> None:
    for table in ("programs", "participants", "products"):
        key = KEYS[table]
        for (record_id,) in duck(f"SELECT {key} FROM {table}")[1]:
            card = json.loads(zgc_here("show", record_id, "-f", "json").out)
            assert card["table"] == table and card["record"][key] == record_id


# --- exports carry everything ----------------------------------------------------------------


def test_file_exports_carry_every_column(tmp_path: Path) -> None:
    target = tmp_path / "ind.csv"
    zgc_served("indicators", "-o", str(target))
    header = target.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == view_columns("indicators")
    for name in ("inferred", "note", "quote_start", "metric", "basis", "value_min", "value_max"):
        assert name in header
    assert not target.read_bytes().startswith(b"\xef\xbb\xbf")  # no BOM: scripts read it as is
    for fmt in ("tsv", "json", "jsonl", "markdown"):
        out = zgc_here("projects", "-f", fmt, "--limit", "1").out
        assert "builder_en" in out and "park_name_en" in out, fmt


def test_the_terminal_view_starts_from_the_default_columns() -> None:
    table = zgc_here("indicators", "-f", "table", "--limit", "1", "--lang", "en").out
    head = table.splitlines()[0]  # headers are words: Indicator id, not indicator_id
    assert "Indicator id" in head and "Note" not in head and "note" not in table.splitlines()[2]
    en = zgc_here("indicators", "-f", "csv", "--lang", "en", "--limit", "1").out
    assert "metric_en" in en and "metric_zh" not in en  # --lang still drops the other language
