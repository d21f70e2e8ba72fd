"""What each command shows on a terminal: the few columns that answer its question, in the
order read, with the priority they are kept by when the terminal is narrow, and their headers
in Chinese for a zh reader. Files and pipes carry every column instead (queries.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zgc_cli import display
from zgc_cli.queries.base import Lang, in_lang
from zgc_cli.terminal import Layout, Show, plain_cell

# Headers and card labels for a zh reader; en and both read the column names themselves.
LABELS_ZH = {
    "park_id": "园区",
    "project_id": "项目",
    "company_id": "企业",
    "program_id": "政策活动",
    "product_id": "产品",
    "event_id": "事件编号",
    "indicator_id": "指标编号",
    "participant_id": "编号",
    "subject_type": "主体类型",
    "subject_id": "主体",
    "id": "编号",
    "name_zh": "名称",
    "aliases": "别名",
    "district_zh": "所在区",
    "kind": "类型",
    "parent_park_id": "所属园区",
    "parent_project_id": "所属项目",
    "owner_id": "业主",
    "promoter_id": "推动方",
    "investment_basis": "总投资依据",
    "land_area_basis": "用地面积依据",
    "floor_area_basis": "建筑面积依据",
    "segment": "统计对象",
    "status": "状态",
    "status_date": "日期",
    "status_date_text": "原文日期",
    "investment_yuan": "总投资",
    "land_area_m2": "用地面积",
    "floor_area_m2": "建筑面积",
    "builder_zh": "建设单位",
    "summary_zh": "概要",
    "metric": "指标代码",
    "metric_zh": "指标",
    "value": "数值",
    "unit": "单位",
    "qualifier": "限定",
    "value_text": "原文数值",
    "value_min": "下限",
    "value_max": "上限",
    "basis": "依据",
    "as_of": "截至",
    "as_of_text": "原文截至",
    "period": "时期",
    "yoy_pct": "同比(%)",
    "when": "时间",
    "status_when": "状态与日期",
    "sector": "行业",
    "date": "日期",
    "date_text": "原文日期",
    "title_zh": "事件",
    "issuer_zh": "发布方",
    "issuer_id": "发布方编号",
    "launch_date": "启动日期",
    "launch_date_text": "原文日期",
    "upgrades_program_id": "升级自",
    "role": "角色",
    "rank": "排序",
    "matched_in": "匹配",
    "table": "表",
    "source_id": "来源",
    "quote": "原文",
    "quote_start": "原文位置",
    "inferred": "推断",
    "note": "说明",
    # a card's related lists
    "projects": "项目",
    "indicators": "指标",
    "companies": "企业",
    "programs": "政策与活动",
    "products": "产品",
    "events": "事件",
    "participants": "参与方",
    "bases": "下属基地",
    "upgrades": "升级自",
    "upgraded_by": "升级为",
    "subject": "主体",
    "company": "企业",
    "program": "政策活动",
}

Text = Callable[[Mapping[str, Any], str], str]


@dataclass(frozen=True)
class Col:
    """A column of a command's terminal view."""

    key: str
    priority: int
    fixed: bool = False
    right: bool = False
    text: Text | None = None  # derived: how the cell reads from the row
    sources: tuple[str, ...] = ()  # the columns a derived cell reads


def _figure(row: Mapping[str, Any], lang: str) -> str:
    return display.figure(row, lang)


def _when(row: Mapping[str, Any], lang: str) -> str:
    if row.get("as_of") is not None:
        return display.cell("as_of", row["as_of"], lang)
    return display.cell("period", row.get("period"), lang)


def _park_name(row: Mapping[str, Any], lang: str) -> str:
    """Where, by name in the reader's language (北京汽车生产基地, not beijing-auto-base)."""
    name = row.get(f"park_name_{lang}") if lang in ("zh", "en") else None
    return str(name or row.get("park_id") or "")


def _status_when(row: Mapping[str, Any], lang: str) -> str:
    """`开工 2020-04-17`, `resumed 2020-02-18`: what happened, then when."""
    said = [
        display.cell(key, row.get(key), lang)
        for key in ("status", "status_date")
        if row.get(key) is not None
    ]
    return " ".join(said)


def _investment(row: Mapping[str, Any], lang: str) -> str:
    return display.based("investment_yuan", row, lang)


def _floor_area(row: Mapping[str, Any], lang: str) -> str:
    return display.based("floor_area_m2", row, lang)


def _event_date(row: Mapping[str, Any], lang: str) -> str:
    """An event's date, or the words when the report gives no day (2018年)."""
    if row.get("date") is not None:
        return display.cell("date", row["date"], lang)
    return str(row.get("date_text") or "")


