"""The data dictionary: every table and column of the snapshot, with type, meaning and unit.

One source of truth for the build (types, required columns), `zgc schema` and docs/data.md
(a test keeps the three in step); the cited tables' columns are in tables.py. Plain data.
"""

from __future__ import annotations

from collections.abc import Sequence

from zgc_cli.tables import (
    CITED,
    Column as Column,  # re-exported: the dictionary is the one door
    Table as Table,
)

SCHEMA_VERSION = 4
SOURCE_ID = "zgc-2020"

# The hedges a value may carry, and the words of the report that give each.
QUALIFIERS: dict[str, str] = {
    "exact": "",
    "approx": "约",
    "nearly": "近",
    "over": "超过, 超",
    "more_than": "余, 多",
    "order_of_magnitude": "千亿元级, 数十, 两位数",
}


STATUSES: dict[str, str] = {
    "started": "开工",
    "resumed": "复工",
    "under_construction": "在建, 推动建设",
    "completed": "建成, 下线/交付",
    "planned": "规划, 预计",
}
SUBJECT_TYPES = ("zone", "park", "company", "project", "program", "product")
# subject_type -> the table its subject_id names (zone: the id is always `zgc`)
SUBJECT_TABLES: dict[str, str] = {
    "park": "parks",
    "project": "projects",
    "company": "companies",
    "program": "programs",
    "product": "products",
}
PARK_KINDS = ("zone", "park", "base")
UNITS: dict[str, str] = {
    "yuan": "元",
    "m2": "平方米",
    "percent": "%",
    "count": "个",
    "people": "人",
    "days": "天",
    "months": "月",
    "years": "年",
    "times": "倍",
    "bags": "袋",
    "tablets": "片",
    "vials": "支",
    "masks": "只",
    "sessions": "期",
    "policies": "条",
    "enterprises": "家",
    "institutions": "家",
    "projects": "个/项",
    "patents": "件/项",
    "hospitals": "家",
    "cases": "例",
    "places": "个",
    "jobs": "个",
    "resumes": "份",
    "products": "家",
    "teams": "个",
}

# basis (indicators) -> the words of the quote, before the figure, that give it
BASES: dict[str, tuple[str, ...]] = {
    "reported": (),
    "planned": ("将达", "计划", "规划"),
    "forecast": ("预计",),
}
PROGRAM_KINDS: dict[str, str] = {
    "loan": "贷, 贷款 (a loan programme or list)",
    "fund": "资金 (a grant fund enterprises apply to)",
    "policy": "…条, 支持政策 (policy measures known by a count or short name)",
    "policy_document": "《…》 (a policy document the report names by its title)",
    "service": "服务包, 服务模式 (a service offered to enterprises)",
    "event_series": "系列活动, 线上活动 (events held in numbered sessions)",
    "job_fair": "招聘活动 (a recruitment campaign)",
    "campaign": "a drive of several steps (screening, release and roadshows of patents)",
    "award": "奖励资金 (award money paid to enterprises)",
    "strategy": "体系, 统筹, 联动 (a way of organising parks, industries or partners)",
}
PRODUCT_KINDS: dict[str, str] = {
    "machine": "机 (a machine)",
    "system": "系统, 解决方案 (a hardware/software system)",
    "collaboration_tool": "协同办公技术产品 (collaborative-office technology product)",
    "medicine": "颗粒, 片, 注射液 (a medicine)",
    "robot": "机器人 (a robot, named by what it does)",
}
PARTICIPANT_ROLES: dict[str, str] = {
    "financial_partner": "联合…金融机构: launched the loan with its issuer "
    "(the report does not say which lend and which guarantee)",
    "organiser": "举办: holds the events",
    "project_source": "来自…的项目: its projects were presented",
    "award_recipient": "收到…奖励资金: received the award money",
    "strategic_partner": "对接…行业龙头企业和战略合作伙伴: a partner the park works with",
    "financing_body": "向…提出融资申请: enterprises applied to it for financing",
}
# basis of a project's money and areas (projects.*_basis): the indicator's basis
PROJECT_BASES = ("reported", "planned")


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        *CITED,
        Table(
            "sources",
            "The report the dataset cites (not redistributed)",
            (
                Column("source_id", "VARCHAR", "id cited by every row", required=True),
                Column("title_zh", "VARCHAR", "headline in Chinese", required=True),
                Column("title_en", "VARCHAR", "headline in English", required=True),
                Column("byline", "VARCHAR", "author as printed", required=True),
                Column("sha256", "VARCHAR", "SHA-256 of the report's UTF-8 bytes", required=True),
                Column("characters", "BIGINT", "length of the report", "characters", required=True),
            ),
        ),
        Table(
            "clauses",
            "The coverage ledger: the report's clauses as character spans, in order, each with "
            "the rows that represent it or why none does (spans only, never the text)",
            (
                Column(
                    "clause_id", "VARCHAR", "ascii slug, numbered in report order", required=True
                ),
                Column(
                    "start",
                    "BIGINT",
                    "offset of the clause's first character in the report (inclusive)",
                    "characters",
                    required=True,
                ),
                Column(
                    "end",
                    "BIGINT",
                    "offset just after its last character (exclusive)",
                    "characters",
                    required=True,
                ),
                Column(
                    "rows",
                    "VARCHAR",
                    "ids of the rows that represent the clause, separated by ;",
                ),
                Column(
                    "reason",
                    "VARCHAR",
                    "why no row represents the clause (rhetoric, a heading, a caption); "
                    "empty where rows are given",
                ),
                Column(
                    "source_id",
                    "VARCHAR",
                    "the report the spans are of (sources.source_id)",
                    required=True,
                ),
            ),
        ),
    )
}

