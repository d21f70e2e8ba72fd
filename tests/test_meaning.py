"""Issue 17: every view answers its question at any width, in the reader's language.

Each list command, `search`, `show` and `sql` runs in a pseudo-terminal at 60, 80, 100 and 160
columns, in Chinese and English, once a case; the assertions read the screen for meaning, not
only layout: what, how much and when are on it; a zh view up to 100 columns shows names, never
a slug; an en view's values and dates are English; a wider window never shows fewer columns
than a narrower one; every column asked for is kept.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest

from tests.conftest import SNAPSHOT, Case, Terminals, case, on_terminal, zgc_served
from zgc_cli import layouts
from zgc_cli.queries import lists
from zgc_cli.queries.base import Lang, Query

pytestmark = pytest.mark.slow

WIDTHS = (60, 80, 100, 160)
LANGS = ("zh", "en")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")
SLUG = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b")  # beijing-auto-base, zgc-anti-epidemic-loan

# The list commands' queries with no filter: what their terminal views read.
QUERIES: dict[str, Callable[[], Query]] = {
    "parks": lambda: lists.parks_query(None),
    "projects": lambda: lists.projects_query([], None, None, None, None, False),
    "indicators": lambda: lists.indicators_query(None, None, None, None, None),
    "companies": lambda: lists.companies_query(None),
    "programs": lambda: lists.programs_query(None, [], None),
    "products": lambda: lists.products_query(None, [], None),
    "timeline": lambda: lists.timeline_query(None, None),
}


@cache
def ids() -> frozenset[str]:
    """Every record id of the snapshot that is a slug (a zh reader must never need one)."""
    import zgc_cli

    keys = {
        "parks": "park_id",
        "projects": "project_id",
        "companies": "company_id",
        "programs": "program_id",
        "products": "product_id",
        "indicators": "indicator_id",
        "events": "event_id",
    }
    connection = zgc_cli.connect(SNAPSHOT)
    found = {
        str(row[0])
        for table, key in keys.items()
        for row in connection.execute(f"SELECT {key} FROM {table}").fetchall()
    }
    return frozenset(i for i in found if SLUG.fullmatch(i) or (i.isascii() and len(i) > 3))


def view_rows(command: str, lang: Lang) -> list[dict[str, Any]]:
    """The rows a list command's terminal view reads (the same query, the view's columns)."""
    import zgc_cli

    query = QUERIES[command]()
    connection = zgc_cli.connect(SNAPSHOT)
    result = connection.execute(query.sql(layouts.sources(command, lang)), query.params)
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def screen_case(args: tuple[str, ...], columns: int, lang: str) -> Case:
    chosen = () if args[0] == "sql" else ("--lang", lang)  # sql reads the locale's
    locale = "zh_CN.UTF-8" if lang == "zh" else "en_US.UTF-8"
    return case((*args, *chosen), columns, 400, LANG=locale, ZGC_PAGER="")


# Every screen the tests below read, drawn in one process on the first one's demand.
ALL = [(c,) for c in QUERIES]
SQL = "SELECT indicator_id, metric_zh, value_text, as_of FROM indicators"
UNKNOWN_METRIC, UNKNOWN_CHART = ("indicators", "--metric", "nope"), ("chart", "nope")
Q1_COLUMNS = ("indicators", "--period", "Q1", "--columns", "indicator_id,value")
PLANNED = [
    *itertools.product(
        [*ALL, ("search", "复工率"), ("show", "miyun"), ("sql", SQL)], WIDTHS, LANGS
    ),
    *itertools.product([Q1_COLUMNS], WIDTHS, LANGS),
    *itertools.product([("search", "revenue"), ("show", "megvii-mingjing")], WIDTHS, ["en"]),
    *itertools.product([("show", "megvii-deployment-site-types")], WIDTHS, ["en"]),
    *itertools.product([("indicators", "--columns", "metric_en,value")], WIDTHS, ["en"]),
    *itertools.product([("projects", "--columns", "name_en,investment_yuan")], WIDTHS, ["en"]),
    *itertools.product([("indicators",), ("timeline",), ("products",)], WIDTHS, ["both"]),
    *itertools.product([("tables",), ("schema", "parks"), ("info",), ("verify",)], [80], LANGS),
    *itertools.product([("indicators", "--period", "Q1")], [80], LANGS),
    (("indicators", "--metric", "work_resumption_rate"), 80, "zh"),
    (("search", "zhongguancun"), 80, "en"),
    (("search", "复工率"), 160, "both"),
    (("sql", "SELECT * FROM projects"), 60, "en"),
    (("sql", "SELECT project_id, name_en, status FROM projects"), 60, "en"),
    (("projects", "--status", "started"), 80, "en"),
    (("indicators", "--park", "miyun"), 80, "en"),
    (("show", "semiconductor-plant"), 100, "zh"),
    (("search", "复工"), 100, "zh"),
    (("projects",), 100, "both"),
    (("projects", "--park", "changping"), 80, "en"),
    (("coverage",), 60, "zh"),
    (("coverage",), 80, "zh"),
    (("search", "复工", "率"), 80, "zh"),
    (("search", "复工", "率"), 160, "zh"),
]
OTHERS = [  # the other screens read below, at 100 x 40 unless said
    case(("show", "semiconductor-plant", "--lang", "both", "--no-pager")),
    case(("show", "zgc-2020q1-total-revenue", "--lang", "both", "--no-pager")),
    case(("coverage", "--lang", "both"), 80, 400),
    *(case(("show", name, "--lang", "en"), 100, 200) for name in ("旷视科技", "Megvii", "MEGVII")),
    case(("show", "中关村密云园", "--lang", "en"), 100, 200),
    case(("show", "megvi")),
    *(case(("indicators", "--lang", lang), 60, ZGC_PAGER="") for lang in LANGS),
    case(("projects", "--lang", "en"), 80, ZGC_PAGER=""),
    *(case((*args, "--lang", lang)) for args in (UNKNOWN_METRIC, UNKNOWN_CHART) for lang in LANGS),
    case(("indicators", "--park", "tongzhou", "--lang", "en")),
    case(("indicators", "--park", "miyunn")),
    case(("sql", "SELECT * FROM projects WHERE statuss = 'started'")),
    case(("sql", 'SELECT * FROM parks WHERE name_zh = "中关村密云园"')),
    case(("sql", "SELECT park_id,\n  nme FROM parks")),
    case(("sql", "SELECT '密云' || x FROM parks")),
]
TERMINAL = Terminals([*(screen_case(*planned) for planned in PLANNED), *OTHERS])


@cache
def screen(args: tuple[str, ...], columns: int, lang: str) -> tuple[str, ...]:
    """The lines a person sees (escape sequences gone) on a pseudo-terminal."""
    shown = TERMINAL(screen_case(args, columns, lang)).text
    lines = ANSI.sub("", shown).replace("\r", "").split("\n")
    return tuple(line for line in lines if line.strip())


def _rule(lines: tuple[str, ...]) -> int:
    return next(n for n, line in enumerate(lines) if line.startswith("─"))


def columns_of(lines: tuple[str, ...]) -> list[tuple[str, int]]:
    """Each column's header (its lines joined) and width, by the rule under the header."""
    import unicodedata

    def cells(line: str) -> list[str]:  # a wide character takes two cells
        return [
            c for ch in line for c in (ch, "")[: 1 + (unicodedata.east_asian_width(ch) in "WF")]
        ]

    heads = [cells(line) for line in lines[: _rule(lines)]]
    return [
        (
            " ".join(filter(None, ("".join(h[m.start() : m.end()]).strip() for h in heads))),
            len(m[0]),
        )
        for m in re.finditer("─+", lines[_rule(lines)])
    ]


