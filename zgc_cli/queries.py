"""Named SQL for the canned commands, and the resolvers that turn what a person types
(`顺义`, `Shunyi`, `开工`) into the ids and vocabulary the snapshot uses.

Values are always bound as parameters; the only identifiers formatted into SQL are column
names checked against a fixed list first.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from zgc_cli.db.statement import named
from zgc_cli.dictionary import STATUSES, TABLES, UNITS
from zgc_cli.errors import UsageError

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database


class Status(StrEnum):
    started = "started"
    resumed = "resumed"
    under_construction = "under_construction"
    completed = "completed"
    planned = "planned"


class Sort(StrEnum):
    """How `zgc chart` orders its bars."""

    value = "value"
    name = "name"


class Lang(StrEnum):
    zh = "zh"
    en = "en"
    both = "both"


@dataclass
class Query:
    """A named command's SQL: an inner SELECT of all it can show, default columns, params."""

    inner: str
    default_columns: list[str]
    params: dict[str, Any] = field(default_factory=dict)
    order_by: str = ""

    def sql(self, columns: Sequence[str]) -> str:
        select = ", ".join(f'"{c}"' for c in columns)
        order = f" ORDER BY {self.order_by}" if self.order_by else ""
        return f"SELECT {select} FROM ({self.inner}) AS q{order}"


def did_you_mean(value: str, choices: Sequence[str]) -> str:
    match = difflib.get_close_matches(
        value.casefold(), [c.casefold() for c in choices], n=1, cutoff=0.5
    )
    if not match:
        return ""
    original = next(c for c in choices if c.casefold() == match[0])
    return f"; did you mean {original!r}?"


def unknown(
    kind: str, value: str, choices: Sequence[str], labels: Sequence[str] | None = None
) -> UsageError:
    """Exit 2 with the closest choice and all of them (`labels` shown instead, if given)."""
    shown = ", ".join(labels or choices)
    return UsageError(
        f"unknown {kind} {value!r}{did_you_mean(value, choices)} (choose from: {shown})"
    )


# --- resolvers ------------------------------------------------------------------------------


def resolve_statuses(texts: Sequence[str]) -> list[Status]:
    """Repeated --status options, each possibly a comma list: `started,开工`."""
    return [resolve_status(part) for text in texts for part in text.split(",") if part.strip()]


def resolve_status(text: str) -> Status:
    """`started`, `Started`, `开工`, `under construction`, `在建` -> Status."""
    wanted = text.strip().casefold().replace(" ", "_").replace("-", "_")
    for name, words in STATUSES.items():
        if wanted == name or text.strip() in {
            w.strip() for w in words.replace("/", ",").split(",")
        }:
            return Status(name)
    raise unknown(
        "status", text, list(STATUSES), [f"{name} ({words})" for name, words in STATUSES.items()]
    )


def _park_keys(row: dict[str, Any]) -> set[str]:
    names = [
        row["park_id"],
        row["name_zh"],
        row["name_en"],
        *(a for a in (row["aliases"] or "").split(";") if a.strip()),
    ]
    keys: set[str] = set()
    for name in names:
        key = name.strip().casefold()
        keys.add(key)
        for prefix in ("中关村", "zhongguancun "):
            if key.startswith(prefix) and len(key) > len(prefix):
                keys.add(key.removeprefix(prefix))
        for suffix in ("园", " park", " sub-park", "科学城"):
            for k in list(keys):
                if k.endswith(suffix) and len(k) > len(suffix):
                    keys.add(k.removesuffix(suffix).strip())
    return keys


def park_table(db: Database) -> list[dict[str, Any]]:
    result = db.run(named("SELECT park_id, name_zh, name_en, aliases FROM parks"))
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows()]


