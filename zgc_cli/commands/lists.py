"""The list commands: parks, projects, indicators, companies, programs, products, timeline.

Each maps its options to a named query (queries.py) and hands it to the one output path.
"""

from typing import Annotated, Any

import typer

from zgc_cli.commands import command
from zgc_cli.commands.emit import emit_named
from zgc_cli.commands.options import (
    NO_OUT,
    Out,
    ParkOpt,
    SinceOpt,
    UnitOpt,
    UntilOpt,
    complete_from,
    complete_status,
    dates,
    output_options,
    text_option,
)
from zgc_cli.queries.base import Lang, Query, view_columns
from zgc_cli.queries.lists import (
    PRODUCT_COLUMNS,
    PROJECT_COLUMNS,
    companies_query,
    indicators_query,
    parks_query,
    products_query,
    programs_query,
    projects_query,
    timeline_query,
)
from zgc_cli.queries.metrics import exact_metrics
from zgc_cli.queries.resolve import (
    check_metric,
    resolve_kinds,
    resolve_park,
    resolve_statuses,
    resolve_unit,
)

commands = typer.Typer()


def _park(db: Any, park: str | None) -> str | None:
    return resolve_park(db, park) if park else None


@command(commands, "parks", "zgc parks --district 海淀 -f json")
@output_options()
def parks(
    district: Annotated[
        str | None, text_option("--district", "District name, Chinese or English (海淀, Haidian).")
    ] = None,
    out: Out = NO_OUT,
) -> None:
    """The parks and bases of the zone, with district and aliases."""
    emit_named(
        out,
        "parks",
        lambda db: parks_query(district),
        view_columns("parks"),
        explain=lambda db: _queries("explain").explain_district(db, district),
    )


@command(
    commands,
    "projects",
    "zgc projects --status started",
    "zgc projects --status 开工 --park 顺义 -f json",
    "zgc projects --sort investment_yuan --desc",
)
@output_options()
def projects(
    status: Annotated[
        list[str] | None,
        text_option(
            "--status -s",
            "started (开工), resumed (复工), under_construction (在建), "
            "completed (建成), planned; repeatable or comma-separated.",
            "STATUS",
            autocompletion=complete_status,
        ),
    ] = None,
    park: ParkOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    sort: Annotated[
        str | None, text_option("--sort", "Field to sort by (default status_date).", "FIELD")
    ] = None,
    desc: Annotated[bool, typer.Option("--desc", help="Sort descending.")] = False,
    out: Out = NO_OUT,
) -> None:
    """Which projects started (开工), resumed (复工) or are being built: park, date, money.

    Each row carries the report's own sentence in `quote`; investment_yuan is in yuan
    (11.9亿元 = 1,190,000,000). `zgc show ID` prints one project with its events and figures.
    """
    statuses = resolve_statuses(status or [])
    start, end = dates(since, until)
    emit_named(
        out,
        "projects",
        lambda db: projects_query(statuses, _park(db, park), start, end, sort, desc),
        PROJECT_COLUMNS,
    )


@command(
    commands,
    "indicators",
    "zgc indicators --metric resumption",
    "zgc indicators --park 密云 --unit percent",
    "zgc indicators --period Q1             (also 一季度, 2020-Q1)",
    "zgc indicators --park 海淀区 -o figures.xlsx",
)
@output_options()
def indicators(
    park: ParkOpt = None,
    subject: Annotated[
        str | None,
        text_option(
            "--subject",
            "Subject type (zone, park, company, project, program, product) or part of a "
            "subject id.",
        ),
    ] = None,
    metric: Annotated[
        str | None,
        text_option(
            "--metric",
            "Metric name or label, Chinese or English; substring or glob ('*revenue*').",
            "METRIC",
        ),
    ] = None,
    unit: UnitOpt = None,
    period: Annotated[
        str | None,
        text_option(
            "--period",
            "Period the figure covers: 2020-Q1 (or Q1, 一季度), 2020 (今年), "
            "2020-01/2020-02 (1~2月), daily (每天), annual.",
            "PERIOD",
            autocompletion=complete_from(lambda db: _queries("period_names").periods(db)),
        ),
    ] = None,
    out: Out = NO_OUT,
) -> None:
    """Every figure of the report: value in base units, the words as written, hedge, quote."""
    unit_id = resolve_unit(unit) if unit else None

    def build(db: Any) -> Query:
        exact = metric is not None and metric in exact_metrics(db, [metric])
        if metric is not None and not exact:
            check_metric(db, metric)
        return indicators_query(
            _park(db, park),
            subject,
            metric,
            unit_id,
            _queries("period_names").resolve_period(db, period) if period else None,
            exact_metric=exact,
        )

    emit_named(
        out,
        "indicators",
        build,
        view_columns("indicators"),
        explain=lambda db: _queries("explain").explain_indicators(db, subject, metric),
    )


