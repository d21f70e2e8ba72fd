"""The two paths every command's output takes: a named query to the sink (the list commands,
search) and a chart (chart, timeline --chart). Commands map options to one of these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from zgc_cli import diagnostics
from zgc_cli.commands.options import Out, database
from zgc_cli.errors import UsageError
from zgc_cli.queries.base import Lang, Query, pick_columns, reader_columns, view_columns
from zgc_cli.render import PICTURES, Format

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database


def emit_named(
    out: Out,
    build: Callable[[Database], Query],
    available: list[str] | None = None,
    *,
    explain: Callable[[Database], list[str]] | None = None,
    highlight: str | None = None,
) -> None:
    """Run a named command's query and write it: drawn, its view's columns (layouts.py), else
    all it can show (`available`, default its view's). No row: `explain` notes which filter
    matches nothing on its own."""
    from zgc_cli.db.statement import named

    command = out.command
    available = available or view_columns(command)
    sink = out.sink()
    view = None
    with database(out.data, streaming=sink.streams) as db:
        query = build(db)
        if sink.draws:
            from zgc_cli import layouts  # the terminal view's columns: only when it draws

            if out.columns:  # every one asked for; a figure with its unit, hedge and basis
                columns, view = layouts.asked(
                    pick_columns(available, out.columns, sink.lang), available, sink.lang
                )
            else:
                columns = layouts.sources(command, sink.lang)
                view = layouts.layout(command, sink.lang, len(reader_columns(available, sink.lang)))
        else:
            columns = pick_columns(available, out.columns, sink.lang)
        written = sink.result(
            db, named(query.sql(columns)), query.params, layout=view, highlight=highlight
        )
        if written == 0 and out.limit != 0 and explain is not None:
            reasons = explain(db)
            if reasons:  # one line after "no rows match", however many filters
                diagnostics.note("; ".join(reasons))


def show_chart(
    out: Out,
    find: Callable[[Database], Any],
    text: Callable[[Any, int, Any, Lang], Any],
    vector: Callable[[Any, Lang, str], tuple[str, str]],
) -> None:
    """A chart on the terminal, plain when piped or to .txt; `vector` (the SVG and its title,
    given the citation) for .svg, or in a page for .html."""
    from zgc_cli.charts import CHART_WIDTH, Glyphs

    if out.fmt not in (None, Format.table):
        raise UsageError(
            "a chart is drawn, not tabulated; drop -f (use -o FILE.svg, .html or .txt)"
        )
    if out.output is None:  # a chart is drawn, piped or not: plain text off a terminal
        out = replace(out, fmt=Format.table)
    sink = out.sink()
    if sink.kind not in (Format.table, *PICTURES):
        raise UsageError(f"a chart is written as .svg, .html or .txt, not {out.output}")
    fancy = sink.terminal or sink.kind in PICTURES or (sink.file is None and sink.color)
    width = sink.width if fancy else CHART_WIDTH
    with database(out.data) as db:
        found = find(db)
        if not found:
            raise UsageError("nothing to draw: no figure matches")
        if sink.kind in PICTURES:
            from zgc_cli.charts import vector as svg

            lang = sink.lang.value

            def draw(citation: str) -> str:
                document, title = vector(found, sink.lang, citation)
                return document if sink.kind is Format.svg else svg.page(document, title, lang)

            sink.drawn(draw, db)
            return
        sink.show(text(found, width, Glyphs(ascii=not fancy), sink.lang), db=db)
