"""The snapshot (where, whether Parquet) and its read-only DuckDB copy that the sealed
connection attaches, cached by content: loading 1M rows takes 6.4 s and 840 MB a run, attaching
the cached copy milliseconds (SECURITY.md); without a private cache, a temp copy for the run."""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import re
import shutil
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from zgc_cli.db.engine import engine, translated
from zgc_cli.db.sandbox import HARDENED, neutral_temp
from zgc_cli.db.statement import (
    quoted,
    sql_literal as sql_literal,  # benchmarks, zgc_build use it
)
from zgc_cli.dictionary import SCHEMA_VERSION, TABLES
from zgc_cli.errors import OUT_OF_MEMORY, DataError, OutputError, QueryError
from zgc_cli.output import (
    BUNDLED,
    PACKAGE,
    cache_dir,
    describe_failure,
    private_dir,
    protect,
    remove_partial_files,
)

LAYOUT = 1  # the copy's own layout; a change makes every cached copy stale
KEEP = 8  # cached copies kept; older ones are removed when a new one is built
_SAMPLE = 1 << 20  # bytes read from each end of a snapshot for its key
STAMP = "zgc_copy"  # _metadata key: the identity digest the copy was built for
REMEDY = "point --data or ZGC_DATA at a zgc snapshot, or reinstall zgc"
REBUILD = "rebuild it with `python -m zgc_build` or use the snapshot that ships with zgc"
atexit.register(remove_partial_files)  # the CLI empties that registry as it ends; the API, here


def views() -> str:
    """The views' SQL over `_snapshot`: one per table of the data dictionary, then views.sql's."""
    return "".join(
        f"CREATE VIEW {name} AS SELECT {', '.join(quoted(c.name) for c in table.columns)}\n"
        f"FROM _snapshot WHERE \"table\" = '{name}';\n"
        for name, table in TABLES.items()
    ) + (PACKAGE / "views.sql").read_text(encoding="utf-8")


def locate(data: str | os.PathLike[str] | None = None) -> Path:
    """--data, ZGC_DATA, the package's snapshot or the source tree's; protected from output."""
    chosen = data if data not in (None, "") else os.environ.get("ZGC_DATA") or None
    if chosen is not None:
        path = Path(chosen).expanduser().absolute()
    else:
        packaged, source_tree = BUNDLED  # where the wheel puts it, or the checkout's
        path = packaged if packaged.is_file() else source_tree
    protect(path)
    return path


def _opened(path: Path) -> int:
    """`path` opened without hanging on a device or a FIFO; a DataError with a remedy for what
    is not a regular file (identify's check, and the build's again: a name swapped for a FIFO
    in between would block DuckDB past any time-out)."""
    descriptor = -1
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        kind = stat.S_IFMT(os.fstat(descriptor).st_mode)
    except FileNotFoundError:
        raise DataError(f"snapshot not found: {path}; {REMEDY}") from None
    except IsADirectoryError:
        kind = stat.S_IFDIR
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if kind != stat.S_IFREG:
        if descriptor >= 0:
            os.close(descriptor)
        what = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a FIFO"}.get(kind, "a device")
        raise DataError(
            f"snapshot is not a file: {path} is {what}, not a regular Parquet file; {REMEDY}"
        )
    return descriptor


def _unreadable(path: Path, exc: OSError) -> DataError:
    return DataError(f"cannot read snapshot {path}: {exc.strerror}; check its permissions")


def identify(path: Path) -> str:
    """The digest a copy is named after (size, time, 1 MiB at each end); a DataError with a
    remedy for what is not a readable Parquet file, without hanging on a device or a FIFO."""
    descriptor = _opened(path)
    try:
        info = os.fstat(descriptor)
        size = info.st_size
        head = os.pread(descriptor, min(size, _SAMPLE), 0)
        tail = os.pread(descriptor, min(size, _SAMPLE), max(size - _SAMPLE, 0))
    except OSError as exc:
        raise _unreadable(path, exc) from None
    finally:
        os.close(descriptor)
    if head[:4] != b"PAR1":
        raise DataError(f"snapshot is not a Parquet file: {path}; {REMEDY}")
    if size < 12 or tail[-4:] != b"PAR1":
        raise DataError(f"snapshot is truncated or incomplete: {path}; {REMEDY}")
    try:  # not hashlib: it loads OpenSSL, 2 ms of every start-up (benchmarks/RESULTS.md)
        from _sha256 import sha256  # type: ignore[import-not-found]  # Python 3.11
    except ImportError:  # pragma: no cover - 3.12 renamed it
        from _sha2 import sha256  # type: ignore[import-not-found]
    digest = sha256()
    # The modification time too: a file changed in place in its middle keeps its size and both
    # ends (a copy with `cp -p` or copy2 keeps it, and its copy).
    key = f"zgc-copy {LAYOUT} {SCHEMA_VERSION} {engine().__version__} {size} {info.st_mtime_ns}\n"
    for part in (key.encode(), views().encode(), head, tail):
        digest.update(len(part).to_bytes(8, "big") + part)
    return str(digest.hexdigest()[:32])


