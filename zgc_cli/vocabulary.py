"""The snapshot's vocabularies as words, both ways: the stored values stay English slugs
(`started`, `real_estate_development`); a zh reader sees 开工, 房地产开发, an en reader
started, real estate development. Never a slug with underscores on a person's screen."""

from __future__ import annotations

from enum import StrEnum

from zgc_cli.dictionary import STATUSES, UNITS


class Lang(StrEnum):
    """The reader's language: zh, en, or both side by side (scripts get both)."""

    zh = "zh"
    en = "en"
    both = "both"


# Vocabulary words in Chinese, for a reader of zh (the stored values stay English slugs).
VOCABULARY_ZH: dict[str, dict[str, str]] = {
    "status": {name: words.split(",")[0].split("/")[0].strip() for name, words in STATUSES.items()},
    "kind": {
        "zone": "示范区",
        "park": "园区",
        "base": "基地",
        "loan": "贷款",
        "fund": "资金",
        "policy": "政策",
        "policy_document": "政策文件",
        "service": "服务",
        "event_series": "系列活动",
        "job_fair": "招聘活动",
        "campaign": "专项行动",
        "machine": "设备",
        "system": "系统",
        "collaboration_tool": "协同办公产品",
        "medicine": "药品",
        "robot": "机器人",
        "award": "奖励资金",
        "strategy": "统筹举措",
    },
    "subject_type": {
        "zone": "示范区",
        "park": "园区",
        "company": "企业",
        "project": "项目",
        "program": "政策与活动",
        "product": "产品",
    },
    "basis": {"reported": "报道", "planned": "计划", "forecast": "预计"},
    "qualifier": {
        "exact": "确数",
        "approx": "约",
        "nearly": "近",
        "over": "超过",
        "more_than": "余",
        "order_of_magnitude": "概数",
    },
    "role": {
        "financial_partner": "合作金融机构",
        "organiser": "举办方",
        "project_source": "项目来源",
        "award_recipient": "获奖励企业",
        "strategic_partner": "战略合作伙伴",
        "financing_body": "融资受理部门",
        "issuer": "发布方",  # a company's card: the programmes it issues (queries/records.py)
    },
    "sector": {
        "real_estate_development": "房地产开发",
        "aerospace": "航空航天",
        "medical_devices": "医疗器械",
        "ai": "人工智能",
        "electronics": "电子",
        "manufacturing": "制造业",
        "government": "政府机构",
        "consumer_electronics": "消费电子",
        "education": "教育",
        "finance": "金融",
        "rail_transit": "轨道交通",
        "pharmaceuticals": "医药",
        "construction": "建筑",
        "industry_association": "行业组织",
        "research": "科研",
    },
    "segment": {
        "operating_enterprises": "生产经营企业",
        "above_scale_industrial_enterprises": "规模以上工业企业",
    },
    "unit": {unit: words.split("/")[0] for unit, words in UNITS.items()},
    # Not "table": view names are identifiers, typed in SQL and `zgc schema NAME`.
    "period": {"daily": "每日", "annual": "每年"},
    "matched_in": {
        "exact id/name": "编号/名称(完全)",
        "id/name": "编号/名称",
        "label/period": "指标/时期",
        "park": "园区",
        "summary": "摘要",
        "quote": "原文",
    },
}


def vocabulary_zh(column: str, value: str) -> str:
    """A vocabulary value in Chinese (`started` → 开工, investment_basis `reported` → 报道);
    any other value as it is."""
    return VOCABULARY_ZH.get(_vocabulary(column), {}).get(value, value)


def _vocabulary(column: str) -> str:
    """A column's vocabulary: investment_basis and floor_area_basis take basis's words."""
    return "basis" if column.endswith("_basis") else column


# English words where the slug spelled out is not the word a reader uses.
VOCABULARY_EN: dict[str, dict[str, str]] = {
    "subject_type": {"program": "programme"},
    "qualifier": {"approx": "about", "order_of_magnitude": "order of magnitude"},
    "sector": {"ai": "artificial intelligence"},
    "segment": {"above_scale_industrial_enterprises": "industrial enterprises above scale"},
    "unit": {"m2": "m²", "percent": "%"},
}
# The vocabularies an English reader reads as words (`under construction`, not the slug);
# "sector" and "segment" are open (snake_case), spelled out when not listed.
_WORDED = frozenset({*VOCABULARY_ZH, "sector", "segment"} - {"matched_in", "period"})


def vocabulary_en(column: str, value: str) -> str:
    """A vocabulary value as English words (`under_construction` → under construction)."""
    column = _vocabulary(column)
    said = VOCABULARY_EN.get(column, {}).get(value)
    if said is not None:
        return said
    return value.replace("_", " ") if column in _WORDED else value
