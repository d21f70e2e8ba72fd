"""The session: prompt_toolkit reads a statement, the sink writes its answer as `zgc sql` does.
Each statement gets its own guard (time-out, Ctrl-C) and a fresh sealed connection (no
statement sees what another did to the engine); an error is one line."""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NoReturn, TextIO

from zgc_cli import diagnostics
from zgc_cli.errors import OUT_OF_MEMORY, ExitCode, ZgcError, interrupted_exit_code, terminated
from zgc_cli.shell import dot, statements
from zgc_cli.shell.completion import Vocabulary
from zgc_cli.shell.history import DescriptorHistory, open_history

if TYPE_CHECKING:
    from prompt_toolkit.key_binding import KeyBindings

    from zgc_cli.db.connection import Database
    from zgc_cli.db.guard import Stop


def run(settings: dot.Settings, *, timeout: float, memory_limit: str | None) -> int:
    """The shell, until .quit or Ctrl-D; its exit code."""
    import gc
    from importlib import import_module

    from prompt_toolkit import PromptSession
    from prompt_toolkit.lexers import PygmentsLexer

    from zgc_cli.db.connection import DEFAULT_MEMORY_LIMIT, open_database

    gc.enable()  # a session lives long: the collector the one-shot commands skip (entry.py)
    history, problem = open_history()
    limit = memory_limit or DEFAULT_MEMORY_LIMIT
    db = open_database(settings.data, timeout=timeout, memory_limit=limit, on_stuck=stuck)
    try:
        try:
            vocabulary = Vocabulary.read(db)
        except ZgcError as exc:  # --memory-limit 16MB: the shell starts, completing less
            vocabulary = Vocabulary()
            lost = f"completion knows keywords and views only ({exc})"
            problem = f"{problem}; {lost}" if problem else lost
        tables = dot.listing(dot.Dot(".tables"), db).rows
        rows = ", ".join(f"{name} {count}" for name, count, _ in tables)
        schema = db.metadata().get("zgc_schema_version", "?")
        name = diagnostics.visible(db.path.name)  # a file name may hold an escape sequence
        sys.stderr.write(f"zgc sql · {name} (schema {schema}): {rows} · .help for help\n")
        if problem:
            diagnostics.note(problem)
        if settings.output is not None:  # -o FILE given with the shell
            diagnostics.note(settings.change(dot.Dot(".output", str(settings.output))))
        session: PromptSession[str] = PromptSession(
            "zgc> ",
            multiline=True,
            prompt_continuation=lambda width, line, wrapped: "...> ".rjust(width),
            history=history,
            # pygments (Rich brings it) has no type stubs: imported by name
            lexer=PygmentsLexer(import_module("pygments.lexers.sql").SqlLexer),
            completer=vocabulary,
            complete_while_typing=False,
            key_bindings=key_bindings(),
            search_ignore_case=True,
        )
        return Shell(db, settings).loop(session.prompt)
    finally:
        db.close()
        if isinstance(history, DescriptorHistory):
            history.close()


def stuck(why: Stop, message: str) -> NoReturn:
    """A statement ignored its time-out or Ctrl-C: DuckDB may be wedged, so the shell ends with
    one line and one-shot `zgc sql`'s exit code."""
    from zgc_cli.db.guard import Stop
    from zgc_cli.output import remove_partial_files

    remove_partial_files()
    what = "interrupted" if why is Stop.INTERRUPT else message
    diagnostics.last_words(
        diagnostics.error_line(f"{what}, but DuckDB did not stop; the shell ends")
    )
    os._exit(interrupted_exit_code() if why is Stop.INTERRUPT else ExitCode.ERROR)


@dataclass
class Shell:
    """Runs what was typed: a dot command, or SQL statements one after another."""

    db: Database
    settings: dot.Settings
    stdout: TextIO = field(default_factory=lambda: sys.stdout)

    def loop(self, prompt: Callable[[], str]) -> int:
        while not terminated():  # SIGTERM or SIGHUP, at the prompt or during a statement
            try:
                text = prompt()
            except KeyboardInterrupt:  # Ctrl-C while typing: the line is dropped
                continue
            except EOFError:  # Ctrl-D on an empty line
                self.stdout.write("\n")
                return ExitCode.OK
            try:
                if not self.handle(text):
                    return ExitCode.OK
            except KeyboardInterrupt:  # between two statements
                if not terminated():
                    diagnostics.interrupted()
        return interrupted_exit_code()

    def handle(self, text: str) -> bool:
        """Run `text`; False when it asks to leave."""
        if text.lstrip().startswith("."):
            return self._attempt(lambda: self._dot(dot.parse(text))) is not False
        for statement in statements.runnable(text):
            started = time.perf_counter()
            ran = self._attempt(functools.partial(self._write, statement))
            if self.settings.timer:
                diagnostics.note(f"{time.perf_counter() - started:.3f} s")
            if ran is None:
                break  # the statements after a failed one are not run
        return True

    def _dot(self, command: dot.Dot) -> bool:
        if command.name in (".quit", ".exit"):
            return False
        if command.name == ".help":
            self.stdout.write(dot.help_text())
            self.stdout.flush()
        elif command.name in (".tables", ".schema"):
            self._write(command)
        else:
            diagnostics.note(self.settings.change(command, self.stdout))
        return True

    def _write(self, what: str | dot.Dot) -> bool:
        """Run a statement, or list .tables or .schema, through a sink of the settings."""
        sink = self.settings.sink(self.stdout)
        if isinstance(what, dot.Dot):
            sink.listed(dot.listing(what, self.db), db=self.db)
        else:
            self.db.fresh()  # a new connection after a user's statement: no state carries over
            guard = self.db.guard()  # one deadline from the check to the last row
            sink.result(self.db, self.db.check(what, guard), {}, guard=guard, raw=True)
        if sink.file is not None:
            diagnostics.note(f"wrote {sink.file}")
        return True

    @staticmethod
    def _attempt(work: Callable[[], object]) -> object:
        """What `work` returns; an error, a refusal or Ctrl-C is one line on stderr and None."""
        try:
            return work()
        except ZgcError as exc:
            diagnostics.error(str(exc))
        except MemoryError:
            diagnostics.error(OUT_OF_MEMORY)
        except KeyboardInterrupt:  # the guard stopped DuckDB first
            if not terminated():  # a terminating signal ends the session without a word
                diagnostics.interrupted()
        return None


def key_bindings() -> KeyBindings:
    """Enter runs what is ready (statements.ready), else starts a new line; on a highlighted
    completion it only closes the menu. Mouse reports are ignored: the shell asks for none, and
    pasted colour codes (`\x1b[0m`) parse as ones prompt_toolkit's handler fails on."""
    from prompt_toolkit.enums import DEFAULT_BUFFER
    from prompt_toolkit.filters import has_focus
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
    from prompt_toolkit.keys import Keys

    keys = KeyBindings()
    keys.add(Keys.Vt100MouseEvent)(lambda event: None)

    @keys.add("enter", filter=has_focus(DEFAULT_BUFFER))  # not in Ctrl-R's search
    def _enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        if buffer.complete_state is not None and buffer.complete_state.current_completion:
            buffer.complete_state = None
        elif statements.ready(buffer.text):
            buffer.validate_and_handle()
        else:
            buffer.insert_text("\n")

    return keys
