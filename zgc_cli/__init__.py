"""zgc: a cited, bilingual dataset of Zhongguancun's 2020 recovery, queryable from the terminal.

Importing the package must stay cheap: nothing heavy (duckdb, rich) is imported here.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("zgc")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
