"""Named SQL for the canned commands, and the resolvers that turn what a person types
(`顺义`, `Shunyi`, `开工`) into the ids and vocabulary the snapshot uses.

Values are always bound as parameters; the only identifiers formatted into SQL are column
names checked against a fixed list first.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from zgc_cli.db.statement import named
from zgc_cli.dictionary import STATUSES, SUBJECT_TYPES, TABLES, UNITS
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


# Names of the whole zone: a filter on one park must not take them for a park (中关村 is
# also what 中关村科学城, Haidian's alias, leaves without its suffix).
ZONE_NAMES = frozenset(
    {
        "zgc",
        "中关村",
        "中关村示范区",
        "中关村国家自主创新示范区",
        "中关村科技园区",
        "示范区",
        "zhongguancun",
        "zhongguancun zone",
        "zhongguancun science park",
        "zhongguancun national innovation demonstration zone",
    }
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
    return keys - ZONE_NAMES


def _district_keys(row: dict[str, Any]) -> set[str]:
    """密云区, Miyun District, and the same without 区 / district."""
    keys: set[str] = set()
    for name in (row.get("district_zh"), row.get("district_en")):
        key = (name or "").strip().casefold()
        if not key:
            continue
        keys.add(key)
        for suffix in ("区", " district"):
            if key.endswith(suffix) and len(key) > len(suffix):
                keys.add(key.removesuffix(suffix).strip())
    return keys - ZONE_NAMES


def park_table(db: Database, containing: str | None = None) -> list[dict[str, Any]]:
    """The parks with their names; with `containing`, only those whose id, names, aliases or
    district hold that text (every key of _park_keys and _district_keys is part of one), so
    a large snapshot's parks stay in DuckDB."""
    result = db.run(
        named(
            "SELECT park_id, name_zh, name_en, aliases, district_zh, district_en, parent_park_id "
            "FROM parks WHERE $text IS NULL OR list_bool_or(list_transform("
            "[park_id, name_zh, name_en, aliases, district_zh, district_en], "
            "lambda n: contains(lower(n), $text)))"
        ),
        {"text": None if containing is None else containing.lower()},
    )
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows()]


def names_the_zone(text: str) -> bool:
    return " ".join(text.split()).casefold() in ZONE_NAMES


def zone_error(text: str, option: str = "--park") -> UsageError:
    return UsageError(
        f"{option} {text!r} means the whole Zhongguancun zone, not one park; omit {option} "
        "(the zone's own figures: zgc indicators --subject zone)"
    )


def find_park(db: Database, text: str, parks: list[dict[str, Any]] | None = None) -> str | None:
    """The park a name, alias or district names exactly (any case), else None.

    A district names the park in it (密云区 -> miyun); where it holds a park and its bases
    (顺义区: shunyi and beijing-auto-base) it names the park, whose filter takes the bases too.
    """
    wanted = " ".join(text.split()).casefold()
    if not wanted or wanted in ZONE_NAMES:
        return None
    # An exact id is looked up in DuckDB: a large snapshot's parks never come into Python.
    exact = db.run(
        named("SELECT park_id FROM parks WHERE lower(park_id) = $wanted LIMIT 1"),
        {"wanted": wanted},
    ).fetch(1)
    if exact:
        return str(exact[0][0])
    rows = park_table(db, wanted) if parks is None else parks
    for row in rows:
        if wanted in _park_keys(row):
            return str(row["park_id"])
    in_district = {str(r["park_id"]): r for r in rows if wanted in _district_keys(r)}
    top = sorted(pid for pid, r in in_district.items() if r["parent_park_id"] not in in_district)
    if len(top) == 1:
        return top[0]
    if len(top) > 1:
        shown = ", ".join(top[:10]) + (f" and {len(top) - 10:,} more" if len(top) > 10 else "")
        raise UsageError(f"district {text!r} holds several parks ({shown}); name one of them")
    return None