# Closed vocabularies: (table, column) -> the values allowed.
VOCABULARIES: dict[tuple[str, str], Sequence[str]] = {
    ("parks", "kind"): PARK_KINDS,
    ("projects", "status"): tuple(STATUSES),
    ("indicators", "subject_type"): SUBJECT_TYPES,
    ("indicators", "unit"): tuple(UNITS),
    ("indicators", "qualifier"): tuple(QUALIFIERS),
    ("indicators", "basis"): tuple(BASES),
    ("programs", "kind"): tuple(PROGRAM_KINDS),
    ("participants", "role"): tuple(PARTICIPANT_ROLES),
    ("products", "kind"): tuple(PRODUCT_KINDS),
    ("projects", "investment_basis"): PROJECT_BASES,
    ("projects", "land_area_basis"): PROJECT_BASES,
    ("projects", "floor_area_basis"): PROJECT_BASES,
}

# Foreign keys: (table, column) -> referenced table.
FOREIGN_KEYS: dict[tuple[str, str], str] = {
    ("parks", "parent_park_id"): "parks",
    ("projects", "park_id"): "parks",
    ("projects", "parent_project_id"): "projects",
    ("projects", "owner_id"): "companies",
    ("projects", "promoter_id"): "companies",
    ("companies", "park_id"): "parks",
    ("events", "park_id"): "parks",
    ("events", "project_id"): "projects",
    ("events", "company_id"): "companies",
    ("events", "program_id"): "programs",
    ("indicators", "park_id"): "parks",
    ("programs", "issuer_id"): "companies",
    ("programs", "park_id"): "parks",
    ("programs", "upgrades_program_id"): "programs",
    ("participants", "program_id"): "programs",
    ("participants", "company_id"): "companies",
    ("products", "company_id"): "companies",
}


def cited_tables() -> list[Table]:
    """The tables whose rows quote the report (all but sources and the ledger)."""
    return [t for t in TABLES.values() if any(c.name == "quote" for c in t.columns)]


def curated_columns(table: Table) -> list[Column]:
    """The columns of a table's CSV: all but the derived ones."""
    return [c for c in table.columns if not c.derived]


def snapshot_columns() -> dict[str, str]:
    """Union of all tables' columns (name -> type), in first-seen order, after `table`."""
    columns: dict[str, str] = {"table": "VARCHAR"}
    for table in TABLES.values():
        for column in table.columns:
            known = columns.setdefault(column.name, column.type)
            if known != column.type:  # pragma: no cover - guarded by a test
                raise AssertionError(f"column {column.name} typed both {known} and {column.type}")
    return columns


def column_unit(name: str) -> str:
    """The unit the data dictionary gives a column of that name ("" for none)."""
    return _UNITS_BY_COLUMN.get(name, "")


_UNITS_BY_COLUMN: dict[str, str] = {}
for _table in TABLES.values():
    for _column in _table.columns:
        _UNITS_BY_COLUMN.setdefault(_column.name, _column.unit)
