"""The wall is the connection (`seal`): once the read-only copy is attached, file systems and
external access go off and settings lock, so no statement, however built, reaches a file.
`check_statement` names what it refuses: a good message, never the wall."""

from __future__ import annotations

import contextlib
import itertools
import os
import stat
from typing import Any

from zgc_cli.db.engine import engine
from zgc_cli.db.statement import _PROOF, CheckedSQL, sql_literal
from zgc_cli.errors import QueryError, UsageError

MAX_SQL_BYTES = 1_000_000  # a query larger than this is refused before DuckDB parses it
ALLOWED = "SELECT, WITH, FROM, VALUES, DESCRIBE, SUMMARIZE, SHOW, PIVOT, EXPLAIN"

# Settings given when the connection opens: nothing is downloaded or loaded, no secret is read
# from or written to ~/.duckdb, no Python variable is readable by name, nothing spills to disk.
HARDENED = {
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
    "allow_persistent_secrets": False,
    "python_enable_replacements": False,
    "max_temp_directory_size": "0B",
}
# After the snapshot is attached, in this order (DuckDB refuses external access off once the
# local file system is gone while a database file is attached). DuckDB fills the proxy from
# HTTP_PROXY when it starts: a user's password is not data.
SEAL = [
    *(f"SET http_proxy{part} = ''" for part in ("", "_username", "_password")),
    "SET temp_directory = ''",
    "SET secret_directory = ''",
    "SET enable_external_access = false",
    "SET lock_configuration = true",
]


def seal(connection: Any) -> None:
    """A fresh slot for each connection: a query may read its own in duckdb_settings(), and the
    shell runs each statement on a new connection, so no statement reaches another's slot."""
    _slots[id(connection)] = os.path.join(neutral_temp(), f"zgc-{os.urandom(6).hex()}", "out")
    for statement in [f"SET allowed_paths = [{sql_literal(slot(connection))}]", *SEAL]:
        connection.execute(statement)


def check_text(sql: str) -> None:
    if "\x00" in sql:
        raise QueryError("refused: the query contains a NUL byte")
    if (size := len(utf8(sql))) > MAX_SQL_BYTES:
        raise QueryError(
            f"refused: the query is {size:,} bytes; zgc takes at most {MAX_SQL_BYTES:,} "
            "(put large value lists in a file of data, not in SQL)"
        )
    if not sql.strip():
        raise UsageError("no SQL statement given")


def utf8(sql: str) -> bytes:
    """The query's UTF-8 bytes; a lone surrogate (from a file of bad bytes) is refused."""
    try:
        return sql.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryError(
            "refused: the query is not valid UTF-8 (lone surrogate or bad bytes)"
        ) from None


def check_statement(sql: str) -> CheckedSQL:
    """Refuse anything but exactly one read-only statement, naming what was refused. By
    DuckDB's tokens, not its parser: extract_statements holds Python's lock, 4 s for 30,000
    CTEs, out of reach of any time-out or Ctrl-C. A syntax error is DuckDB's to report."""
    parts: list[list[Token]] = [[]]
    cuts = [-1]  # where each `;` is: a part lies between two
    for token in tokens(sql):  # split at `;`: never one inside a string, name or comment
        if token.kind == "operator" and ";" in token.text:
            parts.append([])
            cuts.append(token.start + token.text.index(";"))
        elif token.kind != "comment":
            parts[-1].append(token)
    cuts.append(len(sql))
    statements = [n for n, part in enumerate(parts) if part]  # empty parts are nothing
    if not statements:
        raise UsageError("no SQL statement given (only comments or semicolons)")
    if len(statements) > 1:
        raise QueryError(f"only one statement per call is allowed; got {len(statements)}")
    at = statements[0]
    kind = _read_kind(parts[at])
    # Calls that change the engine for the statements after it: refused for a clear message;
    # the wall is that the shell and the API run each statement on a fresh connection.
    for token, following in itertools.pairwise(parts[at]):
        name = token.text.strip('"').replace('""', '"').lower()
        call = token.kind in ("identifier", "keyword") and following.text.startswith("(")
        if call and name in ENGINE_CHANGERS:
            raise QueryError(
                f"refused: {name}() changes the engine for the statements after it; "
                "zgc runs read-only queries only"
            )
    # The statement alone: DuckDB's parser refuses `SELECT 1; ;`, and COPY takes no `;`.
    return CheckedSQL(sql[cuts[at] + 1 : cuts[at + 1]], kind, _PROOF)


