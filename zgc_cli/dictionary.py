"""The data dictionary: every table and column of the snapshot, with type, meaning and unit.

One source of truth for the build (types, required columns), `zgc schema` and docs/data.md
(a test keeps the three in step). Plain data, no imports beyond the standard library.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SCHEMA_VERSION = 3
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


@dataclass(slots=True)  # not frozen: frozen fields cost 0.4 ms of every start-up to set
class Column:
    name: str
    type: str  # DuckDB type: VARCHAR, DOUBLE, DATE, BOOLEAN, BIGINT
    meaning: str
    unit: str = ""
    required: bool = False  # must be non-empty in every row
    derived: bool = False  # computed by `zgc build` (stored in the snapshot), never curated


@dataclass(slots=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def key(self) -> str:
        return self.columns[0].name

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _provenance() -> tuple[Column, ...]:
    return (
        Column(
            "source_id",
            "VARCHAR",
            "the report the row comes from (sources.source_id)",
            required=True,
        ),
        Column(
            "quote",
            "VARCHAR",
            "exact words of the report that state the row (one clause)",
            required=True,
        ),
        Column(
            "quote_start",
            "BIGINT",
            "character offset of the quote in the report",
            "characters",
            required=True,
        ),
        Column(
            "inferred",
            "BOOLEAN",
            "true where the row supplies what its quote does not say: a year, a figure for "
            "vague words, or a fact read from context (see the inferred rule)",
            required=True,
        ),
        Column("note", "VARCHAR", "why a row is inferred, or a gap in the report it works around"),
    )


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
        Table(
            "parks",
            "The Zhongguancun zone, and its sub-parks and bases named in the report",
            (
                Column("park_id", "VARCHAR", "ascii slug", required=True),
                Column(
                    "name_zh", "VARCHAR", "name in Chinese, as the report gives it", required=True
                ),
                Column("name_en", "VARCHAR", "name in English", required=True),
                Column("aliases", "VARCHAR", "other names the report uses, separated by ;"),
                Column("district_zh", "VARCHAR", "Beijing district, in Chinese"),
                Column("district_en", "VARCHAR", "Beijing district, in English"),
                Column("kind", "VARCHAR", "zone | park | base", required=True),
                Column("parent_park_id", "VARCHAR", "park a base lies in (parks.park_id)"),
                *_provenance(),
            ),
        ),
        Table(
            "projects",
            "Construction projects and their status (started, resumed, ...)",
            (
                Column("project_id", "VARCHAR", "ascii slug", required=True),
                Column("name_zh", "VARCHAR", "name in Chinese", required=True),
                Column("name_en", "VARCHAR", "name in English", required=True),
                Column("park_id", "VARCHAR", "park the project is in (parks.park_id)"),
                Column(
                    "parent_project_id",
                    "VARCHAR",
                    "the project this one is a phase of (projects.project_id)",
                ),
                Column(
                    "status",
                    "VARCHAR",
                    "started | resumed | under_construction | completed | planned; "
                    "empty where the report gives none",
                ),
                Column("status_date", "DATE", "date the status was reached"),
                Column("status_date_text", "VARCHAR", "that date as written (4月17日)"),
                Column("investment_yuan", "DOUBLE", "total investment", "yuan"),
                Column(
                    "investment_basis",
                    "VARCHAR",
                    "reported | planned: the basis of investment_yuan (将达: planned)",
                ),
                Column("land_area_m2", "DOUBLE", "planned land area", "m2"),
                Column(
                    "land_area_basis",
                    "VARCHAR",
                    "reported | planned: the basis of land_area_m2 (规划: planned)",
                ),
                Column("floor_area_m2", "DOUBLE", "floor (building) area", "m2"),
                Column(
                    "floor_area_basis",
                    "VARCHAR",
                    "reported | planned: the basis of floor_area_m2",
                ),
                Column("builder_zh", "VARCHAR", "who builds it, in Chinese"),
                Column("builder_en", "VARCHAR", "who builds it, in English"),
                Column(
                    "owner_id",
                    "VARCHAR",
                    "the company whose project it is, its owner or developer "
                    "(companies.company_id)",
                ),
                Column(
                    "promoter_id",
                    "VARCHAR",
                    "the body the report says pushes it forward, 推动 (companies.company_id)",
                ),
                Column("summary_zh", "VARCHAR", "what the project is, in Chinese"),
                Column("summary_en", "VARCHAR", "what the project is, in English"),
                *_provenance(),
            ),
        ),
        Table(
            "indicators",
            "Every figure of the report, in base units with the words kept",
            (
                Column("indicator_id", "VARCHAR", "ascii slug", required=True),
                Column(
                    "subject_type",
                    "VARCHAR",
                    "zone | park | company | project | program | product",
                    required=True,
                ),
                Column(
                    "subject_id",
                    "VARCHAR",
                    "zgc for the zone, else the id of the park, company, project, program "
                    "or product",
                ),
                Column(
                    "park_id",
                    "VARCHAR",
                    "park the figure belongs to, through its subject (parks.park_id); "
                    "derived by the build, never curated",
                    derived=True,
                ),
                Column("metric", "VARCHAR", "what is measured, snake_case", required=True),
                Column(
                    "segment",
                    "VARCHAR",
                    "the population counted, snake_case, where figures share subject, metric "
                    "and date (operating_enterprises, above_scale_industrial_enterprises)",
                ),
                Column("metric_zh", "VARCHAR", "the measure's label in Chinese", required=True),
                Column("metric_en", "VARCHAR", "the measure's label in English", required=True),
                Column(
                    "value",
                    "DOUBLE",
                    "the figure in base units (yuan, m2, percent as 97.9); empty for a fact "
                    "the report states without a number (逆势增长)",
                    "see unit",
                ),
                Column(
                    "unit",
                    "VARCHAR",
                    "unit of value (see the units vocabulary); required with a value",
                ),
                Column(
                    "qualifier",
                    "VARCHAR",
                    "exact | approx | nearly | over | more_than | order_of_magnitude; "
                    "required with a value, empty without one",
                ),
                Column(
                    "value_text",
                    "VARCHAR",
                    "the figure exactly as written (近97%), or the words of a fact without a "
                    "number (逆势增长)",
                    required=True,
                ),
                Column(
                    "value_min",
                    "DOUBLE",
                    "lowest value the words allow; empty when they give no floor",
                    "see unit",
                ),
                Column(
                    "value_max",
                    "DOUBLE",
                    "highest value the words allow; empty when they give no ceiling",
                    "see unit",
                ),
                Column(
                    "basis",
                    "VARCHAR",
                    "reported | planned | forecast (将达/计划/规划, 预计 before the figure)",
                    required=True,
                ),
                Column("as_of", "DATE", "date the figure holds at (截至…)"),
                Column("as_of_text", "VARCHAR", "that date as written (5月底)"),
                Column("period", "VARCHAR", "period covered: 2020-Q1, 2020-01/2020-02, daily, ..."),
                Column(
                    "yoy_pct",
                    "DOUBLE",
                    "change on the same period of 2019; a fall is negative",
                    "percent",
                ),
                *_provenance(),
            ),
        ),
        Table(
            "companies",
            "Companies and institutions the report names",
            (
                Column("company_id", "VARCHAR", "ascii slug", required=True),
                Column("name_zh", "VARCHAR", "name in Chinese", required=True),
                Column("name_en", "VARCHAR", "name in English", required=True),
                Column("park_id", "VARCHAR", "park the report places it in (parks.park_id)"),
                Column("sector", "VARCHAR", "industry, snake_case"),
                *_provenance(),
            ),
        ),
        Table(
            "events",
            "Dated happenings, in date order",
            (
                Column("event_id", "VARCHAR", "ascii slug", required=True),
                Column("date", "DATE", "when it happened"),
                Column(
                    "date_text", "VARCHAR", "the date as written (4月17日, 大年初二)", required=True
                ),
                Column("park_id", "VARCHAR", "park (parks.park_id)"),
                Column("project_id", "VARCHAR", "project (projects.project_id)"),
                Column("company_id", "VARCHAR", "company (companies.company_id)"),
                Column("program_id", "VARCHAR", "programme (programs.program_id)"),
                Column("title_zh", "VARCHAR", "what happened, in Chinese", required=True),
                Column("title_en", "VARCHAR", "what happened, in English", required=True),
                *_provenance(),
            ),
        ),
        Table(
            "programs",
            "Policies, programmes, funds, loans, campaigns and event series the report names",
            (
                Column("program_id", "VARCHAR", "ascii slug", required=True),
                Column(
                    "name_zh",
                    "VARCHAR",
                    "name in Chinese: the title or words the report uses for it",
                    required=True,
                ),
                Column("name_en", "VARCHAR", "name in English", required=True),
                Column("aliases", "VARCHAR", "other names the report uses, separated by ;"),
                Column(
                    "kind",
                    "VARCHAR",
                    "loan | fund | policy | policy_document | service | event_series | "
                    "job_fair | campaign | award | strategy",
                    required=True,
                ),
                Column(
                    "issuer_id",
                    "VARCHAR",
                    "the issuing body where it is a company row (companies.company_id)",
                ),
                Column(
                    "issuer_zh",
                    "VARCHAR",
                    "the body that issued, launched or runs it, as the report names it",
                ),
                Column("issuer_en", "VARCHAR", "that body, in English"),
                Column(
                    "park_id",
                    "VARCHAR",
                    "park it applies to (parks.park_id); empty where the report names none",
                ),
                Column("launch_date", "DATE", "date it was launched or issued"),
                Column("launch_date_text", "VARCHAR", "that date as written (3月18日, 2018年)"),
                Column(
                    "upgrades_program_id",
                    "VARCHAR",
                    "earlier programme this one is a new version of (programs.program_id)",
                ),
                *_provenance(),
            ),
        ),
        Table(
            "participants",
            "Companies and institutions taking part in a programme, with their role",
            (
                Column(
                    "participant_id",
                    "VARCHAR",
                    "program_id.company_id (one row per pair)",
                    required=True,
                ),
                Column(
                    "program_id", "VARCHAR", "the programme (programs.program_id)", required=True
                ),
                Column(
                    "company_id",
                    "VARCHAR",
                    "who takes part (companies.company_id)",
                    required=True,
                ),
                Column(
                    "role",
                    "VARCHAR",
                    "financial_partner | organiser | project_source | award_recipient | "
                    "strategic_partner | financing_body",
                    required=True,
                ),
                *_provenance(),
            ),
        ),
        Table(
            "products",
            "Things the report's companies made or launched",
            (
                Column("product_id", "VARCHAR", "ascii slug", required=True),
                Column(
                    "name_zh", "VARCHAR", "name in Chinese, as the report gives it", required=True
                ),
                Column("name_en", "VARCHAR", "name in English", required=True),
                Column(
                    "kind",
                    "VARCHAR",
                    "machine | system | collaboration_tool | medicine | robot",
                    required=True,
                ),
                Column(
                    "company_id",
                    "VARCHAR",
                    "maker (companies.company_id); empty where the report names none",
                ),
                *_provenance(),
            ),
        ),
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
