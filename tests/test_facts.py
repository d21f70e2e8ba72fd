"""Every fact the coverage audit (issue 18) found missing is a row: one test per fact, by id,
through the installed `zgc`, asserting what the report says of it. The rows come from one run
of `zgc sql` over the whole snapshot (a run per fact costs a second each); the cards of the
zone and the award funds from `zgc show`."""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest

from tests.conftest import zgc_served
from zgc_cli.dictionary import TABLES


def card(record_id: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """The record's table, its fields and its related rows, as `zgc show` gives them."""
    shown = json.loads(zgc_served("show", record_id, "-f", "json").out)
    return shown["table"], shown["record"], shown["related"]


@functools.cache
def _snapshot() -> dict[str, tuple[str, dict[str, Any]]]:
    """Every record of the snapshot by id, from the installed zgc (one run per worker)."""
    rows = json.loads(zgc_served("sql", "SELECT * FROM _snapshot", "-f", "json").out)
    keys = {name: table.key for name, table in TABLES.items()}
    columns = {name: [c.name for c in table.columns] for name, table in TABLES.items()}
    return {
        row[keys[row["table"]]]: (row["table"], {c: row[c] for c in columns[row["table"]]})
        for row in rows
    }


def shown(record_id: str) -> tuple[str, dict[str, Any], None]:
    table, record = _snapshot()[record_id]
    return table, record, None


# --- entities ----------------------------------------------------------------------------------


def test_the_zone_is_a_record() -> None:
    table, zone, related = card("zgc")
    assert table == "parks" and zone["kind"] == "zone"
    assert zone["name_zh"] == "中关村国家自主创新示范区" and "中关村示范区" in zone["aliases"]
    figures = {r["indicator_id"] for r in related["indicators"]}
    assert {"zgc-2020q1-total-revenue", "zgc-work-resumption-rate"} <= figures


def test_medical_device_park_phase_one_is_a_project() -> None:
    table, phase1, _ = shown("medical-device-park-phase1")
    assert table == "projects" and phase1["name_zh"] == "中关村医疗器械园一期"
    assert phase1["parent_project_id"] == "medical-device-park" and phase1["inferred"] is True
    assert phase1["status"] is None  # the report gives it none


@pytest.mark.parametrize(
    ("company_id", "name_zh"),
    [("miyun-district-finance-office", "区金融办"), ("miyun-economy-it-bureau", "经信局")],
)
def test_miyun_financing_bodies_are_entities(company_id: str, name_zh: str) -> None:
    table, body, _ = shown(company_id)
    assert table == "companies" and body["name_zh"] == name_zh and body["sector"] == "government"
    _, link, _ = shown(f"miyun-financing-support.{company_id}")
    assert link["role"] == "financing_body"


ROBOTS = {
    "temperature-disinfection-robots": "测温消毒机器人",
    "inspection-robots": "巡检机器人",
    "unmanned-delivery-robots": "无人配送机器人",
    "medical-protection-robots": "医疗防护机器人",
}


@pytest.mark.parametrize(("product_id", "name_zh"), ROBOTS.items())
def test_the_robots_are_products(product_id: str, name_zh: str) -> None:
    table, robot, _ = shown(product_id)
    assert table == "products" and robot["kind"] == "robot" and robot["name_zh"] == name_zh
    assert robot["company_id"] is None  # no maker is named
    assert "Robots" in robot["name_en"] or "robots" in robot["name_en"]


def test_shijingshan_1_3_1_system_is_a_programme() -> None:
    table, system, _ = shown("shijingshan-1-3-1-industrial-system")
    assert table == "programs" and system["name_zh"] == "“1+3+1”高精尖产业体系"
    assert system["kind"] == "strategy" and system["park_id"] == "shijingshan"


def test_one_zone_many_parks_is_the_committees_programme() -> None:
    table, plan, _ = shown("zgc-one-zone-many-parks")
    assert table == "programs" and plan["name_zh"] == "一区多园统筹"
    assert plan["issuer_id"] == "zgc-admin-committee" and plan["park_id"] == "zgc"


# --- relations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "company_id",
    [
        "china-railway",
        "crsc",
        "traffic-control-technology",
        "yuanliu-hongyuan",
        "haige-communications",
    ],
)
def test_award_recipients_take_part_in_the_award_funds(company_id: str) -> None:
    table, link, _ = shown(f"cluster-award-funds.{company_id}")
    assert table == "participants" and link["role"] == "award_recipient"
    _, award, _ = shown("cluster-award-funds")
    assert award["kind"] == "award" and award["issuer_zh"] == "园区" and award["park_id"] is None


