"""The commands, one module per family, and the list of them cli.py serves.

COMMANDS names each command's module and its line in `zgc --help`, so the help lists every
command and `zgc parks` imports only the module of `parks`: no command module is imported
until its command runs (or its help or completion is asked for).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class Entry:
    """A command's module (under zgc_cli.commands) and its line in `zgc --help`, at most 60
    characters so 80 columns show it whole. A plain class: every start-up builds these."""

    __slots__ = ("hidden", "module", "summary")

    def __init__(self, module: str, summary: str, *, hidden: bool = False) -> None:
        self.module = module
        self.summary = summary
        self.hidden = hidden


COMMANDS: dict[str, Entry] = {
    "parks": Entry("lists", "The parks and bases, with district and aliases"),
    "projects": Entry("lists", "Projects started, resumed or being built: money, area"),
    "indicators": Entry("lists", "Every figure, in base units beside the report's words"),
    "companies": Entry("lists", "Companies and institutions the report names"),
    "programs": Entry("lists", "Policies, funds, loans, campaigns, and who took part"),
    "products": Entry("lists", "What the companies made or launched, and the maker"),
    "timeline": Entry("lists", "Dated events in order (大年三十 = 2020-01-24)"),
    "show": Entry("records", "One record as a card: fields, quote, related rows"),
    "search": Entry("records", "Find text in ids, names, labels and quotes"),
    "tables": Entry("records", "Each view with its row count"),
    "schema": Entry("records", "Columns of each view: type, unit and meaning"),
    "info": Entry("records", "The snapshot and the report it cites"),
    "sql": Entry("sql", "Run read-only SQL over the views (a shell on a terminal)"),
    "verify": Entry("checks", "Check the snapshot against its schema and the report"),
    "coverage": Entry("coverage", "Each clause of the report and the rows that represent it"),
    "export": Entry("export", "Every table as a Data Package: datapackage.json + CSVs"),
    "chart": Entry("charts", "Bars of one unit's figures across their subjects"),
}


def summary(name: str) -> str:
    """The command's line in `zgc --help` (its `short_help`)."""
    return COMMANDS[name].summary


def examples(*lines: str) -> str:
    """A command's epilog: worked examples, one per line (\\b keeps click from rewrapping)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def command(app: Any, name: str, *example_lines: str) -> Callable[[F], F]:
    """Register `name` on the Typer `app` with its line in `zgc --help` and its examples."""
    decorate: Callable[[F], F] = app.command(
        short_help=summary(name), epilog=examples(*example_lines)
    )
    return decorate
