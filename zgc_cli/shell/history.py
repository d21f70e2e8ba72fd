"""The shell's history: one file of the user's, opened once, never reopened by its name.

prompt_toolkit's FileHistory reopens its file by name for every statement, so a link put in its
place mid-session would be written through. Here the file is opened once (no link followed, a
regular file of the user's, in a directory no one else may write) and read and appended through
that descriptor, in FileHistory's format. Anything else keeps the history in memory, and one
line says why.
"""

from __future__ import annotations

import datetime
import os
import stat
from collections.abc import Iterable
from itertools import groupby
from pathlib import Path

from prompt_toolkit.history import History, InMemoryHistory

from zgc_cli import diagnostics


def history_file() -> Path:
    """$XDG_STATE_HOME/zgc/history (an absolute XDG_STATE_HOME only, as the spec says), else
    ~/.local/state/zgc/history."""
    state = os.environ.get("XDG_STATE_HOME", "")
    base = Path(state) if os.path.isabs(state) else Path.home() / ".local" / "state"
    return base / "zgc" / "history"


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
    """The history file, its directory made 0700 and the file 0600 if new; else history in
    memory, and the line that says why."""
    path = history_file()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
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
    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
        os.close(descriptor)
        return InMemoryHistory(), _in_memory(path, "it is not a regular file of yours")
    return DescriptorHistory(descriptor, path), None