class Token:
    """A token's character offset, kind (keyword, identifier, operator, comment...) and text:
    a plain class, where a dataclass costs 0.2 ms of every command to define."""

    __slots__ = ("kind", "start", "text")

    def __init__(self, start: int, kind: str, text: str) -> None:
        self.start, self.kind, self.text = start, kind, text

    @property
    def word(self) -> str:
        return self.text.upper() if self.kind == "keyword" else ""


def tokens(sql: str) -> list[Token]:
    """The SQL's tokens, comments included, by DuckDB's tokenizer; `start` is a character
    offset, not DuckDB's UTF-8 one (a CJK literal before a `;` once hid the `;`)."""
    data = utf8(sql)  # DuckDB's tokenizer takes UTF-8 only
    found = engine().tokenize(sql)
    starts = [start for start, _ in found]
    if not sql.isascii():  # whole characters lie between two tokens' starts
        at = last = 0
        for n, start in enumerate(starts):
            at, last = at + len(data[last:start].decode()), start
            starts[n] = at
    ends = [*starts[1:], len(sql)]  # each token ends where the next starts
    return [
        Token(start, str(getattr(kind, "name", kind)), sql[start:end].strip())
        for start, end, (_, kind) in zip(starts, ends, found, strict=False)
    ]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# How read-only statements begin (DuckDB's SELECT kinds, PIVOT).
_READS = dict.fromkeys(
    _words("SELECT WITH FROM VALUES TABLE DESCRIBE DESC SHOW SUMMARIZE"), "SELECT"
)
_READS |= dict.fromkeys(_words("PIVOT UNPIVOT PIVOT_WIDER PIVOT_LONGER"), "PIVOT")
# Words that continue a statement's name after its first keyword (CREATE OR REPLACE VIEW).
_NAME_WORDS = _words(
    "OR REPLACE TEMP TEMPORARY PERSISTENT UNIQUE VIEW TABLE MACRO DATABASE SCHEMA SEQUENCE "
    "TYPE INDEX FUNCTION SECRET EXTENSIONS TRANSACTION INSTALL INTO"
)
_WRITERS = _words("COPY INSERT UPDATE DELETE MERGE")
# The words DuckDB's other statements begin with: any other first word is a typo (SELEC).
_STATEMENTS = _words(
    "ABORT ALTER ANALYZE ATTACH BEGIN CALL CHECKPOINT COMMENT COMMIT COPY CREATE DEALLOCATE "
    "DELETE DETACH DROP END EXECUTE EXPORT FORCE IMPORT INSERT INSTALL LOAD MERGE PRAGMA "
    "PREPARE RESET ROLLBACK SET START TRUNCATE UNINSTALL UPDATE USE VACUUM"
)
ENGINE_CHANGERS = _words(
    "register_external_resource_type register_external_resource deregister_external_resource "
    "create_external_resource destroy_external_resource enable_logging disable_logging "
    "truncate_duckdb_logs enable_profiling disable_profiling add_grammar_extension "
    "remove_grammar_extension checkpoint force_checkpoint setseed"
)


def _read_kind(code: list[Token]) -> str:
    """SELECT, PIVOT or EXPLAIN, or a QueryError naming the statement refused."""
    body = code
    while body and body[0].kind == "operator" and body[0].text.strip("(") == "":
        body = body[1:]  # (SELECT ...) UNION (SELECT ...)
    head = body[0].word if body else ""
    if head == "EXPLAIN":
        inner = _explained(body[1:])
        try:
            _read_kind(inner)
        except QueryError:
            what = " ".join(_name(inner)) or "a statement that is not a query"
            raise QueryError(
                f"refused: EXPLAIN of {what}; zgc explains read-only queries only"
            ) from None
        return "EXPLAIN"
    if head not in _READS and head not in _STATEMENTS:  # a typo, most likely (SELEC)
        shown = body[0].text[:40] if body else ""
        raise QueryError(f"syntax error at or near {shown!r}; a query starts with {ALLOWED}")
    if head not in _READS:
        named = " ".join(_name(body))
        raise QueryError(f"refused: {named} statement; zgc runs read-only queries only ({ALLOWED})")
    writer = _writer_in_with(body) if head == "WITH" else None
    if writer is not None:  # DuckDB 2 runs a WITH whose part writes
        raise QueryError(f"refused: {writer} inside a WITH clause; zgc runs read-only queries only")
    return _READS[head]


