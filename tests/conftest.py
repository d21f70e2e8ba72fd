"""The one test harness: the report and the snapshot, and the ways to run zgc as users do.

- `zgc(...)`: the installed `zgc` in a subprocess, stdout piped; asserts the exit code.
- `zgc_here(...)`: `zgc_cli.cli.main` in this process with real UTF-8 streams (fast).
- `on_terminal(...)`: the installed `zgc` in a pseudo-terminal of a given size.
- `zgc_served(...)`: what `zgc(...)` gives, from one process that runs many commands, each with
  pipes of its own (~0.3 s of start-up saved a run); `Terminals`/`on_terminals`: many screens
  drawn in one pseudo-terminal process. Start-up, signals, limits and time keep `zgc(...)`.
Every helper asserts the exit code it is told to expect (0 unless said otherwise); pass
`code=None` only where the test itself checks it. Subprocess-heavy suites are marked `slow`:
`uv run pytest -m "not slow" -n 2` is the fast lane.
"""

from __future__ import annotations

import atexit
import base64
import io
import json
import os
import pty
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from fcntl import ioctl
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "data" / "zgc.parquet"
SOURCES = ROOT / "data" / "source"


def report_path() -> Path:
    return Path(os.environ.get("ZGC_SOURCE") or ROOT.parent / "shared/source/zgc-article.txt")


@pytest.fixture(scope="session")
def report() -> str:
    """The report's text; CI must have it, elsewhere its absence skips with the reason."""
    path = report_path()
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the accuracy tests but the report is missing at {path}")
        pytest.skip(f"the report is not at {path} (set ZGC_SOURCE)")
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """zgc keeps the snapshot's read-only copy in $XDG_CACHE_HOME/zgc: the tests use their own,
    and cache bytecode of their child processes beside it."""
    base = tmp_path_factory.mktemp("home")
    saved = {name: os.environ.get(name) for name in ("XDG_CACHE_HOME", "PYTHONPYCACHEPREFIX")}
    os.environ["XDG_CACHE_HOME"] = str(base / "cache")
    os.environ["PYTHONPYCACHEPREFIX"] = str(base / "pycache")
    yield base / "cache"
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@dataclass(frozen=True)
class Ran:
    """What one run of zgc left: its exit code, stdout and stderr."""

    code: int
    stdout: bytes
    stderr: bytes

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8")

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8", "replace")

    def error(self, *needles: str) -> str:
        """The single `zgc: error:` line on stderr, holding every needle."""
        lines = self.err.splitlines()
        assert len(lines) == 1, lines
        assert lines[0].startswith("zgc: error: "), lines
        for needle in needles:
            assert needle in lines[0], (needle, lines[0])
        return lines[0]


def zgc_patched(tmp_path: Path, patch: str, argv: list[str]) -> subprocess.CompletedProcess[bytes]:
    """zgc's main(argv) in a process of its own after the Python `patch` ran: a race or a
    signal put at one moment, every time."""
    script = tmp_path / "patched.py"
    script.write_text(f"{patch}\nfrom zgc_cli.cli import main\nmain({argv!r})\n")
    python = str(Path(zgc_executable()).with_name("python"))
    return subprocess.run([python, str(script)], capture_output=True, env=child_env(), timeout=60)


def zgc_executable() -> str:
    """The installed console script of the environment running the tests."""
    found = Path(sys.executable).parent / "zgc"
    if found.exists():
        return str(found)
    which = shutil.which("zgc")
    assert which, "the zgc command is not installed in this environment"
    return which