def test_the_award_funds_card_lists_its_five_recipients() -> None:
    _, _, related = card("cluster-award-funds")
    recipients = {r["company_id"] for r in related["participants"]}
    assert recipients == {
        "china-railway",
        "crsc",
        "traffic-control-technology",
        "yuanliu-hongyuan",
        "haige-communications",
    }


@pytest.mark.parametrize("company_id", ["cetc", "crcc"])
def test_shijingshans_strategic_partners(company_id: str) -> None:
    table, link, _ = shown(f"shijingshan-partner-liaison.{company_id}")
    assert table == "participants" and link["role"] == "strategic_partner"
    assert link["inferred"] is True and "caption" in link["note"]
    _, liaison, _ = shown("shijingshan-partner-liaison")
    assert liaison["park_id"] == "shijingshan"


@pytest.mark.parametrize(
    "project_id", ["medical-device-park-phase2", "semiconductor-plant", "xiaomi-smart-park"]
)
def test_the_committee_pushes_the_three_projects(project_id: str) -> None:
    _, project, _ = shown(project_id)
    assert project["promoter_id"] == "zgc-admin-committee"
    assert "积极推动" in project["note"]


@pytest.mark.parametrize(
    ("project_id", "owner"),
    [
        ("tal-changping-education-park", "tal-education"),
        ("xiaomi-smart-park", "xiaomi"),
        ("semiconductor-plant", "shunyi-sci-tech-innovation-group"),
    ],
)
def test_projects_name_their_owner(project_id: str, owner: str) -> None:
    _, project, _ = shown(project_id)
    assert project["owner_id"] == owner


def test_the_semiconductor_plants_owner_is_read_from_who_builds_it() -> None:
    _, plant, _ = shown("semiconductor-plant")
    assert "负责建设" in plant["quote"] and plant["inferred"] is True
    assert "does not state who owns" in plant["note"]


def test_every_company_is_referenced_by_a_row_not_only_by_notes() -> None:
    columns = {
        "participants": "company_id",
        "products": "company_id",
        "events": "company_id",
        "programs": "issuer_id",
        "projects": "owner_id",
    }
    union = " UNION ".join(f"SELECT {c} FROM {t}" for t, c in columns.items())
    union += " UNION SELECT promoter_id FROM projects"
    sql = f"SELECT company_id FROM companies WHERE company_id NOT IN ({union}) ORDER BY 1"
    assert zgc_served("sql", sql, "-f", "csv").out.splitlines() == ["company_id"]


# --- facts without a number --------------------------------------------------------------------


# Facts the report states in words, and the words each keeps.
WORDLESS = [
    ("zgc-2020m1-2-internet-consumption", "逆势增长"),
    ("zgc-2020m1-2-biohealth-products", "逆势增长"),
    ("zgc-2020m1-2-collab-office-business", "大幅提高"),
    ("zgc-2020m1-2-internet-plus-business", "大幅提高"),
    ("zgc-2020m1-2-ai-plus-business", "大幅提高"),
    ("online-job-fair-enterprises", "多家"),
    (
        "haidian-15-measures-areas",
        "基础研究、成果转化、高精尖产业、服务生态、开放创新、先行先试",
    ),
    ("startup-service-plus-channels", "“+”分园、“+”孵化机构"),
    ("startup-service-plus-topics", "从企业服务到新基建"),
    ("huohua-aims", "投融资、产品推广、研发合作、生产合作"),
    ("infervision-domestic-hospitals", "多家"),
    ("infervision-overseas-regions", "北美、欧洲、日本"),
    ("megvii-cooperation-countries", "泰国、日本、韩国"),
    ("changping-remaining-projects-resumption", "其余项目近日陆续全面复工"),
    ("miyun-epidemic-control-checks", "检查企业做好疫情防控工作"),
    ("miyun-staff-self-protection", "要求员工做好自我防护"),
    ("chaoyang-18-policies-examples", "减免房租、设置专项资金池、政企银合作"),
    ("chaoyang-18-policies-support", "真金白银给予补贴,打通企业融资渠道"),
    ("haidian-16-measures-layout", "系统化、生态型布局"),
    ("megvii-deployment-site-types", "党政机关、医院、商超、学校"),
    ("zgc-services-moved-online", "由线下转到线上"),
    ("zgc-digital-technologies-applied", "云计算、大数据、人工智能、物联网、5G、区块链"),
]


