"""The shell's dot commands: what each one takes, parsed from its one line, and the settings
they change (format, language, output file, timer)."""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from zgc_cli.dictionary import TABLES
from zgc_cli.errors import UsageError
from zgc_cli.queries.base import Lang, did_you_mean, unknown
from zgc_cli.render import Format, Listed

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database
    from zgc_cli.sink import Sink

FORMATS = tuple(f.value for f in Format)
LANGS = tuple(lang.value for lang in Lang)
SWITCH = ("on", "off")

# name -> (what it takes, what it does), in the order .help lists them
COMMANDS: dict[str, tuple[str, str]] = {
    ".tables": ("", "the views, their row counts and what they hold"),
    ".schema": ("[VIEW]", "columns of every view, or of VIEW: type, unit and meaning"),
    ".format": ("[FORMAT]", f"{', '.join(FORMATS)} (alone: the one in use)"),
    ".lang": ("[LANG]", "zh, en or both: names and values in the table view"),
    ".output": ("[FILE]", "each result replaces FILE (atomically, as -o); alone: the terminal"),
    ".timer": ("[on|off]", "print each statement's time on stderr"),
    ".help": ("", "this list"),
    ".quit": ("", "leave the shell (so do .exit and Ctrl-D on an empty line)"),
    ".exit": ("", "leave the shell"),
}
# The values a command's one argument may take (None: any, such as a file name or a view).
CHOICES: dict[str, tuple[str, ...] | None] = {
    ".schema": tuple(TABLES),
    ".format": FORMATS,
    ".lang": LANGS,
    ".output": None,
    ".timer": SWITCH,
}


@dataclass(frozen=True)
class Dot:
    """One dot command and its argument, if it was given one."""

    name: str
    arg: str | None = None


def is_dot(text: str) -> bool:
    return text.lstrip().startswith(".")


def parse(line: str) -> Dot:
    """A dot command from its line (`.format csv`, `.output "my file.csv"`); a `;` at the end
    is forgiven. Raises UsageError naming what is wrong."""
    text = line.strip().rstrip(";").strip()
    try:
        words = shlex.split(text)
    except ValueError as exc:  # an unclosed quote
        raise UsageError(f'{text.split()[0]}: {exc}; quote a file name as "a b.csv"') from None
    name, args = words[0].lower(), words[1:]
    if name not in COMMANDS:
        raise UsageError(
            f"unknown command {words[0]}{did_you_mean(name, list(COMMANDS))} "
            "(.help lists the commands)"
        )
    if name not in CHOICES:
        if args:
            raise UsageError(f"{name} takes nothing (got {' '.join(args)})")
        return Dot(name)
    if len(args) > 1:
        raise UsageError(f"{name} takes one value: {name} {COMMANDS[name][0]}")
    if not args:
        return Dot(name)
    arg = args[0]
    choices = CHOICES[name]
    if name == ".schema":
        if arg not in TABLES:
            raise unknown("view", arg, list(TABLES))
    elif choices is not None:
        arg = arg.lower()
        if arg not in choices:
            raise UsageError(
                f"{name} {args[0]}: choose from {', '.join(choices)}{did_you_mean(arg, choices)}"
            )
    elif not arg.strip():
        raise UsageError(f"{name}: the file name is empty")
    return Dot(name, arg)


def help_text() -> str:
    width = max(len(f"{name} {takes}".strip()) for name, (takes, _) in COMMANDS.items())
    lines = [
        f"{f'{name} {takes}'.strip():<{width}}  {does}"
        for name, (takes, does) in COMMANDS.items()
        if name != ".exit"
    ]
    return "\n".join(
        [
            *lines,
            "",
            "SQL ends with ; (Enter before it continues the statement; Esc Enter runs it as it "
            "is).",
            "Tab completes; Up and Ctrl-R search the history; Ctrl-C clears the line or stops "
            "a query.",
            "",
        ]
    )


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

    def change(self, dot: Dot, db: Database, stdout: TextIO | None = None) -> str:
        """Apply .format, .lang, .output or .timer; the line that says what now holds."""
        if dot.name == ".format":
            if dot.arg is not None:
                self.fmt = Format(dot.arg)
            return f"format {self.sink(stdout).kind.value}"
        if dot.name == ".lang":
            if dot.arg is not None:
                self.lang = Lang(dot.arg)
            return f"lang {self.sink(stdout).lang.value}"
        if dot.name == ".timer":
            if dot.arg is not None:
                self.timer = dot.arg == "on"
            return f"timer {'on' if self.timer else 'off'}"
        if dot.name == ".output":
            return self._output(dot.arg, db, stdout)
        raise AssertionError(dot.name)  # pragma: no cover - the shell runs the others

    def _output(self, arg: str | None, db: Database, stdout: TextIO | None) -> str:
        from zgc_cli import output

        if arg is None:
            self.output = None
            return "results go to the terminal"
        path = Path(os.path.expanduser(arg))
        previous = self.output
        self.output = path
        try:
            kind = self.sink(stdout).kind  # a name whose format cannot be told is refused now
            output.check_target(path)
        except BaseException:
            self.output = previous
            raise
        return (
            f"results go to {path} as {kind.value}, each statement's replacing the last "
            "(.output alone: back to the terminal)"
        )


def tables(db: Database) -> Listed:
    """`.tables`, as `zgc tables` lists them."""
    from zgc_cli.queries.records import table_counts

    counts = table_counts(db)
    rows = [(name, counts.get(name, 0), table.description) for name, table in TABLES.items()]
    return Listed(["table", "rows", "description"], ["VARCHAR", "BIGINT", "VARCHAR"], rows)


def schema(view: str | None) -> Listed:
    """`.schema [VIEW]`, as `zgc schema` lists them."""
    rows = [
        (t.name, c.name, c.type, c.unit or None, c.meaning)
        for t in TABLES.values()
        if view in (None, t.name)
        for c in t.columns
    ]
    return Listed(["table", "column", "type", "unit", "meaning"], ["VARCHAR"] * 5, rows)