def resolve_park(db: Database, text: str) -> str:
    """A park by slug, Chinese or English name or alias, any case -> park_id."""
    wanted = text.strip().casefold()
    # An exact id is looked up in DuckDB: a large snapshot's parks never come into Python.
    exact = db.run(
        named("SELECT park_id FROM parks WHERE lower(park_id) = $wanted LIMIT 1"),
        {"wanted": wanted},
    ).fetch(1)
    if exact:
        return str(exact[0][0])
    parks = park_table(db)
    keys = {str(row["park_id"]): _park_keys(row) for row in parks}
    for park_id, names in keys.items():
        if wanted in names:
            return park_id
    # A unique beginning is enough: 大兴 -> 大兴生物医药产业基地, daxing -> daxing-biomed.
    starting = [pid for pid, names in keys.items() if any(n.startswith(wanted) for n in names)]
    if len(wanted) >= 2 and len(starting) == 1:
        return starting[0]
    raise unknown(
        "park",
        text,
        [str(r["park_id"]) for r in parks],
        [f"{r['park_id']} ({r['name_zh']})" for r in parks],
    )


def resolve_unit(text: str) -> str:
    if text in UNITS:
        return text
    for unit, zh in UNITS.items():
        if text.strip() and text.strip() in zh.split("/"):
            return unit
    raise unknown("unit", text, list(UNITS))


def date_range(
    since: dt.date | None, until: dt.date | None
) -> tuple[dt.date | None, dt.date | None]:
    if since is not None and until is not None and since > until:
        raise UsageError(f"--since {since} is after --until {until}; swap them")
    return since, until


def parse_date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{option}: {text!r} is not a date; use YYYY-MM-DD, e.g. 2020-03-01"
        ) from None


def column_names(text: str) -> list[str]:
    """--columns a,b,c as names, in the order given."""
    return [c.strip() for c in text.split(",") if c.strip()]


def require_columns(chosen: Sequence[str], available: Sequence[str]) -> None:
    """Every chosen column must exist (exit 2 with the closest one, and all of them)."""
    for name in chosen:
        if name not in available:
            raise unknown("column", name, list(available))


def pick_columns(
    query: Query, available: Sequence[str], columns: str | None, lang: Lang
) -> list[str]:
    """--columns a,b,c (checked against what the command can show), else the defaults by lang."""
    if columns:
        chosen = column_names(columns)
        require_columns(chosen, available)
        return chosen
    return [c for c in query.default_columns if in_lang(c, lang)]


def in_lang(column: str, lang: Lang) -> bool:
    if lang is Lang.zh:
        return not column.endswith("_en")
    if lang is Lang.en:
        return not column.endswith("_zh")
    return True


def view_columns(table: str) -> list[str]:
    return [c.name for c in TABLES[table].columns]


# A park filter takes the park and the bases inside it (the semiconductor plant is in
# Shunyi's Beijing Automobile Production Base).
_IN_PARK = "(SELECT park_id FROM parks WHERE park_id = $park OR parent_park_id = $park)"

# --- the named queries ----------------------------------------------------------------------


def parks_query(district: str | None) -> Query:
    return Query(
        inner="SELECT * FROM parks WHERE $district IS NULL "
        "OR district_zh ILIKE '%' || $district || '%' OR district_en ILIKE '%' || $district || '%'",
        default_columns=[
            "park_id",
            "name_zh",
            "name_en",
            "district_zh",
            "district_en",
            "kind",
            "parent_park_id",
            "aliases",
        ],
        params={"district": district},
    )


PROJECT_COLUMNS = [*view_columns("projects"), "park_name_zh", "park_name_en"]


def projects_query(
    statuses: Sequence[Status],
    park_id: str | None,
    since: dt.date | None,
    until: dt.date | None,
    sort: str | None,
    descending: bool,
) -> Query:
    if sort is not None and sort not in PROJECT_COLUMNS:
        raise unknown("sort field", sort, PROJECT_COLUMNS)
    direction = "DESC" if descending else "ASC"
    order = f'"{sort or "status_date"}" {direction} NULLS LAST, project_id'
    return Query(
        inner="SELECT p.*, k.name_zh AS park_name_zh, k.name_en AS park_name_en "
        "FROM projects p LEFT JOIN parks k USING (park_id) "
        "WHERE (len($statuses) = 0 OR list_contains($statuses, p.status)) "
        f"AND ($park IS NULL OR p.park_id IN {_IN_PARK}) "
        "AND ($since IS NULL OR p.status_date >= $since) "
        "AND ($until IS NULL OR p.status_date <= $until)",
        default_columns=[
            "project_id",
            "name_zh",
            "name_en",
            "park_id",
            "status",
            "status_date",
            "investment_yuan",
            "floor_area_m2",
            "quote",
        ],
        params={
            "statuses": [s.value for s in statuses],
            "park": park_id,
            "since": since,
            "until": until,
        },
        order_by=order,
    )