def _owned(path: Path, kind: Callable[[int], bool] = stat.S_ISREG) -> os.stat_result | None:
    """`path`'s lstat if it is of `kind` (a regular file: not a link, a FIFO, a device) and this
    user's."""
    try:
        info = path.lstat()
    except OSError:
        return None
    return info if kind(info.st_mode) and info.st_uid == os.getuid() else None


def _neutral() -> Path:  # a name in a fresh private folder in the shared /tmp: see attach
    return private_dir("zgc-", where=neutral_temp()) / "snapshot.duckdb"


def attach(connection: Any, copy: Path) -> None:
    """The copy attached read-only as `/tmp/zgc-…/snapshot.duckdb`, not `/home/alice/.cache/…`
    (any query sees an attached file's path): a hard link (else a copy) removed once attached.
    A copy for this run alone too: by its own name, SQL could ATTACH it afresh, read-write."""
    name = _neutral()
    # Opened and checked, and what is linked is what was checked: a copy swapped since the cache
    # folder's check (a folder above it writable by others) is never attached (attacker review).
    source = os.open(copy, os.O_RDONLY | os.O_NOFOLLOW)
    try:
        info = os.fstat(source)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            raise PermissionError(errno.EPERM, "not a file of this user's own", str(copy))
        try:
            os.link(copy, name)
        except OSError:  # another file system: a copy of the file opened
            with os.fdopen(os.dup(source), "rb") as read, open(name, "xb") as out:
                shutil.copyfileobj(read, out, 1 << 20)
        else:
            if not os.path.samestat(os.lstat(name), info):
                raise PermissionError(errno.EPERM, "replaced while opened", str(copy))
        connection.execute(f"ATTACH {sql_literal(str(name))} AS zgc (READ_ONLY); USE zgc")
    finally:
        os.close(source)
        with contextlib.suppress(OSError):
            name.unlink(missing_ok=True)
        # The sealed engine may still name the copy's files (allowed_paths: the file and its
        # .wal files) and ATTACH one afresh: an empty directory at each name until zgc exits
        # (output's registry of files to remove), so no statement can make a file there.
        for end in ("", ".wal", ".wal.checkpoint", ".wal.recovery"):
            with contextlib.suppress(OSError):
                os.mkdir(f"{name}{end}", 0o700)


