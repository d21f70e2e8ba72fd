"""zgc: a cited, bilingual dataset of Zhongguancun's 2020 recovery, queryable from the terminal.
Importing the package stays cheap: nothing heavy (duckdb, rich) is imported here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zgc_cli.api import connect, query

    __version__: str


def __getattr__(name: str) -> Any:
    """`__version__`, `connect` and `query` load on first use: importlib.metadata costs more
    to import than all of zgc's own modules, and only `zgc --version` needs it."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("zgc")
        except PackageNotFoundError:  # running from a source tree that was never installed
            found = "0.0.0+unknown"
        globals()["__version__"] = found
        return found
    if name in ("connect", "query"):
        from zgc_cli import api

        return getattr(api, name)
    raise AttributeError(f"module 'zgc_cli' has no attribute {name!r}")


__all__ = ["__version__", "connect", "query"]