FIGURE = ("value", "unit", "qualifier", "value_text", "value_min", "value_max", "basis")
VIEWS: dict[str, list[Col]] = {
    "parks": [
        Col("park_id", 0, fixed=True),
        Col("name_zh", 1),
        Col("name_en", 2),
        Col("district_zh", 4),
        Col("district_en", 4),
        Col("kind", 3, fixed=True),
        Col("parent_park_id", 5, fixed=True),
    ],
    # Which projects broke ground, where, when, for how much: the status is often what was
    # asked for (--status started), so it yields first when the line is short.
    "projects": [  # what, how much, when (with its status), where; the id last
        Col("project_id", 6, fixed=True),
        Col("name_zh", 0),
        Col("name_en", 0),
        Col("park_id", 4, text=_park_name, sources=("park_id", "park_name_zh", "park_name_en")),
        # the status rides with its date: a resumption must not read like a ground-breaking
        Col("status_when", 2, fixed=True, text=_status_when, sources=("status", "status_date")),
        Col(
            "investment_yuan",
            1,
            fixed=True,
            right=True,
            text=_investment,
            sources=("investment_yuan", "investment_basis"),
        ),
        Col(
            "floor_area_m2",
            5,
            fixed=True,
            right=True,
            text=_floor_area,
            sources=("floor_area_m2", "floor_area_basis"),
        ),
    ],
    "indicators": [
        Col("indicator_id", 1, fixed=True),
        Col("subject_id", 5),
        Col("metric_zh", 3),
        Col("metric_en", 3),
        Col("value", 0, fixed=True, text=_figure, sources=FIGURE),
        Col("when", 2, fixed=True, text=_when, sources=("as_of", "period")),
    ],
    "companies": [
        Col("company_id", 0, fixed=True),
        Col("name_zh", 1),
        Col("name_en", 2),
        Col("park_id", 3, fixed=True),
        Col("sector", 4),
    ],
    "timeline": [
        Col("date", 0, fixed=True, text=_event_date, sources=("date", "date_text")),
        Col("park_id", 3, fixed=True),
        Col("title_zh", 1),
        Col("title_en", 2),
        Col("event_id", 4, fixed=True),
    ],
    "search": [
        Col("table", 2, fixed=True),
        Col("id", 0, fixed=True),
        Col("name_zh", 1),
        Col("name_en", 3),
        Col("matched_in", 4, fixed=True),
    ],
    "programs": [
        Col("program_id", 0, fixed=True),
        Col("name_zh", 1),
        Col("name_en", 2),
        Col("kind", 3, fixed=True),
        Col("park_id", 4, fixed=True),
        Col("launch_date", 5, fixed=True),
    ],
    "products": [
        Col("product_id", 0, fixed=True),
        Col("name_zh", 1),
        Col("name_en", 2),
        Col("kind", 3, fixed=True),
        Col("company_id", 4, fixed=True),
    ],
}


def label(key: str, lang: Lang | str) -> str:
    return LABELS_ZH.get(key, key) if str(lang) == "zh" else key


def layout(command: str, lang: Lang, of_columns: int) -> Layout:
    """The terminal view of a command, for a reader of `lang`."""
    shown = [
        Show(
            key=col.key,
            label=label(col.key, lang),
            text=col.text or plain_cell(col.key),
            right=col.right,
            fixed=col.fixed,
            priority=col.priority,
        )
        for col in VIEWS[command]
        if in_lang(col.key, lang)
    ]
    return Layout(shown, of_columns)


def sources(command: str, lang: Lang) -> list[str]:
    """The columns the command's terminal view reads, for its SQL."""
    needed: list[str] = []
    for col in VIEWS[command]:
        if in_lang(col.key, lang):
            for name in col.sources or (col.key,):
                if name not in needed:
                    needed.append(name)
    return needed


def related(columns: Sequence[str], types: Sequence[str], lang: Lang) -> Layout:
    """A card's related rows: their own columns, headed for the reader."""
    from zgc_cli.terminal import layout_of

    own = layout_of(columns, types)
    # Figures read as figures (unit, hedge, bounds, basis in one cell), as `indicators` shows
    # them: a bare 97 would drop the 近 and the %.
    figure = "value" in columns and "unit" in columns
    shown = [
        Show(
            s.key,
            label(s.key, lang),
            _figure if figure and s.key == "value" else s.text,
            s.right,
            s.fixed,
            1 if figure and s.key == "value" else s.priority + 1,  # the figure after the id
        )
        for s in own.columns
        if in_lang(s.key, lang) and not (figure and s.key in FIGURE and s.key != "value")
    ]
    return Layout(shown, own.of_columns)