@pytest.mark.parametrize(("indicator_id", "words"), WORDLESS)
def test_a_fact_without_a_number_is_a_row(indicator_id: str, words: str) -> None:
    table, fact, _ = shown(indicator_id)
    assert table == "indicators" and fact["value"] is None and fact["qualifier"] is None
    assert words in fact["value_text"] and fact["value_text"] in fact["quote"]
    assert fact["basis"] == "reported"
    if (fact["period"] or "").startswith("2020"):  # 今年1~2月: the year is supplied
        assert fact["inferred"] is True and "2020" in fact["note"]


# --- labels ------------------------------------------------------------------------------------


def test_rent_relief_is_for_small_medium_and_micro_enterprises() -> None:
    _, row, _ = shown("miyun-rent-relief-enterprises")
    assert row["metric_en"].startswith("Small, medium and micro") and "中小微" in row["quote"]


def test_high_value_patents_are_commercialised_not_converted() -> None:
    _, row, _ = shown("zgc-high-value-patents")
    assert row["name_zh"] == "高价值专利转化线上路演活动"
    assert "commercialisation" in row["name_en"] and "conversion" not in row["name_en"]


def test_the_zone_is_independent_innovation() -> None:
    _, zone, _ = shown("zgc")
    assert zone["name_en"] == "Zhongguancun National Independent Innovation Demonstration Zone"
    assert "自主" in zone["name_zh"]  # 自主 = independent
    assert (
        zgc_served("indicators", "--park", "Zhongguancun", "-f", "csv").out.splitlines()[1:] != []
    )


@pytest.mark.parametrize(
    ("record_id", "zh", "en"),
    [
        ("medical-device-park", "中关村医疗器械园", "Zhongguancun Medical Device Park"),
        (
            "shijingshan-partner-liaison",
            "跨部门、跨领域联动",
            "Cross-department, cross-sector coordination",
        ),
    ],
)
def test_zh_and_en_names_say_the_same(record_id: str, zh: str, en: str) -> None:
    _, row, _ = shown(record_id)
    assert row["name_zh"] == zh and row["name_en"] == en


def test_haidian_15_measures_title_keeps_every_word() -> None:
    _, row, _ = shown("haidian-15-measures")
    assert row["name_en"].startswith("Several Measures")  # 若干措施
    assert "Start Businesses Anew, Set Out Again" in row["name_en"]  # 再创业再出发
    assert "15" not in row["name_en"]  # the title says no count; 十五条措施 is an alias


@pytest.mark.parametrize("project_id", ["zgc-industrial-internet-park", "vr-industrial-park"])
def test_industry_park_is_translated_one_way(project_id: str) -> None:
    _, row, _ = shown(project_id)
    assert row["name_zh"].endswith("产业园") and row["name_en"].endswith("Industry Park")


@pytest.mark.parametrize(
    "company_id",
    [
        "xiaomi",
        "tal-education",
        "shunyi-sci-tech-innovation-group",
        "cetc",
        "crcc",
        "canon-medical",
        "deepglint",
        "megvii",
        "infervision",
        "beiyi-machine-tool",
    ],
)
def test_a_sector_from_outside_the_report_is_inferred(company_id: str) -> None:
    _, row, _ = shown(company_id)
    assert row["inferred"] is True and row["sector"] in row["note"]


# --- structure ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "indicator_id", ["medical-device-park-annual-output-value", "medical-device-park-jobs"]
)
def test_phase_one_and_two_forecasts_hang_on_the_whole_park(indicator_id: str) -> None:
    _, row, _ = shown(indicator_id)
    assert row["subject_type"] == "project" and row["subject_id"] == "medical-device-park"
    assert "一、二期" in row["quote"] and row["basis"] == "forecast"


def test_miyuns_two_resumption_rates_have_their_segment() -> None:
    _, operating, _ = shown("miyun-work-resumption-rate")
    _, above, _ = shown("miyun-above-scale-work-resumption-rate")
    same = ("subject_id", "metric", "as_of")
    assert all(operating[c] == above[c] for c in same)
    assert operating["segment"] == "operating_enterprises"
    assert above["segment"] == "above_scale_industrial_enterprises"


