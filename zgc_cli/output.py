"""Files zgc writes: a temp name beside the target, renamed into place when complete (a failed
or interrupted write leaves no half-written file, never touches a snapshot); standard output."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from zgc_cli.diagnostics import for_screen
from zgc_cli.errors import OutputError

PACKAGE = Path(__file__).resolve().parent
# The snapshot that ships with zgc: inside the installed package, or in the source tree.
BUNDLED = (PACKAGE / "data" / "zgc.parquet", PACKAGE.parent / "data" / "zgc.parquet")
_KNOWN: set[Path] = set()  # snapshots this run located (--data, ZGC_DATA): never a target


def protect(path: Path) -> None:
    """A snapshot zgc located: no output may replace it (db/snapshot.locate calls this)."""
    _KNOWN.add(path)


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/zgc (a relative one ignored, as XDG says), else ~/.cache/zgc."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "zgc"


def _snapshots() -> list[Path]:
    named = os.environ.get("ZGC_DATA")
    env = [Path(named).expanduser().absolute()] if named else []
    return [*BUNDLED, *env, *_KNOWN]


def snapshot_within(directory: Path) -> Path | None:
    """A snapshot zgc knows that lies inside `directory` (which an export would replace)."""
    inside = directory.resolve()
    return next((s for s in _snapshots() if s.resolve().is_relative_to(inside)), None)


def names_a_folder(name: str) -> bool:
    """A file name as typed that names a folder: a trailing /, or a last part . or .. (a Path
    made of it would drop the / and write the file the name does not say)."""
    return name.endswith("/") or name.rsplit("/", 1)[-1] in (".", "..")


def check_target(path: Path, *, snapshot: bool = False) -> Path:
    """Every output file's check, before any work: the file to write (a link's target), or an
    OutputError. `snapshot`: the builder's, the one writer that may replace a snapshot."""
    if not str(path).strip():
        raise OutputError("-o needs a file name, such as out.csv")
    try:
        if planted := planted_link(path.absolute()):
            raise OutputError(f"refusing to write through {planted}: {PLANTED}")
        target = path.resolve() if path.is_symlink() else path.absolute()
        # Where the file would really land: its directory with every link and `..` resolved.
        real = target.parent.resolve() / target.name
        cache = cache_dir()
        if real.is_relative_to(cache.resolve()) or real.is_relative_to(cache.absolute()):
            raise OutputError(f"refusing to write into zgc's cache ({cache}); choose another file")
        for known in [] if snapshot else _snapshots():
            same = real == known.parent.resolve() / known.name
            with contextlib.suppress(OSError):  # by identity too: a hard link, a bind mount
                same = same or real.samefile(known)
            if same:
                through = "" if path.absolute() == known else f" (through {path})"
                raise OutputError(
                    f"refusing to overwrite the snapshot {known}{through}; choose another file"
                )
        system = (("dev",), ("proc",), ("sys",))
        odd = target.exists() and not target.is_file() and not target.is_dir()
        if odd or target.parts[1:2] in system or path.absolute().parts[1:2] in system:
            # A device, a pipe or a process's file (/dev/null, /dev/stdout): never renamed onto.
            raise OutputError(f"cannot write {path}: not a regular file; use > {path} instead")
        if not target.parent.is_dir():
            raise OutputError(
                f"cannot write {path}: directory {target.parent} does not exist; create it first"
            )
        if target.is_dir():
            raise OutputError(f"cannot write {path}: it is a directory; give a file name")
    except OSError as exc:  # a name too long, a loop of links
        raise OutputError(describe_failure(path, exc)) from None
    except RuntimeError:  # Python 3.11's resolve() on a loop of links
        raise OutputError(describe_failure(path, LOOP)) from None
    return target


PLANTED = "a link another user put in a shared folder chooses what is written; choose another name"


def planted_link(path: Path) -> Path | None:
    """A link on the way to `path` that another user owns in a folder not theirs that others
    may write (sticky /tmp, or open to all): followed, its owner picks the file written (the
    kernel's protected_symlinks, and more)."""
    for at in [*reversed(path.parents[:-1]), path]:
        with contextlib.suppress(OSError):
            link, folder = at.lstat(), at.parent.stat()
            stranger = link.st_uid not in (os.getuid(), folder.st_uid)
            shared = folder.st_mode & (stat.S_ISVTX | stat.S_IWOTH)  # /tmp, or open to all
            if stat.S_ISLNK(link.st_mode) and stranger and shared:
                return at
    return None


