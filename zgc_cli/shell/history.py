"""The shell's history, in FileHistory's format, opened once (no link followed, a regular file
of the user's alone, in a directory no one else may write) and never reopened by its name, as
FileHistory does (through a link put in its place mid-session); else in memory, said once."""

from __future__ import annotations

import contextlib
import datetime
import os
import stat
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

from prompt_toolkit.history import History, InMemoryHistory

from zgc_cli import diagnostics


def _places() -> tuple[Path, Path]:
    """The history file ($XDG_STATE_HOME if absolute, else ~/.local/state) and the folder that
    must exist (a mistyped or unmounted one is said, not built): XDG's are made below it."""
    state = os.environ.get("XDG_STATE_HOME", "")
    if os.path.isabs(state):
        return Path(state, "zgc", "history"), Path(state).parent
    home = Path(os.path.expanduser("~"))  # $HOME, else the password database's
    return home / ".local" / "state" / "zgc" / "history", home


def history_file() -> Path:
    return _places()[0]


class DescriptorHistory(History):
    """FileHistory's format through a descriptor opened once (O_APPEND); once a write fails
    the session goes on in memory, and says so once."""

    def __init__(self, descriptor: int, path: Path) -> None:
        super().__init__()
        self.descriptor = descriptor
        self.path = path
        self.failed = False

    def load_history_strings(self) -> Iterable[str]:
        data = os.pread(self.descriptor, os.fstat(self.descriptor).st_size, 0)
        lines = data.decode("utf-8", "replace").splitlines(keepends=True)
        entries = groupby(lines, lambda line: line.startswith("+"))
        # each entry without its last line's newline, the newest first
        return reversed(
            ["".join(line[1:] for line in group)[:-1] for plus, group in entries if plus]
        )

    def store_string(self, string: str) -> None:
        lines = "".join(f"+{line}\n" for line in string.split("\n"))
        data = f"\n# {datetime.datetime.now()}\n{lines}".encode("utf-8", "replace")
        try:
            while data and not self.failed:  # one write, as a rule: O_APPEND keeps entries whole
                data = data[os.write(self.descriptor, data) :]
        except OSError as exc:
            self.failed = True
            why = f"cannot write it ({exc.strerror or exc})"
            diagnostics.note(f"history kept in memory only: {self.path}: {why}")

    def close(self) -> None:
        os.close(self.descriptor)


def open_history() -> tuple[History, str | None]:
    """The history file, 0600, its missing folders made 0700; else in memory, and why."""
    path, top = _places()
    try:
        return DescriptorHistory(_open(path, top), path), None
    except ValueError as exc:
        why = str(exc)
    except OSError as exc:
        why = f"cannot write it ({exc.strerror or exc})"
    return InMemoryHistory(), f"history kept in memory only: {path}: {why}"


def _open(path: Path, top: Path) -> int:
    """The history's descriptor; ValueError says why a file that opened is not used."""
    if not (top.is_absolute() and top.is_dir()):
        raise ValueError(f"{top} does not exist")
    for folder in reversed([p for p in path.parents if top in p.parents]):
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)  # one at a time: parents=True makes them 0777 - umask
    if path.parent.is_symlink():  # as zgc's cache: its own folder, never where a link points
        raise ValueError(f"{path.parent} is a symbolic link")
    directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC | os.O_NOFOLLOW)
    try:
        # Another user's directory, or one every user may write, could put anything at the
        # history's name between two sessions.
        info = os.fstat(directory)
        if info.st_uid != os.getuid():
            raise ValueError("its directory belongs to another user")
        if info.st_mode & stat.S_IWOTH:
            raise ValueError("its directory is writable by every user")
        # Never through a link, never a FIFO or a device: the history appends what is typed.
        flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
        descriptor = os.open(path.name, flags | os.O_CLOEXEC, 0o600, dir_fd=directory)
    finally:
        os.close(directory)
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_nlink != 1:
        os.close(descriptor)  # a hard link's other name would get every statement typed
        raise ValueError("it is not a regular file of yours alone")
    if info.st_mode & 0o077:  # an older zgc's file (FileHistory made it 0644): ours alone now
        os.fchmod(descriptor, 0o600)
    return descriptor
