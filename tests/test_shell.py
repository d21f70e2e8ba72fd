"""Issue 14: `zgc sql` with no query on a terminal is a shell.

The fast lane drives the shell's parts in this process (where statements end, dot commands,
completion, history, a session's statements against a real snapshot); the slow lane drives the
installed `zgc sql` through a pseudo-terminal, as a person types.
"""

from __future__ import annotations

import io
import os
import signal
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.history import InMemoryHistory

from tests.conftest import Key, on_terminal, zgc, zgc_served
from zgc_cli.db.connection import Database, open_database
from zgc_cli.db.guard import Stop
from zgc_cli.errors import UsageError
from zgc_cli.shell import dot, history, repl, statements
from zgc_cli.shell.completion import Vocabulary, suggest


@pytest.fixture(scope="module")
def db() -> Iterator[Database]:
    opened = open_database(bound_process=False)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def vocabulary(db: Database) -> Vocabulary:
    return Vocabulary.read(db)


# --- where statements end ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ready"),
    [
        ("SELECT 1;", True),
        ("SELECT 1", False),
        ("SELECT 1;  -- a comment after it", True),
        ("SELECT ';'", False),  # the ; is inside a string
        ("SELECT 1 /* ; */", False),
        ('SELECT "a;b"', False),
        ("SELECT 'unclosed;", False),
        ("SELECT '中关村中关村'; SELECT 2", False),  # DuckDB counts bytes, zgc characters
        ("SELECT '中关村中关村'; SELECT 2;", True),
        ("-- only a comment", False),
        ("", True),
        ("   ", True),
        (".tables", True),
        ("  .schema parks", True),
    ],
)
def test_enter_runs_only_what_is_finished(text: str, ready: bool) -> None:
    assert statements.ready(text) is ready


def test_statements_are_cut_at_their_semicolons() -> None:
    assert statements.runnable("SELECT 1; SELECT ';' AS x;;  -- end") == [
        "SELECT 1",
        "SELECT ';' AS x",
    ]
    assert statements.runnable("SELECT '中'; SELECT 2") == ["SELECT '中'", "SELECT 2"]
    assert statements.pieces(" WHERE a = ';' ; SELECT 2")[0] == " WHERE a = ';' "


# --- dot commands ---------------------------------------------------------------------------


def test_dot_commands_parse() -> None:
    assert dot.parse(".tables") == dot.Dot(".tables")
    assert dot.parse(" .schema parks ;") == dot.Dot(".schema", "parks")
    assert dot.parse(".FORMAT CSV") == dot.Dot(".format", "csv")
    assert dot.parse(".format") == dot.Dot(".format")
    assert dot.parse('.output "my file.csv"') == dot.Dot(".output", "my file.csv")
    assert dot.parse(".output") == dot.Dot(".output")
    assert dot.parse(".timer on") == dot.Dot(".timer", "on")
    assert dot.parse(".lang zh") == dot.Dot(".lang", "zh")


@pytest.mark.parametrize(
    ("line", "says"),
    [
        (".tabels", "unknown command .tabels; did you mean '.tables'? (.help lists"),
        (".zz", "unknown command .zz (.help lists the commands)"),
        (".format xml", "choose from table, csv, tsv, json, jsonl, markdown"),
        (".lang fr", "choose from zh, en, both"),
        (".timer maybe", "choose from on, off"),
        (".schema park", "unknown view 'park'; did you mean 'parks'?"),
        (".tables parks", ".tables takes nothing"),
        (".output a.csv b.csv", ".output takes one value"),
        ('.output "a.csv', "No closing quotation"),
    ],
)
def test_dot_command_mistakes_are_named(line: str, says: str) -> None:
    with pytest.raises(UsageError, match=None) as caught:
        dot.parse(line)
    assert says in str(caught.value), str(caught.value)


def test_help_lists_every_dot_command() -> None:
    text = dot.help_text()
    for name in dot.COMMANDS:
        if name != ".exit":
            assert f"\n{name}" in f"\n{text}", name