def test_a_screen_drawn_with_others_is_the_one_zgc_alone_draws() -> None:
    """The screens above are drawn many to a process (conftest.on_terminals): each the bytes
    zgc in a process of its own on the same terminal shows."""
    for args, columns, lang in [(("parks",), 60, "zh"), (("sql", SQL), 160, "en")]:
        wanted = screen_case(args, columns, lang)
        alone = on_terminal(wanted[0], columns=columns, rows=400, env=dict(wanted[3]))
        assert TERMINAL(wanted).raw == alone.raw, (args, columns, lang)


def headers(lines: tuple[str, ...]) -> list[str]:
    """The header's words, each line of it (`--lang both`: 园区 over Park)."""
    return [h.strip() for line in lines[: _rule(lines)] for h in re.split(r"\s{2,}", line.strip())]


def body(lines: tuple[str, ...]) -> str:
    """The rows, without header, rule and footer."""
    return "\n".join(lines[_rule(lines) + 1 : -1])


def shown_whole_or_cut(text: str, where: str) -> bool:
    return not text or text in where or any(text[:k] + "…" in where for k in range(1, len(text)))


# --- what, how much and when, in every list view ------------------------------------------

# For each view: what a row is (a text function of layouts), how much and when, where it has
# them: each must be on the screen at every width, whole or cut with "…" (a figure whole).
MEANING: dict[str, tuple[str, ...]] = {
    "parks": ("name",),
    "projects": ("name", "investment_yuan", "status_when"),
    "indicators": ("metric", "value", "when"),
    "companies": ("name",),
    "programs": ("name", "launch_date"),
    "products": ("name",),
    "timeline": ("title", "date"),
}


def _text(command: str, key: str, lang: Lang) -> Callable[[dict[str, Any]], str]:
    if key in ("name", "metric", "title"):
        column = {"name": "name", "metric": "metric", "title": "title"}[key] + f"_{lang}"
        return lambda row: str(row.get(column) or "")
    show = next(s for s in layouts.layout(command, lang, 99).columns if s.key == key)
    return lambda row: show.text(row, lang)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("command", list(QUERIES))
