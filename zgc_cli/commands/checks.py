"""`zgc verify`: what a user checks of the snapshot (and, with --source, of their report)."""

import typer

from zgc_cli.commands import command
from zgc_cli.commands.options import NO_OUT, Out, SourceOpt, output_options, stuck
from zgc_cli.errors import DataError

commands = typer.Typer()


@command(commands, "verify", "zgc verify", "zgc verify --source zgc-article.txt -f json")
@output_options("data", "fmt", "output", "no_header")
def verify(source: SourceOpt = None, out: Out = NO_OUT) -> None:
    """Check the snapshot: schema version, row counts against its metadata, vocabularies,
    foreign keys; with --source, every quote and the report's SHA-256. Exit 1 on a failure."""
    from zgc_cli import verify as verifier
    from zgc_cli.db.connection import open_database
    from zgc_cli.render import Listed

    sink = out.sink("verify")
    checks = verifier.verify(lambda: open_database(out.data, on_stuck=stuck), source)
    sink.listed(Listed(verifier.COLUMNS, ["VARCHAR"] * 3, list(checks)))
    bad = [c for c in checks if c.status == verifier.FAIL]
    if len(bad) == 1 and bad[0].name == "snapshot opens":
        raise DataError(bad[0].detail)
    if bad:
        raise DataError(f"verify failed: {', '.join(c.name for c in bad)}")
