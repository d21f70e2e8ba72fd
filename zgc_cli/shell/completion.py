"""Tab completion: SQL keywords, the views, their columns, DuckDB's functions, and values.

What can be completed is read once when the shell starts (`Vocabulary.read`): the views and
their columns from the data dictionary, functions and keywords from the sealed connection
(`duckdb_functions()`, `duckdb_keywords()`), and values where they help: ids and names,
metrics, statuses and every closed vocabulary. `suggest` is plain Python over the text around
the cursor, read with DuckDB's own tokenizer; `SqlCompleter` hands it to prompt_toolkit.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from zgc_cli.db.sandbox import Token, tokens
from zgc_cli.dictionary import FOREIGN_KEYS, TABLES, VOCABULARIES
from zgc_cli.shell import dot
from zgc_cli.shell.statements import first, split

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database

# Offered first, in this order; then every other keyword DuckDB knows.
COMMON_KEYWORDS = tuple(
    str.split(
        "SELECT,FROM,WHERE,GROUP BY,ORDER BY,HAVING,LIMIT,JOIN,LEFT JOIN,ON,USING,AS,AND,OR,NOT,IN,"
        "IS NULL,IS NOT NULL,LIKE,ILIKE,BETWEEN,CASE,WHEN,THEN,ELSE,END,DISTINCT,WITH,UNION ALL,"
        "DESC,ASC,NULLS LAST,QUALIFY,DESCRIBE,SUMMARIZE,PIVOT,EXPLAIN",
        ",",
    )
)
FUNCTIONS_SQL = (
    "SELECT DISTINCT function_name FROM duckdb_functions() "
    "WHERE function_type <> 'pragma' AND regexp_full_match(function_name, '[a-z][a-z0-9_]*') "
    "ORDER BY 1"
)
KEYWORDS_SQL = "SELECT DISTINCT upper(keyword_name) FROM duckdb_keywords() ORDER BY 1"
# Columns whose values are offered inside quotes, besides ids, foreign keys and vocabularies.
NAMED = ("parks", "projects", "companies", "programs", "products")
VALUE_COLUMNS = (
    *((view, column) for view in NAMED for column in ("name_zh", "name_en")),
    ("indicators", "metric"),
    ("indicators", "metric_zh"),
    ("indicators", "metric_en"),
    ("indicators", "subject_id"),
    ("indicators", "period"),
    ("companies", "sector"),
)
VIEWS = {name: tuple(c.name for c in table.columns) for name, table in TABLES.items()}
COMPARES = frozenset({"=", "==", "<>", "!=", ">", "<", ">=", "<="})
COMPARE_WORDS = frozenset({"IN", "LIKE", "ILIKE", "NOT"})


@dataclass(frozen=True)
class Suggestion:
    """One completion: `text` replaces the `-start` characters before the cursor."""

    text: str
    start: int
    display: str = ""
    meta: str = ""


@dataclass(frozen=True)
class Vocabulary:
    """Everything the shell completes, read once at start."""

    views: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(VIEWS))
    functions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = COMMON_KEYWORDS
    values: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def read(cls, db: Database) -> Vocabulary:
        from zgc_cli.db.statement import named

        functions = tuple(str(row[0]) for row in db.run(named(FUNCTIONS_SQL)).rows())
        known = tuple(str(row[0]) for row in db.run(named(KEYWORDS_SQL)).rows())
        keywords = tuple(dict.fromkeys([*COMMON_KEYWORDS, *known]))
        pairs = [(view, TABLES[view].key) for view in TABLES] + list(VALUE_COLUMNS)
        union = " UNION ALL ".join(
            f"SELECT '{view}' AS v, '{column}' AS c, CAST(\"{column}\" AS VARCHAR) AS x "
            f'FROM {view} WHERE "{column}" IS NOT NULL'
            for view, column in pairs
        )
        rows = db.run(named(f"SELECT DISTINCT v, c, x FROM ({union}) ORDER BY v, c, x")).rows()
        values: dict[tuple[str, str], list[str]] = {}
        for view, column, value in rows:
            values.setdefault((str(view), str(column)), []).append(str(value))
        for (view, column), target in FOREIGN_KEYS.items():
            values.setdefault((view, column), list(values.get((target, TABLES[target].key), [])))
        for (view, column), allowed in VOCABULARIES.items():
            values[(view, column)] = list(allowed)
        return cls(
            functions=functions,
            keywords=keywords,
            values={key: tuple(found) for key, found in values.items()},
        )

    def meaning(self, view: str, column: str) -> str:
        table = TABLES.get(view)
        if table is None:
            return view
        try:
            return f"{view}: {table.column(column).meaning}"
        except StopIteration:
            return view


def suggest(vocabulary: Vocabulary, before: str, after: str = "") -> list[Suggestion]:
    """What Tab offers with `before` left of the cursor and `after` right of it."""
    if dot.is_dot(before) and "\n" not in before.strip():
        return _dot(vocabulary, before.lstrip())
    statement = split(before).rest
    try:
        found = tokens(statement) if statement.strip() else []
        scope = _scope(vocabulary, tokens(statement + first(after)))
    except (UnicodeEncodeError, TypeError, ValueError):
        return []
    last = found[-1] if found else None
    if last is not None and last.kind == "string_const":
        raw = statement[last.start :]
        if raw.startswith("'") and raw.count("'") % 2 == 1:
            return _values(vocabulary, found, raw[1:], scope, after)
    if last is not None and last.kind in ("comment", "identifier") and _open(last, statement):
        return []  # inside a comment or a "quoted name"
    word = re.search(r"[\w$]*$", statement)
    typed = word.group() if word else ""
    if typed[:1].isdigit():
        return []
    head = statement[: len(statement) - len(typed)]
    qualified = re.search(r'(?:"([^"]+)"|([\w$]+))\.$', head)
    if qualified:
        name = (qualified.group(1) or qualified.group(2) or "").lower()
        view = scope.aliases.get(name, name if name in vocabulary.views else None)
        if view is None:
            return []
        return _matching(_columns(vocabulary, [view], -len(typed)), typed)
    code = [t for t in found if t.kind != "comment" and t.start < len(head)]
    if _names_a_table(code):
        views = [
            Suggestion(name, -len(typed), meta=TABLES[name].description)
            for name in vocabulary.views
        ]
        functions = [Suggestion(f, -len(typed), meta="function") for f in vocabulary.functions]
        return _matching([*views, *functions], typed)
    return _matching(_everything(vocabulary, scope, typed), typed)


@dataclass
class _Scope:
    """The views a statement reads (after FROM and JOIN), in order, and their aliases."""

    views: list[str] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)


def _scope(vocabulary: Vocabulary, found: Sequence[Token]) -> _Scope:
    code = [t for t in found if t.kind != "comment"]
    scope = _Scope()
    n = 0
    while n < len(code):
        if not _keyword(code[n], "FROM", "JOIN"):
            n += 1
            continue
        n += 1
        while n < len(code) and (name := _name(code[n])) is not None:
            if n + 2 < len(code) and code[n + 1].text == "." and _name(code[n + 2]):
                n += 2  # zgc.parks
                name = _name(code[n]) or name
            n += 1
            if n < len(code) and _keyword(code[n], "AS"):
                n += 1
            alias = _name(code[n]) if n < len(code) and code[n].kind == "identifier" else None
            if alias is not None:
                n += 1
            if name in vocabulary.views:
                if name not in scope.views:
                    scope.views.append(name)
                scope.aliases[name] = name
                if alias is not None:
                    scope.aliases[alias] = name
            if n < len(code) and code[n].text == ",":
                n += 1
                continue
            break
    return scope


def _names_a_table(code: Sequence[Token]) -> bool:
    """Whether the word being typed names a table: after FROM or JOIN, or a `,` of FROM's list."""
    if not code:
        return False
    if _keyword(code[-1], "FROM", "JOIN"):
        return True
    if code[-1].text != ",":
        return False
    for token in reversed(code[:-1]):
        if token.kind == "identifier" or _keyword(token, "AS") or token.text in (",", "."):
            continue
        return _keyword(token, "FROM")
    return False


