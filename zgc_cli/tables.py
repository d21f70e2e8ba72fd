"""The snapshot's tables and columns as data: type, meaning, unit, required, derived.

The bulk of the data dictionary (dictionary.py re-exports it, and holds the vocabularies,
keys and rules); plain data, no imports beyond the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass


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
        Column(
            "note",
            "VARCHAR",
            "why a row is inferred, or a gap in the report it works around (in English)",
        ),
        Column("note_zh", "VARCHAR", "the note in Chinese; required with a note"),
    )


# The tables whose rows quote the report, in the snapshot's order.
CITED: tuple[Table, ...] = (
    Table(
        "parks",
        "The Zhongguancun zone, and its sub-parks and bases named in the report",
        (
            Column("park_id", "VARCHAR", "ascii slug", required=True),
            Column("name_zh", "VARCHAR", "name in Chinese, as the report gives it", required=True),
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
                "the company whose project it is, its owner or developer (companies.company_id)",
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
                "zgc for the zone, else the id of the park, company, project, program or product",
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
                "value_text_en",
                "VARCHAR",
                "the words of a fact without a number, in English (grew against the trend); "
                "required without a value, empty with one",
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
            Column("program_id", "VARCHAR", "the programme (programs.program_id)", required=True),
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
            Column("name_zh", "VARCHAR", "name in Chinese, as the report gives it", required=True),
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
)
