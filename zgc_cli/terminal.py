"""The terminal view: rows as a table of one line a row fitted to the width, and a record as a
card, both Drawings. Text is cut with "…" before a column goes (_fit); the footer says what went."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from zgc_cli import display
from zgc_cli.diagnostics import visible
from zgc_cli.drawing import ELLIPSIS, Drawing, Span, cells, cut, pad
from zgc_cli.linebreak import wrap
from zgc_cli.render import Listed, Rows

MAX_ROWS = 1_000  # rows drawn at most (a pager shows them); the rest are counted
COUNT_CAP = 10_000  # past the drawn rows, count at most this many more
GAP = 2  # spaces between columns
WIDE = 120  # a line this wide has room for ids (Show.last); up to 100 columns names need it
MIN_TEXT = 9  # cells a text column keeps at least: 4 Chinese characters and "…"
# DuckDB's number types (DECIMAL(18,3) by its start, UBIGINT as BIGINT's unsigned twin).
_SIGNED = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT")
NUMERIC = (*_SIGNED, *(f"U{name}" for name in _SIGNED), "FLOAT", "DOUBLE", "DECIMAL")
FIXED_TYPES = (*NUMERIC, "DATE", "TIME", "TIMESTAMP", "BOOLEAN", "UUID", "INTERVAL")


@dataclass(frozen=True)
class Show:
    """One column of a terminal view: its header, how a row's cell reads, how it gives way."""

    key: str
    text: Callable[[Mapping[str, Any], str], str]
    priority: int = 0  # lower is kept longer
    label: str = ""  # layouts.layout: the reader's words; a name's column in `both`
    sources: tuple[str, ...] = ()  # the columns a derived cell reads (layouts.sources)
    right: bool = False  # numbers align right
    fixed: bool = False  # ids, dates, numbers: whole or not at all
    least: int = MIN_TEXT  # cells a text column keeps before the line gives it up
    last: bool = False  # an id: widened only once the columns that carry meaning are whole
    # Rows whose cell is never cut (a figure with a number, in a column of figures and words):
    # the column keeps the widest of them at least; the words past that are cut.
    whole: Callable[[Mapping[str, Any]], bool] | None = None
    brief: Callable[[str], str] | None = None  # a cell too wide for its column, before the cut
    items: bool = False  # ids joined by ", ": fewer of them, each whole (zgc coverage)
    grows: int | None = None  # widened by this priority (both's English name: taken last)


@dataclass(frozen=True)
class Layout:
    columns: Sequence[Show]
    of_columns: int  # how many columns the record has in all
    hint: str = "all: --columns or zgc show NAME"  # ids go first on a narrow line: a name stays


@dataclass(frozen=True)
class View:
    lang: str = "both"
    limit: int | None = None
    natural: bool = False  # a file or pipe: every column at its own width, never cut
    highlight: str | None = None  # text to mark in every cell (zgc search)


def plain_cell(key: str, *, raw: bool = False) -> Callable[[Mapping[str, Any], str], str]:
    return lambda row, lang: display.cell(key, row.get(key), lang, raw=raw)


def layout_of(columns: Sequence[str], types: Sequence[str], *, raw: bool = False) -> Layout:
    """A query's own columns, in order (zgc sql, --columns); `raw`: values as stored."""
    shown = [
        Show(
            key=name,
            label=name,
            text=plain_cell(name, raw=raw),
            right=kind.startswith(NUMERIC),
            # An id is whole or not shown (a cut id cannot be pasted into `zgc show`), and
            # goes first when the line is short: the named columns beside it carry the meaning.
            fixed=kind.startswith(FIXED_TYPES) or is_id(name),
            priority=n + (len(columns) if is_id(name) else 0),
            least=max(MIN_TEXT, cells(name)),  # the name asked for, whole: value_text
        )
        for n, (name, kind) in enumerate(zip(columns, types, strict=True))
    ]
    return Layout(shown, len(shown), hint="--columns or -f csv for all")


def is_id(name: str) -> bool:
    return name == "id" or name.endswith("_id")


# --- tables --------------------------------------------------------------------------------


@dataclass
class _Placed:
    show: Show
    cells: list[str] = field(default_factory=list)
    natural: int = 0
    least: int = 0
    most: int = 0  # all its cells but the widest whole (one long name kept out no figure)
    width: int = 0