def _everything(vocabulary: Vocabulary, scope: _Scope, typed: str) -> list[Suggestion]:
    """Columns of the statement's views first, then views, keywords, functions, other columns."""
    start = -len(typed)
    lower = bool(typed) and typed.islower()
    keywords = [
        Suggestion(k.lower() if lower else k, start, meta="keyword") for k in vocabulary.keywords
    ]
    views = [Suggestion(v, start, meta=TABLES[v].description) for v in vocabulary.views]
    functions = [Suggestion(f, start, meta="function") for f in vocabulary.functions]
    mine = _columns(vocabulary, scope.views, start)
    rest = _columns(vocabulary, [v for v in vocabulary.views if v not in scope.views], start)
    return [*mine, *views, *keywords, *functions, *rest]


def _columns(vocabulary: Vocabulary, views: Iterable[str], start: int = 0) -> list[Suggestion]:
    return [
        Suggestion(column, start, meta=vocabulary.meaning(view, column))
        for view in views
        for column in vocabulary.views.get(view, ())
    ]


def _values(
    vocabulary: Vocabulary, found: Sequence[Token], typed: str, scope: _Scope, after: str
) -> list[Suggestion]:
    """Inside quotes: the values of the column the string is compared with (`metric = 'wor`,
    `park_id IN ('shunyi', 'mi`)."""
    code = [t for t in found[:-1] if t.kind != "comment"]
    while code and (code[-1].kind == "string_const" or code[-1].text in (",", "(")):
        code.pop()
    if not code or not (code[-1].text in COMPARES or _keyword(code[-1], *COMPARE_WORDS)):
        return []
    while code and (code[-1].text in COMPARES or _keyword(code[-1], *COMPARE_WORDS)):
        code.pop()
    column = _name(code[-1]) if code else None
    if column is None:
        return []
    qualifier = _name(code[-3]) if len(code) >= 3 and code[-2].text == "." else None
    if qualifier is not None:
        views = [scope.aliases.get(qualifier, qualifier)]
    else:
        views = scope.views or list(vocabulary.views)
    found_values: dict[str, str] = {}
    for view in views:
        for value in vocabulary.values.get((view, column), ()):
            found_values.setdefault(value, view)
    wanted = typed.replace("''", "'").casefold()
    close = "" if after.startswith("'") else "'"
    # Those that begin with what was typed, then those that hold it (`'resum`: every
    # *_resumption_rate).
    chosen = [v for v in found_values if v.casefold().startswith(wanted)]
    chosen += [v for v in found_values if wanted in v.casefold() and v not in chosen]
    return [
        Suggestion(value.replace("'", "''") + close, -len(typed), display=value, meta=column)
        for value in chosen
    ]


