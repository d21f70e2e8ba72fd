"""The start-up floor, "typer + engine": the two libraries zgc cannot do without, and nothing else.

A `python -c` script that imports typer and DuckDB's compiled engine `_duckdb` (the module zgc
imports), connects in memory with zgc's settings (threads, memory limit in bytes), ATTACHes the
very read-only copy of the snapshot zgc uses, runs zgc's SQL and prints the rows: TSV with a
header (what `zgc` writes to a pipe) or a JSON array (`-f json`). zgc's sandbox, option parsing
and writers are what it costs over this.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from benchmarks import venvs
from zgc_cli.db import snapshot
from zgc_cli.db.connection import DEFAULT_MEMORY_LIMIT, DEFAULT_THREADS, parse_size
from zgc_cli.output import cache_dir

Output = Literal["tsv", "json"]

# Run by the python of the venv being measured: where that venv's zgc keeps its copy.
_WHERE_SCRIPT = (
    "from zgc_cli.db import snapshot\n"
    "from zgc_cli.output import cache_dir\n"
    "path = snapshot.locate()\n"
    "print(cache_dir() / f'{snapshot.identify(path).digest}.duckdb')\n"
)

_PRINT_TSV = (
    "import sys\n"
    "out = ['\\t'.join(names)]\n"
    "out += ['\\t'.join('' if v is None else str(v) for v in row) for row in rows]\n"
    "sys.stdout.write('\\n'.join(out) + '\\n')\n"
)
_PRINT_JSON = (
    "import json\n"
    "print(json.dumps([dict(zip(names, row)) for row in rows], default=str, ensure_ascii=False))\n"
)


def copy_path(parquet: Path) -> Path:
    """Where zgc (this Python's) keeps the read-only copy of `parquet`, as zgc computes it
    (the same XDG_CACHE_HOME as the children: their environment is this process's)."""
    return cache_dir() / f"{snapshot.identify(parquet).digest}.duckdb"


def copy_path_of(python: str, env: Mapping[str, str]) -> Path:
    """Where the zgc installed in another venv keeps the copy of its bundled snapshot (its own
    DuckDB version is part of the name, so it is asked, not computed here)."""
    return Path(venvs.output([python, "-c", _WHERE_SCRIPT], env, check=True).stdout.strip())


def require_copy(path: Path, after: str) -> Path:
    if not path.is_file():
        raise SystemExit(
            f"benchmarks: {after} did not leave zgc's copy at {path}; the floor needs it "
            "(is XDG_CACHE_HOME writable?)"
        )
    return path


def script(
    copy: Path, sql: str, params: Mapping[str, object] | None = None, output: Output = "tsv"
) -> str:
    """The floor's program: import typer and _duckdb, attach `copy`, run `sql`, print rows."""
    config = {"threads": DEFAULT_THREADS, "memory_limit": f"{parse_size(DEFAULT_MEMORY_LIMIT)}B"}
    attach = f"ATTACH {snapshot.sql_literal(str(copy))} AS zgc (READ_ONLY)"
    return (
        "import typer\n"
        "import _duckdb\n"
        f"con = _duckdb.connect(':memory:', config={config!r})\n"
        f"con.execute({attach!r})\n"
        "con.execute('USE zgc')\n"
        f"cursor = con.execute({sql!r}, {dict(params or {})!r})\n"
        "names = [d[0] for d in cursor.description]\n"
        "rows = cursor.fetchall()\n" + (_PRINT_JSON if output == "json" else _PRINT_TSV)
    )


def argv(
    python: str,
    copy: Path,
    sql: str,
    params: Mapping[str, object] | None = None,
    output: Output = "tsv",
) -> list[str]:
    return [python, "-c", script(copy, sql, params, output)]


def import_typer(python: str) -> list[str]:
    """The floor of the commands that open no database (--help, --version)."""
    return [python, "-c", "import typer"]