def test_output_refuses_a_name_whose_format_it_cannot_tell(tmp_path: Path) -> None:
    settings = dot.Settings()
    settings.change(dot.Dot(".output", str(tmp_path / "a.csv")))
    with pytest.raises(UsageError, match="cannot tell the format"):
        settings.change(dot.Dot(".output", str(tmp_path / "b.xyz")))
    assert settings.output == tmp_path / "a.csv"  # the last good one stays
    settings.change(dot.Dot(".format", "json"))
    assert "as json" in settings.change(dot.Dot(".output", str(tmp_path / "b.xyz")))


# --- completion -----------------------------------------------------------------------------


def texts(vocabulary: Vocabulary, before: str, after: str = "") -> list[str]:
    return [s.text for s in suggest(vocabulary, before, after)]


def test_views_complete_after_from_and_join(vocabulary: Vocabulary) -> None:
    assert texts(vocabulary, "SELECT * FROM indic") == ["indicators"]
    assert texts(vocabulary, "SELECT * FROM parks JOIN proj")[0] == "projects"
    assert texts(vocabulary, "SELECT * FROM parks, pa")[:2] == ["parks", "participants"]


def test_columns_of_the_statements_views_come_first(vocabulary: Vocabulary) -> None:
    assert texts(vocabulary, "SELECT metric_e") == ["metric_en"]
    # the FROM after the cursor counts too
    assert texts(vocabulary, "SELECT na", " FROM projects")[:2] == ["name_zh", "name_en"]
    offered = texts(vocabulary, "SELECT * FROM indicators WHERE ")
    assert offered[:3] == ["indicator_id", "subject_type", "subject_id"]
    first = suggest(vocabulary, "SELECT * FROM projects WHERE sta")[0]
    assert (first.text, first.start_position) == ("status", -3)
    assert "started | resumed" in first.display_meta_text  # the data dictionary's meaning


def test_qualified_columns_follow_their_alias(vocabulary: Vocabulary) -> None:
    assert texts(vocabulary, "SELECT p.na", " FROM parks AS p") == ["name_zh", "name_en"]
    assert texts(vocabulary, "SELECT i.unit FROM indicators i WHERE i.val") == [
        "value",
        "value_text",
        "value_text_en",
        "value_min",
        "value_max",
    ]
    assert texts(vocabulary, "SELECT nothere.x") == []


def test_values_complete_inside_quotes(vocabulary: Vocabulary) -> None:
    assert "workers_on_site'" in texts(vocabulary, "SELECT * FROM indicators WHERE metric = 'wor")
    held = texts(vocabulary, "FROM indicators WHERE metric = 'resumption")
    assert "enterprise_work_resumption_rate'" in held  # values that hold what was typed
    assert texts(vocabulary, "FROM projects WHERE status = 'st")[0] == "started'"
    assert texts(vocabulary, "FROM parks WHERE park_id IN ('shunyi', 'mi") == ["miyun'"]
    assert texts(vocabulary, "FROM parks WHERE name_zh = '中关村密") == ["中关村密云园'"]
    assert texts(vocabulary, "FROM parks WHERE kind = 'b", "'") == ["base"]  # already closed
    assert texts(vocabulary, "FROM companies WHERE park_id = 'chao") == ["chaoyang'"]  # a key
    assert texts(vocabulary, "SELECT 'shun") == []  # compared with nothing
    assert texts(vocabulary, "SELECT * FROM parks -- park_id = 'shun") == []  # a comment


def test_keywords_and_functions_follow_the_case_typed(vocabulary: Vocabulary) -> None:
    assert texts(vocabulary, "sel") == ["select"]
    assert texts(vocabulary, "SEL") == ["SELECT"]
    assert "GROUP BY" in texts(vocabulary, "SELECT kind FROM parks GRO")
    assert "regexp_matches" in texts(vocabulary, "SELECT regexp_ma")  # from duckdb_functions()
    assert len(vocabulary.functions) > 500