_PARTIAL: set[Path] = set()  # temp files being written, for an exit that skips `finally`


remember = _PARTIAL.add  # to remove if zgc has to exit at once (a stuck query)
forget = _PARTIAL.discard  # no longer zgc's to remove (it now holds the user's data)


def remove_partial_files() -> None:
    import shutil

    for path in list(_PARTIAL):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def private_dir(
    prefix: str, suffix: str = "", where: str | Path | None = None, *, file: bool = False
) -> Path:
    """A new private directory (`file`: empty file) in `where` (else the temp directory):
    mkdtemp without importing tempfile and random at start-up (1.6 ms)."""
    if where is None:
        import tempfile

        where = tempfile.gettempdir()
    while True:
        made = Path(where) / f"{prefix}{os.urandom(6).hex()}{suffix}"
        _PARTIAL.add(made)  # known before it exists: a SIGTERM just after creating it
        try:
            if file:
                fd = os.open(made, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                os.fchmod(fd, 0o600)  # a umask of 0277 would lock zgc out
                os.close(fd)
            else:
                os.mkdir(made, 0o700)
                os.chmod(made, 0o700)
        except FileExistsError:
            _PARTIAL.discard(made)
            continue
        return made


def few_malloc_arenas() -> None:
    """At most two glibc malloc arenas (64 MB of address space each), before DuckDB starts its
    threads: else 10M rows of csv passed the CLI's address-space bound (MemoryBound) at 256MB,
    "out of memory"; with two, 9-14 s and 350 MB (VmPeak 1.46 -> 0.74 GB)."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).mallopt(-8, 2)  # M_ARENA_MAX


def _claim(target: Path) -> str:
    """This run's temp-name prefix for `target`, `.zgc-<crc32 of its name>-<pid>-` (ASCII:
    DuckDB takes UTF-8 paths only), after removing this user's leftovers of dead runs."""
    import shutil
    import stat
    from zlib import crc32

    prefix = f".zgc-{crc32(os.fsencode(target.name)):08x}-"
    with contextlib.suppress(OSError):
        for name in os.listdir(target.parent):
            pid = name.removeprefix(prefix).split("-", 1)[0]
            if not name.startswith(prefix) or not pid.isdigit():
                continue
            try:
                os.kill(int(pid), 0)
                continue  # alive
            except ProcessLookupError:
                pass
            except OSError:  # another user's process: alive
                continue
            stale = target.parent / name
            with contextlib.suppress(OSError):
                info = stale.lstat()
                if info.st_uid != os.getuid():
                    continue
                if stat.S_ISREG(info.st_mode):
                    stale.unlink()
                elif stat.S_ISDIR(info.st_mode):
                    shutil.rmtree(stale)
    return f"{prefix}{os.getpid()}-"


def scratch_beside(target: Path, suffix: str) -> Path:
    """A private directory beside `target` for one write (a spool, an export being built),
    named by _claim so the next write removes one a killed run left; the caller removes it."""
    return private_dir(_claim(target), suffix, target.parent)


@contextmanager
def temp_beside(path: Path, *, snapshot: bool = False) -> Iterator[Path]:
    """A temp file in the target's directory, renamed onto it when the block succeeds."""
    target = check_target(path, snapshot=snapshot)
    try:
        tmp = private_dir(_claim(target), ".tmp", target.parent, file=True)
        held = Held(tmp, os.O_RDWR)
    except OSError as exc:
        raise OutputError(describe_failure(path, exc)) from None
    try:
        yield held.inside
        held.finish(mode_for(target, 0o666), path)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(describe_failure(path, exc)) from None
    finally:
        held.close()
        _PARTIAL.discard(tmp)
        with contextlib.suppress(OSError):  # only zgc's own: not another's file in its place
            if held.still_named():
                tmp.unlink()