def resolve_park(db: Database, text: str) -> str:
    """A park by slug, Chinese or English name, alias or district, any case -> park_id.

    A name of the whole zone (中关村, Zhongguancun) is a usage error that says so."""
    if names_the_zone(text):
        raise zone_error(text)
    wanted = " ".join(text.split()).casefold()
    parks = park_table(db, wanted)
    found = find_park(db, text, parks)
    if found is not None:
        return found
    keys = {str(row["park_id"]): _park_keys(row) for row in parks}
    # A unique beginning is enough: 大兴 -> 大兴生物医药产业基地, daxing -> daxing-biomed.
    starting = [pid for pid, names in keys.items() if any(n.startswith(wanted) for n in names)]
    if len(wanted) >= 2 and len(starting) == 1:
        return starting[0]
    parks = park_table(db)
    raise unknown(
        "park",
        text,
        [str(r["park_id"]) for r in parks],
        [f"{r['park_id']} ({r['name_zh']}, {r['district_zh'] or '?'})" for r in parks],
    )


# --- periods ----------------------------------------------------------------------------------

_QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
_ORDINALS |= {"fourth": 4, "4th": 4}
_YEAR = r"(?:(?P<year>\d{4})(?:年|-)?|今年)?"
_PERIOD_FORMS = (
    # Q1, 2020Q1, 2020-Q1, 2020年Q1
    (re.compile(_YEAR + r"q(?P<q>[1-4])"), "quarter"),
    # Q1 2020, Q1-2020
    (re.compile(r"q(?P<q>[1-4])-?(?P<year>\d{4})"), "quarter"),
    # 一季度, 第一季度, 1季度, 2020年第一季度, 今年一季度
    (re.compile(_YEAR + r"第?(?P<q>[1-4一二三四])季度?"), "quarter"),
    # first quarter, 1st quarter (of 2020)
    (
        re.compile(
            r"(?P<q>first|1st|second|2nd|third|3rd|fourth|4th)quarter(?:of)?(?P<year>\d{4})?"
        ),
        "quarter",
    ),
    # 1~2月, 1-2月, 1至2月, 今年1~2月, 2020年1-2月
    (re.compile(_YEAR + r"(?P<m1>\d{1,2})(?:~|-|–|至|到)(?P<m2>\d{1,2})月"), "months"),
    # 2020, 2020年, 今年
    (re.compile(r"(?:(?P<year>\d{4})年?|今年)"), "year"),
)
_PERIOD_WORDS = {
    "每天": "daily",
    "每日": "daily",
    "日": "daily",
    "per day": "daily",
    "a day": "daily",
    "全年": "annual",
    "年度": "annual",
    "每年": "annual",
    "年": "annual",
    "per year": "annual",
    "a year": "annual",
    "yearly": "annual",
}


def period_pattern(text: str) -> re.Pattern[str] | None:
    """The periods `text` can mean, as a pattern over the snapshot's `period` values:
    Q1, 一季度, 第一季度, 2020-Q1 -> 2020-Q1 (any year when none is written)."""
    compact = "".join(text.split()).casefold()
    spaced = " ".join(text.split()).casefold()
    if spaced in _PERIOD_WORDS:
        return re.compile(re.escape(_PERIOD_WORDS[spaced]))
    for form, kind in _PERIOD_FORMS:
        match = form.fullmatch(compact)
        if match is None:
            continue
        year = match.group("year") or r"(\d{4})"
        if kind == "quarter":
            q = match.group("q")
            number = _QUARTERS.get(q) or _ORDINALS[q]
            return re.compile(f"{year}-Q{number}")
        if kind == "months":
            first, last = int(match.group("m1")), int(match.group("m2"))
            again = match.group("year") or r"\1"
            return re.compile(f"{year}-{first:02d}/{again}-{last:02d}")
        return re.compile(year)
    return None


def park_and_bases(db: Database, park: str) -> list[str]:
    """A park and the bases that lie in it: what a park filter takes."""
    result = db.run(named(f"SELECT park_id FROM parks WHERE park_id IN {_IN_PARK}"), {"park": park})
    return [str(row[0]) for row in result.rows()]