def indicators_query(
    park_id: str | None,
    subject: str | None,
    metric: str | None,
    unit: str | None,
    period: str | None,
    *,
    exact_metric: bool = False,
) -> Query:
    # A figure's park comes with it (indicators.park_id, through its subject: a project's, a
    # company's, a programme's or a product's park); a park includes its bases.
    return Query(
        inner="SELECT i.* FROM indicators i "
        f"WHERE ($park IS NULL OR i.park_id IN {_IN_PARK}) "
        "AND ($subject IS NULL OR i.subject_type = lower($subject) "
        "  OR i.subject_id ILIKE '%' || $subject || '%') "
        f"AND ($metric IS NULL OR {metric_match('metric', exact_metric)}) "
        "AND ($unit IS NULL OR i.unit = $unit) "
        "AND ($period IS NULL OR i.period = $period)",
        default_columns=[
            "indicator_id",
            "subject_type",
            "subject_id",
            "metric_zh",
            "metric_en",
            "value",
            "unit",
            "qualifier",
            "value_text",
            "as_of",
            "period",
            "yoy_pct",
            "quote",
        ],
        params={
            "park": park_id,
            "subject": subject,
            "metric": metric,
            **metric_params("metric", metric, exact_metric),
            "unit": unit,
            "period": period,
        },
    )


def metric_match(name: str, exact: bool) -> str:
    """SQL matching indicators `i` against the pattern bound as $name (see metric_params):
    an exact metric name matches only itself (investment, not rd_investment); other text
    matches metric names and labels as a substring or a glob."""
    if exact:
        return f"i.metric = ${name}"
    like = f"${name}_like"
    return (
        f"(i.metric ILIKE {like} ESCAPE '\\' OR i.metric_zh ILIKE {like} ESCAPE '\\' "
        f"OR i.metric_en ILIKE {like} ESCAPE '\\')"
    )


def exact_metrics(db: Database, patterns: Sequence[str]) -> set[str]:
    """Which patterns are metric names. Asked once, outside the main query: as a subquery in
    its WHERE clause it joined every row against every metric (out of memory at 10M rows)."""
    if not patterns:
        return set()
    found = db.run(
        named("SELECT DISTINCT metric FROM indicators WHERE list_contains($names, metric)"),
        {"names": list(patterns)},
    ).rows()
    return {str(row[0]) for row in found}


def metric_params(name: str, pattern: str | None, exact: bool) -> dict[str, str | None]:
    """The parameters metric_match(name, exact) binds (DuckDB refuses unused ones)."""
    return {name: pattern} if exact else {f"{name}_like": _like(pattern)}


def _like(pattern: str | None) -> str | None:
    """A glob (`*resumption*`) or plain text (substring) as an ILIKE pattern."""
    if pattern is None:
        return None
    escaped = pattern.replace("%", r"\%").replace("_", r"\_")
    if "*" in pattern or "?" in pattern:
        return escaped.replace("*", "%").replace("?", "_")
    return f"%{escaped}%"


def companies_query(park_id: str | None) -> Query:
    return Query(
        inner=f"SELECT * FROM companies WHERE $park IS NULL OR park_id IN {_IN_PARK}",
        default_columns=["company_id", "name_zh", "name_en", "park_id", "sector", "quote"],
        params={"park": park_id},
    )