def test_a_list_view_says_what_how_much_and_when(command: str, columns: int, lang: str) -> None:
    lines = screen((command,), columns, lang)
    rows = view_rows(command, Lang(lang))
    assert len(lines) == len(rows) + 3, lines  # header, rule, a line a row, footer
    for key in MEANING[command]:
        text = _text(command, key, Lang(lang))
        for line, row in zip(lines[2:-1], rows, strict=True):
            wanted = text(row)
            # a figure in words (基础研究、成果转化、…) is cut by the line, a number never
            fixed = key not in ("name", "metric", "title") and row.get("value", 0) is not None
            brief = wanted.replace("Zhongguancun", "ZGC")  # a name too long for its column
            ok = wanted in line if fixed else shown_whole_or_cut(wanted, line)
            assert ok or shown_whole_or_cut(brief, line), (command, columns, lang, key, wanted)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("command", [*QUERIES, "search"])
def test_a_wider_window_never_shows_fewer_columns(command: str, lang: str) -> None:
    args = (command, "复工率") if command == "search" else (command,)
    shown = [headers(screen(args, columns, lang)) for columns in WIDTHS]
    for narrow, wide in itertools.pairwise(shown):
        # a header may be cut with "…" when narrow: it is the beginning of a wider one's
        kept = [any(w.startswith(n.removesuffix("…")) for w in wide) for n in narrow]
        assert len(wide) >= len(narrow) and all(kept), (command, lang, narrow, wide)


@pytest.mark.parametrize("columns", [60, 80, 100])
@pytest.mark.parametrize("command", [*QUERIES, "search"])
def test_a_chinese_view_shows_names_never_slugs(command: str, columns: int) -> None:
    args = (command, "复工率") if command == "search" else (command,)
    text = body(screen(args, columns, "zh"))
    slugs = sorted(i for i in ids() if i in text)
    assert not slugs, (command, columns, slugs[:5])


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("command", [*QUERIES, "search"])
def test_an_english_views_values_and_dates_are_english(command: str, columns: int) -> None:
    """No Chinese in the columns an English reader reads as values and dates (the report's
    own words stay in `quote`, `value_text` and `date_text`, which these views do not show)."""
    args = (command, "revenue") if command == "search" else (command,)
    lines = screen(args, columns, "en")
    heads = headers(lines)
    assert not any(CJK.search(h) for h in heads), heads
    text = body(lines)
    assert not CJK.search(text), [line for line in lines if CJK.search(line)][:5]


# --- the questions of the report, at 80 columns ----------------------------------------------


def test_indicators_at_80_columns_say_what_for_whom_how_much_and_when() -> None:
    zh = body(screen(("indicators", "--metric", "work_resumption_rate"), 80, "zh"))
    # three series, not one: the zone's staff and Miyun's two kinds of enterprise
    assert re.search(r"到岗复工率\s+中关村示范区\s+近97%\s+2020-05-22", zh), zh
    assert re.search(r"复工率\s+中关村密云园\s+98%\s+2020-05-31", zh), zh
    assert re.search(r"规模以上工业企业复工率\s+中关村密云园\s+100%", zh), zh
    en = body(screen(("indicators", "--period", "Q1"), 80, "en"))
    revenue = r"Total re\S*\s+ZGC zone\s+1,246.62 billion yuan, −3.4% y/y"  # the zone's
    assert re.search(rf"{revenue}\s+2020-Q1", en), en
    q1 = body(screen(("indicators", "--period", "Q1"), 80, "zh"))
    assert re.search(r"总收入\s+中关村示范区\s+12466.2亿元，同比下降3.4%\s+2020-Q1", q1), q1


@pytest.mark.parametrize("columns", [60, 80])
def test_programs_issuer_and_park_say_whom_and_where_when_narrow(columns: int) -> None:
    """Both read `Zhongguancu…` at 80 columns: the committee, the zone and Shijingshan's own
    body were one word; a place cut in English writes ZGC for Zhongguancun."""
    lines = body(screen(("programs",), columns, "en")).splitlines()
    loan = next(line for line in lines if "2020-03-18" in line)  # the anti-epidemic loan
    assert re.search(r"2020-03-18\s+ZGC Adm\S*(\s+ZGC zone)?\s*$", loan), loan
    assert not any(line.count("Zhongguancu…") > 1 for line in lines), lines


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (("tables",), ["表", "行数", "说明（英文）"], ["Table", "Rows", "Description"]),
        (
            ("schema", "parks"),
            ["表", "列", "数据类型", "单位", "含义（英文）"],
            ["Table", "Column"],
        ),
        (("info",), ["项目", "内容"], ["Field", "Value"]),
        (("verify",), ["检查项（英文）", "状态", "说明（英文）"], ["Check", "Status", "Detail"]),
    ],
)
def test_the_snapshots_views_take_lang_and_say_which_words_are_english(
    args: tuple[str, ...], zh: list[str], en: list[str]
) -> None:
    """tables, schema, info and verify took no --lang; their descriptions exist in English
    only, which a zh header says; info's title is the reader's, verify's outcome in words."""
    said = {lang: screen(args, 80, lang) for lang in ("zh", "en")}
    assert headers(said["zh"]) == zh and headers(said["en"])[: len(en)] == en, said
    if args == ("info",):
        assert "报道标题" in said["zh"][2] + said["zh"][3] and "Zhongguancun: full" not in body(
            said["zh"]
        )
        assert "Report title" in body(said["en"]) and "全面复工复产" not in body(said["en"])
        assert re.search(r"园区行数\s+9\b", body(said["zh"])), said["zh"]
    if args == ("verify",):
        assert "通过" in body(said["zh"]) and " pass " in body(said["en"])