def periods(db: Database) -> list[str]:
    """The periods the snapshot's figures cover, sorted."""
    result = db.run(
        named("SELECT DISTINCT period FROM indicators WHERE period IS NOT NULL ORDER BY 1")
    )
    return [str(row[0]) for row in result.rows()]


def match_period(text: str, known: Sequence[str]) -> list[str]:
    """The known periods `text` names: itself (any case), else what period_pattern means."""
    wanted = text.strip().casefold()
    exact = [p for p in known if p.casefold() == wanted]
    if exact:
        return exact
    pattern = period_pattern(text)
    return [] if pattern is None else [p for p in known if pattern.fullmatch(p)]


def resolve_period(db: Database, text: str) -> str:
    """--period: 2020-Q1, Q1, 一季度, 第一季度, 今年, 1~2月, daily, 每天 ... -> a period the
    snapshot has; anything else is a usage error listing the periods that exist."""
    known = periods(db)
    found = match_period(text, known)
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(
            f"--period {text!r} could mean {', '.join(found)}; give the year, e.g. {found[-1]}"
        )
    raise UsageError(
        f"no figure covers the period {text!r}{did_you_mean(text, known)} "
        f"(periods in the data: {', '.join(known) or 'none'}; Q1 and 一季度 mean 2020-Q1)"
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
    query: Query,
    available: Sequence[str],
    columns: str | None,
    lang: Lang,
    *,
    every: bool = True,
) -> list[str]:
    """--columns a,b,c (checked against what the command can show), else by lang: every
    column the command can show, in view order (`every`: exports, pipes, files), or the
    query's default columns (the terminal view's starting point)."""
    if columns:
        chosen = column_names(columns)
        require_columns(chosen, available)
        return chosen
    start = available if every else query.default_columns
    return [c for c in start if in_lang(c, lang)]


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


def resolve_kinds(texts: Sequence[str], kinds: Mapping[str, str], what: str) -> list[str]:
    """Repeated --kind options, each possibly a comma list, checked against a vocabulary."""
    chosen: list[str] = []
    for text in texts:
        for part in text.split(","):
            wanted = part.strip().casefold().replace(" ", "_").replace("-", "_")
            if not wanted:
                continue
            if wanted not in kinds:
                raise unknown(what, part.strip(), list(kinds))
            chosen.append(wanted)
    return chosen


def programs_query(park_id: str | None, kinds: Sequence[str], issuer: str | None) -> Query:
    return Query(
        inner="SELECT * FROM programs "
        f"WHERE ($park IS NULL OR park_id IN {_IN_PARK}) "
        "AND (len($kinds) = 0 OR list_contains($kinds, kind)) "
        "AND ($issuer IS NULL OR issuer_id ILIKE $issuer_like ESCAPE '\\' "
        "  OR issuer_zh ILIKE $issuer_like ESCAPE '\\' "
        "  OR issuer_en ILIKE $issuer_like ESCAPE '\\')",
        default_columns=[
            "program_id",
            "name_zh",
            "name_en",
            "kind",
            "issuer_zh",
            "issuer_en",
            "park_id",
            "launch_date",
            "quote",
        ],
        params={
            "park": park_id,
            "kinds": list(kinds),
            "issuer": issuer,
            "issuer_like": _like(issuer),
        },
    )


# A product's place is its maker's park; its maker's names come along.
PRODUCT_COLUMNS = [*view_columns("products"), "company_name_zh", "company_name_en", "park_id"]


