"""The files that cite the report: pictures (svg, html) of the terminal view, html pages of
rows or of a record, and xlsx workbooks with a citation sheet. The sink decides; these make
the documents. Each reads its citation from the open database, or opens `data` for it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from zgc_cli import output

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database
    from zgc_cli.drawing import Drawing
    from zgc_cli.render import Listed, Rows
    from zgc_cli.terminal import Layout

T = TypeVar("T")


def _with_db(db: Database | None, data: str | None, read: Callable[[Database], T]) -> T:
    """`read(db)`, opening the snapshot `data` for it when the command opened none."""
    if db is not None:
        return read(db)
    from zgc_cli.db.connection import open_database

    opened = open_database(data)
    try:
        return read(opened)
    finally:
        opened.close()


def citation(db: Database | None, data: str | None, lang: str) -> str:
    """A picture's or page's citation line."""
    from zgc_cli import picture
    from zgc_cli.db.statement import named

    def read(opened: Database) -> str:
        rows = opened.run(named(picture.CITATION_SQL)).rows()
        return picture.citation(rows[0] if rows else None, lang)

    return _with_db(db, data, read)


def names(db: Database | None) -> dict[str, tuple[str, str]]:
    """Names of records by id, for a page that shows names where rows hold ids."""
    from zgc_cli import html_table

    return html_table.read_names(db) if db is not None else {}


def page(
    rows: Rows,
    layout: Layout | None,
    *,
    raw: bool,
    lang: str,
    limit: int | None,
    command: str,
    scope: str,
    known: Mapping[str, tuple[str, str]],
    cite: str,
) -> tuple[str, int]:
    """-o FILE.html: the rows as a table in a page (html_table.py); the rows written."""
    from zgc_cli import html_table, terminal

    caption = command if raw else html_table.describe(command, lang)
    markup, count = html_table.table(
        rows,
        layout or terminal.layout_of(rows.columns, rows.types, raw=raw),
        lang=lang,
        raw=raw,
        names=known,
        limit=limit,
        caption=caption + (f" · {scope}" if scope and not raw else ""),
        citation=cite,
    )
    return html_table.document(command, lang, markup), count


def card_page(
    table: str,
    record: dict[str, Any],
    related: Mapping[str, Listed],
    figure: str | None,
    lang: str,
    known: Mapping[str, tuple[str, str]],
    cite: str,
) -> str:
    """`zgc show -o FILE.html`: the record and its related rows in a page."""
    from zgc_cli import html_table, layouts
    from zgc_cli.queries.base import Lang

    layout = {k: layouts.related(r.columns, r.types, Lang(lang)) for k, r in related.items()}
    markup, title = html_table.card(
        table, record, related, layout, figure, lang=lang, names=known, citation=cite
    )
    return html_table.document(title, lang, markup)


def picture(kind: str, drawing: Drawing, width: int, title: str, cite: str, lang: str) -> str:
    """A drawing as an svg picture, or that picture in an html page."""
    from zgc_cli import picture as pictures

    return pictures.export(
        kind, drawing.draw, width=width, title=drawing.title or title, cite=cite, lang=lang
    )


def book(db: Database | None, data: str | None, file: Path) -> list[tuple[str, Any]]:
    """A workbook's citation sheet (the target is checked first, before any query runs)."""
    from zgc_cli import workbook

    output.check_target(file)
    return _with_db(db, data, workbook.citation)


def workbook(
    file: Path,
    sheets: Sequence[tuple[str, Rows]],
    cited: list[tuple[str, Any]],
    *,
    header: bool,
    limit: int | None,
) -> int:
    """-o FILE.xlsx: the rows as typed cells, then the citation; the rows written."""
    from zgc_cli import workbook as books

    with output.temp_beside(file) as tmp:
        return books.write(tmp, sheets, cited, header=header, limit=limit, shown=file)