def prepared(parquet: Path, digest: str, *, memory_bytes: int, fresh: bool = False) -> Path:
    """The cached copy (unless `fresh`), else one built in the cache, else in a temp folder."""
    # One thread and half the query's memory: measured at 10M rows, the fastest build (33 s)
    # and one that fits under the process's memory bound (330 MB resident vs 1 GB).
    config = {**HARDENED, "threads": 1, "memory_limit": f"{max(memory_bytes // 2, 16 * 10**6)}B"}
    del config["max_temp_directory_size"]  # the build may spill, into its own folder
    folder = cache_dir()
    cached = folder / f"{digest}.duckdb"
    try:  # whoever can write the cache decides what zgc shows: it must be the user's own
        if re.search("[\ud800-\udfff]", str(folder)):  # DuckDB takes UTF-8 paths only
            raise PermissionError(f"{folder} is not a UTF-8 path")
        # Below a base that exists only: HOME=/nonexistent must not create /nonexistent/.cache.
        folder.parent.mkdir(mode=0o700, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        if (mine := _owned(folder, stat.S_ISDIR)) is None:
            raise PermissionError(f"{folder} is not this user's own directory")
        if stat.S_IMODE(mine.st_mode) != 0o700:  # open to others, or 0500 under umask 0277
            os.chmod(folder, 0o700)
        if not fresh and _owned(cached):
            with contextlib.suppress(OSError):
                os.utime(cached, follow_symlinks=False)  # most recently used: kept longest
            return cached
        cached.unlink(missing_ok=True)  # stale, a link or a stranger's file: never read
        _build_into(cached, parquet, config, digest)
    except OSError:  # no private, writable cache directory: a private copy for this run only
        copy = _neutral()
        try:
            _build_into(copy, parquet, config, digest)
        except BaseException as exc:
            shutil.rmtree(copy.parent, ignore_errors=True)
            if isinstance(exc, OSError):  # a full disk or ulimit -f here too
                raise OutputError(describe_failure("zgc's copy of the snapshot", exc)) from None
            raise
        return copy
    copies = []  # all but the KEEP most recently used go: zgc's own files only
    for path in folder.iterdir():  # and a build a killed zgc left (kill -9), idle for an hour
        if re.fullmatch(r"\.[0-9a-f]{32}\.[0-9a-f]{12}\.tmp", path.name) and _idle(path, 3600):
            shutil.rmtree(path, ignore_errors=True)
        elif re.fullmatch(r"[0-9a-f]{32}\.duckdb", path.name) and (info := _owned(path)):
            copies.append((info.st_mtime, path))
    for _, old in sorted(copies, reverse=True)[KEEP:]:
        if old != cached:
            old.unlink(missing_ok=True)
    return cached


def _idle(folder: Path, seconds: float) -> bool:
    """A folder of this user's (not a link) where nothing was made or written for `seconds`."""
    if (info := _owned(folder, stat.S_ISDIR)) is None:
        return False
    try:
        times = [info.st_mtime, *(path.lstat().st_mtime for path in folder.iterdir())]
    except OSError:
        return False
    return time.time() - max(times) > seconds


def _build_into(target: Path, parquet: Path, config: dict[str, Any], stamp: str) -> None:
    """The snapshot's rows, views and metadata into a new database beside `target`, renamed."""
    work = private_dir(f".{target.stem}.", ".tmp", target.parent)
    reading = -1
    try:
        reading = _opened(parquet)  # DuckDB reads the file checked here, by its descriptor
        # read_parquet takes a glob (`/data/*.parquet` reads every file it matches) and UTF-8
        # paths only: it reads a link of a plain name, to the descriptor where Linux names it.
        by_descriptor = f"/proc/self/fd/{reading}"
        read = by_descriptor if os.path.exists(by_descriptor) else parquet.absolute()
        (work / "source.parquet").symlink_to(read)
        source = sql_literal(str(work / "source.parquet"))
        built = work / "copy.duckdb"
        spill = {**config, "temp_directory": str(work / "spill")}
        with _failing_as(f"cannot build zgc's copy of {parquet} (", ")"):
            connection = engine().connect(str(built), config=spill)
        with contextlib.closing(connection):
            with _failing_as(f"snapshot {parquet} is corrupt (", f"); {REBUILD}"):
                metadata = connection.execute(
                    f"SELECT decode(key), decode(value) FROM parquet_kv_metadata({source})"
                ).fetchall()
            found = {str(key): str(value) for key, value in metadata}
            version = found.get("zgc_schema_version")
            if version is None:
                problem = "is a Parquet file but not a zgc snapshot (no schema version)"
                raise DataError(f"{parquet} {problem}; {REBUILD}")
            if version != str(SCHEMA_VERSION):
                problem = f"has schema version {version}, this zgc reads {SCHEMA_VERSION}"
                raise DataError(f"snapshot {parquet} {problem}; {REBUILD}")
            schema = f"snapshot {parquet} does not have the zgc schema ("
            with _failing_as(schema, "); rebuild it with `python -m zgc_build`"):
                connection.execute(f"CREATE TABLE _snapshot AS FROM read_parquet({source})")
                connection.execute("CREATE TABLE _metadata (key VARCHAR, value VARCHAR)")
                connection.executemany(
                    "INSERT INTO _metadata VALUES (?, ?)", sorted({**found, STAMP: stamp}.items())
                )
                connection.execute(views())
                connection.execute("CHECKPOINT")
        built.chmod(0o600)  # only its owner reads the copy, as the 0700 directory it lies in
        os.replace(built, target)
    finally:
        if reading >= 0:
            os.close(reading)
        shutil.rmtree(work, ignore_errors=True)


@contextlib.contextmanager
def _failing_as(before: str, after: str) -> Iterator[None]:
    """A full disk as OSError (a temp folder is tried instead), else one line of DuckDB's."""
    try:
        with translated():
            yield
    except QueryError as exc:
        said = getattr(exc, "said", "")
        if str(exc) == OUT_OF_MEMORY or not said:
            raise
        for words, code in (("No space left", errno.ENOSPC), ("File too large", errno.EFBIG)):
            if words in said:  # a full disk, ulimit -f
                raise OSError(code, os.strerror(code)) from None
        raise DataError(before + str(exc) + after) from None


def read_metadata(connection: Any) -> dict[str, str]:
    """The snapshot's Parquet metadata and STAMP, the digest the copy was built for."""
    rows = connection.execute("SELECT key, value FROM _metadata").fetchall()
    return {str(key): str(value) for key, value in rows}