def table(result: Rows, layout: Layout, view: View, width: int | None) -> tuple[Drawing, int]:
    """`result` in at most `width` cells a line (None: as wide as it is); the rows drawn."""
    limit = MAX_ROWS if view.limit is None else min(view.limit, MAX_ROWS)
    shown = result.fetch(limit) if limit else []
    more = 0  # rows past the drawn ones, counted up to COUNT_CAP
    while len(shown) == limit and limit and more <= COUNT_CAP and (batch := result.fetch(2048)):
        more += len(batch)
    rows = [dict(zip(result.columns, row, strict=True)) for row in shown]
    # No more of a cell than a line can show: measuring 50,000 characters of every cell cost
    # 40 s of a command bounded by --timeout 1 (a wide character is 2 cells).
    room = 4 * width + 16 if width is not None else None
    placed, said, zh = [], [], view.lang == "zh"
    for show in layout.columns:
        texts = [show.text(row, view.lang) for row in rows]
        texts = [
            _one_line(t if room is None or len(t) <= room else t[:room] + ELLIPSIS) for t in texts
        ]
        # A place or whom the same on every row (the park filtered by) is said once, below.
        many = width is not None and len(rows) > 1
        if many and show.brief and show.priority and len(set(texts)) == 1 and texts[0]:
            said.append(
                f"{_one_line(show.label.replace(chr(10), ' '))}{'：' if zh else ': '}{texts[0]}"
            )
            continue
        placed.append(p := _measured(_Placed(show, texts)))
        values, label = max(map(cells, texts), default=0), _head_cells(show.label)
        # A whole column's values are whole, and its header too unless it is long (a 55-cell
        # name over a count pushed every other column out): then it is cut like text.
        heading = label if label <= 2 * MIN_TEXT else MIN_TEXT
        p.least = max(values, heading) if show.fixed else min(p.natural, show.least)
        if show.whole is not None:
            whole = [cells(t) for t, row in zip(texts, rows, strict=True) if show.whole(row)]
            p.least = max([p.least, *whole])
    kept = _fit(placed, width)
    # A name too wide for its column reads in its brief form (ZGC for Zhongguancun) in every
    # row alike, then the line is fitted again: one spelling of a prefix in a column.
    found = (view.highlight or "\0").casefold()
    named = [p for p in kept if p.show.brief is not None and p.width < p.natural]
    for p in named:
        briefs = map(p.show.brief, p.cells)  # type: ignore[arg-type]
        p.cells = [  # a search's mark is never shortened away
            b if found not in t.casefold() or found in b.casefold() else t
            for t, b in zip(p.cells, briefs, strict=True)
        ]
        p.least = min(p.least, _measured(p).natural)
    kept = _fit(placed, width) if named else kept
    for p in kept:
        p.cells = [_items(t, p.width) for t in p.cells] if p.show.items else p.cells
        p.cells = _apart(p.cells, p.width, found) if p.width >= 10 and not p.show.fixed else p.cells
    drawing = Drawing()
    if kept:
        heads = [p.show.label.split("\n") for p in kept]  # `both`: 园区 over Park
        for n in range(max(map(len, heads))):
            texts = [_one_line(h[n]) if n < len(h) else "" for h in heads]
            drawing.add(*_line(kept, texts, "bold"))
        drawing.add(*[Span(("  " if n else "") + "─" * p.width, "dim") for n, p in enumerate(kept)])
        for n, row in enumerate(rows):
            drawing.add(*_line(kept, [p.cells[n] for p in kept], "", row, view.highlight))
    total = None if more > COUNT_CAP else len(rows) + more
    footer = _footer(len(rows), total, len(kept), layout, view, said)
    if width is not None and cells(footer) > width:  # narrow: the counts, without the hint
        footer = cut(footer.split(" (")[0].split("(")[0].split("（")[0], width)
    drawing.add(Span(footer, "dim"))
    return drawing, len(rows)


def _measured(p: _Placed) -> _Placed:
    """A column's width whole, and (`most`) whole but for its widest cell."""
    label, widths = _head_cells(p.show.label), sorted(map(cells, p.cells)) or [0]
    p.natural = max(label, widths[-1], 1)
    p.most = max(label, widths[-2 if len(widths) > 1 else -1], 1)
    return p