def test_the_device_parks_phases_read_apart_at_100_columns() -> None:
    """Phase I and Phase II both read `Zhongguancun Medical Device Park Pha…` at 100."""
    names = cells_of(screen(("projects",), 100, "en"), 0)
    assert len(set(names)) == len(names) and "ZGC Medical Device Park Phase II" in names, names


def test_a_search_keeps_the_text_it_marks_when_a_name_is_shortened() -> None:
    names = cells_of(screen(("search", "zhongguancun"), 80, "en"), 0)  # never ZGC for it
    assert any(n.endswith("…") for n in names) and not any("ZGC" in n for n in names), names


def test_both_languages_give_both_readings_where_the_data_has_them() -> None:
    """--lang both read money, areas, figures and yes/no in English only on a card, a search
    hit's kind as the table's name, a clause without rows as `none:`."""
    card = TERMINAL(case(("show", "semiconductor-plant", "--lang", "both", "--no-pager"))).plain
    for both in ("4.28亿元 428 million yuan", "7.4万平方米 74,000 m²", "是 yes"):
        assert re.search(rf"\s{both}\s*$", card, re.MULTILINE), (both, card)
    figure = TERMINAL(case(("show", "zgc-2020q1-total-revenue", "--lang", "both", "--no-pager")))
    assert "12466.2亿元，同比下降3.4% 1,246.62 billion yuan, −3.4% y/y" in figure.plain
    hits = screen(("search", "复工率"), 160, "both")
    assert "表 Table: 指标 Figures" in hits[-1], hits  # every hit a figure: said once, below
    ledger = TERMINAL(case(("coverage", "--lang", "both"), 80, 400)).plain
    assert "无对应记录 none: section heading" in ledger


def test_an_offset_or_an_id_is_a_plain_number_a_quantity_is_grouped() -> None:
    """`zgc sql` showed quote_start 1,632: a position in the report is no quantity."""
    sql = "SELECT 1632::BIGINT AS quote_start, 1632 AS company_id, 1632 AS n, 1009 AS end"
    lines = TERMINAL(case(("sql", sql), 80)).plain.splitlines()
    assert re.search(r"^\s*1632\s+1632\s+1,632\s+1009\s*$", lines[2]), lines


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_metric_is_a_usage_error_in_lists_and_charts(lang: str) -> None:
    for args in (UNKNOWN_METRIC, UNKNOWN_CHART):
        shown = TERMINAL(case((*args, "--lang", lang)), code=2).plain
        assert "zgc: error:" in shown and "Traceback" not in shown


# --- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("columns", WIDTHS)
def test_a_search_hit_on_a_figure_shows_its_value_and_date(columns: int, lang: str) -> None:
    lines = screen(("search", "复工率"), columns, lang)
    text = body(lines)
    name = "规模以上工业企业复工率" if lang == "zh" else "Work resumption rate"
    assert shown_whole_or_cut(name, text), text
    assert re.search(r"近97%|nearly 97%", text) and "98%" in text, text
    assert "2020-05-31" in text and "2020-05-22" in text, text


# --- show ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("columns", WIDTHS)
def test_a_card_says_what_how_much_and_when(columns: int, lang: str) -> None:
    text = "\n".join(screen(("show", "miyun"), columns, lang))
    assert ("中关村密云园" if lang == "zh" else "Zhongguancun Miyun Park") in text
    figures = ("2.63万人", "98%") if lang == "zh" else ("26,300 people", "98%")
    assert all(f in text for f in figures), text
    assert "2020-05-31" in text


