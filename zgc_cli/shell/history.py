"""The shell's history: one file of the user's, opened once, never reopened by its name.

prompt_toolkit's FileHistory reopens its file by name for every statement, so a link put in its
place mid-session would be written through. Here the file is opened once (no link followed, a
regular file of the user's, in a directory no one else may write) and read and appended through
that descriptor, in FileHistory's format. Anything else keeps the history in memory, and one
line says why.
"""

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


def _state_home() -> tuple[Path, Path]:
    """The state directory ($XDG_STATE_HOME if absolute, as the spec says, else
    ~/.local/state) and the folder above it that must already exist: the shell makes the
    folders XDG asks it to make (0700), never a home or the place XDG_STATE_HOME names a
    folder in; a mistyped or unmounted path is said, not built."""
    state = os.environ.get("XDG_STATE_HOME", "")
    if os.path.isabs(state):
        return Path(state), Path(state).parent
    home = Path(os.path.expanduser("~"))  # $HOME, else the password database's
    return home / ".local" / "state", home


def history_file() -> Path:
    return _state_home()[0] / "zgc" / "history"


class DescriptorHistory(History):
    """FileHistory's format through a descriptor opened once (O_APPEND): what a session stores
    goes to the file it opened, whatever is later put at that name. Once a write fails the
    session goes on in memory, and says so once."""

    def __init__(self, descriptor: int, path: Path) -> None:
        super().__init__()
        self.descriptor = descriptor
        self.path = path
        self.failed = False

    def load_history_strings(self) -> Iterable[str]:
        try:
            data = os.pread(self.descriptor, os.fstat(self.descriptor).st_size, 0)
        except OSError:
            return []
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
            diagnostics.note(_in_memory(self.path, f"cannot write it ({exc.strerror or exc})"))

    def close(self) -> None:
        if self.descriptor >= 0:
            os.close(self.descriptor)
            self.descriptor = -1


def _in_memory(path: Path, why: str) -> str:
    return f"history kept in memory only: {path}: {why}"


def open_history() -> tuple[History, str | None]:
    """The history file, 0600, its missing folders made 0700; else history in memory, and the
    line that says why."""
    state, top = _state_home()
    path = state / "zgc" / "history"
    if not (top.is_absolute() and top.is_dir()):
        return InMemoryHistory(), _in_memory(path, f"{top} does not exist")
    try:
        for folder in reversed([p for p in path.parents if top in p.parents]):
            with contextlib.suppress(FileExistsError):
                folder.mkdir(mode=0o700)  # one at a time: parents=True makes them 0777 - umask
        directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            # Another user's directory, or one every user may write, could put anything at
            # the history's name between two sessions.
            info = os.fstat(directory)
            if info.st_uid != os.getuid():
                return InMemoryHistory(), _in_memory(path, "its directory belongs to another user")
            if info.st_mode & stat.S_IWOTH:
                return InMemoryHistory(), _in_memory(
                    path, "its directory is writable by every user"
                )
            # Never through a link, never a FIFO or a device: the history appends what is typed.
            flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK
            descriptor = os.open(path.name, flags | os.O_CLOEXEC, 0o600, dir_fd=directory)
        finally:
            os.close(directory)
    except OSError as exc:
        return InMemoryHistory(), _in_memory(path, f"cannot write it ({exc.strerror or exc})")
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid() or info.st_nlink != 1:
        os.close(descriptor)  # a hard link's other name would get every statement typed
        return InMemoryHistory(), _in_memory(path, "it is not a regular file of yours alone")
    if info.st_mode & 0o077:  # an older zgc's file (FileHistory made it 0644): ours alone now
        os.fchmod(descriptor, 0o600)
    return DescriptorHistory(descriptor, path), None
