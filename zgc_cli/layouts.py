"""What each command shows on a terminal: the few columns that answer its question, in the
order read, with the priority they are kept by when narrow. Files and pipes get every column."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from zgc_cli import display
from zgc_cli.drawing import cells
from zgc_cli.labels import LABELS_EN as LABELS_EN, LABELS_ZH as LABELS_ZH, heading, label as label
from zgc_cli.queries.base import Lang, in_lang
from zgc_cli.terminal import MIN_TEXT, Layout, Show, layout_of, plain_cell

Text = Callable[[Mapping[str, Any], str], str]


def _numeric(row: Mapping[str, Any]) -> bool:
    """A figure with a number is never cut; one told in words (Thailand, Japan and South Korea)
    is cut past the widest numeric figure."""
    return row.get("value") is not None


def _named(prefix: str) -> Text:
    """A record this row points at, by name in the reader's language (北京汽车生产基地, not
    beijing-auto-base): the query joins `{prefix}_name_zh` and `_en`; the id if it has none."""

    def text(row: Mapping[str, Any], lang: str) -> str:
        langs = ("zh", "en") if lang == "both" else (lang,)
        said = dict.fromkeys(_short(str(row.get(f"{prefix}_name_{x}") or "")) for x in langs)
        return " ".join(n for n in said if n) or str(row.get(f"{prefix}_id") or "")

    return text


# Every park of the report is Zhongguancun's: in a narrow column the prefix hid the part that
# tells them apart (five `Zhongguancu…` rows in English at 80 columns, the new-user review).
_ZONE = {
    "Zhongguancun National Independent Innovation Demonstration Zone": "Zhongguancun zone",
    "中关村国家自主创新示范区": "中关村示范区",
}


def _short(name: str) -> str:
    """A park's, a base's or the committee's name without the zone's prefix (Miyun Park; in
    Chinese only where the whole is long: 中关村密云园 stays); the zone by its short name."""
    if name in _ZONE or (name.startswith("中关村") and cells(name) <= PLACE):
        return _ZONE.get(name, name)
    ends = ("Park", "Base", "Committee", "园", "基地")
    for prefix in ("Zhongguancun ", "中关村"):
        rest = name.removeprefix(prefix).removeprefix("示范区")
        if rest != name and len(rest) > 2 and rest.endswith(ends):
            return rest
    return name


def _zgc(text: str) -> str:
    """A name, place or body cut in English: `ZGC` (the data notes' short form) for Zhongguancun,
    or issuer and park both read `Zhongguancu…` (programs at 80 columns, the last review) and
    the Medical Device Park's phases one name at 100."""
    return text.replace("Zhongguancun", "ZGC")


def _table(row: Mapping[str, Any], lang: str) -> str:  # a hit's kind: 指标, Figures, 指标 Figures
    langs = ("zh", "en") if lang == "both" else (lang,)
    return " ".join(label(str(row.get("table") or ""), x) for x in langs)


def _amount(row: Mapping[str, Any], lang: str) -> str:  # a search hit's: fits 60 columns
    return display.figure({**row, "yoy_pct": None}, lang)  # without its change on 2019


def _dated(key: str, words: str = "") -> Text:
    """A day (`key`), else the report's words for it (`words`: 2018年), else the period."""

    def text(row: Mapping[str, Any], lang: str) -> str:
        if row.get(key) is not None:
            return display.cell(key, row[key], lang)
        if words:
            return display.written_date(str(row.get(words) or ""), lang)
        return display.cell("period", row.get("period"), lang)

    return text


def _status_when(row: Mapping[str, Any], lang: str) -> str:
    """`开工 2020-04-17`, `resumed 2020-02-18`: what happened, then when."""
    keys = ("status", "status_date")
    return " ".join(display.cell(k, row[k], lang) for k in keys if row.get(k) is not None)


def _based(column: str) -> Text:
    return lambda row, lang: display.based(column, row, lang)


FIGURE = (
    *("value", "unit", "qualifier", "value_text", "value_text_en", "value_min", "value_max"),
    *("basis", "yoy_pct", "metric"),
)
ID = 9  # ids go first when the line is short: --columns, -f json and zgc show give them
EXTRA = 8  # a column past the question (a project's floor area): comes in as an id does
# Cells a name or metric keeps before a column of less meaning goes (8 Chinese characters, 9
# English ones), and a park's, a subject's or a maker's name (中关村昌平园 whole): so that 60
# columns show what, how much and when (a figure is whole: 12466.2亿元，同比下降3.4% is 25
# cells, "1,246.62 billion yuan, −3.4% y/y" 32, beside a period of 15), and 80 add whom.
WHAT = {"zh": 16, "en": 9, "both": 9}
PLACE = 12

# Each command's view, `key:priority[:how]` in the order read; `name_*` is a column in each
# language (a view keeps the reader's). Priorities follow one rule (issue 17): what (the name,
# a figure's metric), how much (the figure, the money), when (a date, with the status where
# there is one), where and whom (by name), ids last (9, ID; 8, EXTRA: past the question).
# terminal._fit keeps them in that order. How a cell is derived (_derived): `>park` a record
# by name, `@day+words` a date (else the words, else the period), `figure` a figure with its
# change on 2019, `amount` without it (a search hit, to fit 60 columns), `based` money or an
# area with its basis (计划11.9亿元), `status` a status with its date (a resumption must not
# read like a ground-breaking), `place` a name as wide as a park's, `table` a hit's kind.
VIEWS = {
    "parks": "park_id:9 name_*:0 district_*:1 kind:2 parent_park_id:3:>parent",
    "projects": "project_id:9 name_*:0 park_id:3:>park status_when:2:status"
    " investment_yuan:1:based floor_area_m2:8:based",
    # The subject is whom a figure is about: the zone's 到岗复工率 and Miyun's two 复工率 are
    # three series, not one. It yields to the date on a narrow line, as a park does.
    "indicators": "indicator_id:9 metric_*:0 subject_id:3:>subject value:1:figure when:2:@as_of",
    "companies": "company_id:9 name_*:0 sector:1 park_id:2:>park",
    "timeline": "date:1:@date+date_text title_*:0 park_id:2:>park event_id:9",
    "search": "name_*:0 table:1:table value:2:amount subject_id:4:>subject date:3:@date"
    " matched_in:8 id:9",
    "programs": "program_id:9 name_*:0 kind:1 launch_date:2:@launch_date+launch_date_text"
    " issuer_*:3:place park_id:4:>park",
    "products": "product_id:9 name_*:0 kind:1 company_id:2:>company park_id:3:>park",
}


def _derived(key: str, how: str) -> dict[str, Any]:
    """The fields of a view's column whose cell is derived (VIEWS' `how`)."""
    on, _, words = how[1:].partition("+")
    if how[0] == ">":  # where or whom, by name, headed so: `park_id` would say ids
        named = {"text": _named(on), "label": f"{on}_name", "least": PLACE, "brief": _zgc}
        return named | {"sources": (key, f"{on}_name_zh", f"{on}_name_en")}
    based = (key, key.rsplit("_", 1)[0] + "_basis")
    shapes: dict[str, dict[str, Any]] = {
        "@": {"text": _dated(on, words), "sources": (on, words or "period"), "fixed": True},
        "figure": {"text": display.figure, "sources": FIGURE, "whole": _numeric},
        "amount": {"text": _amount, "sources": FIGURE, "whole": _numeric},
        "based": {"text": _based(key), "sources": based, "fixed": True, "right": True},
        "status": {"text": _status_when, "sources": ("status", "status_date"), "fixed": True},
        "table": {"text": _table, "brief": str},  # the same kind on every row: said below
        "place": {"least": PLACE, "brief": _zgc},
    }
    return shapes[how[0] if how[0] == "@" else how]


def _view(command: str, lang: Lang) -> list[Show]:
    """A command's columns (VIEWS) in the reader's language."""
    shown = []
    for spec in VIEWS[command].split():
        key, priority, *how = spec.split(":")
        names = (key.replace("*", "zh"), key.replace("*", "en")) if "*" in key else (key,)
        for name in (n for n in names if in_lang(n, lang)):
            given = _derived(name, how[0]) if how else {}
            shown.append(Show(name, given.pop("text", plain_cell(name)), int(priority), **given))
    return shown


def layout(command: str, lang: Lang, of_columns: int) -> Layout:
    """The terminal view of a command, for a reader of `lang`."""
    both = lang == "both"
    shown = []
    for col in _view(command, lang):
        what = col.priority == 0 and not col.fixed
        # In `both` the English name is taken after whom, and only where enough of it fits to
        # mean something (`Startup…` beside 创业孵化机构数 said nothing); it widens second.
        en = both and what and col.key.endswith("_en")
        shown.append(
            replace(
                col,
                label=_headed(col, lang),
                fixed=col.fixed or col.priority == ID,  # an id whole or not at all
                priority=5 if en else col.priority,
                grows=0 if en else None,
                least=(20 if en else WHAT[str(lang)]) if what else col.least,
                last=col.priority >= EXTRA,
                # names and places: ZGC for Zhongguancun; whom in `both`: by its Chinese name
                brief=_zgc if what else _zh if both and col.label.endswith("_name") else col.brief,
            )
        )
    return Layout(shown, of_columns)


def _headed(col: Show, lang: Lang) -> str:
    """A column's header; an id's says so (园区 over `daxing-biomed` read as the park's name):
    park_id is 园区 where a card's field shows the park's name."""
    if lang == "both" and col.priority == ID:
        return f"{_headed(col, Lang.zh)}\n{_headed(col, Lang.en)}"
    said = heading(col.key, lang)
    if col.priority != ID or said.endswith(("编号", " id")):
        return said
    return f"{said}编号" if lang == "zh" else f"{said} id"


def _zh(names: str) -> str:  # `中关村密云园 Miyun Park` where the line has no room for both
    return names.split(" ", 1)[0]


def sources(command: str, lang: Lang) -> list[str]:
    """The columns the command's terminal view reads, for its SQL."""
    shown = _view(command, lang)
    return list(dict.fromkeys(name for col in shown for name in col.sources or (col.key,)))


def coverage(lang: Lang) -> Layout:
    """`zgc coverage` on a terminal: each span, then its rows or why none does in one column
    (apart, the ids took the line and cut every reason to `links th…`). The reasons are
    English only: the zh header says so."""

    KEYS = ("start", "end")

    def said(row: Mapping[str, Any], lang: str) -> str:
        none = {"zh": "无对应记录：", "en": "none: "}.get(lang, "无对应记录 none: ")
        return ", ".join(row["rows"]) if row["rows"] else f"{none}{row['reason'] or ''}"

    spans = [Show(k, plain_cell(k), 1, heading(k, lang), right=True, fixed=True) for k in KEYS]
    return Layout([*spans, Show("rows", said, 0, heading("represented", lang), items=True)], 3)


def headed(
    columns: Sequence[str],
    types: Sequence[str],
    lang: Lang,
    heads: Sequence[str] = (),
    **texts: Text,
) -> Layout:
    """A listing's own columns under the reader's words (`heads`: each one's label key, when
    not its name; 说明（英文） where the words exist in English only); `texts`: derived cells."""
    shown = layout_of(columns, types).columns
    return Layout(
        [
            replace(s, text=texts.get(s.key, s.text), label=heading(key, lang))
            for s, key in zip(shown, heads or columns, strict=True)
        ],
        len(columns),
    )


# What a figure needs beside itself to keep its meaning when --columns asks for it alone.
_RIDERS = {
    "value": FIGURE,
    "investment_yuan": ("investment_basis",),
    "land_area_m2": ("land_area_basis",),
    "floor_area_m2": ("floor_area_basis",),
}


def asked(columns: Sequence[str], available: Sequence[str], lang: Lang) -> tuple[list[str], Layout]:
    """--columns on a terminal: the columns to select, and the asked ones' view in the order
    asked. A figure keeps its meaning (超5倍, 近97%, 计划11.9亿元, never a bare 5, 97 or
    1,190,000,000): its unit, hedge and basis are read beside it, not shown."""
    from zgc_cli.dictionary import TABLES

    types = {c.name: c.type for t in TABLES.values() for c in reversed(t.columns)}
    own = layout_of(list(columns), [types.get(c, "VARCHAR") for c in columns])
    riders = {
        key: [r for r in extra if r in available and r not in columns]
        for key, extra in _RIDERS.items()
        if key in columns
    }
    # A figure reads left to right like the words some are told in (never right-aligned), its
    # words cut past the widest number; money and areas are numbers, whole.
    shown = [
        s
        if not riders.get(s.key)
        else replace(s, text=display.figure, fixed=False, whole=_numeric, right=False)
        if s.key == "value"
        else replace(s, text=_based(s.key), fixed=True)
        for s in own.columns
    ]
    selected = list(dict.fromkeys([*columns, *(r for extra in riders.values() for r in extra)]))
    return selected, Layout(shown, len(shown), hint=own.hint)


# A card's related rows, by the same rule as the views: what, how much, when, the rest, ids.
_WHAT = ("name_zh", "name_en", "metric_zh", "metric_en", "title_zh", "title_en")
_WHEN = ("as_of", "period", "date", "status_date", "launch_date")


def related(columns: Sequence[str], types: Sequence[str], lang: Lang) -> Layout:
    """A card's related rows, headed for the reader: figures as `indicators` shows them (a bare
    97 would drop the 近 and the %), a status with its date, ids last."""
    own = layout_of(columns, types)
    figure = "value" in columns and "unit" in columns
    derived: dict[str, Text] = {"value": display.figure, "as_of": _dated("as_of")} if figure else {}
    hidden = set(FIGURE) - {"value"} if figure else set()
    if figure and "as_of" in columns:
        hidden.add("period")
    # A status, an event's day, a launch: read with the column beside it, which goes.
    for key in ("status", "date", "launch_date"):
        beside = f"{key}_date" if key == "status" else f"{key}_text"
        if key in columns and beside in columns:
            derived[key] = _status_when if key == "status" else _dated(key, beside)
            hidden.add(beside)

    def whom(key: str) -> bool:
        return key.startswith("subject_name")

    def short(key: str) -> Text:  # whom by a park's short name: Miyun Park, ZGC … when cut
        return lambda row, lang: _short(str(row.get(key) or ""))

    derived.update({key: short(key) for key in columns if whom(key)})

    def priority(key: str, n: int) -> int:
        if key in _WHAT:
            return 0
        if key == "value" or key.endswith(("_yuan", "_m2")):
            return 1
        if key in (*_WHEN, "status"):
            return 2
        if whom(key):  # as in `zgc indicators`
            return 3
        return ID if key == "id" or key.endswith("_id") else 3 + n

    shown = [
        Show(
            s.key,
            derived.get(s.key, s.text),
            priority(s.key, n),
            heading("when" if figure and s.key == "as_of" else s.key, lang),
            right=s.right and s.key not in derived,
            fixed=(s.fixed or (s.key in derived and not whom(s.key)))
            and not (figure and s.key == "value"),
            least=WHAT[str(lang)] if s.key in _WHAT else PLACE if whom(s.key) else MIN_TEXT,
            last=priority(s.key, n) >= EXTRA,
            whole=_numeric if figure and s.key == "value" else None,
            brief=_zgc if whom(s.key) else None,
        )
        for n, s in enumerate(own.columns)
        if in_lang(s.key, lang) and s.key not in hidden
    ]
    return Layout(shown, own.of_columns)