# --- sql and --columns: every column asked for ---------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("columns", WIDTHS)
def test_sql_keeps_every_column_asked_for(columns: int, lang: str) -> None:
    """From 80 columns every column asked for; at 60 the id (45 cells at most, whole or not
    at all since issue 17's review: a cut id cannot be pasted into `zgc show`) goes first,
    and the footer says so."""
    lines = screen(("sql", SQL), columns, lang)
    asked = ["indicator_id", "metric_zh", "value_text", "as_of"]
    if columns == 60:
        assert headers(lines) == asked[1:], lines[0]
        assert re.search(r"3 of 4 columns|3 / 4 列", lines[-1]), lines[-1]
    else:
        assert headers(lines) == asked, lines[0]
        assert "columns" not in lines[-1] and "列" not in lines[-1]  # none hidden
    text = body(lines)
    assert "近97%" in text and "2020-05-22" in text
    # at 80 the whole id (45 cells) leaves the metric its least width: 到岗复工…
    assert shown_whole_or_cut("到岗复工率", text) if columns == 80 else "到岗复工率" in text
    assert_ids_whole_or_absent(lines, "indicators")


def test_sql_drops_from_the_right_only_when_least_widths_do_not_fit() -> None:
    """Columns go from the right, ids first (whole or not at all: issue 17's review changed
    this from `project_id` kept cut)."""
    lines = screen(("sql", "SELECT * FROM projects"), 60, "en")
    heads = headers(lines)
    assert heads[:2] == ["name_zh", "name_en"] and len(heads) >= 4, heads
    assert re.search(rf"{len(heads)} of \d+ columns", lines[-1]), lines[-1]
    wide = headers(screen(("sql", "SELECT project_id, name_en, status FROM projects"), 60, "en"))
    assert wide == ["project_id", "name_en", "status"], wide  # an id that fits whole stays


def assert_ids_whole_or_absent(lines: tuple[str, ...], table: str) -> None:
    """No id is shown cut: a cut id cannot be pasted into `zgc show`."""
    import zgc_cli

    key = {"indicators": "indicator_id", "projects": "project_id"}[table]
    connection = zgc_cli.connect(SNAPSHOT)
    every = [str(r[0]) for r in connection.execute(f"SELECT {key} FROM {table}").fetchall()]
    text = body(lines)
    cut_ids = [i for i in every if any(i[:k] + "…" in text for k in range(i.find("-") + 2, len(i)))]
    assert not cut_ids, cut_ids[:3]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("columns", WIDTHS)
def test_columns_keep_the_meaning_of_a_figure(columns: int, lang: str) -> None:
    args = ("indicators", "--period", "Q1", "--columns", "indicator_id,value")
    text = body(screen(args, columns, lang))
    assert ("超5倍" if lang == "zh" else "over 5 times") in text, text
    # asked for: whole, or at 60 left out for the figure (a cut id cannot be pasted into show;
    # issue 17's review changed this from "whole or cut")
    lines = screen(args, columns, lang)
    if columns > 60:
        assert "infervision-q1-core-business-growth" in text, text
    else:
        assert re.search(r"1 of 2 columns|1 / 2 列", lines[-1]), lines[-1]
    assert_ids_whole_or_absent(lines, "indicators")
    money = ("projects", "--columns", "name_en,investment_yuan")
    assert "1.19 billion yuan (planned)" in body(screen(money, columns, "en"))


def test_sql_points_at_the_place_of_an_error() -> None:
    shown = TERMINAL(case(("sql", "SELECT park_id,\n  nme FROM parks")), code=1).plain
    lines = [line for line in shown.replace("\r", "").split("\n") if line]
    assert lines[0].startswith("zgc: error: Binder Error") and "Traceback" not in shown
    assert lines[1] == "  LINE 2:   nme FROM parks"
    assert lines[2].index("^") == lines[1].index("nme")
    wide = TERMINAL(case(("sql", "SELECT '密云' || x FROM parks")), code=1).plain
    context, caret = [line for line in wide.replace("\r", "").split("\n") if line][1:3]
    from zgc_cli.drawing import cells

    assert cells(context[: context.index("x FROM")]) == caret.index("^")


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM parks WHERE name_en = 'Shunyi" + "\u200b" * 8 + "' AND nosuch = 1",
        "SELECT '" + "\x1b" * 40 + "' AS a, nosuchcol FROM parks",
        "SELECT nosuch, '" + "x" * 100_000 + "' FROM parks",
    ],
    ids=["zero-width", "escapes", "long-line"],
)
def test_the_caret_line_is_short_escaped_and_quick_whatever_comes_before_it(sql: str) -> None:
    """Zero-width spaces (pasted Chinese text has them) once made the cut loop spin forever,
    and a 100,000-character line took minutes: the context is cut in one pass."""
    from zgc_cli.drawing import cells

    shown = on_terminal(["sql", sql, "--timeout", "5"], code=1).plain
    lines = [line for line in shown.replace("\r", "").split("\n") if line]
    assert len(lines) == 3 and lines[0].startswith("zgc: error: Binder Error"), lines
    context, caret = lines[1], lines[2]
    assert "\x1b" not in context and "\u200b" not in context and cells(context) <= 80, context
    assert caret.strip() == "^" and context[caret.index("^") :].startswith("nosuch"), lines