def products_query(park_id: str | None, kinds: Sequence[str], company: str | None) -> Query:
    return Query(
        inner="SELECT d.*, c.name_zh AS company_name_zh, c.name_en AS company_name_en, "
        "c.park_id FROM products d LEFT JOIN companies c USING (company_id) "
        f"WHERE ($park IS NULL OR c.park_id IN {_IN_PARK}) "
        "AND (len($kinds) = 0 OR list_contains($kinds, d.kind)) "
        "AND ($company IS NULL OR d.company_id ILIKE $company_like ESCAPE '\\' "
        "  OR c.name_zh ILIKE $company_like ESCAPE '\\' "
        "  OR c.name_en ILIKE $company_like ESCAPE '\\')",
        default_columns=[
            "product_id",
            "name_zh",
            "name_en",
            "kind",
            "company_id",
            "park_id",
            "quote",
        ],
        params={
            "park": park_id,
            "kinds": list(kinds),
            "company": company,
            "company_like": _like(company),
        },
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


def _ids_sql() -> str:
    """Every record's id and table: one SELECT per view, keyed by its first column."""
    return " UNION ALL ".join(
        f'SELECT \'{table}\' AS "table", "{key}" AS id FROM {table}' for table, key in KEYS.items()
    )


def find_record(db: Database, record_id: str) -> tuple[str, dict[str, Any]] | None:
    """The record with this id, in whichever table holds it (ids are unique across tables)."""
    where = db.run(
        named(f'SELECT "table" FROM ({_ids_sql()}) WHERE id = $id LIMIT 1'), {"id": record_id}
    ).fetch(1)
    if not where:
        return None
    table = str(where[0][0])
    result = db.run(named(f'SELECT * FROM {table} WHERE "{KEYS[table]}" = $id'), {"id": record_id})
    return table, dict(zip(result.columns, result.fetch(1)[0], strict=True))


def all_ids(db: Database) -> list[str]:
    return [str(row[0]) for row in db.run(named(f"SELECT id FROM ({_ids_sql()})")).rows()]


_FIGURES = (
    "SELECT indicator_id, metric_en, value, unit, qualifier, value_text "
    "FROM indicators WHERE subject_type = '{kind}' AND subject_id = $id"
)
_EVENTS = (
    'SELECT event_id, "date", date_text, title_zh, title_en FROM events '
    'WHERE {column} = $id ORDER BY "date" NULLS LAST, event_id'
)

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
        (
            "programs",
            "SELECT program_id, name_zh, name_en, kind, issuer_zh FROM programs "
            "WHERE park_id = $id",
        ),
        ("bases", "SELECT park_id, name_zh, name_en FROM parks WHERE parent_park_id = $id"),
    ],
    "projects": [
        ("events", _EVENTS.format(column="project_id")),
        ("indicators", _FIGURES.format(kind="project")),
    ],
    "companies": [
        ("events", _EVENTS.format(column="company_id")),
        ("indicators", _FIGURES.format(kind="company")),
        (
            # The programmes it issues or takes part in, with its role.
            "programs",
            "SELECT g.program_id, g.name_zh, g.name_en, g.kind, r.role FROM ("
            "  SELECT program_id, 'issuer' AS role, 0 AS n FROM programs WHERE issuer_id = $id"
            "  UNION ALL SELECT program_id, role, 1 FROM participants WHERE company_id = $id"
            ") r JOIN programs g USING (program_id) ORDER BY r.n, g.program_id",
        ),
        (
            "products",
            "SELECT product_id, name_zh, name_en, kind FROM products WHERE company_id = $id",
        ),
    ],
    "programs": [
        (
            "participants",
            "SELECT p.company_id, c.name_zh, c.name_en, p.role FROM participants p "
            "JOIN companies c USING (company_id) WHERE p.program_id = $id",
        ),
        ("events", _EVENTS.format(column="program_id")),
        ("indicators", _FIGURES.format(kind="program")),
        (
            "upgrades",
            "SELECT u.program_id, u.name_zh, u.name_en, u.launch_date, u.launch_date_text "
            "FROM programs g JOIN programs u ON u.program_id = g.upgrades_program_id "
            "WHERE g.program_id = $id",
        ),
        (
            "upgraded_by",
            "SELECT program_id, name_zh, name_en, launch_date, launch_date_text FROM programs "
            "WHERE upgrades_program_id = $id",
        ),
    ],
    "products": [
        (
            "company",
            "SELECT c.company_id, c.name_zh, c.name_en, c.park_id FROM products d "
            "JOIN companies c USING (company_id) WHERE d.product_id = $id",
        ),
        ("indicators", _FIGURES.format(kind="product")),
    ],
    "participants": [
        (
            "program",
            "SELECT g.program_id, g.name_zh, g.name_en, g.kind FROM participants p "
            "JOIN programs g USING (program_id) WHERE p.participant_id = $id",
        ),
        (
            "company",
            "SELECT c.company_id, c.name_zh, c.name_en, c.park_id FROM participants p "
            "JOIN companies c USING (company_id) WHERE p.participant_id = $id",
        ),
    ],
    "indicators": [
        (
            "subject",
            "SELECT s.subject_type, s.subject_id, s.name_zh, s.name_en, s.park_id "
            "FROM indicators i JOIN _subjects s USING (subject_type, subject_id) "
            "WHERE i.indicator_id = $id",
        ),
    ],
    "events": [
        (
            "program",
            "SELECT g.program_id, g.name_zh, g.name_en, g.kind FROM events e "
            "JOIN programs g USING (program_id) WHERE e.event_id = $id",
        ),
    ],
}