@command(commands, "companies", "zgc companies --park chaoyang")
@output_options()
def companies(park: ParkOpt = None, out: Out = NO_OUT) -> None:
    """Companies and institutions the report names, with park and sector."""
    emit_named(
        out, "companies", lambda db: companies_query(_park(db, park)), view_columns("companies")
    )


def complete_kind(incomplete: str) -> list[str]:
    from zgc_cli.dictionary import PRODUCT_KINDS, PROGRAM_KINDS

    return [k for k in (*PROGRAM_KINDS, *PRODUCT_KINDS) if k.startswith(incomplete)]


KindOpt = Annotated[
    list[str] | None,
    text_option(
        "--kind",
        "Only this kind (see the list above); repeatable or comma-separated.",
        "KIND",
        autocompletion=complete_kind,
    ),
]
IssuerOpt = Annotated[
    str | None,
    text_option(
        "--issuer", "Part of the issuer's id or name, Chinese or English (管委会, Haidian)."
    ),
]
CompanyOpt = Annotated[
    str | None,
    text_option("--company", "Part of the maker's id or name, Chinese or English (megvii, 旷视)."),
]


def _by_kind(
    out: Out, name: str, park: str | None, kind: list[str] | None, who: str | None
) -> None:
    """programs and products: a park, kinds of the command's own and who issued or made it."""
    from zgc_cli.dictionary import PRODUCT_KINDS, PROGRAM_KINDS

    kinds_of, what, query, columns = (
        (PROGRAM_KINDS, "programme kind", programs_query, view_columns("programs"))
        if name == "programs"
        else (PRODUCT_KINDS, "product kind", products_query, PRODUCT_COLUMNS)
    )
    kinds = resolve_kinds(kind or [], kinds_of, what)
    emit_named(
        out,
        name,
        lambda db: query(_park(db, park), kinds, who),
        columns,
        explain=lambda db: getattr(_queries("explain"), f"explain_{name}")(db, who),
    )


@command(
    commands,
    "programs",
    "zgc programs --kind loan,fund",
    "zgc programs --park haidian",
    "zgc programs --issuer 管委会 -f json",
    "zgc show zgc-anti-epidemic-loan",
)
@output_options()
def programs(
    park: ParkOpt = None, kind: KindOpt = None, issuer: IssuerOpt = None, out: Out = NO_OUT
) -> None:
    """Policies, programmes, funds, loans, campaigns and event series: issuer, park, launch.

    Kinds: loan, fund, policy, policy_document, service, event_series, job_fair, campaign.
    `zgc show ID` prints one with its participants (the 8 banks of the loan), events and
    figures.
    """
    _by_kind(out, "programs", park, kind, issuer)


@command(
    commands,
    "products",
    "zgc products --kind medicine",
    "zgc products --park 密云",
    "zgc products --company megvii -f json",
)
@output_options()
def products(
    park: ParkOpt = None, kind: KindOpt = None, company: CompanyOpt = None, out: Out = NO_OUT
) -> None:
    """Things the report's companies made or launched: maker, its park, quote.

    Kinds: machine, system, collaboration_tool, medicine, robot. A product's park is its
    maker's.
    """
    _by_kind(out, "products", park, kind, company)


@command(
    commands,
    "timeline",
    "zgc timeline --since 2020-03-01 --until 2020-04-30",
    "zgc timeline --chart",
    "zgc timeline --chart --lang en -o timeline.svg",
)
@output_options()
def timeline(
    since: SinceOpt = None,
    until: UntilOpt = None,
    chart: Annotated[
        bool,
        typer.Option(
            "--chart", help="Draw the dated events on a January-June 2020 axis, a letter per park."
        ),
    ] = False,
    out: Out = NO_OUT,
) -> None:
    """Dated events in date order (大年三十 = 2020-01-24 ... 4月17日 = 2020-04-17)."""
    start, end = dates(since, until)
    if chart or (out.output is not None and out.output.suffix.lower() == ".svg"):
        from zgc_cli.charts import timeline
        from zgc_cli.commands.emit import show_chart

        def vector(events: Any, lang: Lang, citation: str) -> tuple[str, str]:
            from zgc_cli.charts import timeline_picture

            return timeline_picture.timeline_svg(events, lang=lang.value, citation=citation)

        show_chart(
            out,
            "timeline",
            lambda db: timeline.find_events(db, start, end, out.limit),
            lambda events, width, glyphs, lang: timeline.timeline_chart(
                events, width=width, glyphs=glyphs, lang=lang.value
            ),
            vector,
        )
        return
    emit_named(out, "timeline", lambda db: timeline_query(start, end), view_columns("events"))


def _queries(name: str) -> Any:
    """queries.explain and queries.period_names, loaded only when asked for: `zgc parks`
    explains nothing and reads no period (test_import_budget)."""
    from importlib import import_module

    return import_module(f"zgc_cli.queries.{name}")