def child_env(**extra: str) -> dict[str, str]:
    """The environment of a zgc child: no ZGC_ settings or forced colour, plus `extra`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ZGC_")
        and k not in {"FORCE_COLOR", "CLICOLOR_FORCE", "NO_COLOR", "PYTHONDONTWRITEBYTECODE"}
    }
    env.update(extra)
    return env


def zgc(
    *args: str | bytes,
    input: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60,
    code: int | None = 0,
    served: bool = False,
) -> Ran:
    """The installed `zgc` in a subprocess, stdout piped (not a terminal); `served`: see
    `zgc_served`."""
    if served:
        ran = _Server.run([str(a) for a in args], input, child_env(**(env or {})), cwd, timeout)
        if os.environ.get("ZGC_TESTS_CHECK_SERVED"):
            alone = zgc(*args, input=input, env=env, cwd=cwd, code=None)
            assert ran == alone, (args, ran, alone)
    else:
        done = subprocess.run(
            [zgc_executable(), *args],
            input=input,
            capture_output=True,
            env=child_env(**(env or {})),
            cwd=cwd,
            timeout=timeout,
            check=False,
        )
        ran = Ran(done.returncode, done.stdout, done.stderr)
    if code is not None:
        assert ran.code == code, (args, ran.code, ran.err)
    if ran.code in (0, 1, 2):
        assert "Traceback" not in ran.err, ran.err
    return ran


def zgc_served(*args: str, **options: Any) -> Ran:
    """What `zgc(...)` gives (stdin, stdout and stderr pipes of their own, the same checks),
    from one process that runs many commands (tests/zgc_server.py): ~0.3 s of start-up each
    saved. For what needs no process of its own (start-up, signals, limits do); with
    $ZGC_TESTS_CHECK_SERVED set, each run is also checked against `zgc(...)`."""
    return zgc(*args, served=True, **options)


class _Server:
    """tests/zgc_server.py, started on first use and kept for this process's tests."""

    process: subprocess.Popen[bytes] | None = None

    @classmethod
    def run(
        cls,
        args: list[str],
        input: bytes | None,
        env: dict[str, str],
        cwd: Path | None,
        timeout: float,
    ) -> Ran:
        if cls.process is None or cls.process.poll() is not None:
            python = Path(zgc_executable()).with_name("python")
            cls.process = subprocess.Popen(
                [str(python if python.exists() else sys.executable), str(SERVER)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=child_env(),
            )
            atexit.register(cls.process.kill)
        assert cls.process.stdin is not None and cls.process.stdout is not None
        given = None if input is None else base64.b64encode(input).decode()
        # the whole environment and directory of the tests now, as a child process gets them
        request = {"args": args, "input": given, "env": env, "cwd": str(cwd or Path.cwd())}
        cls.process.stdin.write(json.dumps(request).encode() + b"\n")
        cls.process.stdin.flush()
        if not select.select([cls.process.stdout], [], [], timeout)[0]:
            cls.process.kill()
            raise AssertionError(f"zgc {args} did not finish in {timeout} s")
        line = cls.process.stdout.readline()
        assert line, f"zgc's server ended (code {cls.process.wait()}) at {args}"
        answer = json.loads(line)
        return Ran(answer["code"], base64.b64decode(answer["out"]), base64.b64decode(answer["err"]))


SERVER = Path(__file__).with_name("zgc_server.py")


def zgc_here(*args: str, input: bytes = b"", code: int | None = 0) -> Ran:
    """`zgc_cli.cli.main(args)` in this process, with real UTF-8 text streams."""
    from zgc_cli.cli import main

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(
        io.BytesIO(), encoding="utf-8", errors="backslashreplace", write_through=True
    )
    saved_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(input), encoding="utf-8")
    exit_code: Any = 0
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exc:
                exit_code = exc.code
    finally:
        sys.stdin = saved_stdin
    ran = Ran(int(exit_code or 0), out.buffer.getvalue(), err.buffer.getvalue())
    if code is not None:
        assert ran.code == code, (args, ran.code, ran.err)
    assert "Traceback" not in ran.err, ran.err
    return ran