def _fields(*pairs: tuple[str, str]) -> str:
    return "[" + ", ".join(f"{{'k': '{kind}', 'v': {column}}}" for kind, column in pairs) + "]"


_IDS_NAMES = (("id", "{key}"), ("name", "name_zh"), ("name", "name_en"))
# Each table's searchable fields: (kind, SQL expression). Kinds: id and name (and alias) can
# match exactly; label is a metric, title, kind, role, district or period; summary a project's
# summary. Each row also has its park (the filter --park would give it) and its quote.
SEARCH_TABLES: dict[str, tuple[str, str, str, str, str, tuple[tuple[str, str], ...]]] = {
    # table: (FROM, id, name_zh, name_en, park, fields)
    "parks": (
        "parks",
        "park_id",
        "name_zh",
        "name_en",
        "park_id",
        (
            ("id", "park_id"),
            ("name", "name_zh"),
            ("name", "name_en"),
            ("alias", "aliases"),
            ("label", "district_zh"),
            ("label", "district_en"),
        ),
    ),
    "projects": (
        "projects",
        "project_id",
        "name_zh",
        "name_en",
        "park_id",
        (
            ("id", "project_id"),
            ("name", "name_zh"),
            ("name", "name_en"),
            ("label", "status"),
            ("label", "status_date_text"),
            ("summary", "summary_zh"),
            ("summary", "summary_en"),
            ("summary", "builder_zh"),
            ("summary", "builder_en"),
        ),
    ),
    "indicators": (
        "indicators",
        "indicator_id",
        "metric_zh",
        "metric_en",
        "park_id",
        (
            ("id", "indicator_id"),
            ("label", "metric"),
            ("label", "metric_zh"),
            ("label", "metric_en"),
            ("label", "value_text"),
            ("label", "as_of_text"),
            ("label", "period"),
            # A figure with a year-on-year change answers "year on year", 同比, yoy.
            (
                "label",
                "CASE WHEN yoy_pct IS NOT NULL THEN 'year on year change; 同比; yoy_pct' END",
            ),
        ),
    ),
    "companies": (
        "companies",
        "company_id",
        "name_zh",
        "name_en",
        "park_id",
        (("id", "company_id"), ("name", "name_zh"), ("name", "name_en"), ("label", "sector")),
    ),
    "events": (
        "events",
        "event_id",
        "title_zh",
        "title_en",
        "park_id",
        (
            ("id", "event_id"),
            ("label", "title_zh"),
            ("label", "title_en"),
            ("label", "date_text"),
        ),
    ),
    "programs": (
        "programs",
        "program_id",
        "name_zh",
        "name_en",
        "park_id",
        (
            ("id", "program_id"),
            ("name", "name_zh"),
            ("name", "name_en"),
            ("alias", "aliases"),
            ("label", "kind"),
            ("label", "issuer_zh"),
            ("label", "issuer_en"),
            ("label", "launch_date_text"),
        ),
    ),
    "participants": (
        "participants p LEFT JOIN companies c USING (company_id)",
        "p.participant_id",
        "c.name_zh",
        "c.name_en",
        "c.park_id",
        (("id", "p.participant_id"), ("label", "p.role")),
    ),
    "products": (
        "products d LEFT JOIN companies c USING (company_id)",
        "d.product_id",
        "d.name_zh",
        "d.name_en",
        "c.park_id",
        (("id", "d.product_id"), ("name", "d.name_zh"), ("name", "d.name_en"), ("label", "d.kind")),
    ),
    "sources": (
        "sources",
        "source_id",
        "title_zh",
        "title_en",
        "NULL::VARCHAR",
        (("id", "source_id"), ("name", "title_zh"), ("name", "title_en"), ("label", "byline")),
    ),
}