def test_dot_commands_and_their_values_complete(vocabulary: Vocabulary, tmp_path: Path) -> None:
    assert texts(vocabulary, ".ta") == [".tables"]
    assert texts(vocabulary, ".format j") == ["json", "jsonl"]
    assert texts(vocabulary, ".schema pa") == ["parks", "participants"]
    assert texts(vocabulary, ".timer o") == ["on", "off"]
    (tmp_path / "answers.csv").write_text("")
    (tmp_path / "archive").mkdir()
    assert texts(vocabulary, f".output {tmp_path}/a") == ["answers.csv", "archive/"]


# --- history --------------------------------------------------------------------------------


def test_history_lives_in_the_xdg_state_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert history.history_file() == tmp_path / "state" / "zgc" / "history"
    kept, problem = history.open_history()
    assert problem is None and isinstance(kept, history.DescriptorHistory)
    kept.close()
    assert stat.S_IMODE((tmp_path / "state" / "zgc").stat().st_mode) == 0o700
    assert stat.S_IMODE(history.history_file().stat().st_mode) == 0o600
    monkeypatch.setenv("XDG_STATE_HOME", "relative/state")  # the spec: relative is ignored
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert history.history_file() == tmp_path / "home" / ".local" / "state" / "zgc" / "history"


def test_history_that_cannot_be_written_is_kept_in_memory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))  # no directory can be made under a file
    kept, problem = history.open_history()
    assert isinstance(kept, InMemoryHistory)
    assert problem is not None and "history kept in memory only" in problem


def test_a_history_file_that_fails_later_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    kept, _ = history.open_history()
    assert isinstance(kept, history.DescriptorHistory)
    kept.append_string("SELECT 1;")
    read_only = os.open(tmp_path / "zgc" / "history", os.O_RDONLY)
    os.dup2(read_only, kept.descriptor)  # writing now fails
    os.close(read_only)
    kept.append_string("SELECT 2;")
    kept.append_string("SELECT 3;")
    kept.close()
    assert capsys.readouterr().err.count("history kept in memory only") == 1
    assert list(kept.get_strings()) == ["SELECT 1;", "SELECT 2;", "SELECT 3;"]
    assert "+SELECT 1;" in (tmp_path / "zgc" / "history").read_text()


# --- a session, in this process -------------------------------------------------------------


def run_lines(
    shell: repl.Shell, *lines: str, capsys: pytest.CaptureFixture[str]
) -> tuple[str, str]:
    """Each line as if typed and accepted; what went to stdout and stderr."""
    stream = shell.stdout
    assert isinstance(stream, io.StringIO)
    stream.seek(0)
    stream.truncate()
    for line in lines:
        assert shell.handle(line)
    return stream.getvalue(), capsys.readouterr().err


