"""`zgc coverage`: the coverage ledger, clause by clause; with --source on a terminal, the
report's text marked by what represents each clause."""

import typer

from zgc_cli import queries
from zgc_cli.commands import examples, summary
from zgc_cli.commands.options import NO_OUT, Out, SourceOpt, database, output_options
from zgc_cli.errors import DataError

commands = typer.Typer()


@commands.command(
    short_help=summary("coverage"),
    epilog=examples(
        "zgc coverage",
        "zgc coverage --source zgc-article.txt    the text, each clause marked",
        "zgc coverage -f json",
    ),
)
@output_options("data", "fmt", "output", "limit", "no_header", "lang")
def coverage(
    source: SourceOpt = None,
    out: Out = NO_OUT,
) -> None:
    """The report's clauses in order: `start` and `end` (character offsets, end exclusive),
    the `rows` that represent each, or the `reason` none does.

    With --source on a terminal (or -f table), each clause's text from your copy of the report
    is shown above what represents it; the snapshot never holds the text. Elsewhere the four
    columns alone, with or without --source.
    """
    from zgc_cli.db.statement import named
    from zgc_cli.render import Format
    from zgc_cli.verify import read_report

    sink = out.sink("coverage")
    report = read_report(source) if source is not None else None
    with database(out.data) as db:
        if report is None or not sink.draws:
            sink.result(db, named(queries.COVERAGE_SQL))
            return
        import hashlib

        from zgc_cli.coverage import marked

        digest = hashlib.sha256(report.encode("utf-8")).hexdigest()
        if (
            db.scalar(named("SELECT count(*) FROM sources WHERE sha256 = $sha"), {"sha": digest})
            == 0
        ):
            raise DataError(
                f"{source} is not the report the snapshot cites (its SHA-256 differs); "
                "zgc verify --source says more"
            )
        clauses = queries.read_clauses(db)[: out.limit]
        if sink.kind is Format.html:  # a page of the user's copy, each clause marked
            from zgc_cli.coverage import marked_page

            sink.drawn(lambda cite: marked_page(report, clauses, sink.lang.value, cite), db)
            return
        drawing = marked(report, clauses, sink.width, sink.lang.value)
        sink.show(drawing, db=db)