@dataclass(frozen=True)
class Screen:
    """What a pseudo-terminal showed: the raw bytes (ANSI included) and the exit code."""

    code: int
    raw: bytes

    @property
    def text(self) -> str:
        return self.raw.decode("utf-8", "replace")

    @property
    def plain(self) -> str:
        """The text without escape sequences."""
        return plain(self.raw)


ANSI = re.compile(  # CSI and OSC sequences, character-set choices
    r"\x1b\[[0-9;?<=>]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]"
)
CURSOR_QUERY = b"\x1b[6n"  # a program asking the terminal where the cursor is (prompt_toolkit)

# What to send and when: bytes typed, a signal sent to zgc (SIGTERM, as a supervisor does), or
# something the test does at that moment (a function, called).
Action = bytes | signal.Signals | Callable[[], object]
Key = tuple[Action, float] | tuple[Action, float, str]


def plain(raw: bytes) -> str:
    """A terminal's bytes as text, without escape sequences."""
    return ANSI.sub("", raw.decode("utf-8", "replace"))


def _controlling_terminal() -> None:
    """In the child, after setsid: make its stdin (the pseudo-terminal) the controlling
    terminal, as a login shell's is, so Ctrl-C there sends SIGINT."""
    ioctl(0, termios.TIOCSCTTY, 0)


def on_terminal(
    args: Sequence[str],
    *,
    columns: int = 100,
    rows: int = 40,
    env: dict[str, str] | None = None,
    keys: Sequence[Key] = (),
    timeout: float = 30,
    cwd: Path | None = None,
    code: int | None = 0,
) -> Screen:
    """Run the installed `zgc` with stdin, stdout and stderr on a pseudo-terminal of the given
    size (its controlling terminal, answering cursor-position queries as a terminal does);
    `keys` are (bytes, seconds to wait before sending them) or (bytes, seconds, text): the
    text must have appeared on the screen since the previous key before the wait begins. A
    signal in place of the bytes is sent to zgc instead of typed; a function is called."""
    full_env = child_env(TERM="xterm-256color", COLUMNS=str(columns), LINES=str(rows))
    full_env.update(env or {})
    screen = _pty_run([zgc_executable(), *args], full_env, columns, rows, keys, timeout, cwd)
    if code is not None:
        assert screen.code == code, (args, screen.code, screen.text[-2000:])
    return screen


