"""Files zgc writes: a temp name beside the target, renamed into place when complete; and
the quiet end of a standard output whose reader went away.

A failed or interrupted write never leaves a half-written file and never touches the snapshot.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from zgc_cli.errors import OutputError


def check_target(path: Path, protected: Path | None) -> None:
    """Refuse targets we must not or cannot write, before any work is done."""
    if protected is not None and path.absolute() == protected.absolute():
        raise OutputError(f"refusing to overwrite the snapshot itself: {path}")
    if protected is not None and path.exists() and protected.exists():
        try:
            if path.samefile(protected):
                raise OutputError(f"refusing to overwrite the snapshot itself: {path}")
        except OSError:
            pass
    parent = path.absolute().parent
    if not parent.is_dir():
        raise OutputError(
            f"cannot write {path}: directory {parent} does not exist; create it first"
        )
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a directory; give a file name")
    if path.exists() and not path.is_file():
        # A device or pipe (/dev/null, /dev/stdout): renaming onto it would replace it.
        raise OutputError(f"cannot write {path}: not a regular file; use > {path} instead")


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


def remove_partial_files() -> None:
    for path in list(_PARTIAL):
        path.unlink(missing_ok=True)


@contextmanager
def temp_beside(path: Path, protected: Path | None) -> Iterator[Path]:
    """A temp file in the target's directory, renamed onto `path` when the block succeeds."""
    check_target(path, protected)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".zgc-tmp", dir=path.absolute().parent
        )
    except OSError as exc:
        raise OutputError(_describe(path, exc)) from None
    os.close(fd)
    tmp = Path(name)
    _apply_umask(tmp)
    with partial_file(tmp):
        try:
            yield tmp
            os.replace(tmp, path)
        except OSError as exc:
            raise OutputError(_describe(path, exc)) from None


@contextmanager
def atomic_text(path: Path, protected: Path | None) -> Iterator[TextIO]:
    with temp_beside(path, protected) as tmp:
        try:
            with tmp.open("w", encoding="utf-8", newline="") as handle:
                yield handle
        except OSError as exc:
            raise OutputError(_describe(path, exc)) from None


def _apply_umask(path: Path) -> None:
    # mkstemp creates 0600; the finished file should have the mode any new file would get.
    mask = os.umask(0)
    os.umask(mask)
    path.chmod(0o666 & ~mask)


def _describe(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return f"cannot write {path}: the disk is full; free space or write elsewhere"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {path}: permission denied; choose another location"
    return f"cannot write {path}: {exc.strerror or exc}"


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
