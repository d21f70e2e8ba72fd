"""The peers group: `zgc parks` beside other command-line tools printing the same table.

Informational, no targets: the DuckDB CLI reading zgc's own read-only copy, sqlite-utils and
Datasette reading a SQLite database of the snapshot's parks rows (built once, here, with the
duckdb package and the standard library's sqlite3). The tools live in a cached venv.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import sqlite3
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import measure, venvs
from benchmarks.figure import markdown
from zgc_cli.db import snapshot

PACKAGES = ("sqlite-utils", "datasette", "duckdb-cli")
VENV = venvs.HOME / "peers"
TABLE = "parks"


@dataclass
class Peer:
    tool: str
    command: measure.Command
    shown: str  # the command as the table shows it
    version: str = ""

    @property
    def samples(self) -> list[measure.Sample]:
        return self.command.samples


def environment(log: Callable[[str], None], *, fresh: bool = False) -> Path:
    return venvs.cached(VENV, [list(PACKAGES)], log, fresh=fresh)


def sqlite_copy(copy: Path, log: Callable[[str], None], *, fresh: bool = False) -> Path:
    """A SQLite database `zgc.db` holding the parks rows of zgc's copy (cached per copy)."""
    target = venvs.HOME / "peers-data" / copy.stem / "zgc.db"
    if target.is_file() and not fresh:
        return target
    import duckdb

    log(f"writing the parks rows to {target}")
    with duckdb.connect(":memory:") as connection:
        connection.execute(f"ATTACH {snapshot.sql_literal(str(copy))} AS zgc (READ_ONLY)")
        cursor = connection.execute(f"SELECT * FROM zgc.{TABLE}")
        columns = [(str(d[0]), str(d[1])) for d in cursor.description or []]
        rows = [[_sqlite_value(v) for v in r] for r in cursor.fetchall()]
    with _partial(target) as partial, closing(sqlite3.connect(partial)) as database:
        declared = ", ".join(f'"{name}" {_sqlite_type(kind)}' for name, kind in columns)
        database.execute(f'CREATE TABLE {TABLE} ({declared}, PRIMARY KEY ("{columns[0][0]}"))')
        marks = ", ".join("?" for _ in columns)
        database.executemany(f"INSERT INTO {TABLE} VALUES ({marks})", rows)
        database.commit()
    return target