class Held:
    """A temp file or folder zgc just made, held by its descriptor and written through it
    (`inside`): in a folder others may rename in, a link swapped in for its name (to ~/.pgpass,
    ~/.ssh) is never written into or chmodded (second attacker re-review)."""

    def __init__(self, made: Path, flags: int) -> None:
        self.made, self.fd = made, os.open(made, flags | os.O_NOFOLLOW)
        self.stat = os.fstat(self.fd)
        by_fd = Path(f"/proc/self/fd/{self.fd}")
        self.inside = by_fd if by_fd.exists() else made

    def still_named(self) -> bool:
        return os.path.samestat(os.lstat(self.made), self.stat)

    def finish(self, mode: int, shown: str | Path) -> None:
        """Its mode given; an OutputError if its name no longer holds it (then not renamed)."""
        os.fchmod(self.fd, mode)
        if not self.still_named():
            why = "another user replaced zgc's temp file beside it; write where only you can"
            raise OutputError(f"cannot write {shown}: {why}")

    def close(self) -> None:
        os.close(self.fd)


def mode_for(target: Path, new: int) -> int:
    """The mode of the `target` replaced (no setuid, setgid or sticky bits), else `new` under
    the umask: given after writing, so a umask like 0277 cannot lock zgc out of its own."""
    with contextlib.suppress(FileNotFoundError):
        # A link put at its name while zgc wrote is no file to take a mode from (A2).
        if not stat.S_ISLNK(mode := target.lstat().st_mode):
            return mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    return new & ~mask


LOOP = OSError(errno.ELOOP, os.strerror(errno.ELOOP))
_FAILURES = {
    errno.ENOSPC: "the disk is full; free space or write elsewhere",
    errno.EFBIG: "the file would pass this system's size limit (ulimit -f); write fewer rows"
    " or elsewhere",
    **dict.fromkeys(
        (errno.EACCES, errno.EPERM, errno.EROFS), "permission denied; choose another location"
    ),
}


def describe_failure(what: str | Path, exc: OSError) -> str:
    """A failed write, as the one line the user reads."""
    return f"cannot write {what}: {_FAILURES.get(exc.errno or 0) or exc.strerror or exc}"


CLOSED = "standard output is closed; redirect it or give -o FILE"


class StandardOutput:
    """sys.stdout for one run: a failed write (a full disk, `>&-`) is an OutputError, whoever
    wrote; a reader gone stays a BrokenPipeError (a quiet exit 0). `escaped`: for_screen."""

    def __init__(self, stream: TextIO | None, *, escaped: bool = False) -> None:
        self.stream, self.escaped = stream, escaped

    @property
    def closed_stream(self) -> bool:
        return self.stream is None

    def write(self, text: str) -> int:
        written = self._call("write", for_screen(text) if self.escaped else text)
        return written if isinstance(written, int) else len(text)

    def flush(self) -> None:
        if self.stream is not None:
            self._call("flush")

    def isatty(self) -> bool:
        return self.stream is not None and self.stream.isatty()

    def _call(self, name: str, *args: str) -> object:
        if self.stream is None:
            raise OutputError(CLOSED)
        try:
            return getattr(self.stream, name)(*args)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError(describe_failure("standard output", exc)) from None

    def __getattr__(self, name: str) -> Any:  # fileno, encoding, buffer, reconfigure
        if self.stream is None:
            raise AttributeError(CLOSED)
        return getattr(self.stream, name)


def silence(stream: TextIO | StandardOutput | None) -> None:
    """Standard output to /dev/null: the interpreter's final flush cannot raise BrokenPipe."""
    if (fd := descriptor(stream)) is not None:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)


def page(text: str, command: str) -> bool:
    """`text` through the pager `command` (Ctrl-C is the pager's, as with git); False when it
    cannot be started."""
    import shlex
    import signal
    import subprocess

    try:
        argv = shlex.split(command)
    except ValueError:
        return False
    if not argv:
        return False
    # The reader's time is not the command's: the drawing is done, so the deadline ends here.
    signal.setitimer(signal.ITIMER_REAL, 0)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pager = subprocess.Popen(argv, stdin=subprocess.PIPE)
        with contextlib.suppress(OSError):  # the reader quit the pager before the end
            pager.communicate(text.encode("utf-8"))
        pager.wait()
        return True
    except OSError:
        return False
    finally:
        signal.signal(signal.SIGINT, previous)


def descriptor(stream: object) -> int | None:
    """The file descriptor `stream` writes to; None for a test runner's buffer, or none."""
    try:
        return int(stream.fileno())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return None
