"""Issue 23, the shell's edges: its history file is opened once and never reopened by name (a
link swapped in mid-session is not followed), its directory must be the user's own, and no
statement changes the engine for the next one."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.history import FileHistory, InMemoryHistory

from tests.conftest import Key, on_terminal
from zgc_cli.db.connection import open_database
from zgc_cli.render import Format
from zgc_cli.shell import dot, history, repl

READY = "zgc>"


def _state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "zgc"


# --- the history file, in this process ------------------------------------------------------


def test_a_link_swapped_in_after_opening_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _state(tmp_path, monkeypatch)
    kept, problem = history.open_history()
    assert problem is None and isinstance(kept, history.DescriptorHistory)
    kept.append_string("SELECT 'before';")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    (folder / "history").rename(folder / "aside")
    (folder / "history").symlink_to(victim)  # what an attacker puts at the name
    kept.append_string("SELECT 'after';")
    (folder / "history").unlink()
    (folder / "history").write_text("another file\n")  # a plain file in its place: the same
    kept.append_string("SELECT 'later';")
    kept.close()
    assert victim.read_text() == "keep me\n"
    assert (folder / "history").read_text() == "another file\n"
    aside = (folder / "aside").read_text()
    assert all(f"+SELECT '{word}';" in aside for word in ("before", "after", "later"))


def test_the_history_reads_what_file_history_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _state(tmp_path, monkeypatch)
    folder.mkdir(parents=True, mode=0o700)
    older = FileHistory(str(folder / "history"))  # the format of earlier zgc versions
    for text in ("SELECT 1;", "SELECT\n  '两行';", "SELECT 3;"):
        older.append_string(text)
    kept, problem = history.open_history()
    assert problem is None
    assert list(kept.load_history_strings()) == ["SELECT 3;", "SELECT\n  '两行';", "SELECT 1;"]
    kept.append_string("SELECT 4;")
    assert isinstance(kept, history.DescriptorHistory)
    kept.close()
    again = FileHistory(str(folder / "history"))
    assert list(again.load_history_strings())[:2] == ["SELECT 4;", "SELECT 3;"]


def test_a_directory_every_user_may_write_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _state(tmp_path, monkeypatch)
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    kept, problem = history.open_history()
    assert isinstance(kept, InMemoryHistory)
    assert problem == f"history kept in memory only: {folder / 'history'}: " + (
        "its directory is writable by every user"
    )
    assert not (folder / "history").exists()


@pytest.mark.skipif(os.getuid() != 0, reason="giving a directory to another user needs root")
@pytest.mark.parametrize("mode", [0o777, 0o700])
def test_a_directory_of_another_user_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    folder = _state(tmp_path, monkeypatch)
    folder.mkdir(parents=True)
    folder.chmod(mode)
    os.chown(folder, 65534, 65534)  # nobody's
    kept, problem = history.open_history()
    assert isinstance(kept, InMemoryHistory)
    assert problem is not None and "its directory belongs to another user" in problem
    assert not (folder / "history").exists()


def test_a_history_file_of_another_user_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if os.getuid() != 0:
        pytest.skip("giving a file to another user needs root")
    folder = _state(tmp_path, monkeypatch)
    folder.mkdir(parents=True, mode=0o700)
    (folder / "history").write_text("+planted\n")
    os.chown(folder / "history", 65534, 65534)
    kept, problem = history.open_history()
    assert isinstance(kept, InMemoryHistory)
    assert problem is not None and "not a regular file of yours" in problem


# --- the installed zgc, as a person types -----------------------------------------------------


@pytest.mark.slow
def test_a_link_swapped_in_mid_session_is_not_written_through(tmp_path: Path) -> None:
    folder = tmp_path / "state" / "zgc"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")

    def swap() -> None:  # after the first statement, before the second is typed
        (folder / "history").rename(folder / "aside")
        (folder / "history").symlink_to(victim)

    keys: list[Key] = [
        (b"SELECT 'first' AS one;\r", 0.3, READY),
        (swap, 0.0, "first"),
        (b"SELECT 'second' AS two;\r", 0.3),
        (b"\x04", 0.3, "second"),
    ]
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    screen = on_terminal(["sql"], env=env, keys=keys, timeout=60, cwd=tmp_path)
    assert "zgc: error" not in screen.plain and "history kept" not in screen.plain
    assert victim.read_text() == "keep me\n"
    assert (folder / "history").is_symlink()
    aside = (folder / "aside").read_text()
    assert "+SELECT 'first' AS one;" in aside and "+SELECT 'second' AS two;" in aside


@pytest.mark.slow
def test_a_shared_history_directory_is_one_line_and_the_shell_works(tmp_path: Path) -> None:
    folder = tmp_path / "state" / "zgc"
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    if os.getuid() == 0:
        os.chown(folder, 65534, 65534)
    keys: list[Key] = [(b"SELECT 6 * 7 AS answer;\r", 0.3, READY), (b"\x04", 0.3, "42")]
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    screen = on_terminal(["sql"], env=env, keys=keys, timeout=60, cwd=tmp_path)
    notes = [line for line in screen.plain.splitlines() if "history kept in memory" in line]
    assert len(notes) == 1 and notes[0].startswith("zgc: "), notes
    assert "42" in screen.plain
    assert not (folder / "history").exists()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o777  # left as it was


# --- no statement changes the engine for the next -----------------------------------------

REGISTER = (
    "FROM query('FROM register_external_resource_type(''zgc_x'', kind := ''y'', "
    "create_function := ''range'')')"  # built in a string: the check cannot see the call
)
COUNT_TYPES = "SELECT count(*) AS registered FROM duckdb_external_resource_types()"


@pytest.fixture
def shell(capsys: pytest.CaptureFixture[str]) -> Iterator[repl.Shell]:
    db = open_database(bound_process=False)
    try:
        yield repl.Shell(db, dot.Settings(fmt=Format.csv), io.StringIO())
    finally:
        db.close()


def _run(shell: repl.Shell, line: str, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    stream = shell.stdout
    assert isinstance(stream, io.StringIO)
    stream.seek(0)
    stream.truncate()
    assert shell.handle(line)
    return stream.getvalue(), capsys.readouterr().err


def test_what_a_statement_registers_is_gone_at_the_next(
    shell: repl.Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    out, err = _run(shell, f"{REGISTER};", capsys)
    assert out == "Success\r\ntrue\r\n" and err == ""  # it ran, on that statement's connection
    assert _run(shell, f"{COUNT_TYPES};", capsys) == ("registered\r\n0\r\n", "")
    # two statements on one line are two statements: the second does not see the first either
    out, _ = _run(shell, f"{REGISTER}; {COUNT_TYPES};", capsys)
    assert out.endswith("registered\r\n0\r\n")


def test_a_statement_that_changes_the_engine_is_refused_by_name(
    shell: repl.Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    for call in (
        "FROM register_external_resource_type('x', kind := 'y', create_function := 'range')",
        'SELECT * FROM "Enable_Logging"()',
        "SELECT setseed(0.5)",
    ):
        out, err = _run(shell, f"{call};", capsys)
        assert out == "" and err.count("\n") == 1, err
        assert err.startswith("zgc: error: refused: ") and "changes the engine" in err
    assert _run(shell, f"{COUNT_TYPES};", capsys) == ("registered\r\n0\r\n", "")


def test_the_shell_renews_only_after_a_users_statement(shell: repl.Shell) -> None:
    first = shell.db.connection
    shell.handle(".tables")  # zgc's own SQL: the connection stays
    assert shell.db.connection is first
    shell.handle("SELECT 1;")
    assert shell.db.connection is first  # the first statement runs on the opened connection
    shell.handle("SELECT 2;")
    assert shell.db.connection is not first


@pytest.mark.slow
def test_the_installed_shell_forgets_what_a_statement_registered(tmp_path: Path) -> None:
    keys: list[Key] = [
        (f"{REGISTER};\r".encode(), 0.3, READY),
        (f"{COUNT_TYPES};\r".encode(), 0.3, "Success"),
        (b"\x04", 0.3, "registered"),
    ]
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    screen = on_terminal(["sql", "-f", "csv"], env=env, keys=keys, timeout=60, cwd=tmp_path)
    answer = screen.plain.rsplit("registered", 1)[1].split()  # the header, then the count
    assert answer[0] == "0", screen.plain[-800:]


# --- review findings: stray escape codes, refused formats, history files ---------------------


@pytest.mark.slow
def test_pasted_colour_codes_are_ignored_not_a_traceback(tmp_path: Path) -> None:
    # Without bracketed paste these read as mouse reports prompt_toolkit's own handler fails on.
    codes = [b"\x1b[0m", b"\x1b[31m", b"\x1b[;M", b"\x1b[<0;1M", b"\x1b[38;5;196m"]
    keys: list[Key] = [(codes[0], 0.3, READY), *((code, 0.2) for code in codes[1:])]
    keys += [(b"SELECT 6 * 7 AS answer;\r", 0.3), (b"\x04", 0.3, "42")]
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    screen = on_terminal(["sql"], env=env, keys=keys, timeout=60, cwd=tmp_path)
    assert "Traceback" not in screen.plain and "Unhandled exception" not in screen.plain
    assert "42" in screen.plain and "zgc: error" not in screen.plain


@pytest.mark.slow
def test_a_refused_format_changes_nothing_and_speaks_the_shells_words(tmp_path: Path) -> None:
    keys: list[Key] = [(b".format html\r", 0.3, READY)]
    keys += [(line, 0.3, "zgc>") for line in (b".format\r", b".tables\r", b"SELECT 6 * 7 AS n;\r")]
    keys += [(b".output r.svg\r", 0.3, "42"), (b".format svg\r", 0.3, "as svg")]
    keys += [(b".output r.xlsx\r", 0.3, "format svg"), (b".format csv\r", 0.3, "zgc>")]
    keys += [(b"\x04", 0.3, "zgc>")]
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    screen = on_terminal(["sql"], env=env, keys=keys, timeout=60, cwd=tmp_path)
    errors = [line for line in screen.plain.splitlines() if line.startswith("zgc: error")]
    assert errors == [
        "zgc: error: .format html writes a file: name one with .output FILE.html",
        "zgc: error: .format svg cannot write r.xlsx, whose name says xlsx: "
        ".output FILE.svg or .format xlsx",
        "zgc: error: .format csv cannot write r.svg, whose name says svg: "
        ".output FILE.csv or .format svg",
    ], screen.plain[-1500:]
    assert "zgc: format table" in screen.plain and "42" in screen.plain
    assert "parks" in screen.plain.split(".tables", 1)[1]  # .tables answered


@pytest.mark.slow
@pytest.mark.parametrize("where", ["home", "xdg"])
def test_no_folder_is_made_above_a_missing_home_or_state_home(tmp_path: Path, where: str) -> None:
    missing = tmp_path / "missing"  # XDG_STATE_HOME may be made, not the folder it is in
    env = {"HOME": str(missing / "home"), "XDG_STATE_HOME": ""}
    top = missing / "home"
    if where == "xdg":
        top = missing
        env = {"HOME": str(tmp_path), "XDG_STATE_HOME": str(missing / "state")}
    keys: list[Key] = [(b"SELECT 6 * 7 AS answer;\r", 0.3, READY), (b"\x04", 0.3, "42")]
    screen = on_terminal(["sql"], env=env, keys=keys, timeout=60, cwd=tmp_path)
    notes = [line for line in screen.plain.splitlines() if "history kept in memory" in line]
    assert len(notes) == 1 and notes[0].endswith(f"{top} does not exist"), notes
    assert "42" in screen.plain and not missing.exists()


@pytest.mark.slow
def test_new_history_folders_are_the_users_alone_whatever_the_umask(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    keys: list[Key] = [(b"SELECT 6 * 7 AS answer;\r", 0.3, READY), (b"\x04", 0.3, "42")]
    old = os.umask(0)
    try:
        env = {"HOME": str(home), "XDG_STATE_HOME": ""}
        on_terminal(["sql"], env=env, keys=keys, timeout=60, cwd=tmp_path)
    finally:
        os.umask(old)
    made = [home / ".local", home / ".local/state", home / ".local/state/zgc"]
    assert [stat.S_IMODE(folder.stat().st_mode) for folder in made] == [0o700] * 3
    assert stat.S_IMODE((made[-1] / "history").stat().st_mode) == 0o600


@pytest.mark.slow
@pytest.mark.parametrize("linked", [False, True])
def test_an_open_history_is_made_private_and_a_hard_linked_one_refused(
    tmp_path: Path, linked: bool
) -> None:
    folder = tmp_path / "state" / "zgc"
    folder.mkdir(parents=True, mode=0o700)
    (folder / "history").write_text("\n# before\n+SELECT 1;\n")
    (folder / "history").chmod(0o644)
    if linked:
        os.link(folder / "history", tmp_path / "elsewhere")
    keys: list[Key] = [(b"SELECT 6 * 7 AS answer;\r", 0.3, READY), (b"\x04", 0.3, "42")]
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    screen = on_terminal(["sql"], env=env, keys=keys, timeout=60, cwd=tmp_path)
    notes = [line for line in screen.plain.splitlines() if "history kept in memory" in line]
    kept = (folder / "history").read_text()
    if linked:
        assert len(notes) == 1 and notes[0].endswith("not a regular file of yours alone")
        assert kept == "\n# before\n+SELECT 1;\n"
        assert stat.S_IMODE((folder / "history").stat().st_mode) == 0o644
    else:
        assert notes == [] and "+SELECT 6 * 7 AS answer;" in kept
        assert stat.S_IMODE((folder / "history").stat().st_mode) == 0o600


@pytest.mark.slow
def test_a_history_folder_that_is_a_link_is_not_followed(tmp_path: Path) -> None:
    """As zgc's cache folder: a link at the history's folder points somewhere zgc never
    chose (another user's, a shared one); history stays in memory and the shell says so."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (tmp_path / "state").mkdir(mode=0o700)
    (tmp_path / "state" / "zgc").symlink_to(elsewhere)
    keys: list[Key] = [(b"SELECT 6 * 7 AS answer;\r", 0.3, READY), (b"\x04", 0.3, "42")]
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    screen = on_terminal(["sql"], env=env, keys=keys, timeout=60, cwd=tmp_path)
    notes = [line for line in screen.plain.splitlines() if "history kept in memory" in line]
    assert len(notes) == 1 and notes[0].endswith("is a symbolic link")
    assert list(elsewhere.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("tail", ["/", "/."])
def test_output_to_a_name_that_ends_as_a_folder_is_refused(tmp_path: Path, tail: str) -> None:
    """As -o: `x.csv/` names a folder, never the file x.csv; the results stay on the screen."""
    keys: list[Key] = [
        (f".output {tmp_path}/x.csv{tail}\r".encode(), 0.3, READY),
        (b"SELECT 6 * 7 AS answer;\r", 0.3, "names a folder"),
        (b"\x04", 0.3, "42"),
    ]
    screen = on_terminal(["sql"], keys=keys, timeout=60, cwd=tmp_path)
    assert "names a folder; give a file name" in screen.plain
    assert not (tmp_path / "x.csv").exists()


# --- the export slot: a fresh one for each connection, and a read of it never ends the shell ---

OWN_SLOT = "list_filter(current_setting('allowed_paths'), lambda p: p LIKE '%/out')[1]"


def test_a_slot_one_statement_learns_is_not_the_next_ones(
    shell: repl.Shell, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = _run(shell, f"SELECT {OWN_SLOT} AS slot;", capsys)
    learned = out.split()[-1]
    assert learned.startswith("/") and learned.endswith("/out"), out
    # read during this statement's own export, where the old slot was a FIFO that never ended
    out, err = _run(shell, f"SELECT * FROM read_text('{learned}');", capsys)
    assert out == "" and err.startswith("zgc: error: refused: queries cannot read"), err
    assert _run(shell, "SELECT 6 * 7 AS answer;", capsys) == ("answer\r\n42\r\n", "")


@pytest.mark.slow
def test_a_statement_that_reads_its_own_slot_does_not_end_the_shell(tmp_path: Path) -> None:
    keys: list[Key] = [
        (f"SELECT * FROM read_text({OWN_SLOT});\r".encode(), 0.3, READY),
        (b"SELECT 6 * 7 AS answer;\r", 0.3, "timed out after 1 s"),
        (b"\x04", 0.3, "42"),
    ]
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    screen = on_terminal(["sql", "-f", "csv", "--timeout", "1"], env=env, keys=keys, timeout=60)
    assert "did not stop" not in screen.plain and "answer" in screen.plain, screen.plain[-800:]
