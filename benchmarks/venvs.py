"""The groups that need other installs, in cached venvs (`python -m venv`, then pip with no lock,
as a user's `pip install` resolves). peers (informational): `zgc parks` beside the DuckDB CLI on
zgc's own copy, and sqlite-utils and Datasette on a SQLite database of its parks rows. install:
venv A is `pip install <repo root>`, venv B A with typer 0.29.2 over it (a pydantic TypeAdapter
per parameter: what issue 12 rejected), each against the floor run by its own Python. The venvs
hold zgc as it was when made: pass --fresh after changing zgc."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from pathlib import Path

from benchmarks.measure import Figure, floor, run
from benchmarks.synth import HOME
from zgc_cli.db.snapshot import sql_literal

TYPER_B = "typer==0.29.2"
TARGET_A = 1.15
Log = Callable[[str], None]
# Run by the python beside a zgc: where that zgc keeps its copy (its own DuckDB version and
# the environment's ZGC_DATA are part of the answer, so it is asked, not computed here).
WHERE_SCRIPT = (
    "from zgc_cli.db import snapshot\n"
    "from zgc_cli.output import cache_dir\n"
    "print(cache_dir() / f'{snapshot.identify(snapshot.locate())}.duckdb')\n"
)


def warm_copy(zgc: str, python: str, env: Mapping[str, str], who: str) -> Path:
    """Run `zgc parks` once (it makes its read-only copy of the snapshot): the copy, which the
    floor attaches."""
    run([zgc, "parks"], "pipe", env)
    copy = Path(output([python, "-c", WHERE_SCRIPT], env).stdout.strip())
    if not copy.is_file():
        raise SystemExit(
            f"benchmarks: {who} did not leave zgc's copy at {copy}; the floor needs it "
            "(is XDG_CACHE_HOME writable?)"
        )
    return copy


def cached(
    venv: Path, installs: Sequence[Sequence[str]], log: Log, fresh: bool, stamp: str = ""
) -> Path:
    """`venv`'s bin, made now (`python -m venv`, then `pip install ARGS` per entry of `installs`)
    unless one is marked ready with these installs and `stamp`: a half-made one is made again."""
    marker = venv / ".zgc-benchmarks-ready"
    wanted = "\n".join(" ".join(args) for args in installs) + "\n" + stamp
    if fresh or not marker.is_file() or marker.read_text() != wanted:
        shutil.rmtree(venv, ignore_errors=True)
        venv.parent.mkdir(parents=True, exist_ok=True)
        log(f"making {venv} (python -m venv, then pip; needs the package index)")
        pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
        for argv in [[sys.executable, "-m", "venv", str(venv)]] + [
            [*pip, "install", "-q", *args] for args in installs
        ]:
            # pip's own output goes to the harness's stderr: a failed resolve says why.
            done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=sys.stderr, check=False)
            if done.returncode != 0:
                raise SystemExit(f"benchmarks: `{' '.join(argv)}` exited {done.returncode}")
        marker.write_text(wanted)
    return venv / "bin"  # pip's scripts: `cached` stops if pip did not succeed


def output(argv: Sequence[str], env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, env=dict(env), stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False
    )


def version_in(bin_: Path, distribution: str) -> str:
    path = [str(p) for p in bin_.parent.glob("lib/python*/site-packages")]
    return next((d.version for d in metadata.distributions(name=distribution, path=path)), "absent")


def peer_figures(
    zgc: str, copy: Path, env: Mapping[str, str], log: Log, fresh: bool
) -> list[Figure]:
    """Each peer beside `zgc parks`. The DuckDB CLI is run twice: its binary (as a user who
    installed DuckDB's CLI runs it) and the `duckdb` script pip installs, a Python wrapper."""
    bin_ = cached(HOME / "peers", [["sqlite-utils", "datasette", "duckdb-cli"]], log, fresh)
    sqlite = _sqlite_copy(bin_, zgc, copy, env, log)
    wrapper = str(bin_ / "duckdb")
    found = next(bin_.parent.glob("lib/python*/site-packages/duckdb_cli/duckdb"), None)
    binary = str(found) if found and found.is_file() else None
    words = output([binary or wrapper, "-version"], env).stdout.split()
    version = words[0] if words else ""
    database, shown = _cli_database(binary or wrapper, version, copy, env, fresh)
    args = ["-no-init", "-readonly", str(database), "-csv", "-c", "SELECT * FROM parks"]
    shown = f'-no-init -readonly {shown} -csv -c "SELECT * FROM parks"'
    peers = [(f"DuckDB CLI {version}", [binary, *args], f"duckdb {shown}")] if binary else []
    peers += [
        (f"DuckDB CLI, pip's wrapper {version}", [wrapper, *args], f"<venv>/bin/duckdb {shown}"),
        (
            f"sqlite-utils {version_in(bin_, 'sqlite-utils')}",
            [str(bin_ / "sqlite-utils"), "rows", str(sqlite), "parks", "--tsv"],
            f"sqlite-utils rows {sqlite.name} parks --tsv",
        ),
        (
            f"Datasette {version_in(bin_, 'datasette')}",
            [str(bin_ / "datasette"), str(sqlite), "--get", "/zgc/parks.json"],
            f"datasette {sqlite.name} --get /zgc/parks.json",
        ),
    ]
    return [
        Figure(f"{tool}: `{shown}`", argv, [zgc, "parks"], "zgc parks", None)
        for tool, argv, shown in peers
    ]


def _sqlite_copy(bin_: Path, zgc: str, copy: Path, env: Mapping[str, str], log: Log) -> Path:
    """A SQLite database of the parks rows (cached per copy), made by sqlite-utils from csv."""
    target = HOME / "peers-data" / copy.stem / "zgc.db"
    if not target.is_file():
        log(f"writing the parks rows to {target}")
        partial = target.with_suffix(".partial")
        partial.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        rows = output([zgc, "sql", "SELECT * FROM parks", "-f", "csv"], env).stdout
        insert = [str(bin_ / "sqlite-utils"), "insert", str(partial), "parks", "-", "--csv"]
        insert += ["--pk", "park_id"]  # sqlite-utils 4 detects the types itself
        done = subprocess.run(insert, input=rows, env=dict(env), capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(
                f"benchmarks: sqlite-utils insert exited {done.returncode}: {done.stderr}"
            )
        partial.replace(target)
    return target


def _cli_database(
    cli: str, version: str, copy: Path, env: Mapping[str, str], fresh: bool
) -> tuple[Path, str]:
    """zgc's copy when this CLI opens it; else (a CLI older than the engine that wrote the
    copy: the file's storage version is too new for it) the same database re-saved by COPY
    FROM DATABASE in the storage version of the CLI's release (a CLI that cannot open that
    either fails its figures, saying why)."""
    argv = [cli, "-no-init", "-readonly", str(copy), "-c", "SELECT count(*) FROM parks"]
    done = output(argv, env)
    if done.returncode == 0:
        return copy, "<zgc copy>"
    refused = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[0]
    parts = version.lstrip("v").split(".")
    if len(parts) < 2:
        raise SystemExit(f"benchmarks: the DuckDB CLI cannot open zgc's copy: {refused}")
    storage = f"v{parts[0]}.{parts[1]}.0"
    target = HOME / "peers-data" / copy.stem / f"zgc-storage-{storage}.duckdb"
    if fresh or not target.is_file():
        import duckdb

        partial = target.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        with duckdb.connect(":memory:") as connection:  # one execute runs the three statements
            connection.execute(
                f"ATTACH {sql_literal(str(copy))} AS src (READ_ONLY); "
                f"ATTACH {sql_literal(str(partial))} AS dst (STORAGE_VERSION '{storage}'); "
                "COPY FROM DATABASE src TO dst"
            )
        partial.replace(target)
    sys.stderr.write(
        f"the DuckDB CLI {version} cannot open zgc's copy ({refused}); it reads the same "
        f"database re-saved as storage {storage}: {target}\n"
    )
    return target, f"<zgc copy re-saved as storage {storage}>"


def install_figures(
    root: Path,
    sql: str,
    params: Mapping[str, object],
    env: Mapping[str, str],
    log: Log,
    fresh: bool,
) -> list[Figure]:
    # a venv made for another pyproject.toml is made again
    digest = hashlib.sha256((root / "pyproject.toml").read_bytes()).hexdigest()
    figures = []
    for label, installs, how, target in (
        ("A", [[str(root)]], "pip install <repo root>", TARGET_A),
        ("B", [[str(root)], [TYPER_B]], f"A, then pip install {TYPER_B}", None),
    ):
        bin_ = cached(HOME / f"install-{label}", installs, log, fresh, digest)
        zgc, python = str(bin_ / "zgc"), str(bin_ / "python")
        log(f"venv {label}: warm-up `zgc parks` (builds its copy)")
        copy = warm_copy(zgc, python, env, f"{label}'s `zgc parks`")
        # -X importtime writes one stderr line per module imported, `| package.sub` at its end.
        done = output([python, "-X", "importtime", "-m", "zgc_cli", "parks"], env)
        if done.returncode != 0:
            raise SystemExit(f"benchmarks: {label}'s zgc parks exited {done.returncode}")
        modules = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()]
        pydantic = any(m.split(".")[0] == "pydantic" for m in modules)
        typer = version_in(bin_, "typer")
        figures.append(
            Figure(
                f"{label} ({how}; typer {typer}; pydantic {'' if pydantic else 'not '}imported):"
                " zgc parks (piped)",
                [zgc, "parks"],
                floor(python, copy, sql, params),
                f"typer + engine ({label}'s python)",
                target,
            )
        )
    return figures