def test_projects_carry_the_basis_of_money_and_areas() -> None:
    _, phase2, _ = shown("medical-device-park-phase2")
    assert phase2["investment_basis"] == "planned" and phase2["land_area_basis"] == "planned"
    assert phase2["floor_area_basis"] == "reported"
    _, floor, _ = shown("medical-device-park-phase2-floor-area")
    assert floor["basis"] == "reported" and "规划" in floor["note"]  # why not planned
    _, plant, _ = shown("semiconductor-plant")
    assert plant["investment_basis"] == "reported" and plant["land_area_basis"] is None


def test_a_park_figure_without_a_park_says_why() -> None:
    _, row, _ = shown("unknown-park-industrial-cluster")
    assert row["subject_type"] == "park" and row["subject_id"] is None and row["park_id"] is None
    assert "never names its park" in row["note"]


def test_changpings_remaining_projects_are_not_counted() -> None:
    _, row, _ = shown("changping-remaining-projects-resumption")
    assert row["subject_id"] == "changping" and row["unit"] is None  # 66 would be derived
    assert "82" in row["note"] and "16" in row["note"]


def test_miyuns_control_checks_hang_on_miyun() -> None:
    for indicator_id in ("miyun-epidemic-control-checks", "miyun-staff-self-protection"):
        _, row, _ = shown(indicator_id)
        assert row["subject_type"] == "park" and row["park_id"] == "miyun"


def test_chaoyangs_policies_give_examples_and_support() -> None:
    _, examples, _ = shown("chaoyang-18-policies-examples")
    _, support, _ = shown("chaoyang-18-policies-support")
    assert examples["subject_id"] == support["subject_id"] == "chaoyang-18-policies"
    assert "真金白银" in support["value_text"] and "融资渠道" in support["value_text"]


def test_the_committee_moved_its_services_online() -> None:
    _, row, _ = shown("zgc-services-moved-online")
    assert row["subject_type"] == "company" and row["subject_id"] == "zgc-admin-committee"
    assert "中关村管委会" in row["quote"] and row["inferred"] is False


def test_digital_technologies_are_the_zones_and_inferred() -> None:
    _, row, _ = shown("zgc-digital-technologies-applied")
    assert row["subject_type"] == "zone" and row["park_id"] == "zgc"
    assert row["inferred"] is True and "5G" in row["value_text"]


def test_megviis_site_kinds_sit_beside_its_site_count() -> None:
    _, kinds, _ = shown("megvii-deployment-site-types")
    _, count, _ = shown("megvii-deployment-sites")
    assert kinds["subject_id"] == count["subject_id"] == "megvii-mingjing"
    assert kinds["quote"] == count["quote"]


@pytest.mark.parametrize(
    ("project_id", "words_zh", "words_en"),
    [
        ("medical-device-park-phase2", "中试制造平台", "pilot-scale (中试) manufacturing platform"),
        ("semiconductor-plant", "在顺义区集聚发展", "clustering in Shunyi District"),
    ],
)
def test_a_projects_summary_keeps_what_it_will_do(
    project_id: str, words_zh: str, words_en: str
) -> None:
    _, project, _ = shown(project_id)
    assert words_zh in project["summary_zh"] and words_en in project["summary_en"]


@pytest.mark.parametrize(
    ("program_id", "inferred"),
    [
        ("zgc-high-value-patents", False),  # 向示范区企业发布: stated
        ("zgc-anti-epidemic-loan", True),
        ("zgc-rd-cost-support-fund", True),
        ("zgc-startup-service-plus", True),
        ("huohua-online-series", True),
        ("zgc-online-job-fair", True),
    ],
)
def test_zone_wide_programmes_belong_to_the_zone(program_id: str, inferred: bool) -> None:
    _, programme, _ = shown(program_id)
    assert programme["park_id"] == "zgc" and programme["inferred"] is inferred
    assert inferred is ("Park zgc inferred" in programme["note"])
    figures = [r for t, r in _snapshot().values() if t == "indicators"]
    mine = [r for r in figures if r["subject_type"] == "program" and r["subject_id"] == program_id]
    assert all(r["park_id"] == "zgc" for r in mine)  # the R&D fund has no figure
    listed = zgc_served("indicators", "--park", "zgc", "-f", "csv").out
    assert all(r["indicator_id"] in listed for r in mine)
