"""`zgc coverage`: the coverage ledger, clause by clause; with --source on a terminal, the
report's text marked by what represents each clause."""

import typer

from zgc_cli.commands import command
from zgc_cli.commands.options import NO_OUT, Out, SourceOpt, database, output_options
from zgc_cli.errors import DataError
from zgc_cli.queries.coverage import COVERAGE_SQL, read_clauses

commands = typer.Typer()


@command(
    commands,
    "coverage",
    "zgc coverage",
    "zgc coverage --source zgc-article.txt    the text, each clause marked",
    "zgc coverage -f json",
)
@output_options("data", "fmt", "output", "limit", "no_header", "lang")
def coverage(source: SourceOpt = None, out: Out = NO_OUT) -> None:
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
            sink.result(db, named(COVERAGE_SQL))
            return
        import hashlib

        from zgc_cli import coverage as marking

        sha = hashlib.sha256(report.encode("utf-8")).hexdigest()
        if not db.scalar(named("SELECT count(*) FROM sources WHERE sha256 = $sha"), {"sha": sha}):
            raise DataError(
                f"{source} is not the report the snapshot cites (its SHA-256 differs); "
                "zgc verify --source says more"
            )
        clauses = read_clauses(db)[: out.limit]
        if sink.kind is Format.html:  # a page of the user's copy, each clause marked
            sink.drawn(lambda cite: marking.marked_page(report, clauses, sink.lang.value, cite), db)
        else:
            sink.show(marking.marked(report, clauses, sink.width, sink.lang.value), db=db)
