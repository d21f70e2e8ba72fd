"""data/source/*.csv -> validated, deterministic data/zgc.parquet (maintainer command).

read.py reads and types the curated CSVs, checks.py checks them across rows, write.py writes
one Parquet file atomically. Every problem is listed (file:line: column: what is wrong)
before anything is written. Never imported by queries.
"""

from __future__ import annotations

from pathlib import Path

from zgc_cli.build.read import (
    BuildError,
    Curated,
    Problem,
    default_report_path,
    read_report,
    validate,
)
from zgc_cli.build.write import snapshot_metadata, write_snapshot


def build(source_dir: Path, out: Path | None, report_path: Path | None) -> Curated:
    """Validate `source_dir`; write `out` unless it is None (check only)."""
    report = None
    if report_path is not None and report_path.is_file():
        report = read_report(report_path)
    curated = validate(source_dir, report)
    if out is not None:
        write_snapshot(curated, out)
    return curated


__all__ = [
    "BuildError",
    "Curated",
    "Problem",
    "build",
    "default_report_path",
    "read_report",
    "snapshot_metadata",
    "validate",
    "write_snapshot",
]
