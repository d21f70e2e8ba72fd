"""`python -m zgc_build [--check]`: validate data/source/*.csv and write data/zgc.parquet."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from zgc_build import BuildError, build, default_report_path
from zgc_cli.errors import ZgcError


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


if __name__ == "__main__":
    sys.exit(main())
