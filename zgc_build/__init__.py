"""data/source/*.csv -> validated, deterministic data/zgc.parquet: the maintainers' builder.

Not part of the wheel: users run the snapshot, maintainers build it (`python -m zgc_build`).
read.py reads and types the curated CSVs, checks.py checks them across rows, write.py writes
one Parquet file atomically. Every problem is listed (file:line: column: what is wrong)
before anything is written.
"""

from __future__ import annotations

from pathlib import Path

from zgc_build.checks import check_rows
from zgc_build.read import BuildError, Curated, Problem, default_report_path, read_curated
from zgc_build.write import write_snapshot
from zgc_cli.verify import read_report  # one reader of the report for the build and verify


def validate(source_dir: Path, report: str | None) -> Curated:
    """Read and check every curated table; raise BuildError listing all problems."""
    curated = read_curated(source_dir)
    problems: list[Problem] = []
    check_rows(curated, source_dir, report, problems)
    if problems:
        raise BuildError(problems)
    return curated


def build(source_dir: Path, out: Path | None, report_path: Path | None) -> Curated:
    """Validate `source_dir`; write `out` unless it is None (check only)."""
    report = read_report(report_path) if report_path is not None else None
    curated = validate(source_dir, report)
    if out is not None:
        write_snapshot(curated, out)
    return curated


__all__ = ["BuildError", "Curated", "build", "default_report_path", "validate"]
