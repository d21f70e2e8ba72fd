"""`zgc chart`: bars of figures, drawn by the path `zgc timeline --chart` takes too."""

from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from zgc_cli.commands.emit import show_chart
from zgc_cli.commands.options import NO_OUT, Out, command, complete_park, text_option
from zgc_cli.queries.base import Lang, Sort
from zgc_cli.queries.resolve import resolve_park, resolve_unit

METRICS = typer.Argument(
    metavar="METRIC",
    help="Metric names or labels (Chinese or English, substring) or globs ('*resumption*').",
)
PARK = text_option(
    "--park",
    "Only subjects in this park (or its bases); repeatable.",
    "PARK",
    autocompletion=complete_park,
)
SORT = typer.Option("--sort", metavar="FIELD", help="Order bars by value (largest first) or name.")
OUTPUT = typer.Option(
    "--output",
    "-o",
    metavar="FILE",
    dir_okay=False,
    help="Save the chart: .svg or .html (a picture of the terminal view with the report's "
    "citation) or .txt (plain).",
)


@command(
    "chart",
    "zgc chart work_resumption_rate",
    "zgc chart '*resumption*' --cite",
    "zgc chart daily_output --unit bags",
    "zgc chart work_resumption_rate -o rates.svg",
    out=("data", "lang", "no_pager"),  # a tall chart is paged
)
def chart(
    metrics: Annotated[list[str], METRICS],
    unit: str | None = None,
    park: Annotated[list[str] | None, PARK] = None,
    sort: Annotated[Sort, SORT] = Sort.value,
    cite: bool = False,
    output: Annotated[Path | None, OUTPUT] = None,
    out: Out = NO_OUT,
) -> None:
    """Bars of one unit's figures across their subjects: the value as written, hedges shown."""
    from zgc_cli.charts import bars
    from zgc_cli.queries.charts import find_figures

    unit_id = resolve_unit(unit) if unit else None

    def vector(figures: Any, lang: Lang, citation: str) -> tuple[str, str]:
        from zgc_cli.charts.bar_picture import bar_svg

        return bar_svg(figures, lang=lang.value, sort=sort, quotes=cite, citation=citation)

    show_chart(
        replace(out, output=output),
        lambda db: find_figures(db, metrics, unit_id, [resolve_park(db, p) for p in park or []]),
        lambda figures, width, glyphs, lang: bars.bar_chart(
            figures, width=width, glyphs=glyphs, lang=lang.value, sort=sort, cite=cite
        ),
        vector,
    )
