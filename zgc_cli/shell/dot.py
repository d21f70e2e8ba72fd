"""The shell's dot commands, parsed from their one line, and the settings they change."""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO

from zgc_cli.dictionary import TABLES
from zgc_cli.errors import UsageError, did_you_mean, unknown
from zgc_cli.render import EXTENSIONS, FILES, Format, Listed
from zgc_cli.vocabulary import Lang

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database
    from zgc_cli.sink import Sink

FORMATS = tuple(f.value for f in Format)
ANY = None  # an argument that may be anything (a file name)
# name -> (what it takes, what it does, the values of its one argument: () none, ANY any), in
# the order .help lists them
COMMANDS: dict[str, tuple[str, str, tuple[str, ...] | None]] = {
    ".tables": ("", "the views, their row counts and what they hold", ()),
    ".schema": (
        "[VIEW]",
        "columns of every view, or of VIEW: type, unit and meaning",
        tuple(TABLES),
    ),
    ".format": ("[FORMAT]", f"{', '.join(FORMATS)} (alone: the one in use)", FORMATS),
    ".lang": ("[LANG]", "zh, en or both: names and values in the table view", tuple(Lang)),
    ".output": (
        "[FILE]",
        "each result replaces FILE (atomically, as -o); alone: the terminal",
        ANY,
    ),
    ".timer": ("[on|off]", "print each statement's time on stderr", ("on", "off")),
    ".help": ("", "this list", ()),
    ".quit": ("", "leave the shell (so do .exit and Ctrl-D on an empty line)", ()),
    ".exit": ("", "leave the shell", ()),
}
HELP = """
SQL ends with ; (Enter before it continues the statement; Esc Enter runs it as it is).
Tab completes; Up and Ctrl-R search the history; Ctrl-C clears the line or stops a query.
"""


class Dot(NamedTuple):
    name: str
    arg: str | None = None  # None: not given


def parse(line: str) -> Dot:
    """A dot command from its line (`.format csv`, `.output "my file.csv"`); a `;` at the end
    is forgiven. Raises UsageError naming what is wrong."""
    text = line.strip().rstrip(";").strip()
    try:
        typed, *args = shlex.split(text)
    except ValueError as exc:  # an unclosed quote
        raise UsageError(f'{text.split()[0]}: {exc}; quote a file name as "a b.csv"') from None
    name = typed.lower()
    if name not in COMMANDS:
        hint = did_you_mean(name, list(COMMANDS))
        raise UsageError(f"unknown command {typed}{hint} (.help lists the commands)")
    takes, _, choices = COMMANDS[name]
    if args and choices == ():
        raise UsageError(f"{name} takes nothing (got {' '.join(args)})")
    if len(args) > 1:
        raise UsageError(f"{name} takes one value: {name} {takes}")
    arg = args[0] if args else None
    if arg is None or choices is ANY:
        if arg is not None and not arg.strip():
            raise UsageError(f"{name}: the file name is empty")
    elif name == ".schema":
        if arg not in TABLES:
            raise unknown("view", arg, list(TABLES))
    elif (arg := arg.lower()) not in choices:
        hint = did_you_mean(arg, choices)
        raise UsageError(f"{name} {args[0]}: choose from {', '.join(choices)}{hint}")
    return Dot(name, arg)


def help_text() -> str:
    shown = {f"{name} {takes}".strip(): does for name, (takes, does, _) in COMMANDS.items()}
    width = max(map(len, shown))
    lines = [f"{usage:<{width}}  {does}" for usage, does in shown.items() if usage != ".exit"]
    return "\n".join(lines) + "\n" + HELP


def listing(command: Dot, db: Database) -> Listed:
    """`.tables` and `.schema [VIEW]`, as `zgc tables` and `zgc schema` list them."""
    from zgc_cli.queries.records import schema_listing, table_listing

    return table_listing(db) if command.name == ".tables" else schema_listing(command.arg)


@dataclass
class Settings:
    """What the dot commands change; a Sink is opened from them for every statement."""

    data: str | None = None
    fmt: Format | None = None
    output: Path | None = None
    lang: Lang | None = None
    header: bool = True
    limit: int | None = None
    timer: bool = False

    def sink(self, stdout: TextIO | None = None) -> Sink:
        from zgc_cli.sink import Sink

        return Sink.open(
            command="zgc sql",
            fmt=self.fmt,
            file=self.output,
            lang=self.lang,
            header=self.header,
            limit=self.limit,
            data=self.data,
            stdout=stdout,
        )

    def change(self, dot: Dot, stdout: TextIO | None = None) -> str:
        """Apply .format, .lang, .output or .timer; the line that says what now holds."""
        if dot.name == ".timer":
            self.timer = self.timer if dot.arg is None else dot.arg == "on"
            return f"timer {'on' if self.timer else 'off'}"
        new = replace(self)
        if dot.name == ".output":
            from zgc_cli.output import names_a_folder

            if dot.arg and names_a_folder(dot.arg):
                raise UsageError(f".output {dot.arg} names a folder; give a file name")
            new.output = Path(os.path.expanduser(dot.arg)) if dot.arg else None
        elif dot.arg is not None and dot.name == ".format":
            new.fmt = Format(dot.arg)
        elif dot.arg is not None:
            new.lang = Lang(dot.arg)
        # A pairing that cannot be written is refused in the shell's words, and nothing changes.
        fmt, file = new.fmt, new.output
        named = EXTENSIONS.get(file.suffix.lower()) if file is not None else None
        if fmt in FILES and file is None:
            raise UsageError(
                f".format {fmt.value} writes a file: name one with .output FILE.{fmt.value}"
            )
        if fmt and named and named is not fmt and (named in FILES or fmt in FILES):
            raise UsageError(
                f".format {fmt.value} cannot write {file}, whose name says {named.value}: "
                f".output FILE.{fmt.value} or .format {named.value}"
            )
        sink = new.sink(stdout)  # and a name whose format cannot be told
        if file is not None and dot.name == ".output":
            from zgc_cli.output import check_target

            check_target(file)
        self.fmt, self.lang, self.output = fmt, new.lang, file
        if dot.name != ".output":
            return (
                f"format {sink.kind.value}" if dot.name == ".format" else f"lang {sink.lang.value}"
            )
        if file is None:
            return "results go to the terminal"
        return (
            f"results go to {file} as {sink.kind.value}, each statement's replacing the last "
            "(.output alone: back to the terminal)"
        )