# --- issue 17's review: spare width by meaning, words whole, names open records ------------


def cells_of(lines: tuple[str, ...], column: int) -> list[str]:
    """The cells of a column (0: the first) of a list view's rows, split at two spaces."""
    return [re.split(r"\s{2,}", line.strip())[column] for line in lines[2:-1]]


@pytest.mark.parametrize(
    "args",
    [("projects", "--status", "started"), ("programs",), ("indicators", "--park", "miyun")],
)
def test_the_spare_width_goes_to_the_name_first(args: tuple[str, ...]) -> None:
    """At 80 columns in English the rest of the line goes to the name (or metric) until whole,
    then to the next column: rows with different names read differently (five programmes all
    `Zhongguancun…`, Miyun's metrics cut at 22 beside its name repeated in 25 cells, before)."""
    lines = screen(args, 80, "en")
    names = cells_of(lines, 0)
    assert len(set(names)) == len(names), names
    if args[0] == "indicators":
        assert "Work resumption rate of enterprises" in names, names  # whole
        # whose: the park without the zone's prefix every park shares (Zhongguancun Miyun Park)
        assert "Miyun Park" in cells_of(lines, 1), lines


@pytest.mark.parametrize("columns", WIDTHS)
def test_a_figure_in_words_is_cut_by_the_line_only(columns: int) -> None:
    text = "\n".join(screen(("show", "megvii-mingjing"), columns, "en"))
    words = "Party and government offices, hospitals, shops and supermarkets, schools"
    if columns >= 160:
        assert words in text, text  # a related list with room: the words whole
    assert shown_whole_or_cut(words, text), text
    card = " ".join(screen(("show", "megvii-deployment-site-types"), columns, "en"))
    assert "schools" in card, card  # a card wraps the words, whole
    lines = screen(("indicators", "--columns", "metric_en,value"), columns, "en")
    head = lines[0].index("value")  # --columns: the column's own name
    words_rows = [line for line in lines if "Thailand" in line]
    assert words_rows and all(line.index("Thailand") == head for line in words_rows), lines[0]


@pytest.mark.parametrize("columns", WIDTHS)
def test_list_views_show_ids_whole_or_not_at_all(columns: int) -> None:
    for table in ("indicators", "projects"):
        assert_ids_whole_or_absent(screen((table,), columns, "en"), table)


@pytest.mark.parametrize("name", ["旷视科技", "Megvii", "MEGVII", "中关村密云园"])
def test_show_opens_a_record_by_its_exact_name(name: str) -> None:
    shown = TERMINAL(case(("show", name, "--lang", "en"), 100, 200)).plain
    record = "parks · miyun" if "密云" in name else "companies · megvii"
    assert record in shown, shown
    near = TERMINAL(case(("show", "megvi")), code=2).plain
    assert "did you mean 'megvii'?" in near


def test_show_reaches_a_record_by_what_the_screen_shows() -> None:
    """Ids go first on a narrow line, so the footer says `zgc show NAME`: a name (or a park as
    --park takes it) opens its record, a name of several records lists them, and a near miss
    or a name cut with … points at the records it describes, never at another one."""
    for lang, hint in (
        ("en", "(all: --columns or zgc show NAME)"),
        ("zh", "zgc show 名称 查看全部）"),
    ):
        screen = TERMINAL(case(("indicators", "--lang", lang), 60, ZGC_PAGER=""))
        assert screen.plain.rstrip().splitlines()[-1].endswith(hint), screen.plain[-300:]
    name = TERMINAL(case(("projects", "--lang", "en"), 80, ZGC_PAGER="")).plain
    assert "Xiaomi Smart Park " in name
    opened = {
        "Xiaomi Smart Park": "xiaomi-smart-park",
        "Work resumption rate of enterprises": "miyun-work-resumption-rate",
        "密云": "miyun",
        "中关村": "zgc",
    }
    for text, record_id in opened.items():
        card = json.loads(zgc_served("show", text, "-f", "json").out)
        assert next(iter(card["record"].values())) == record_id, (text, card["table"])
    both = zgc_served("show", "Total investment", code=2).err
    assert "names 2 records" in both and "semiconductor-plant-investment" in both, both
    assert "medical-device-park-phase2-investment" in both, both
    assert "(Total investment, Zhongguancun Medical Device Park Phase II)" in both, both  # whose
    assert "(总投资, 中关村医疗器械园二期)" in zgc_served("show", "总投资", code=2).err
    near = zgc_served("show", "Work resumption rate of enterprize", code=2).err
    assert "did you mean 'miyun-work-resumption-rate' (" in near, near
    cut = zgc_served("show", "Startup incuba…", code=2).err
    assert all(i in cut for i in ("zgc-incubators", "zgc-incubator-resumption-rate")), cut


