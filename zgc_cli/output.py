"""Files zgc writes: a temp name beside the target, renamed into place when complete; and
the quiet end of a standard output whose reader went away.

A failed or interrupted write never leaves a half-written file and never touches the snapshot.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from zgc_cli.errors import OutputError


def check_target(path: Path, protected: Path | None) -> Path:
    """Refuse targets zgc must not or cannot write, before any work is done; return the file
    to write: a symbolic link's target (the link stays a link)."""
    if not str(path).strip():
        raise OutputError("-o needs a file name, such as out.csv")
    try:
        target = path.resolve() if path.is_symlink() else path.absolute()
        _check_place(path, target, protected)
    except OSError as exc:  # a name too long, a loop of links
        raise OutputError(describe_failure(path, exc)) from None
    return target


def _check_place(path: Path, target: Path, protected: Path | None) -> None:
    from zgc_cli.db.snapshot import cache_dir

    # Where the file would really land: its directory with every link and `..` resolved.
    real = target.parent.resolve() / target.name
    if real.is_relative_to(cache_dir().resolve()) or real.is_relative_to(cache_dir().absolute()):
        raise OutputError(
            f"refusing to write into zgc's cache ({cache_dir()}); choose another file"
        )
    if protected is not None and (
        target == protected.absolute()
        or (target.exists() and protected.exists() and _same(target, protected))
    ):
        raise OutputError(f"refusing to overwrite the snapshot itself: {path}")
    system = (("dev",), ("proc",), ("sys",))
    if (
        target.parts[1:2] in system
        or path.absolute().parts[1:2] in system
        or (target.exists() and not target.is_file() and not target.is_dir())
    ):
        # A device, a pipe or a process's file (/dev/null, /dev/stdout): never renamed onto.
        raise OutputError(f"cannot write {path}: not a regular file; use > {path} instead")
    if not target.parent.is_dir():
        raise OutputError(
            f"cannot write {path}: directory {target.parent} does not exist; create it first"
        )
    if target.is_dir():
        raise OutputError(f"cannot write {path}: it is a directory; give a file name")


def _same(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


_PARTIAL: set[Path] = set()  # temp files being written, for an exit that skips `finally`


@contextmanager
def partial_file(path: Path) -> Iterator[Path]:
    """A temp file that must not outlive the write: removed when the block ends, or by
    remove_partial_files() when zgc has to exit at once (a query that ignored its time-out)."""
    _PARTIAL.add(path)
    try:
        yield path
    finally:
        _PARTIAL.discard(path)
        path.unlink(missing_ok=True)


def remember(path: Path) -> None:
    """A temp file or directory to remove if zgc has to exit at once (a stuck query)."""
    _PARTIAL.add(path)


def remove_partial_files() -> None:
    import shutil

    for path in list(_PARTIAL):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


@contextmanager
def temp_beside(path: Path, protected: Path | None) -> Iterator[Path]:
    """A temp file in the target's directory, renamed onto it when the block succeeds; the
    finished file keeps an existing file's permissions (or gets a new file's)."""
    target = check_target(path, protected)
    try:
        import tempfile

        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".zgc-tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(describe_failure(path, exc)) from None
    os.close(fd)
    tmp = Path(name)
    _give_mode(tmp, target)
    with partial_file(tmp):
        try:
            yield tmp
            os.replace(tmp, target)
        except OSError as exc:
            raise OutputError(describe_failure(path, exc)) from None


@contextmanager
def atomic_text(path: Path, protected: Path | None) -> Iterator[TextIO]:
    with temp_beside(path, protected) as tmp:
        try:
            with tmp.open("w", encoding="utf-8", newline="") as handle:
                yield handle
        except OSError as exc:
            raise OutputError(describe_failure(path, exc)) from None


def _give_mode(tmp: Path, target: Path) -> None:
    """mkstemp creates 0600: give the file the mode it replaces (a private 0600 stays
    private), else the mode any new file would get."""
    try:
        tmp.chmod(target.stat().st_mode & 0o7777)
        return
    except FileNotFoundError:
        pass
    mask = os.umask(0)
    os.umask(mask)
    tmp.chmod(0o666 & ~mask)


def describe_failure(what: str | Path, exc: OSError) -> str:
    """A failed write, as the one line the user reads."""
    if exc.errno == errno.ENOSPC:
        return f"cannot write {what}: the disk is full; free space or write elsewhere"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {what}: permission denied; choose another location"
    return f"cannot write {what}: {exc.strerror or exc}"


def silence(stream: TextIO) -> None:
    """Point standard output at /dev/null, so the interpreter's final flush of what is left in
    its buffer cannot fail with a BrokenPipeError."""
    try:
        fd = stream.fileno()
    except (AttributeError, ValueError, OSError):
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def page(text: str, command: str) -> bool:
    """Show `text` through the pager `command`; False when it cannot be started (then the
    caller prints it). Ctrl-C belongs to the pager while it runs, as with git."""
    import shlex
    import signal
    import subprocess

    try:
        argv = shlex.split(command)
    except ValueError:
        return False
    if not argv:
        return False
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        try:
            pager = subprocess.Popen(argv, stdin=subprocess.PIPE)
        except OSError:
            return False
        assert pager.stdin is not None
        try:
            pager.stdin.write(text.encode("utf-8"))
            pager.stdin.close()
        except (BrokenPipeError, OSError):
            pass  # the reader quit the pager before the end
        pager.wait()
        return True
    finally:
        signal.signal(signal.SIGINT, previous)
