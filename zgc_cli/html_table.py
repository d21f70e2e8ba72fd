"""`-o FILE.html` from a list command, `zgc sql` or `zgc show`: a self-contained page (no
scripts, no fonts fetched). Rows become a `<table>`: headers in the reader's language, numbers
right-aligned, names where the data has ids (the id kept as `data-id`); a record a `<dl>` with
its quote. `zgc sql` keeps its own column names and stored values."""

from __future__ import annotations

import re
from collections.abc import Mapping
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zgc_cli.charts import bilingual
from zgc_cli.labels import LABELS_EN, LABELS_ZH
from zgc_cli.picture import xml_text
from zgc_cli.terminal import NUMERIC, Layout, is_id, layout_of

if TYPE_CHECKING:
    from zgc_cli.render import Listed, Rows

Names = Mapping[str, tuple[str, str]]  # any record's id -> its name in Chinese and English

# A page heads an id column by what it shows, its record's name: "Issuer", not "Issuer id".
_HEADS_EN = {k: v.removesuffix(" id") if k.endswith("_id") else v for k, v in LABELS_EN.items()}
_HEADS_EN["yoy_pct"] = "Year on year (%)"
_NAME_KEYS = ("name", "title", "metric")
_NUM = ' class="num"'
_OWN_IDS = ("event_id", "indicator_id", "participant_id", "id")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def header(key: str, lang: str) -> str:
    """A column's header in words: 园区 / Park (bilingual readers get both, but a column in one
    language its own: 名称 | Name, not 名称 Name twice)."""
    base = key.removesuffix("_zh").removesuffix("_en")
    en = _HEADS_EN.get(key) or _HEADS_EN.get(f"{base}_en") or base.replace("_", " ").capitalize()
    if lang == "both" and key != base:
        lang = key[-2:]
    return bilingual(LABELS_ZH.get(key) or LABELS_ZH.get(f"{base}_zh") or en, en, lang)


def table(
    rows: Rows,
    layout: Layout,
    *,
    lang: str,
    names: Names,
    caption: str,
    raw: bool = False,
    limit: int | None = None,
    citation: str = "",
) -> tuple[str, int]:
    """The rows as a `<table>`, and how many there are."""
    from zgc_cli.render import _limited

    keys = [c.key for c in layout.columns]
    own = ""  # the row's own id: the first column's, or an id that names no other record
    if keys and not raw and not all(map(is_id, keys)):
        own = keys[0] if is_id(keys[0]) else next((k for k in keys if k in _OWN_IDS), "")
    shown = [c for c in layout.columns if c.key != own]
    types = dict(zip(rows.columns, rows.types, strict=True))
    numeric = {c.key for c in shown if c.right or types.get(c.key, "").startswith(NUMERIC)}
    css = {c.key: _NUM if c.key in {*numeric, "value"} else "" for c in shown}
    known, body = {} if raw else names, []
    for values in chain.from_iterable(_limited(rows.batches(), limit)):
        row = dict(zip(rows.columns, values, strict=True))
        rid = f' data-id="{xml_text(row[own])}"' if own and row.get(own) is not None else ""
        cells = (
            f'<td{css[c.key]} data-null=""></td>'
            if c.key in row and row[c.key] is None
            else _cell("td", c.key, row.get(c.key), c.text(row, lang), known, lang, css[c.key])
            for c in shown
        )
        body.append(f"<tr{rid}>{''.join(cells)}</tr>")
    heads = "".join(
        f'<th scope="col"{css[c.key]}>{xml_text(c.key if raw else header(c.key, lang))}</th>'
        for c in shown
    )
    count = len(body)
    said = (
        f"（{count:,} 行）" if lang == "zh" else f" ({count:,} {'row' if count == 1 else 'rows'})"
    )
    cite = f'<span class="cite">{xml_text(citation)}</span>' if citation else ""  # a card's: once
    markup = (
        f'<div class="scroll"><table>\n<caption>{xml_text(caption)}{said}{cite}</caption>\n'
        f"<thead><tr>{heads}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody></table></div>"
    )
    return markup, count