def test_a_search_or_park_never_guesses_in_silence() -> None:
    miss = zgc_served("search", "miyn")
    assert "no rows match" in miss.err and "did you mean 'miyun'?" in miss.err, miss.err
    city = zgc_served("projects", "--park", "北京", code=2).err
    assert "beijing-auto-base" in city and "shunyi" in city, city
    assert zgc_served("projects", "--park", "北京汽车", "-f", "json").out.count(
        "semiconductor-plant"
    )
    unit = zgc_served("indicators", "--unit", "家", code=2).err
    assert "enterprises" in unit and "institutions" in unit, unit


def test_chinese_views_say_vocabulary_and_table_names_in_chinese() -> None:
    card = "\n".join(screen(("show", "semiconductor-plant"), 100, "zh"))
    assert re.search(r"总投资依据\s+报道", card) and "reported" not in card, card
    hits = body(screen(("search", "复工"), 100, "zh"))
    assert "Sources" not in hits and "Parks" not in hits and "园区" in hits, hits
    both = screen(("projects",), 100, "both")
    said = headers(both)  # words, not column names, a name's column in its own language
    assert {"名称", "园区", "Park", "状态与日期", "Status"} <= set(said), said
    assert not [h for h in said if "_" in h], said
    assert "开工 started 2020-03-30" in body(both), both


def test_unknown_values_and_columns_give_short_errors() -> None:
    park = TERMINAL(case(("indicators", "--park", "tongzhou", "--lang", "en")), code=2).plain
    line = park.strip().replace("\r", "")
    assert "\n" not in line and len(line) <= 200 and "zgc parks lists them all" in line, line
    assert not CJK.search(line), line
    near = TERMINAL(case(("indicators", "--park", "miyunn")), code=2).plain.strip()
    assert "did you mean 'miyun'?" in near and len(near) <= 200, near
    typo = TERMINAL(case(("sql", "SELECT * FROM projects WHERE statuss = 'started'")), code=1).plain
    assert "statuss" in typo and "single quotes" not in typo, typo
    quoted = TERMINAL(case(("sql", 'SELECT * FROM parks WHERE name_zh = "中关村密云园"')), code=1)
    assert "single quotes" in quoted.plain, quoted.plain


def test_the_footer_counts_the_same_columns_in_both_languages() -> None:
    """A record's columns in the reader's language, a note once (zh reads note_zh): 11."""
    zh = screen(("parks",), 60, "zh")[-1]
    en = screen(("parks",), 60, "en")[-1]
    assert "/ 11 列" in zh and "of 11 columns" in en, (zh, en)


@pytest.mark.parametrize(
    "args", [("parks", "--columns", ","), ("sql", "SELECT 1 AS a", "--columns", ",,")]
)
def test_columns_that_name_nothing_are_a_usage_error(args: tuple[str, ...]) -> None:
    ran = zgc_served(*args, code=2)
    assert ran.err.startswith("zgc: error: --columns") and not ran.out


def test_an_error_line_keeps_a_line_separator_in_a_name_as_the_name_s() -> None:
    """U+2028 in a quoted name: shown escaped, not a line break that lets DuckDB's excerpt in."""
    err = zgc_served("sql", 'SELECT "a\u2028b" FROM parks', code=1).err
    assert err.count("\n") == 1 and '"a\\u2028b"' in err and "FROM parks" not in err, err


def test_a_long_header_over_a_number_does_not_push_the_other_columns_out() -> None:
    sql = "SELECT count(*) AS number_of_indicators_reported_for_the_whole_zone, 'a' AS b FROM parks"
    lines = screen(("sql", sql), 40, "en")
    assert lines[-1].startswith("1 row") and "of" not in lines[-1], lines
    assert lines[0].startswith("number_") and "…" in lines[0] and lines[0].rstrip().endswith("b")


# --- the new user's review of round five: the what before a wide, mostly empty column -----


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize(("command", "key"), [("indicators", "metric_en"), ("projects", "name_en")])
def test_distinct_names_read_distinct_when_cut(command: str, key: str, columns: int) -> None:
    """`Startup incuba…` three times (195 institutions / 191 / 97.9%) and `ZGC Medical Devi…`
    for both phases said nothing of which was which: cut alike, they keep their ends."""
    names = [str(row[key]) for row in view_rows(command, Lang("en"))]
    lines = screen((command,), columns, "en")
    shown = cells_of(lines, 0)
    assert len(shown) == len(names)
    if len(lines[1].split()[0]) < 12:  # 60 columns: 9 cells of a metric, a prefix at most
        return
    for (a, x), (b, y) in itertools.combinations(zip(names, shown, strict=True), 2):
        assert a == b or x != y, (a, b, x)
    # one spelling of the zone in a column: ZGC in every row or in none
    assert not {"ZGC", "Zhongguancun"} <= {w for cell in shown for w in cell.split()}, shown


