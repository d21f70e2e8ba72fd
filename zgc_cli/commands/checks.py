"""Maintainer and safety commands: `build` (hidden) and `verify`."""

from pathlib import Path
from typing import Annotated

import typer

from zgc_cli import diagnostics
from zgc_cli.commands import examples, summary
from zgc_cli.commands.options import (
    NO_OUT,
    Out,
    output_options,
    stuck,
)
from zgc_cli.diagnostics import note
from zgc_cli.errors import DataError

commands = typer.Typer()


@commands.command(short_help=summary("build"), hidden=True)
def build(
    check: Annotated[bool, typer.Option("--check", help="Validate only; write nothing.")] = False,
    sources: Annotated[
        Path, typer.Option("--sources", metavar="DIR", help="Curated CSV directory.")
    ] = Path("data/source"),
    out: Annotated[Path, typer.Option("--out", metavar="FILE", help="Snapshot to write.")] = Path(
        "data/zgc.parquet"
    ),
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", envvar="ZGC_SOURCE", metavar="FILE", help="The report, to check quotes."
        ),
    ] = None,
) -> None:
    """Maintainers: validate data/source/*.csv and write data/zgc.parquet (atomically)."""
    from zgc_cli import build as builder

    report_path = report or builder.default_report_path()
    if not report_path.is_file():
        note(f"report not found at {report_path}; quotes and SHA-256 are not checked")
    try:
        curated = builder.build(sources, None if check else out, report_path)
    except builder.BuildError as exc:
        for problem in exc.problems:
            diagnostics.problem(str(problem))
        raise
    counts = ", ".join(f"{name} {count}" for name, count in curated.count().items())
    note(f"{'checked' if check else f'wrote {out}'}: {counts}")


@commands.command(
    short_help=summary("verify"),
    epilog=examples(
        "zgc verify",
        "zgc verify --source zgc-article.txt -f json",
    ),
)
@output_options("data", "fmt", "output", "no_header")
def verify(
    source: Annotated[
        Path | None,
        typer.Option(
            "--source",
            envvar="ZGC_SOURCE",
            show_envvar=True,
            dir_okay=False,
            metavar="FILE",
            help="The report's text, to check every quote and its SHA-256.",
        ),
    ] = None,
    out: Out = NO_OUT,
) -> None:
    """Check the snapshot: schema version, row counts against its metadata, vocabularies,
    foreign keys; with --source, every quote and the report's SHA-256. Exit 1 on a failure."""
    from zgc_cli import verify as verifier
    from zgc_cli.db.connection import open_database
    from zgc_cli.db.snapshot import locate
    from zgc_cli.render import Listed

    sink = out.sink("verify")
    checks = verifier.verify(lambda: open_database(out.data, on_stuck=stuck), source)
    rows = Listed(verifier.COLUMNS, ["VARCHAR"] * 3, verifier.as_rows(checks))
    sink.listed(rows, snapshot=locate(out.data))
    bad = [c for c in checks if c.status == verifier.FAIL]
    if len(bad) == 1 and bad[0].name == "snapshot opens":
        raise DataError(bad[0].detail)
    if bad:
        raise DataError(f"verify failed: {', '.join(c.name for c in bad)}")