def _dot(vocabulary: Vocabulary, line: str) -> list[Suggestion]:
    name, space, rest = line.partition(" ")
    if not space:
        return [
            Suggestion(command, -len(name), meta=dot.COMMANDS[command][1])
            for command in dot.COMMANDS
            if command.startswith(name.lower())
        ]
    words = rest.split()
    if len(words) > 1 or (words and rest.endswith(" ")):
        return []
    typed = words[0] if words else ""
    command = name.lower()
    if command == ".output":
        return _paths(typed)
    choices = dot.CHOICES.get(command) or ()
    return [Suggestion(choice, -len(typed)) for choice in choices if choice.startswith(typed)]


def _paths(typed: str) -> list[Suggestion]:
    folder, prefix = os.path.split(os.path.expanduser(typed))
    try:
        entries = sorted(os.scandir(folder or "."), key=lambda entry: entry.name)
    except OSError:
        return []
    return [
        Suggestion(entry.name + ("/" if entry.is_dir() else ""), -len(prefix))
        for entry in entries
        if entry.name.startswith(prefix) and (prefix.startswith(".") or entry.name[0] != ".")
    ]


def _matching(suggestions: Iterable[Suggestion], typed: str) -> list[Suggestion]:
    """Those that begin with what was typed (any case), each text once."""
    wanted = typed.casefold()
    seen: set[str] = set()
    out: list[Suggestion] = []
    for suggestion in suggestions:
        key = suggestion.text.casefold()
        if key.startswith(wanted) and key not in seen:
            seen.add(key)
            out.append(suggestion)
    return out


def _keyword(token: Token, *words: str) -> bool:
    return token.kind == "keyword" and token.text.upper() in words


def _name(token: Token) -> str | None:
    """An identifier's name as DuckDB resolves it (unquoted ones in any case)."""
    if token.kind != "identifier" or not token.text:
        return None
    text = token.text
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1].replace('""', '"')
    return text.lower()


def _open(token: Token, statement: str) -> bool:
    """Whether the last token is still open at the cursor: a `--` comment, an unclosed /* */,
    an unclosed "quoted name"."""
    raw = statement[token.start :]
    if token.kind == "comment":
        if raw.startswith("--"):
            return "\n" not in raw
        return not raw.rstrip().endswith("*/")
    return raw.startswith('"') and raw.count('"') % 2 == 1


class SqlCompleter(Completer):
    """`suggest` for prompt_toolkit."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterator[Completion]:
        for suggestion in suggest(
            self.vocabulary, document.text_before_cursor, document.text_after_cursor
        ):
            yield Completion(
                suggestion.text,
                start_position=suggestion.start,
                display=suggestion.display or None,
                display_meta=suggestion.meta or None,
            )