def test_at_160_the_metric_is_whole_before_a_figure_told_in_words() -> None:
    """At 160 the metric was cut (`…continued from earlier y…`) beside a 53-cell Value."""
    text = body(screen(("indicators",), 160, "en"))
    assert "Major construction projects continued from earlier years " in text, text
    assert "Floor area" in headers(screen(("projects",), 160, "en"))  # as Chinese shows it


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("command", ["indicators", "timeline", "products"])
def test_both_shows_an_english_name_whole_enough_to_mean_something(
    command: str, columns: int
) -> None:
    """`Startup…`, `Release…` beside the Chinese name said nothing: 20 cells, else none."""
    lines = screen((command,), columns, "both")
    english = [w for h, w in columns_of(lines) if h in ("Name", "Metric", "Event")]
    assert all(width >= 20 for width in english), lines[:3]
    assert english or columns < 160, lines[:3]  # at 160 there is room for it
    if command == "indicators" and columns >= 80:  # whom, and when, before the translation
        assert {"主体", "Subject", "时间", "When"} <= set(headers(lines)), lines[:3]


def test_a_place_the_same_on_every_row_is_said_once() -> None:
    lines = screen(("projects", "--park", "changping"), 80, "en")
    assert "Park" not in headers(lines) and "Park: Changping Park" in lines[-1], lines
    assert "Xiaomi Smart Park" in body(lines)


def test_coverage_shows_ids_whole_or_not_at_all() -> None:
    """`medical-device-park-phas…` is no id: fewer of them, each whole, then `…`."""
    for columns in (60, 80):
        for row in cells_of(screen(("coverage",), columns, "zh"), 2):
            if not row.startswith("无对应记录"):
                assert all(i == "…" or "…" not in i for i in row.split(", ")), row


def test_a_column_is_as_wide_as_its_widest_entry() -> None:
    lines = screen(("parks",), 100, "en")
    widest = max(len(cell) for cell in cells_of(lines, 0))
    assert len(lines[1].split()[0]) == widest, lines[:3]


@pytest.mark.parametrize("columns", [80, 160])
def test_a_search_hit_on_a_figure_says_whose_figure_it_is(columns: int) -> None:
    """`复工率 98%` and `到岗复工率 近97%` with no subject said nothing of whose rate it is."""
    lines = screen(("search", "复工", "率"), columns, "zh")
    text = body(lines)
    assert re.search(r"复工率\s+98%\s+中关村密云园", text), text
    assert re.search(r"到岗复工率\s+近97%\s+中关村示范区", text), text
    assert "表：指标" in lines[-1], lines[-1]  # every hit a figure: said once, below
    mixed = screen(("search", "miyun"), columns, "en")  # parks, programmes, figures: a column
    assert "Table" in headers(mixed) and "Table:" not in mixed[-1], mixed


@pytest.mark.parametrize(
    ("command", "lang", "heading"),
    [
        ("parks", "zh", "园区编号"),
        ("parks", "en", "Park id"),
        ("companies", "zh", "企业编号"),
        ("companies", "en", "Company id"),
    ],
)
def test_an_id_column_says_it_holds_ids(command: str, lang: str, heading: str) -> None:
    """At 160 columns the id comes back first; under 园区 or Company `daxing-biomed` read as
    the park's name, beside the name column (second new-user reading)."""
    lines = screen((command,), 160, lang)
    heads = headers(lines)
    assert heads[0] == heading, heads
    assert heads.count(heading) == 1 and lines[2].split()[0].isascii(), lines[:3]


def test_a_park_card_says_whose_each_figure_is() -> None:
    """Miyun's card read `Production capacity recovered 100%` as the park's: it is Beilu's;
    the zone's two `已举办期数` (13期, 21期) could not be told apart (third new-user reading)."""
    miyun = screen(("show", "miyun"), 100, "en")
    row = next(line for line in miyun if line.startswith("Production capacity recovered"))
    assert "Beijing Beilu" in row and "100%" in row, miyun
    zone = [line for line in screen(("show", "zgc"), 100, "zh") if line.startswith("已举办期数")]
    whose = {re.split(r"\s{2,}", line)[1] for line in zone}
    assert len(zone) == 2 and len(whose) == 2 and all("中关村" in w for w in whose), zone
    narrow = [line for line in screen(("show", "zgc"), 80, "en") if line.startswith("Sessions")]
    whose = {re.split(r"\s{2,}", line)[1] for line in narrow}  # ZGC startup…, ZGC technol…
    assert len(narrow) == 2 and len(whose) == 2 and all(w.startswith("ZGC") for w in whose), narrow


def test_names_cut_alike_read_apart_at_60_columns() -> None:
    """`ZGC Medica…` three times for the Medical Device Park and its two phases at 60 columns in
    English (fourth new-user reading): 11 cells was below the width names were told apart at."""
    names = [
        re.split(r"\s{2,}", line)[0] for line in body(screen(("projects",), 60, "en")).split("\n")
    ]
    assert len(set(names)) == len(names), names
