"""The sandbox: a connection that can reach no file, and the statement check that names what
it refuses.

The wall is the connection itself (`seal`): after the snapshot's read-only copy is attached,
every file system is switched off, external access too, and the configuration is locked, so
no statement, however it is written or built at run time, can read, list or write a file. The
check of the SQL text (`check_statement`) is for a good message, never the wall: it returns a
CheckedSQL, the only kind of user text a Database runs.
"""

from __future__ import annotations

from typing import Any

from zgc_cli.db.engine import engine, query_error
from zgc_cli.db.statement import CheckedSQL, checked
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
# local file system is gone while a database file is attached): no temp directory, no
# external access, no local file system, no secret directory, and no way back.
SEAL = (
    "SET temp_directory = ''",
    "SET secret_directory = ''",
    "SET enable_external_access = false",
    "SET disabled_filesystems = 'LocalFileSystem'",
    "SET lock_configuration = true",
)


def seal(connection: Any) -> None:
    for statement in SEAL:
        connection.execute(statement)


def check_text(sql: str) -> None:
    """What must hold before DuckDB sees the text at all."""
    if "\x00" in sql:
        raise QueryError("refused: the query contains a NUL byte")
    try:
        size = len(sql.encode("utf-8"))
    except UnicodeEncodeError:
        raise QueryError(
            "refused: the query is not valid UTF-8 (lone surrogate or bad bytes)"
        ) from None
    if size > MAX_SQL_BYTES:
        raise QueryError(
            f"refused: the query is {size:,} bytes; zgc takes at most {MAX_SQL_BYTES:,} "
            "(put large value lists in a file of data, not in SQL)"
        )
    if not sql.strip():
        raise UsageError("no SQL statement given")


def check_statement(sql: str) -> CheckedSQL:
    """Refuse anything but exactly one read-only statement, naming what was refused."""
    duckdb = engine()
    check_text(sql)
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise query_error(exc) from None
    if not statements:
        raise UsageError("no SQL statement given (only comments)")
    if len(statements) > 1:
        raise QueryError(f"only one statement per call is allowed; got {len(statements)}")
    statement = statements[0]
    words = leading_keywords(statement.query)
    kind = _kind(statement)
    if kind == "SELECT":
        writer = _writing_cte(statement.query)
        if writer is not None:  # DuckDB 2 calls a WITH whose part writes a SELECT
            raise QueryError(
                f"refused: {writer} inside a WITH clause; zgc runs read-only queries only"
            )
        return checked(sql, "SELECT")
    if kind == "MULTI" and words[:1] in (["PIVOT"], ["UNPIVOT"]):
        return checked(sql, "PIVOT")  # dynamic PIVOT: a SELECT planned in two steps
    if kind == "EXPLAIN":
        inner = _explained(statement.query)
        try:
            inner_kinds = [_kind(s) for s in duckdb.extract_statements(inner)] if inner else []
        except duckdb.Error:
            inner_kinds = []
        if inner_kinds == ["SELECT"]:
            return checked(sql, "EXPLAIN")
        what = " ".join(leading_keywords(inner)) or "a non-SELECT statement"
        raise QueryError(f"refused: EXPLAIN of {what}; zgc explains read-only queries only")
    named = " ".join(words) or kind
    raise QueryError(f"refused: {named} statement; zgc runs read-only queries only ({ALLOWED})")


def _kind(statement: Any) -> str:
    try:
        return str(statement.type.name)
    except ValueError:  # a statement type this DuckDB's Python enum does not know
        return "UNKNOWN"


def tokens(sql: str) -> list[tuple[int, str, str]]:
    """The SQL's tokens as (start, kind, text), comments included, by DuckDB's own tokenizer
    (which knows nested /* */ comments and `--` ended by \r, as its parser does)."""
    found = engine().tokenize(sql)
    out: list[tuple[int, str, str]] = []
    for n, (start, kind) in enumerate(found):
        end = found[n + 1][0] if n + 1 < len(found) else len(sql)
        out.append((start, str(getattr(kind, "name", kind)), sql[start:end].strip()))
    return out


# Words that continue a statement's name after its first keyword (CREATE OR REPLACE VIEW).
_NAME_WORDS = frozenset(
    [
        "OR",
        "REPLACE",
        "TEMP",
        "TEMPORARY",
        "PERSISTENT",
        "UNIQUE",
        "VIEW",
        "TABLE",
        "MACRO",
        "DATABASE",
        "SCHEMA",
        "SEQUENCE",
        "TYPE",
        "INDEX",
        "FUNCTION",
        "SECRET",
        "EXTENSIONS",
        "TRANSACTION",
        "INSTALL",
        "INTO",
    ]
)
_WRITERS = frozenset({"COPY", "INSERT", "UPDATE", "DELETE", "MERGE"})


def leading_keywords(sql: str) -> list[str]:
    """The name a statement starts with, comments skipped: `CREATE OR REPLACE VIEW`, `USE`."""
    words: list[str] = []
    for _, kind, text in tokens(sql):
        if kind == "comment":
            continue
        word = text.upper()
        if kind != "keyword" or (words and word not in _NAME_WORDS):
            break
        words.append(word)
    return words


def _writing_cte(sql: str) -> str | None:
    """The writing statement a WITH part holds (`AS (DELETE …`), for a plain refusal; the
    sealed, read-only connection stops it whether or not this finds it."""
    code = [(kind, text.upper()) for _, kind, text in tokens(sql) if kind != "comment"]
    for n in range(len(code) - 1):
        if code[n] != ("keyword", "AS"):
            continue
        rest = code[n + 1 :]
        while rest and rest[0][1] in ("NOT", "MATERIALIZED"):
            rest = rest[1:]
        if len(rest) >= 2 and rest[0][1] == "(" and rest[1][1] in _WRITERS:
            return rest[1][1]
    return None


def _explained(sql: str) -> str:
    """The statement EXPLAIN explains: what follows EXPLAIN, ANALYZE and an option list."""
    depth = 0
    seen_explain = False
    for position, kind, text in tokens(sql):
        if kind == "comment":
            continue
        if not seen_explain:
            seen_explain = text.upper() == "EXPLAIN"
            continue
        if depth == 0 and kind == "keyword" and text.upper() in ("ANALYZE", "ANALYSE"):
            continue
        if text == "(" and (depth > 0 or kind == "operator"):
            depth += 1
            continue
        if depth > 0:
            depth -= text.count(")")
            continue
        return sql[position:]
    return ""