def _apart(texts: list[str], width: int, mark: str) -> list[str]:
    """Cells that one cut would make alike say what tells them apart: without the end they
    share (`Expected annu…`, `Expected jobs…` of `… (phases I and II together)`), else keeping
    their ends (`Major co…resumed`): three `Major construc…` said nothing of which was which."""
    shown = [cut(t, width) for t in texts]
    cut_from: dict[str, set[str]] = {}
    for text, said in zip(texts, shown, strict=True):
        cut_from.setdefault(said, set()).add(text)
    for n, text in enumerate(texts):
        alike = cut_from[shown[n]]
        if len(alike) < 2 or mark in text.casefold():  # a search's mark stays
            continue
        shared = os.path.commonprefix([t[::-1] for t in alike])[::-1]  # noqa: RUF071
        shared = shared[shared.find(" ") :] if " " in shared else ""  # whole words
        if shared.strip() and cells(text) > cells(shared) + 4:
            shown[n] = cut(text[: -len(shared)], width - 1).removesuffix(ELLIPSIS) + ELLIPSIS
            continue
        words = text.split(" ")
        ends = (" ".join(words[k:]) for k in range(1, len(words)))  # whole words first
        tail = next((end for end in ends if cells(end) <= width - 5), "")
        worded = bool(tail)
        while not tail or (not worded and cells(text[-len(tail) - 1 :]) <= width // 3):
            tail = text[-len(tail) - 1 :]  # else its last few characters
        shown[n] = cut(text[: len(text) - len(tail)], width - cells(tail)) + tail
    return shown


def _items(text: str, width: int) -> str:
    """A list of ids as many whole as fit, then `…` (a cut id is no id)."""
    ids = text.split(", ")
    if cells(text) <= width or " " in "".join(ids):
        return text
    while len(ids) > 1 and cells(", ".join(ids) + ", …") > width:
        ids.pop()
    return ", ".join(ids) + ", …"


def _head_cells(label: str) -> int:
    return max(cells(_one_line(line)) for line in label.split("\n"))


def _one_line(text: str) -> str:
    """Control characters escaped, a newline shown as ↵."""
    return visible(text.replace("\r\n", "↵").replace("\n", "↵").replace("\t", " "))


def _fit(placed: list[_Placed], width: int | None) -> list[_Placed]:
    """Which columns fit in `width` and how wide, in view order: taken by priority while their
    least widths fit; the first that does not ends the list (skipping it let a column of less
    meaning in). The room left goes by priority, each column until whole, ids last (shared
    evenly, 80 columns cut every name alike)."""
    if width is None:
        for p in placed:
            p.width = p.natural
        return placed
    chosen: list[_Placed] = []
    used = -GAP
    for p in sorted(placed, key=lambda q: q.show.priority):
        # An id comes in only on a wide line beside the columns that carry meaning whole (a cut
        # id beside a cut name says less than the whole name); a number past the question (a
        # floor area) beside them whole but for their widest cell; both's English name (it
        # `grows` apart) beside the Chinese name so.
        en = p.show.grows is not None
        nearly = p.show.right or en
        sizes = [
            q.width if q.show.last or (en and q.show.priority) else q.most if nearly else q.natural
            for q in chosen
        ]
        late = sum(sizes) + GAP * len(sizes) + p.least > width and (p.show.last or en)
        late = late or (p.show.last and width < WIDE)
        if chosen and (used + GAP + p.least > width or late):
            break
        p.width = min(p.least, width)
        used += GAP + p.width
        chosen.append(p)
    kept = [p for p in placed if p in chosen]
    spare = width - used
    # On a wide line, first each all but its widest cell, and none past 2/5 of the line: a
    # long name took all of 160 columns while the short columns beside it were cut (指标 Fig…,
    # an issuer at 12). Then by priority.
    for most in (0, width * 2 // 5, width) if width >= 100 else (width,):
        for p in sorted(kept, key=_growing):  # stable
            goal = min(p.most, width * 2 // 5) if most == 0 else min(p.natural, max(most, p.width))
            step = max(0, min(spare, goal - p.width))
            p.width += step
            spare -= step
    return kept


def _growing(p: _Placed) -> tuple[bool, bool, int]:
    grows = p.show.priority if p.show.grows is None else p.show.grows
    return p.show.last, p.show.whole is not None, grows


def _line(
    kept: list[_Placed],
    texts: list[str],
    style: str,
    row: Mapping[str, Any] | None = None,
    highlight: str | None = None,
) -> list[Span]:
    """The header (`row` None) or a row, NULL as a dim —."""
    spans: list[Span] = []
    for k, (p, text) in enumerate(zip(kept, texts, strict=True)):
        if k:
            spans.append(Span(" " * GAP))
        if row is not None and not text and p.show.key in row and row[p.show.key] is None:
            spans.append(Span(pad("—", p.width, right=p.show.right), "dim"))
        else:
            shown = pad(cut(text, p.width), p.width, right=p.show.right)
            spans.extend(_marked(shown, highlight) if highlight else [Span(shown, style)])
    return spans


def _marked(text: str, highlight: str | None, style: str = "bold reverse") -> list[Span]:
    """`text` with every occurrence of `highlight` (any case) in `style`."""
    spans: list[Span] = []
    lower, needle = text.casefold(), (highlight or "").casefold()
    at = 0
    while needle and (found := lower.find(needle, at)) >= 0 and len(lower) == len(text):
        spans += [Span(text[at:found]), Span(text[found : found + len(needle)], style)]
        at = found + len(needle)
    spans.append(Span(text[at:]))
    return [s for s in spans if s.text]


_HINT_ZH = {
    "all: --columns or zgc show NAME": "--columns、zgc show 名称 查看全部",
    "--columns or -f csv for all": "--columns 或 -f csv 查看全部",
}


def _footer(
    shown: int, total: int | None, columns: int, layout: Layout, view: View, said: list[str]
) -> str:
    """The line under a table, `said` after the count; Chinese with full-width punctuation."""
    zh = view.lang == "zh"
    if total is None:
        rows = f"前 {shown:,} 行，还有更多" if zh else f"first {shown:,} rows, more not counted"
    elif total > shown:
        rows = f"共 {total:,} 行，显示前 {shown:,} 行" if zh else f"{shown:,} of {total:,} rows"
    else:
        rows = f"{total:,} 行" if zh else f"{total:,} {'row' if total == 1 else 'rows'}"
    if columns < layout.of_columns:
        hint, of = _HINT_ZH.get(layout.hint, layout.hint), layout.of_columns
        en = f"{columns} of {of} columns ({layout.hint})"
        said = [*said, f"显示 {columns} / {of} 列（{hint}）" if zh else en]
    elif (total is None or total > shown) and view.limit is None and not view.natural:
        rows += "（-f csv 查看全部）" if zh else " (-f csv for all)"  # rows -f csv gives too
    return " · ".join([rows, *said])


# --- a record as a card ----------------------------------------------------------------------


def card(
    record: Mapping[str, Any],
    related: Mapping[str, tuple[Listed, Layout]],
    table_name: str,
    figure: str | None,
    labels: Mapping[str, str],
    width: int,
    lang: str,
    names: Mapping[str, tuple[str, str]],
) -> Drawing:
    """Every field of a record in the reader's words (another record by its name: `names` maps
    id -> (zh, en)), wrapped by Chinese rules, its quote with the figure marked, related rows."""
    key = next(iter(record))
    title = cut(f"{table_name} · {record[key]}", width)  # a view's name and an id, as in SQL
    drawing = Drawing(title)
    drawing.add(Span(title, "bold underline"))
    fields = display.card_fields(record, lang)
    label_width = max(cells(labels.get(name, name)) for name in fields) + GAP
    stacked = width - label_width < 12  # too narrow for label and value side by side
    room = width if stacked else width - label_width
    for name in fields:
        label = pad(labels.get(name, name), label_width)
        value = record[name]
        if name != key and isinstance(value, str) and value in names:
            zh, en = names[value]  # where, whose, whom: by name (a slug is for SQL)
            text = zh if lang == "zh" else en if lang == "en" or zh == en else f"{zh} {en}"
        elif name == "quote":
            text = f"「{value}」"
        else:
            text = display.field(name, record, lang)
        if value is None and not text:
            drawing.add(Span(cut(label, width - 1), "bold"), Span("—", "dim"))
            continue
        if stacked:
            drawing.add(Span(cut(label.rstrip(), width), "bold"))
        for n, piece in enumerate(wrap(_one_line(text), room)):
            head = Span("" if stacked else label if n == 0 else " " * label_width, "bold")
            drawing.add(
                head, *_marked(piece, figure if name == "quote" else None, "bold yellow reverse")
            )
    chinese = lang == "zh"  # full-width punctuation, as the footer
    for name, (rows, layout) in related.items():
        drawing.add()
        heading = labels.get(name, name)
        if not rows.rows:
            drawing.add(Span(cut(f"{heading}{'：无' if chinese else ': none'}", width), "dim"))
            continue
        count = f"（{len(rows.rows)}）" if chinese else f" ({len(rows.rows)})"
        drawing.add(Span(cut(heading + count, width), "bold"))
        inner, _ = table(rows, layout, View(lang=lang), width)
        drawing.lines += inner.lines[:-1]  # its footer is the count: the heading says it
    return drawing