def _pty_run(
    argv: Sequence[str],
    env: dict[str, str],
    columns: int,
    rows: int,
    keys: Sequence[Key] = (),
    timeout: float = 30,
    cwd: Path | None = None,
) -> Screen:
    parent, child = pty.openpty()
    ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    process = subprocess.Popen(
        argv,
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        close_fds=True,
        cwd=cwd,
        start_new_session=True,
        preexec_fn=_controlling_terminal,
    )
    os.close(child)
    pending = list(keys)
    sent_at = time.monotonic()
    since = 0  # where the output began when the last key was sent
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if pending:
                key = pending[0]
                seen = len(key) < 3 or key[2] in plain(b"".join(chunks)[since:])
                if not seen:
                    sent_at = time.monotonic()
                elif time.monotonic() - sent_at >= key[1]:
                    what = pending.pop(0)[0]
                    if isinstance(what, bytes):
                        os.write(parent, what)
                    elif isinstance(what, signal.Signals):
                        process.send_signal(what)
                    else:
                        what()
                    sent_at = time.monotonic()
                    since = sum(len(c) for c in chunks)
            ready, _, _ = select.select([parent], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(parent, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                chunks.append(chunk)
                for _ in range(chunk.count(CURSOR_QUERY)):
                    os.write(parent, b"\x1b[1;1R")
            elif process.poll() is not None:
                break
        else:
            process.kill()
            process.wait(timeout=10)
            shown = plain(b"".join(chunks))[-1500:]
            raise AssertionError(f"{list(argv)[1:]} did not finish in {timeout} s:\n{shown}")
        returned = process.wait(timeout=10)
    finally:
        os.close(parent)
    return Screen(returned, b"".join(chunks))


# One case of `on_terminals`: zgc's arguments, the terminal's columns and rows, extra env.
Case = tuple[tuple[str, ...], int, int, tuple[tuple[str, str], ...]]
CASE_END = re.compile(rb"\x1b\]zgc-case-end;(-?\d+)\x07")


def case(args: Sequence[str], columns: int = 100, rows: int = 40, **env: str) -> Case:
    return (tuple(args), columns, rows, tuple(sorted(env.items())))


def on_terminals(cases: Sequence[Case], timeout: float = 120) -> list[Screen]:
    """Many zgc commands on one pseudo-terminal, each at its size and with its environment, in
    ONE process (tests/terminal_driver.py calls `zgc_cli.cli.main` once a case): a process a
    case cost ~0.3 s of start-up each. Each Screen holds what `on_terminal` shows for the case
    (test_meaning checks one against a process of its own); the exit code is main's."""
    plans = [[list(args), columns, rows, dict(env)] for args, columns, rows, env in cases]
    python = Path(zgc_executable()).with_name("python")
    driver = Path(__file__).with_name("terminal_driver.py")
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as listed:
        json.dump(plans, listed)
        listed.flush()
        argv = [str(python if python.exists() else sys.executable), str(driver), listed.name]
        ran = _pty_run(argv, child_env(TERM="xterm-256color"), 100, 40, timeout=timeout)
    parts = CASE_END.split(ran.raw)  # what case 1 showed, its code, what case 2 showed, ...
    assert ran.code == 0 and len(parts) == 2 * len(cases) + 1, ran.text[-2000:]
    return [Screen(int(parts[i + 1]), parts[i]) for i in range(0, len(parts) - 1, 2)]


class Terminals:
    """Screens of zgc on a pseudo-terminal, drawn by `on_terminals` on first use: the first
    case asked for is drawn with every case `planned` up front that is not drawn yet, so a
    module's screens cost one process (an unplanned case is still drawn, only alone)."""

    def __init__(self, planned: Sequence[Case] = ()) -> None:
        self.planned = list(dict.fromkeys(planned))
        self.drawn: dict[Case, Screen] = {}

    def __call__(self, wanted: Case, code: int | None = 0) -> Screen:
        if wanted not in self.drawn:
            batch = [wanted, *(c for c in self.planned if c != wanted and c not in self.drawn)]
            self.drawn.update(zip(batch, on_terminals(batch), strict=True))
        screen = self.drawn[wanted]
        if code is not None:
            assert screen.code == code, (wanted, screen.code, screen.text[-2000:])
        return screen


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """A working directory of the test's own (nothing zgc does may leave a file in it)."""
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def shown_whole_or_cut(text: str, line: str) -> bool:
    """Whether `text` stands in `line` whole, or as its own beginning and "…" (never lost)."""
    if not text or text in line:
        return True
    return any(text[:k].rstrip() + "…" in line for k in range(len(text)))


def assert_nothing_lost(
    lines: Sequence[str], rows: Sequence[dict[str, Any]], layout: Any, lang: str
) -> int:
    """A drawn table (header, rule, a line a row, footer) shows every non-empty value of every
    column it shows, whole or cut with "…"; returns how many columns it shows."""
    heads = [cell.strip() for cell in re.split(r"\s{2,}", lines[0].strip())]
    shown = [
        s
        for s in layout.columns
        if any(h == s.label or (h.endswith("…") and s.label.startswith(h[:-1])) for h in heads)
    ]
    assert shown, lines[0]
    for line, row in zip(lines[2:], rows, strict=False):
        for column in shown:
            text = column.text(row, lang).replace("\n", "↵")
            brief = column.brief(text) if column.brief else text  # ZGC for Zhongguancun
            assert shown_whole_or_cut(text, line) or shown_whole_or_cut(brief, line), (
                column.key,
                text,
                line,
            )
    return len(shown)