# rank -> what matched; lower ranks first.
SEARCH_RANKS = {
    1: "exact id/name",  # the whole text is an id, a name or an alias (or names the park)
    2: "id/name",  # an id, name or alias holds the text (or all its words)
    3: "label/period",  # a metric, title, kind, role, district, period or date as written
    4: "park",  # the record belongs to the park the text names (miyun, 密云区)
    5: "summary",
    6: "quote",  # only the quote holds it
}
SEARCH_COLUMNS = ["rank", "matched_in", "table", "id", "name_zh", "name_en", "park_id", "quote"]
SEARCH_DEFAULT_COLUMNS = ["rank", "matched_in", "table", "id", "name_zh", "name_en", "quote"]


def _quote_column(table: str) -> str:
    return {"participants": "p.quote", "products": "d.quote"}.get(table, "quote")


def search_query(
    text: str,
    words: Sequence[str],
    park: str | None,
    periods: Sequence[str],
    in_park: Sequence[str] = (),
) -> Query:
    """Rows of every table that hold `text` (or each of its `words`), that lie in `in_park`
    (`park`, the park the text names, and its bases), or whose period is in `periods` (the
    periods the text names: Q1, 一季度). Every value is bound; only counts shape the SQL.

    The parks are a list, not a subquery: inside the rank's CASE a subquery was joined to
    every row (minutes over a million rows)."""
    holds = " AND ".join(f"contains(lower(x.v), $w{i})" for i in range(len(words))) or "false"
    quote_holds = " AND ".join(f"contains(lower(quote), $w{i})" for i in range(len(words)))
    selects = []
    for table, (source, key, name_zh, name_en, park_expr, fields) in SEARCH_TABLES.items():
        quote = "NULL::VARCHAR" if table == "sources" else _quote_column(table)
        period = "period" if table == "indicators" else "NULL::VARCHAR"
        selects.append(
            f"SELECT '{table}' AS \"table\", {key} AS id, {name_zh} AS name_zh, "
            f"{name_en} AS name_en, {park_expr} AS park_id, {quote} AS quote, "
            f"{period} AS period, {_fields(*fields)} AS f FROM {source}"
        )
    union = "\n    UNION ALL ".join(selects)
    rank_names = " ".join(f"WHEN {rank} THEN '{name}'" for rank, name in SEARCH_RANKS.items())
    inner = f"""
WITH fields AS (
    {union}
),
ranked AS (
    SELECT "table", id, name_zh, name_en, park_id, quote,
           least(
               list_min(list_transform(f, lambda x: CASE
                   WHEN x.k IN ('id', 'name', 'alias')
                        AND list_contains(string_split(lower(x.v), ';'), lower($text)) THEN 1
                   WHEN x.k IN ('id', 'name', 'alias')
                        AND (contains(lower(x.v), lower($text)) OR ({holds})) THEN 2
                   WHEN x.k = 'label' AND (contains(lower(x.v), lower($text)) OR ({holds}))
                        THEN 3
                   WHEN x.k = 'summary' AND (contains(lower(x.v), lower($text)) OR ({holds}))
                        THEN 5
               END)),
               CASE WHEN "table" = 'parks' AND id = $park THEN 1 END,
               CASE WHEN list_contains($periods, period) THEN 3 END,
               CASE WHEN list_contains($in_park, park_id) THEN 4 END,
               CASE WHEN contains(lower(quote), lower($text)) OR ({quote_holds or "false"})
                    THEN 6 END
           ) AS rank
    FROM fields
)
SELECT rank, CASE rank {rank_names} END AS matched_in,
       "table", id, name_zh, name_en, park_id, quote
FROM ranked
WHERE rank IS NOT NULL"""
    return Query(
        inner=inner,
        default_columns=SEARCH_DEFAULT_COLUMNS,
        params={
            "text": text,
            "park": park,
            "in_park": list(in_park),
            "periods": list(periods),
            **{f"w{i}": word for i, word in enumerate(words)},
        },
        order_by='rank, "table", id',
    )