def test_statements_run_in_turn_and_stop_at_an_error(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    shell = repl.Shell(db, dot.Settings(), io.StringIO())
    out, err = run_lines(shell, "SELECT 1 AS a; SELECT 2 AS b;", capsys=capsys)
    assert out == "a\n1\nb\n2\n" and err == ""
    out, err = run_lines(
        shell, "SELECT 1 AS a; COPY (SELECT 1) TO 'x.csv'; SELECT 3 AS c;", capsys=capsys
    )
    assert out == "a\n1\n"  # the statement after the refused one is not run
    assert err.startswith("zgc: error: refused: COPY") and err.count("\n") == 1
    out, err = run_lines(shell, "SELEC 1;", "SELECT 4 AS d;", capsys=capsys)
    assert out == "d\n4\n" and err.count("\n") == 1 and "syntax error" in err.lower()


def test_dot_commands_change_what_follows(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shell = repl.Shell(db, dot.Settings(), io.StringIO())
    out, err = run_lines(shell, ".format csv", "SELECT 1 AS a, 'x' AS b;", capsys=capsys)
    assert out == "a,b\r\n1,x\r\n" and err == "zgc: format csv\n"
    target = tmp_path / "answer.json"
    out, err = run_lines(shell, f".output {target}", ".format json", capsys=capsys)
    assert "each statement's replacing the last" in err
    run_lines(shell, "SELECT 1 AS first;", capsys=capsys)
    out, err = run_lines(shell, "SELECT 2 AS second;", capsys=capsys)
    assert out == "" and err == f"zgc: wrote {target}\n"
    assert target.read_text() == '[\n\t{"second":2}\n]\n'  # replaced, not appended
    assert not [p for p in tmp_path.iterdir() if p.name != target.name]  # no temp file left
    out, err = run_lines(shell, ".output", ".timer on", "SELECT 3 AS third;", capsys=capsys)
    assert out == '[\n\t{"third":3}\n]\n'
    assert err.splitlines()[-1].startswith("zgc: ") and err.endswith(" s\n")
    out, _ = run_lines(shell, ".format tsv", ".tables", ".schema sources", capsys=capsys)
    count = zgc_served("sql", "SELECT count(*) AS n FROM indicators", "-f", "csv").out.split()[1]
    assert f"indicators\t{count}\t" in out
    assert "sources\tsha256\tVARCHAR" in out
    out, _ = run_lines(shell, ".help", capsys=capsys)
    assert ".output [FILE]" in out
    assert not shell.handle(".quit") and not shell.handle(".exit;")


@pytest.mark.slow
def test_a_statement_past_its_time_out_leaves_the_shell_running(
    capsys: pytest.CaptureFixture[str],
) -> None:
    quick = open_database(bound_process=False, timeout=0.5)
    try:
        shell = repl.Shell(quick, dot.Settings(), io.StringIO())
        started = time.monotonic()
        out, err = run_lines(
            shell,
            "SELECT count(*) FROM range(10000000000) t(i) WHERE i % 7 = 3;",
            "SELECT 42 AS after;",
            capsys=capsys,
        )
        assert time.monotonic() - started < 10
        assert err == "zgc: error: query timed out after 0.5 s\n"
        assert out == "after\n42\n"
    finally:
        quick.close()


@pytest.mark.parametrize(("why", "code"), [(Stop.INTERRUPT, 130), (Stop.TIMEOUT, 1)])
def test_a_stuck_statement_ends_the_shell_with_one_line(
    why: Stop, code: int, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    def exit_now(status: int) -> None:
        raise SystemExit(status)

    monkeypatch.setattr(os, "_exit", exit_now)
    with pytest.raises(SystemExit) as ended:
        repl.stuck(why, "query timed out after 30 s")
    assert ended.value.code == code
    line = capfd.readouterr().err
    assert line.startswith("zgc: error: ") and line.count("\n") == 1
    assert "DuckDB did not stop; the shell ends" in line


# --- the installed zgc, as a person types -----------------------------------------------------

READY = "zgc>"  # the prompt: prompt_toolkit reads keys now (raw mode)
LONG = b"SELECT count(*) FROM range(10000000000) t(i) WHERE i % 7 = 3;\r"


def shell_session(keys: list[Key], tmp_path: Path) -> str:
    """`zgc sql` on a terminal with its own history, in its own directory; what the screen
    showed, as text (it must exit 0)."""
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    return on_terminal(["sql"], env=env, keys=keys, timeout=60, cwd=tmp_path).plain


@pytest.mark.slow
def test_shell_answers_a_query_and_exits_on_ctrl_d(tmp_path: Path) -> None:
    text = shell_session(
        [
            (b"SELECT 40 + 2 AS answer,\r", 0.3, READY),
            (b"'ok' AS fine;\r", 0.3),
            (b"\x04", 0.3, "ok"),
        ],
        tmp_path,
    )
    count = zgc_served("sql", "SELECT count(*) AS n FROM indicators", "-f", "csv").out.split()[1]
    assert f"parks 9, projects 8, indicators {count}" in text  # the welcome line
    assert "42" in text and "answer" in text
    assert "...>" in text  # the statement went on to a second line


@pytest.mark.slow
def test_tab_completes_a_view_a_column_and_a_value(tmp_path: Path) -> None:
    # Each Tab alone, and a moment for the completion before the next keys.
    typed = [b"SELECT value_text, metric_e", b"\t", b" FROM indic", b"\t"]
    typed += [b" WHERE metric = 'enterprise_work_res", b"\t", b";\r"]
    keys: list[Key] = [(typed[0], 0.3, READY), *((key, 0.4) for key in typed[1:])]
    text = shell_session([*keys, (b"\x04", 0.3, "98%")], tmp_path)
    assert "metric_en" in text and "indicators" in text
    assert "98%" in text and "zgc: error" not in text


@pytest.mark.slow
def test_ctrl_c_stops_a_long_query_and_the_shell_goes_on(tmp_path: Path) -> None:
    started = time.monotonic()
    text = shell_session(
        [
            (LONG, 0.3, READY),
            (b"\x03", 1.5),
            (b"SELECT 'still here' AS after;\r", 0.3, "zgc: interrupted"),
            (b"\x04", 0.3, "still here"),
        ],
        tmp_path,
    )
    assert time.monotonic() - started < 20  # not the 30 s time-out
    assert "zgc: interrupted" in text and "still here" in text


@pytest.mark.slow
def test_a_refused_statement_is_one_line_and_the_shell_goes_on(tmp_path: Path) -> None:
    text = shell_session(
        [
            (b"COPY (SELECT 1) TO 'x.csv';\r", 0.3, READY),
            (b"SELECT 'next' AS answered;\r", 0.3, "zgc: error"),
            (b"\x04", 0.3, "answered"),
        ],
        tmp_path,
    )
    refusals = [line for line in text.splitlines() if line.startswith("zgc: error")]
    assert len(refusals) == 1 and "refused: COPY" in refusals[0]
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.slow
def test_a_format_that_writes_a_file_needs_its_file_before_the_shell_starts(
    tmp_path: Path,
) -> None:
    screen = on_terminal(["sql", "-f", "html"], cwd=tmp_path, code=2)
    assert screen.plain.strip() == "zgc: error: -f html writes a file: add -o FILE.html"
    assert READY not in screen.plain and list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_history_carries_over_to_the_next_session(tmp_path: Path) -> None:
    shell_session([(b"SELECT 40 + 2 AS answer;\r", 0.3, READY), (b"\x04", 0.3, "42")], tmp_path)
    history = tmp_path / "state" / "zgc" / "history"
    assert "SELECT 40 + 2 AS answer;" in history.read_text()
    assert stat.S_IMODE(history.parent.stat().st_mode) == 0o700
    # the second session: Up brings the statement back, Enter runs it
    text = shell_session([(b"\x1b[A", 0.3, READY), (b"\r", 0.3), (b"\x04", 0.3, "42")], tmp_path)
    assert "42" in text


@pytest.mark.slow
def test_shell_refuses_options_for_one_query() -> None:
    screen = on_terminal(["sql", "--param", "a=1"], code=2)
    assert "--param binds the $names of one query" in screen.plain


@pytest.mark.slow
def test_piped_stdin_is_one_query_not_a_shell() -> None:
    ran = zgc("sql", input=b"SELECT 41 + 1 AS n\n")
    assert ran.out == "n\n42\n" and ran.err == ""


@pytest.mark.slow
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_terminating_signal_ends_the_shell_at_the_prompt(name: str, tmp_path: Path) -> None:
    number = signal.Signals[name]
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    on_terminal(["sql"], env=env, keys=[(number, 0.3, READY)], cwd=tmp_path, code=128 + number)


@pytest.mark.slow
def test_a_terminating_signal_ends_the_shell_during_a_statement(tmp_path: Path) -> None:
    started = time.monotonic()
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    keys: list[Key] = [(LONG, 0.3, READY), (signal.SIGTERM, 1.5)]
    screen = on_terminal(["sql"], env=env, keys=keys, cwd=tmp_path, code=143)
    assert time.monotonic() - started < 25  # not the 30 s time-out
    assert "zgc: interrupted" not in screen.plain


def test_history_never_writes_through_a_link_or_into_a_device(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state"
    (state / "zgc").mkdir(parents=True)
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    link = state / "zgc" / "history"
    link.symlink_to(victim)
    kept, why = history.open_history()
    assert isinstance(kept, InMemoryHistory) and why is not None
    link.unlink()
    link.symlink_to("/dev/zero")
    kept, why = history.open_history()
    assert isinstance(kept, InMemoryHistory) and why is not None
    assert victim.read_text() == "keep me\n"