@contextmanager
def _partial(target: Path) -> Iterator[Path]:
    """A fresh file beside `target`, renamed onto it once the block has written it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    yield partial
    partial.replace(target)


def _sqlite_type(duckdb_type: str) -> str:
    kind = duckdb_type.upper()
    if kind in ("BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"):
        return "INTEGER"
    if kind in ("DOUBLE", "FLOAT", "REAL") or kind.startswith("DECIMAL"):
        return "REAL"
    return "TEXT"


def _sqlite_value(value: Any) -> Any:
    if value is None or isinstance(value, int | float | str | bytes):
        return value  # bool is an int
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return json.dumps(value, default=str, ensure_ascii=False)  # lists, structs


def peers(
    zgc: str,
    venv: Path,
    copy: Path,
    sqlite: Path,
    env: Mapping[str, str],
    *,
    fresh: bool = False,
) -> list[Peer]:
    """The commands, zgc first. The DuckDB CLI is run twice: its binary (as a user who installed
    DuckDB's CLI runs it) and the `duckdb` script pip installs, a Python wrapper around it."""
    wrapper = venvs.script_of(venv, "duckdb")
    binary = cli_binary(venv, env)
    version = _cli_version(binary or wrapper, env)
    database, shown_database = cli_database(binary or wrapper, version, copy, env, fresh=fresh)
    query = f"SELECT * FROM {TABLE}"
    args = ["-no-init", "-readonly", str(database), "-csv", "-c", query]
    shown_args = f'-no-init -readonly {shown_database} -csv -c "{query}"'
    python = venvs.python_of(venv)
    made = [Peer("zgc", measure.Command([zgc, "parks"]), "zgc parks")]
    if binary is not None:
        made.append(
            Peer("DuckDB CLI", measure.Command([binary, *args]), f"duckdb {shown_args}", version)
        )
    made += [
        Peer(
            "DuckDB CLI, pip's wrapper",
            measure.Command([wrapper, *args]),
            f"<venv>/bin/duckdb {shown_args}",
            version,
        ),
        Peer(
            "sqlite-utils",
            measure.Command(
                [venvs.script_of(venv, "sqlite-utils"), "rows", str(sqlite), TABLE, "--tsv"]
            ),
            f"sqlite-utils rows {sqlite.name} {TABLE} --tsv",
            venvs.version_in(python, "sqlite-utils", env),
        ),
        Peer(
            "Datasette",
            measure.Command(
                [
                    venvs.script_of(venv, "datasette"),
                    str(sqlite),
                    "--get",
                    f"/{sqlite.stem}/{TABLE}.json",
                ]
            ),
            f"datasette {sqlite.name} --get /{sqlite.stem}/{TABLE}.json",
            venvs.version_in(python, "datasette", env),
        ),
    ]
    return made


def cli_binary(venv: Path, env: Mapping[str, str]) -> str | None:
    """The DuckDB binary inside the duckdb-cli package (its `duckdb` script only runs it)."""
    where = "import duckdb_cli, os; print(os.path.dirname(duckdb_cli.__file__))"
    done = venvs.output([venvs.python_of(venv), "-c", where], env)
    found = Path(done.stdout.strip()) / "duckdb"
    return str(found) if done.returncode == 0 and found.is_file() else None


def cli_database(
    cli: str, version: str, copy: Path, env: Mapping[str, str], *, fresh: bool = False
) -> tuple[Path, str]:
    """zgc's copy when this CLI opens it; else (a CLI older than the engine that wrote the
    copy: the file's storage version is too new for it) the same database, tables and views,
    re-saved by COPY FROM DATABASE in the storage version of the CLI's release."""
    refused = _cannot_open(cli, copy, env)
    if refused is None:
        return copy, "<zgc copy>"
    parts = version.lstrip("v").split(".")
    if len(parts) < 2:
        raise SystemExit(f"benchmarks: the DuckDB CLI cannot open zgc's copy: {refused}")
    storage = f"v{parts[0]}.{parts[1]}.0"
    target = venvs.HOME / "peers-data" / copy.stem / f"zgc-storage-{storage}.duckdb"
    if fresh or not target.is_file():
        import duckdb

        with _partial(target) as partial, duckdb.connect(":memory:") as connection:
            connection.execute(f"ATTACH {snapshot.sql_literal(str(copy))} AS src (READ_ONLY)")
            connection.execute(
                f"ATTACH {snapshot.sql_literal(str(partial))} AS dst (STORAGE_VERSION '{storage}')"
            )
            connection.execute("COPY FROM DATABASE src TO dst")
    still = _cannot_open(cli, target, env)
    if still is not None:
        raise SystemExit(f"benchmarks: the DuckDB CLI cannot open {target} either: {still}")
    sys.stderr.write(
        f"the DuckDB CLI {version} cannot open zgc's copy ({refused}); it reads the same "
        f"database re-saved as storage {storage}: {target}\n"
    )
    return target, f"<zgc copy re-saved as storage {storage}>"


def _cannot_open(cli: str, database: Path, env: Mapping[str, str]) -> str | None:
    count = f"SELECT count(*) FROM {TABLE}"
    done = venvs.output([cli, "-no-init", "-readonly", str(database), "-c", count], env)
    if done.returncode == 0:
        return None
    return (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[0]


def _cli_version(binary: str, env: Mapping[str, str]) -> str:
    done = venvs.output([binary, "-version"], env)
    return done.stdout.split()[0] if done.returncode == 0 and done.stdout.split() else ""


def table(made: list[Peer]) -> str:
    zgc = measure.median_ms(made[0].samples)
    head = ["tool", "command", measure.SPREAD, "peak RSS MB", "output bytes", "ratio to zgc"]
    rows = [
        [
            f"{peer.tool} {peer.version}".strip(),
            f"`{peer.shown}`",
            measure.spread_ms(peer.samples),
            f"{measure.peak_mb(peer.samples):,.0f}",
            f"{peer.samples[-1].out_bytes:,}",
            f"{measure.median_ms(peer.samples) / zgc:.2f}",
        ]
        for peer in made
    ]
    note = (
        f"\n(one alternating run, order rotated every round; {len(made[0].samples)} runs after "
        "a warm-up; ratio of medians; zgc prints every column as TSV)"
    )
    return markdown(f"Peers ({TABLE}, informational: no targets)", head, rows, note)