# When an event happened, for ordering and --since/--until: its date, else the first day of the
# year its words give (2018年: the 2018 "16 measures" come before 2020), else unknown (last).
EVENT_TIME = (
    "coalesce(\"date\", make_date(TRY_CAST(nullif(regexp_extract(date_text, '(\\d{4})年', 1), '')"
    " AS INTEGER), 1, 1))"
)


def timeline_query(since: dt.date | None, until: dt.date | None) -> Query:
    return Query(
        inner=f"SELECT * FROM events WHERE ($since IS NULL OR {EVENT_TIME} >= $since) "
        f"AND ($until IS NULL OR {EVENT_TIME} <= $until)",
        default_columns=[
            "date",
            "date_text",
            "event_id",
            "park_id",
            "title_zh",
            "title_en",
            "quote",
        ],
        params={"since": since, "until": until},
        order_by=f"{EVENT_TIME} NULLS LAST, event_id",
    )


# --- show and search ------------------------------------------------------------------------

KEYS = {name: table.key for name, table in TABLES.items()}


def table_counts(db: Database) -> dict[str, int]:
    """Rows per view, counted from the snapshot's `table` column."""
    result = db.run(named('SELECT "table", count(*) FROM _snapshot GROUP BY 1'))
    return {str(name): int(count) for name, count in result.rows()}


def find_record(db: Database, record_id: str) -> tuple[str, dict[str, Any]] | None:
    for table, key in KEYS.items():
        result = db.run(named(f'SELECT * FROM {table} WHERE "{key}" = $id'), {"id": record_id})
        rows = result.fetch(1)
        if rows:
            return table, dict(zip(result.columns, rows[0], strict=True))
    return None


def all_ids(db: Database) -> list[str]:
    parts = " UNION ALL ".join(f'SELECT "{key}" AS id FROM {table}' for table, key in KEYS.items())
    return [str(row[0]) for row in db.run(named(parts)).rows()]


RELATED: dict[str, list[tuple[str, str]]] = {
    # table of the record -> (label, SQL selecting related rows by $id)
    "parks": [
        (
            "projects",
            "SELECT project_id, name_zh, name_en, status, status_date, investment_yuan "
            "FROM projects WHERE park_id = $id ORDER BY status_date NULLS LAST",
        ),
        (
            "indicators",
            "SELECT indicator_id, metric_en, value, unit, qualifier, value_text "
            "FROM indicators WHERE park_id = $id",
        ),
        (
            "companies",
            "SELECT company_id, name_zh, name_en, sector FROM companies WHERE park_id = $id",
        ),
        ("bases", "SELECT park_id, name_zh, name_en FROM parks WHERE parent_park_id = $id"),
    ],
    "projects": [
        (
            "events",
            'SELECT event_id, "date", date_text, title_zh, title_en FROM events '
            'WHERE project_id = $id ORDER BY "date"',
        ),
        (
            "indicators",
            "SELECT indicator_id, metric_en, value, unit, qualifier, value_text "
            "FROM indicators WHERE subject_type = 'project' AND subject_id = $id",
        ),
    ],
    "companies": [
        (
            "events",
            'SELECT event_id, "date", date_text, title_zh, title_en FROM events '
            'WHERE company_id = $id ORDER BY "date"',
        ),
        (
            "indicators",
            "SELECT indicator_id, metric_en, value, unit, qualifier, value_text "
            "FROM indicators WHERE subject_type = 'company' AND subject_id = $id",
        ),
    ],
}


def _fields(*pairs: tuple[str, str]) -> str:
    return "[" + ", ".join(f"{{'k': '{kind}', 'v': {column}}}" for kind, column in pairs) + "]"


