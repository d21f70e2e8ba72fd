"""The commands, one module per family. COMMANDS gives each its module and its line in
`zgc --help` (at most 60 characters, whole at 80 columns): the help imports no command module,
and `zgc parks` only that of `parks`."""

from __future__ import annotations

from typing import Any

COMMANDS: dict[str, tuple[str, str]] = {
    "parks": ("lists", "The parks and bases, with district and aliases"),
    "projects": ("lists", "Projects started, resumed or being built: money, area"),
    "indicators": ("lists", "Every figure, in base units beside the report's words"),
    "companies": ("lists", "Companies and institutions the report names"),
    "programs": ("lists", "Policies, funds, loans, campaigns, and who took part"),
    "products": ("lists", "What the companies made or launched, and the maker"),
    "timeline": ("lists", "Dated events in order (大年三十 = 2020-01-24)"),
    "show": ("records", "One record as a card: fields, quote, related rows"),
    "search": ("records", "Find text in ids, names, labels and quotes"),
    "tables": ("snapshot", "Each view with its row count"),
    "schema": ("snapshot", "Columns of each view: type, unit and meaning"),
    "info": ("snapshot", "The snapshot and the report it cites"),
    "sql": ("sql", "Run read-only SQL over the views (a shell on a terminal)"),
    "verify": ("snapshot", "Check the snapshot against its schema and the report"),
    "coverage": ("snapshot", "Each clause of the report and the rows that represent it"),
    "export": ("snapshot", "Every table as a Data Package: datapackage.json + CSVs"),
    "chart": ("charts", "Bars of one unit's figures across their subjects"),
}


def examples(*lines: str) -> str:
    """A command's epilog: worked examples, one per line (\\b keeps click from rewrapping)."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


REGISTERED: dict[str, Any] = {}  # name -> its typer CommandInfo, once its module is imported
