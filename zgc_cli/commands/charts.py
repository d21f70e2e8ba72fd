"""`zgc chart`, and the drawing path shared with `zgc timeline --chart`."""

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zgc_cli import queries
from zgc_cli.commands import examples, summary
from zgc_cli.commands.options import (
    NO_OUT,
    Out,
    UnitOpt,
    complete_park,
    database,
    not_blank,
    output_options,
)
from zgc_cli.errors import UsageError
from zgc_cli.queries import Lang, Sort
from zgc_cli.render import Format

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database

commands = typer.Typer()


@commands.command(
    short_help=summary("chart"),
    epilog=examples(
        "zgc chart work_resumption_rate",
        "zgc chart '*resumption*' --cite",
        "zgc chart daily_output --unit bags",
        "zgc chart work_resumption_rate -o rates.svg",
    ),
)
@output_options("data", "lang")
def chart(
    metrics: Annotated[
        list[str],
        typer.Argument(
            metavar="METRIC",
            help="Metric names or "
            "labels (Chinese or English, substring) or globs ('*resumption*').",
        ),
    ],
    unit: UnitOpt = None,
    park: Annotated[
        list[str] | None,
        typer.Option(
            "--park",
            callback=not_blank,
            metavar="PARK",
            help="Only subjects in this park (or its bases); repeatable.",
            autocompletion=complete_park,
        ),
    ] = None,
    sort: Annotated[
        Sort,
        typer.Option(
            "--sort", metavar="FIELD", help="Order bars by value (largest first) or name."
        ),
    ] = Sort.value,
    cite: Annotated[bool, typer.Option("--cite", help="Add each bar's quote.")] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Save the chart: .svg or .html (a picture of the terminal view "
            "with the report's citation) or .txt (plain).",
            dir_okay=False,
        ),
    ] = None,
    out: Out = NO_OUT,
) -> None:
    """Bars of one unit's figures across their subjects: the value as written, hedges shown."""
    from zgc_cli.charts import bars

    unit_id = queries.resolve_unit(unit) if unit else None

    def find(db: "Database") -> Any:
        parks = [queries.resolve_park(db, p) for p in park or []]
        return bars.find_figures(db, metrics, unit_id, parks)

    def text(figures: Any, width: int, glyphs: Any, lang: Lang) -> Any:
        return bars.bar_chart(
            figures, width=width, glyphs=glyphs, lang=lang.value, sort=sort, cite=cite
        )

    def vector(figures: Any, lang: Lang, citation: str) -> tuple[str, str]:
        from zgc_cli.charts import bar_picture

        return bar_picture.bar_svg(
            figures, lang=lang.value, sort=sort, quotes=cite, citation=citation
        )

    show_chart(replace(out, output=output), "chart", find, text, vector)


def show_chart(
    out: Out,
    command: str,
    find: "Callable[[Database], Any]",
    text: "Callable[[Any, int, Any, Lang], Any]",
    vector: "Callable[[Any, Lang, str], tuple[str, str]]",
) -> None:
    """Draw a chart on the terminal (Rich), plainly when piped or to .txt; as an SVG drawing
    (`vector`: the document and its title, given the citation) for .svg, or that drawing in a
    page for .html."""
    from zgc_cli.charts import CHART_WIDTH, Glyphs
    from zgc_cli.sink import PICTURES, Kind

    if out.fmt not in (None, Format.table):
        raise UsageError(
            "a chart is drawn, not tabulated; drop -f (use -o FILE.svg, .html or .txt)"
        )
    if out.output is None:  # a chart is drawn, piped or not: plain text off a terminal
        out = replace(out, fmt=Format.table)
    sink = out.sink(command)
    if sink.kind not in (Kind.table, *PICTURES):
        raise UsageError(f"a chart is written as .svg, .html or .txt, not {out.output}")
    fancy = sink.terminal or sink.kind in PICTURES or (sink.file is None and sink.color)
    width = sink.width if fancy else CHART_WIDTH
    with database(out.data) as db:
        found = find(db)
        if not found:
            raise UsageError("nothing to draw: no figure matches")
        if sink.kind in PICTURES:

            def draw(citation: str) -> str:
                from zgc_cli.charts import vector as svg

                document, title = vector(found, sink.lang, citation)
                return (
                    document
                    if sink.kind is Kind.svg
                    else svg.page(document, title, sink.lang.value)
                )

            sink.drawn(draw, db)
            return
        drawn = text(found, width, Glyphs(ascii=not fancy), sink.lang)
        if not drawn.lines:
            raise UsageError("nothing to draw: no figure matches")
        sink.show(drawn, db.path, db=db)