def search_words(text: str) -> list[str]:
    """The distinct words of a search text, lower case (a text of one word has none: the
    whole text is matched on its own)."""
    words = list(dict.fromkeys(text.casefold().split()))
    return words if len(words) > 1 else []


# --- why nothing matched --------------------------------------------------------------------
# Run only after an empty result: each names a free-text filter that matches nothing on its
# own, and what there is to choose from.


def _distinct(db: Database, sql: str) -> list[str]:
    return [str(row[0]) for row in db.run(named(sql)).rows() if row[0] is not None]


def _any(db: Database, sql: str, params: dict[str, Any]) -> bool:
    return bool(db.run(named(f"SELECT 1 FROM ({sql}) LIMIT 1"), params).fetch(1))


def explain_district(db: Database, district: str | None) -> list[str]:
    if district is None:
        return []
    districts = _distinct(
        db,
        "SELECT DISTINCT district_zh || ' ' || coalesce(district_en, '') FROM parks "
        "WHERE district_zh IS NOT NULL ORDER BY 1",
    )
    return [f"no park lies in a district named {district!r} (districts: {', '.join(districts)})"]


def explain_indicators(db: Database, subject: str | None, metric: str | None) -> list[str]:
    notes = []
    if subject is not None and not _any(
        db,
        "SELECT * FROM indicators i WHERE i.subject_type = lower($subject) "
        "OR i.subject_id ILIKE '%' || $subject || '%'",
        {"subject": subject},
    ):
        notes.append(
            f"no subject matches {subject!r} (subject types: {', '.join(SUBJECT_TYPES)}; "
            "or part of a subject id, e.g. miyun, megvii)"
        )
    if metric is not None and not _any(
        db,
        f"SELECT * FROM indicators i WHERE {metric_match('metric', False)}",
        metric_params("metric", metric, False),
    ):
        metrics = _distinct(db, "SELECT DISTINCT metric FROM indicators ORDER BY 1")
        notes.append(
            f"no metric name or label matches {metric!r}{did_you_mean(metric, metrics)} "
            f"({len(metrics)} metrics: zgc sql 'SELECT DISTINCT metric, metric_en FROM "
            f"indicators'; words anywhere: zgc search {metric})"
        )
    return notes


def explain_programs(db: Database, issuer: str | None) -> list[str]:
    if issuer is None or _any(
        db,
        "SELECT * FROM programs WHERE issuer_id ILIKE $like ESCAPE '\\' "
        "OR issuer_zh ILIKE $like ESCAPE '\\' OR issuer_en ILIKE $like ESCAPE '\\'",
        {"like": _like(issuer)},
    ):
        return []
    issuers = _distinct(
        db,
        "SELECT DISTINCT issuer_zh || ' (' || issuer_en || ')' FROM programs "
        "WHERE issuer_zh IS NOT NULL ORDER BY 1",
    )
    return [f"no programme's issuer matches {issuer!r} (issuers: {', '.join(issuers)})"]


def explain_products(db: Database, company: str | None) -> list[str]:
    if company is None or _any(
        db,
        "SELECT * FROM products d JOIN companies c USING (company_id) "
        "WHERE d.company_id ILIKE $like ESCAPE '\\' OR c.name_zh ILIKE $like ESCAPE '\\' "
        "OR c.name_en ILIKE $like ESCAPE '\\'",
        {"like": _like(company)},
    ):
        return []
    makers = _distinct(
        db,
        "SELECT DISTINCT company_id FROM products WHERE company_id IS NOT NULL ORDER BY 1",
    )
    return [f"no product's maker matches {company!r} (makers: {', '.join(makers)})"]


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