def page(
    rows: Rows,
    layout: Layout | None,
    *,
    raw: bool,
    lang: str,
    limit: int | None,
    command: str,
    scope: str,
    known: Names,
    cite: str,
) -> tuple[str, int]:
    """The rows as a table in a page, captioned by what the command shows, from the data
    dictionary (`zgc projects`: "Construction projects and their status ..." or 项目), and the
    options it was given; `zgc sql` by its own name. The rows written."""
    from zgc_cli.dictionary import TABLES

    name = command.removeprefix("zgc").strip()
    shows = {"timeline": "events"}.get(name, name)
    caption = command
    if not raw and shows in TABLES:
        zh = {"parks": "园区与基地", "events": "大事记"}.get(shows) or LABELS_ZH.get(shows, command)
        caption = bilingual(zh, TABLES[shows].description, lang)
    caption += f" · {scope}" if scope and not raw else ""
    laid = layout or layout_of(rows.columns, rows.types, raw=raw)
    markup, count = table(
        rows, laid, lang=lang, raw=raw, names=known, limit=limit, caption=caption, citation=cite
    )
    return document(command, lang, markup), count


def _cell(tag: str, key: str, value: Any, text: str, names: Names, lang: str, css: str = "") -> str:
    """A `<td>` or `<dd>`: the name of the record whose id it holds, else its text's lines,
    an ISO date kept on one line (`2020-02-` / `18` reads as two things)."""
    if is_id(key) and isinstance(value, str) and value in names:
        name = xml_text(bilingual(*names[value], lang))
        return f'<{tag}{css} data-id="{xml_text(value)}">{name}</{tag}>'
    lines = (
        _DATE.sub(lambda found: f'<span class="when">{found.group(0)}</span>', xml_text(line))
        for line in text.splitlines()
    )
    return f"<{tag}{css}>{'<br>'.join(lines)}</{tag}>"


def document(title: str, lang: str, body: str, css: str | None = None) -> str:
    """A self-contained page: no scripts, no fonts or styles fetched; page.css unless `css`."""
    css = css or Path(__file__).with_name("page.css").read_text(encoding="utf-8")
    code = "en" if lang == "en" else "zh-Hans"
    return (
        f'<!DOCTYPE html>\n<html lang="{code}">\n<head>\n<meta charset="UTF-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{xml_text(title)}</title>\n<style>\n{css}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def card(
    table_name: str,
    record: Mapping[str, Any],
    related: Mapping[str, Listed],
    figure: str | None,
    lang: str,
    names: Names,
    citation: str,
) -> str:
    """A page of a record, titled by its name: a `<dl>`, its quote with the figure marked,
    related rows as tables."""
    from zgc_cli import display, layouts
    from zgc_cli.queries.base import Lang

    key = next(iter(record))
    rid = str(record[key])
    named = (str(record[n + x]) for n in _NAME_KEYS for x in ("_zh", "_en") if record.get(n + x))
    title = bilingual(*names[rid], lang) if rid in names else next(named, "") or rid
    items: list[str] = []
    for name in display.card_fields(record, lang):
        value = record[name]
        said = ("编号" if lang == "zh" else "Id") if name == key else header(name, lang)
        if value is None:
            dd = "<dd>—</dd>"
        elif name == "quote":  # each occurrence of the figure marked
            quoted = str(value).split(figure) if figure else [str(value)]
            marked = f"<mark>{xml_text(figure)}</mark>".join(map(xml_text, quoted))
            dd = f"<dd><blockquote>{marked}</blockquote></dd>"
        else:  # the record's own id as it is, another record's as its name
            text = display.cell(name, value, lang)
            dd = _cell("dd", name, value, text, names if name != key else {}, lang)
        items.append(f"<dt>{xml_text(said)}</dt>{dd}")
    parts = [
        f'<article data-id="{xml_text(rid)}" data-table="{xml_text(table_name)}">',
        f"<h1>{xml_text(title)}</h1>",
        f"<dl>{''.join(items)}</dl>",
    ]
    for label, rows in related.items():
        heading = header(label, lang)
        if rows.rows:
            laid = layouts.related(rows.columns, rows.types, Lang(lang))
            parts.append(table(rows, laid, lang=lang, names=names, caption=heading)[0])
        else:
            parts.append(f"<p>{xml_text(heading)}{'：无' if lang == 'zh' else ': none'}</p>")
    parts.append(f'<p class="cite">{xml_text(citation)}</p></article>')
    return document(title, lang, "\n".join(parts))
