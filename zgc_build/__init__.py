"""data/source/*.csv -> validated, deterministic data/zgc.parquet: the maintainers' builder
(`python -m zgc_build`), outside the wheel. read.py reads and types the curated CSVs, checks.py
checks them across rows; every problem is listed (file:line: column: what is wrong) before the
snapshot is written here, one Parquet file, atomically; `main` is `python -m zgc_build`."""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from pathlib import Path
from typing import Any

from zgc_build.checks import check_rows
from zgc_build.read import BuildError, Curated, Problem, default_report_path, read_curated
from zgc_cli.dictionary import SCHEMA_VERSION, snapshot_columns
from zgc_cli.errors import ZgcError
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
    """Validate `source_dir`; write `out` unless it is None (check only): rows in table order,
    typed."""
    from zgc_cli import __version__
    from zgc_cli.db.connection import scratch
    from zgc_cli.db.engine import engine

    curated = validate(source_dir, read_report(report_path) if report_path else None)
    if out is None:
        return curated
    columns = snapshot_columns()
    sources = curated.tables["sources"]
    with scratch() as con:  # one thread: byte-identical output
        definition = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
        con.execute(f"CREATE TABLE snapshot ({definition})")
        con.executemany(
            f"INSERT INTO snapshot VALUES ({', '.join('?' * len(columns))})",
            [
                tuple(table if name == "table" else row.get(name) for name in columns)
                for table, rows in curated.tables.items()
                for row in rows
            ],
        )
        # Insertion order is table order (TABLES), so each view reads its own row groups.
        sha256 = sources[0]["sha256"] if sources else ""
        version = f"zgc {__version__}; duckdb {engine().__version__}"
        write_snapshot(con, "SELECT * FROM snapshot", out, curated.count(), sha256, version)
    return curated


def write_snapshot(
    con: Any, select: str, out: Path, counts: dict[str, int], sha256: str, version: str
) -> None:
    """COPY `select` to `out` as zgc reads a snapshot (zstd, row groups of 100,000, the
    key-value metadata it checks), through a temp file beside it renamed into place."""
    from zgc_cli import output
    from zgc_cli.db.engine import engine, message_of
    from zgc_cli.db.snapshot import sql_literal

    metadata = {
        "zgc_schema_version": str(SCHEMA_VERSION),
        "zgc_source_sha256": sha256,
        "zgc_row_counts": json.dumps(counts, sort_keys=True),
        "zgc_build_version": version,
    }
    kv = ", ".join(f"{sql_literal(k)}: {sql_literal(v)}" for k, v in metadata.items())
    # The builder replaces a snapshot; an OSError in the block is one line naming `out`.
    with output.temp_beside(out, snapshot=True) as tmp:
        try:
            con.execute(
                f"COPY ({select}) TO {sql_literal(str(tmp))} (FORMAT parquet, COMPRESSION zstd, "
                f"ROW_GROUP_SIZE 100000, KV_METADATA {{{kv}}}, USE_TMP_FILE false)"
            )
        except engine().IOException as exc:  # a full disk, ulimit -f: DuckDB says strerror's
            said = message_of(exc)
            known = [n for n in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT) if os.strerror(n) in said]
            raise OSError(known[0] if known else 0, said) from None


def say(text: str) -> None:
    print(f"zgc-build: {text}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m zgc_build",
        description="Validate data/source/*.csv and write data/zgc.parquet (atomically).",
    )
    parser.add_argument("--check", action="store_true", help="validate only; write nothing")
    parser.add_argument("--sources", type=Path, default=Path("data/source"), metavar="DIR")
    parser.add_argument("--out", type=Path, default=Path("data/zgc.parquet"), metavar="FILE")
    parser.add_argument(
        "--report",
        type=Path,  # argparse applies it to a string default too
        default=os.environ.get("ZGC_SOURCE") or None,
        metavar="FILE",
        help="the report, to check quotes (default: $ZGC_SOURCE or ../shared/source/)",
    )
    args = parser.parse_args(argv)
    # A report named (--report, ZGC_SOURCE) must be read; only the default may be absent.
    report: Path | None = args.report or default_report_path()
    if args.report is None and not default_report_path().exists():
        say(f"report not found at {report}; quotes are not checked")
        report = None
    if not args.check and args.out.resolve().parent.is_relative_to(args.sources.resolve()):
        say(f"error: --out {args.out} lies in --sources {args.sources}")
        return 2
    try:
        curated = build(args.sources, None if args.check else args.out, report)
    except BuildError as exc:
        for problem in exc.problems:
            say(str(problem))
        say(f"error: {len(exc.problems)} problem(s); nothing written")
        return 1
    except ZgcError as exc:
        say(f"error: {exc}")
        return 1
    counts = ", ".join(f"{name} {count}" for name, count in curated.count().items())
    say(f"{'checked' if args.check else f'wrote {args.out}'}: {counts}")
    return 0


__all__ = ["BuildError", "Curated", "build", "default_report_path", "main", "validate"]
