"""The list commands: parks, projects, indicators, companies, programs, products, timeline.
Each maps its options to a named query and hands it to the one output path (emit_named)."""

from typing import Any

from zgc_cli.commands.emit import emit_named
from zgc_cli.commands.options import NO_OUT, Out, command
from zgc_cli.errors import UsageError
from zgc_cli.queries import lists as named, resolve
from zgc_cli.queries.base import Lang, Query, view_columns
from zgc_cli.queries.metrics import exact_metrics


def _park(db: Any, park: str | None) -> str | None:
    return resolve.resolve_park(db, park) if park else None


@command("parks", "zgc parks --district 海淀 -f json")
def parks(district: str | None = None, out: Out = NO_OUT) -> None:
    """The parks and bases of the zone, with district and aliases."""
    emit_named(
        out,
        lambda db: named.parks_query(district),
        explain=lambda db: named.explain_district(db, district),
    )


@command(
    "projects",
    "zgc projects --status started",
    "zgc projects --status 开工 --park 顺义 -f json",
    "zgc projects --sort investment_yuan --desc",
)
def projects(
    status: list[str] | None = None,
    park: str | None = None,
    since: str | None = None,
    until: str | None = None,
    sort: str | None = None,
    desc: bool = False,
    out: Out = NO_OUT,
) -> None:
    """Which projects started (开工), resumed (复工) or are being built: park, date, money.

    Each row carries the report's own sentence in `quote`; investment_yuan is in yuan
    (11.9亿元 = 1,190,000,000). `zgc show ID` prints one project with its events and figures.
    """
    statuses = resolve.resolve_statuses(status or [])
    start, end = resolve.dates(since, until)
    emit_named(
        out,
        lambda db: named.projects_query(statuses, _park(db, park), start, end, sort, desc),
        named.PROJECT_COLUMNS,
    )


@command(
    "indicators",
    "zgc indicators --metric resumption",
    "zgc indicators --park 密云 --unit percent",
    "zgc indicators --period Q1             (also 一季度, 2020-Q1)",
    "zgc indicators --park 海淀区 -o figures.xlsx",
)
def indicators(
    park: str | None = None,
    subject: str | None = None,
    metric: str | None = None,
    unit: str | None = None,
    period: str | None = None,
    out: Out = NO_OUT,
) -> None:
    """Every figure of the report: value in base units, the words as written, hedge, quote."""
    unit_id = resolve.resolve_unit(unit) if unit else None

    def build(db: Any) -> Query:
        exact = metric is not None and metric in exact_metrics(db, [metric])
        # A metric no figure has is a usage error, as in `zgc chart`: not "no figures".
        if metric is not None and not exact:
            why = named.explain_indicators(db, None, metric)
            if why:
                raise UsageError(why[0])
        return named.indicators_query(
            _park(db, park),
            subject,
            metric,
            unit_id,
            resolve.resolve_period(db, period) if period else None,
            exact_metric=exact,
        )

    emit_named(
        out,
        build,
        explain=lambda db: named.explain_indicators(db, subject, metric),
    )


@command("companies", "zgc companies --park chaoyang")
def companies(park: str | None = None, out: Out = NO_OUT) -> None:
    """Companies and institutions the report names, with park and sector."""
    emit_named(out, lambda db: named.companies_query(_park(db, park)))


def _by_kind(out: Out, park: str | None, kind: list[str] | None, who: str | None) -> None:
    from zgc_cli.dictionary import PRODUCT_KINDS, PROGRAM_KINDS

    name = out.command
    kinds_of, what, query, columns = (
        (PROGRAM_KINDS, "programme kind", named.programs_query, None)
        if name == "programs"
        else (PRODUCT_KINDS, "product kind", named.products_query, named.PRODUCT_COLUMNS)
    )
    kinds = resolve.resolve_kinds(kind or [], kinds_of, what)
    emit_named(
        out,
        lambda db: query(_park(db, park), kinds, who),
        columns,
        explain=lambda db: named.explain_who(db, name, who),
    )


@command(
    "programs",
    "zgc programs --kind loan,fund",
    "zgc programs --park haidian",
    "zgc programs --issuer 管委会 -f json",
    "zgc show zgc-anti-epidemic-loan",
)
def programs(
    park: str | None = None,
    kind: list[str] | None = None,
    issuer: str | None = None,
    out: Out = NO_OUT,
) -> None:
    """Policies, programmes, funds, loans, campaigns and event series: issuer, park, launch.

    Kinds: loan, fund, policy, policy_document, service, event_series, job_fair, campaign.
    `zgc show ID` prints one with its participants (the 8 banks of the loan), events and
    figures.
    """
    _by_kind(out, park, kind, issuer)


@command(
    "products",
    "zgc products --kind medicine",
    "zgc products --park 密云",
    "zgc products --company megvii -f json",
)
def products(
    park: str | None = None,
    kind: list[str] | None = None,
    company: str | None = None,
    out: Out = NO_OUT,
) -> None:
    """Things the report's companies made or launched: maker, its park, quote.

    Kinds: machine, system, collaboration_tool, medicine, robot. A product's park is its
    maker's.
    """
    _by_kind(out, park, kind, company)


@command(
    "timeline",
    "zgc timeline --since 2020-03-01 --until 2020-04-30",
    "zgc timeline --chart",
    "zgc timeline --chart --lang en -o timeline.svg",
)
def timeline(
    since: str | None = None, until: str | None = None, chart: bool = False, out: Out = NO_OUT
) -> None:
    """Dated events in date order (大年三十 = 2020-01-24 ... 4月17日 = 2020-04-17)."""
    start, end = resolve.dates(since, until)
    if chart or (out.output is not None and out.output.suffix.lower() == ".svg"):
        from zgc_cli.charts import timeline
        from zgc_cli.commands.emit import show_chart

        def vector(events: Any, lang: Lang, citation: str) -> tuple[str, str]:
            from zgc_cli.charts import timeline_picture

            return timeline_picture.timeline_svg(events, lang=lang.value, citation=citation)

        show_chart(
            out,
            lambda db: timeline.find_events(db, start, end, out.limit),
            lambda events, width, glyphs, lang: timeline.timeline_chart(
                events, width=width, glyphs=glyphs, lang=lang.value
            ),
            vector,
        )
        return
    emit_named(out, lambda db: named.timeline_query(start, end), view_columns("events"))
