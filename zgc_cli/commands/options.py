"""The options every command shares, declared once, and what they resolve to.

`Out` carries the common output options; completions offer park ids, statuses and ids.
Imports nothing heavy: this module is loaded for `zgc --help`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from zgc_cli import queries
from zgc_cli.errors import UsageError, ZgcError
from zgc_cli.queries import Lang, Status
from zgc_cli.render import Format

if TYPE_CHECKING:
    from zgc_cli.db import Database


def complete_from(values: Callable[[Database], list[str]]) -> Callable[[str], list[str]]:
    """A shell completion over the snapshot; the connection is closed before the shell reads
    the answer (an open one aborted the process at exit under the memory bound)."""

    def complete(incomplete: str) -> list[str]:
        from zgc_cli.db import open_database

        try:
            db = open_database(os.environ.get("ZGC_DATA"))
        except (ZgcError, OSError):
            return []
        try:
            return [value for value in values(db) if value.startswith(incomplete)]
        except (ZgcError, OSError):
            return []
        finally:
            db.close()

    return complete


complete_park = complete_from(lambda db: [str(p["park_id"]) for p in queries.park_table(db)])


def complete_status(incomplete: str) -> list[str]:
    return [s.value for s in Status if s.value.startswith(incomplete)]


def not_blank(value: Any) -> Any:
    """Option callback: an empty value is a mistake, not "no filter" (`--park ''`)."""
    values = value if isinstance(value, list | tuple) else [value]
    if any(v is not None and not str(v).strip() for v in values):
        raise typer.BadParameter("must not be empty")
    return value


def examples(*lines: str) -> str:
    """A command's epilog: worked examples, one per line (\\b keeps click from rewrapping)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


DataOpt = Annotated[
    str | None,
    typer.Option(
        "--data",
        envvar="ZGC_DATA",
        callback=not_blank,
        metavar="PATH",
        help="Snapshot to read (default: the bundled one).",
        show_envvar=True,
    ),
]
FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format (default: table on a terminal, "
        "tab-separated when piped, or from the -o extension).",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE atomically (.csv .tsv .json .jsonl .md "
        ".txt; .parquet for query results; .svg .html: a picture of the terminal "
        "view with the report's citation).",
        dir_okay=False,
    ),
]
LimitOpt = Annotated[
    int | None, typer.Option("--limit", min=0, metavar="N", help="Show at most N rows.")
]
ColumnsOpt = Annotated[
    str | None,
    typer.Option("--columns", callback=not_blank, metavar="A,B,C", help="Columns to show: a,b,c."),
]
LangOpt = Annotated[Lang, typer.Option("--lang", help="Name and label columns to show.")]
NoHeaderOpt = Annotated[bool, typer.Option("--no-header", help="Omit the header (csv/tsv).")]
ParkOpt = Annotated[
    str | None,
    typer.Option(
        "--park",
        callback=not_blank,
        metavar="PARK",
        help="Park by id, Chinese or English name or alias (shunyi, 顺义, 顺义园, Shunyi).",
        autocompletion=complete_park,
    ),
]
UnitOpt = Annotated[
    str | None,
    typer.Option(
        "--unit",
        callback=not_blank,
        metavar="UNIT",
        help="Only figures in this unit: yuan, m2, percent, people, enterprises, ... "
        "(a chart of metrics in several units needs one).",
    ),
]
SinceOpt = Annotated[
    str | None, typer.Option("--since", metavar="DATE", help="On or after DATE (YYYY-MM-DD).")
]
UntilOpt = Annotated[
    str | None, typer.Option("--until", metavar="DATE", help="On or before DATE (YYYY-MM-DD).")
]


@dataclass(frozen=True)
class Out:
    """The common output options of every command."""

    data: str | None
    fmt: Format | None
    output: Path | None
    limit: int | None
    columns: str | None
    lang: Lang
    no_header: bool

    def format_for(self, stream: TextIO) -> tuple[Format | str, bool]:
        """The format to write and whether a person is watching (terminal table)."""
        from zgc_cli.render import EXTENSIONS, is_terminal

        if self.fmt is not None:
            return self.fmt, self.output is None and is_terminal(stream)
        if self.output is not None:
            suffix = self.output.suffix.lower()
            if suffix not in EXTENSIONS:
                raise UsageError(
                    f"cannot tell the format of {self.output.name}; use -f "
                    f"({', '.join(f.value for f in Format)}) or a known extension"
                )
            chosen = EXTENSIONS[suffix]
            return (Format(chosen) if chosen in Format.__members__ else chosen), False
        if is_terminal(stream):
            return Format.table, True
        return Format.tsv, False  # piped: one plain record per line, greppable


def option_date(text: str | None, option: str) -> Any:
    return None if text is None else queries.parse_date(text, option)