def _name(code: list[Token]) -> list[str]:
    """The name a statement starts with: `CREATE OR REPLACE VIEW`, `USE`, `IMPORT DATABASE`."""
    words: list[str] = []
    for token in code:
        if not token.word or (words and token.word not in _NAME_WORDS):
            break
        words.append(token.word)
    return words


def _writer_in_with(code: list[Token]) -> str | None:
    """A writing statement in a WITH: a part `AS (DELETE …` or the statement after the parts
    (`WITH x AS (…) DELETE …`)."""
    depth = 0
    state = ""  # "as": just read AS; "body": just opened the part after AS
    for token in code[1:]:
        word = token.word
        if state == "body" and word in _WRITERS:
            return word
        if token.kind == "operator":
            opens = token.text.startswith("(")
            state = "body" if state == "as" and opens and depth == 0 else ""
            depth += token.text.count("(") - token.text.count(")")
            continue
        if state == "as" and word in ("NOT", "MATERIALIZED"):
            continue
        state = "as" if word == "AS" and depth == 0 else ""
        if depth == 0 and word and word not in ("AS", "RECURSIVE", "USING", "KEY"):
            return word if word in _WRITERS else None  # the statement after the parts
    return None


def _explained(code: list[Token]) -> list[Token]:
    """What EXPLAIN explains: the tokens after ANALYZE and an option list `(FORMAT json)`."""
    rest = code[1:] if code and code[0].word in ("ANALYZE", "ANALYSE") else code
    if not (rest and rest[0].kind == "operator" and rest[0].text.startswith("(")):
        return rest
    depth = 0
    for n, token in enumerate(rest):
        if token.kind == "operator":
            depth += token.text.count("(") - token.text.count(")")
        if depth <= 0:
            return rest[n + 1 :]
    return []


def parameters(sql: str) -> list[str]:
    """The named parameters a statement uses (`$name`), in order, each once."""
    code = [t for t in tokens(sql) if t.kind != "comment"]
    names = [
        following.text
        for token, following in itertools.pairwise(code)
        if token.kind == "operator" and token.text.endswith("$") and following.kind == "identifier"
    ]
    return list(dict.fromkeys(names))


def neutral_temp() -> str:
    """/tmp where it is the shared temp directory, whatever TMPDIR says (TMPDIR=~/tmp or
    pam_tmpdir's /tmp/user/1000 would show a query the user's home or id), else Python's."""
    with contextlib.suppress(OSError):
        mode = os.stat("/tmp").st_mode
        shared = stat.S_ISDIR(mode) and mode & 0o1777 == 0o1777
        if shared and os.access("/tmp", os.W_OK | os.X_OK):
            return "/tmp"
    import tempfile  # only here: it costs every command's start-up

    where = tempfile.gettempdir()
    # Another user could rename zgc's private folder there and put theirs in its place; and
    # DuckDB takes UTF-8 paths only (std::bad_cast). Second attacker review.
    if os.stat(where).st_mode & (stat.S_IWOTH | stat.S_ISVTX) == stat.S_IWOTH:
        raise UsageError(f"{where} is writable by anyone without the sticky bit; {_OWN_TMP}")
    try:
        where.encode()
    except UnicodeEncodeError:
        raise UsageError(f"{where!r} is not a UTF-8 path; {_OWN_TMP}") from None
    return where


_OWN_TMP = "set TMPDIR to a directory of your own"


_slots: dict[int, str] = {}  # a sealed connection's id: its slot (set again for a new one)


def slot(connection: Any) -> str:
    """The one file a sealed engine may write, `/tmp/zgc-<random>/out`, made only while zgc's
    own COPY writes into it (export.py); in neutral_temp: the path is shown to any query."""
    return _slots[id(connection)]
