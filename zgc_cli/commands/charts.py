"""`zgc chart`, and the drawing path shared with `zgc timeline --chart`."""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zgc_cli import queries
from zgc_cli.commands.deliver import database, save_picture, stdout_guard
from zgc_cli.commands.options import (
    DataOpt,
    LangOpt,
    Out,
    UnitOpt,
    complete_park,
    examples,
    not_blank,
)
from zgc_cli.errors import UsageError
from zgc_cli.queries import Lang, Sort
from zgc_cli.render import Format

if TYPE_CHECKING:
    from zgc_cli.db import Database

commands = typer.Typer()


@commands.command(
    epilog=examples(
        "zgc chart work_resumption_rate",
        "zgc chart '*resumption*' --cite",
        "zgc chart daily_output --unit bags",
        "zgc chart work_resumption_rate -o rates.svg",
    )
)
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
    data: DataOpt = None,
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
    lang: LangOpt = Lang.both,
) -> None:
    """Bars of one unit's figures across their subjects: the value as written, hedges shown."""
    from zgc_cli import chart as charts

    unit_id = queries.resolve_unit(unit) if unit else None
    out = Out(data, None, output, None, None, lang, False)

    def build(db: "Database", width: int, glyphs: Any) -> Any:
        parks = [queries.resolve_park(db, p) for p in park or []]
        return charts.bar_chart(
            charts.find_figures(db, metrics, unit_id, parks),
            width=width,
            glyphs=glyphs,
            lang=lang.value,
            sort=sort,
            cite=cite,
        )

    show_chart(out, build)


def show_chart(out: Out, build: "Callable[[Database, int, Any], Any]") -> None:
    """Draw a chart on the terminal (Rich), plainly when piped or to .txt, or as a picture."""
    import shutil

    from zgc_cli import chart as charts
    from zgc_cli import output as outputs
    from zgc_cli.render import color_wanted, is_terminal

    if out.fmt not in (None, Format.table):
        raise UsageError(
            "a chart is drawn, not tabulated; drop -f (use -o FILE.svg, .html or .txt)"
        )
    kind = out.output.suffix.lower().lstrip(".") if out.output is not None else None
    if kind == "htm":
        kind = "html"
    if kind not in (None, "svg", "html", "txt"):
        raise UsageError(f"a chart is written as .svg, .html or .txt, not {out.output}")
    terminal = out.output is None and is_terminal(sys.stdout)
    color = out.output is None and color_wanted(sys.stdout)
    if terminal or kind in ("svg", "html"):
        width = shutil.get_terminal_size((charts.CHART_WIDTH, 24)).columns
    else:
        width = charts.CHART_WIDTH
    glyphs = charts.Glyphs(ascii=kind == "txt" or not (terminal or color or kind))
    with database(out.data) as db:
        drawn = build(db, width, glyphs)
        if kind in ("svg", "html"):
            assert kind is not None
            save_picture(out, kind, db, None, title=drawn.title, draw=drawn.draw, width=width)
        elif out.output is not None:
            with outputs.atomic_text(out.output, db.path) as handle:
                handle.write(drawn.plain())
        else:
            with stdout_guard():
                drawn.write(sys.stdout, fancy=terminal or color, color=color, width=width)