# Rank: 1 a name or alias, 2 a metric or title, 3 a summary, 4 only the quote.
SEARCH_SQL = f"""
WITH fields AS (
    SELECT 'parks' AS "table", park_id AS id, name_zh, name_en, quote,
           {
    _fields(("name", "name_zh"), ("name", "name_en"), ("name", "park_id"), ("name", "aliases"))
} AS f
    FROM parks
    UNION ALL
    SELECT 'projects', project_id, name_zh, name_en, quote,
           {
    _fields(
        ("name", "name_zh"),
        ("name", "name_en"),
        ("name", "project_id"),
        ("summary", "summary_zh"),
        ("summary", "summary_en"),
    )
}
    FROM projects
    UNION ALL
    SELECT 'companies', company_id, name_zh, name_en, quote,
           {_fields(("name", "name_zh"), ("name", "name_en"), ("name", "company_id"))}
    FROM companies
    UNION ALL
    SELECT 'indicators', indicator_id, metric_zh, metric_en, quote,
           {
    _fields(
        ("metric", "metric"),
        ("metric", "metric_zh"),
        ("metric", "metric_en"),
        ("metric", "value_text"),
    )
}
    FROM indicators
    UNION ALL
    SELECT 'events', event_id, title_zh, title_en, quote,
           {_fields(("title", "title_zh"), ("title", "title_en"), ("title", "date_text"))}
    FROM events
),
ranked AS (
    SELECT "table", id, name_zh, name_en, quote,
           coalesce(min(CASE WHEN contains(lower(x.v), lower($text)) THEN
               CASE x.k WHEN 'name' THEN 1 WHEN 'metric' THEN 2 WHEN 'title' THEN 2 ELSE 3 END
           END), CASE WHEN contains(lower(quote), lower($text)) THEN 4 END) AS rank
    FROM fields, unnest(f) AS u(x)
    GROUP BY "table", id, name_zh, name_en, quote
)
SELECT rank,
       CASE rank WHEN 1 THEN 'name' WHEN 2 THEN 'metric/title' WHEN 3 THEN 'summary'
            ELSE 'quote' END AS matched_in,
       "table", id, name_zh, name_en, quote
FROM ranked
WHERE rank IS NOT NULL
ORDER BY rank, "table", id
"""
SEARCH_COLUMNS = ["rank", "matched_in", "table", "id", "name_zh", "name_en", "quote"]


# --- charts -----------------------------------------------------------------------------------

FIGURES_SQL = """
SELECT i.indicator_id, i.metric, i.metric_zh, i.metric_en, i.value, i.unit, i.qualifier,
       i.value_text, i.quote,
       coalesce(s.name_zh, nullif(i.subject_id, ''), '(unnamed ' || i.subject_type || ')')
           AS subject_zh,
       coalesce(s.name_en, nullif(i.subject_id, ''), '(unnamed ' || i.subject_type || ')')
           AS subject_en,
       i.park_id IN (
           SELECT park_id FROM parks
           WHERE list_contains($parks, park_id) OR list_contains($parks, parent_park_id)
       ) AS in_parks,
       [{matched}] AS matched
FROM indicators i
LEFT JOIN _subjects s USING (subject_type, subject_id)
WHERE {any_matched}
ORDER BY i.indicator_id
"""


def figures_sql(patterns: Sequence[str], exact: Collection[str] = ()) -> tuple[str, dict[str, Any]]:
    """zgc chart's SQL and parameters: indicators whose metric name or label matches a pattern
    (`exact`: the patterns that are metric names, which match only themselves), with their
    subjects' names (the _subjects view) and whether they lie in the parks $parks."""
    clauses = [metric_match(f"m{n}", p in exact) for n, p in enumerate(patterns)]
    params: dict[str, Any] = {}
    for n, pattern in enumerate(patterns):
        params.update(metric_params(f"m{n}", pattern, pattern in exact))
    sql = FIGURES_SQL.format(matched=", ".join(clauses), any_matched=" OR ".join(clauses))
    return sql, params


EVENTS_SQL = f"""
SELECT e.event_id, e."date", e.date_text, {EVENT_TIME} AS "when", e.park_id, e.title_zh,
       e.title_en, k.name_zh AS park_zh, k.name_en AS park_en
FROM events e LEFT JOIN parks k USING (park_id)
WHERE ($since IS NULL OR {EVENT_TIME} >= $since) AND ($until IS NULL OR {EVENT_TIME} <= $until)
ORDER BY {EVENT_TIME} NULLS LAST, e.event_id
"""
