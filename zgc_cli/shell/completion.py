"""Tab completion: SQL keywords, the views, their columns, DuckDB's functions, and values
(ids, names, metrics, closed vocabularies), read once at start; `suggest` reads the text around
the cursor with DuckDB's own tokenizer."""

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
from zgc_cli.shell.statements import first, pieces

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
WORDS_SQL = (  # DuckDB's functions, its keywords
    "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type <> 'pragma' "
    "AND regexp_full_match(function_name, '[a-z][a-z0-9_]*') ORDER BY 1",
    "SELECT DISTINCT upper(keyword_name) FROM duckdb_keywords() ORDER BY 1",
)
# Columns whose values are offered inside quotes, besides keys, foreign keys and vocabularies.
NAMED = ("parks", "projects", "companies", "programs", "products")
VALUE_COLUMNS = [
    *((view, column) for view in NAMED for column in ("name_zh", "name_en")),
    *(("indicators", c) for c in ("metric", "metric_zh", "metric_en", "subject_id", "period")),
    ("companies", "sector"),
]
# view -> its columns, each with the meaning the menu shows beside it
COLUMNS = {v: {c.name: f"{v}: {c.meaning}" for c in t.columns} for v, t in TABLES.items()}
COMPARES = frozenset({"=", "==", "<>", "!=", ">", "<", ">=", "<=", "IN", "LIKE", "ILIKE", "NOT"})


@dataclass(frozen=True)
class Vocabulary(Completer):
    """Everything the shell completes, read once at start; prompt_toolkit's completer."""

    functions: Sequence[str] = ()
    keywords: Sequence[str] = COMMON_KEYWORDS
    values: dict[tuple[str, str], Sequence[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, db: Database) -> Vocabulary:
        from zgc_cli.db.statement import named

        functions, keywords = ([str(r[0]) for r in db.run(named(q)).rows()] for q in WORDS_SQL)
        pairs = [(view, table.key) for view, table in TABLES.items()] + VALUE_COLUMNS
        union = " UNION ALL ".join(
            f"SELECT '{view}' AS v, '{column}' AS c, CAST(\"{column}\" AS VARCHAR) AS x "
            f'FROM {view} WHERE "{column}" IS NOT NULL'
            for view, column in pairs
        )
        values: dict[tuple[str, str], list[str]] = {}
        for view, column, value in db.run(
            named(f"SELECT DISTINCT * FROM ({union}) ORDER BY ALL")
        ).rows():
            values.setdefault((str(view), str(column)), []).append(str(value))
        keys = {pair: values.get((t, TABLES[t].key), []) for pair, t in FOREIGN_KEYS.items()}
        known = list(dict.fromkeys([*COMMON_KEYWORDS, *keywords]))
        return cls(functions, known, {**keys, **values, **VOCABULARIES})

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterator[Completion]:
        return iter(suggest(self, document.text_before_cursor, document.text_after_cursor))


def suggest(vocabulary: Vocabulary, before: str, after: str = "") -> list[Completion]:
    """What Tab offers with `before` left of the cursor and `after` right of it."""
    if before.lstrip().startswith(".") and "\n" not in before.strip():
        return _dot(before.lstrip())
    statement = pieces(before)[-1]  # after the last `;`
    found = tokens(statement)
    scope, _ = _scope(tokens(statement + first(after)))
    if found and _open(found[-1], statement[found[-1].start :]):  # in a string, name, comment
        if found[-1].kind != "string_const":
            return []
        return _values(vocabulary, found, statement[found[-1].start + 1 :], scope, after)
    head = re.sub(r"[\w$]*\Z", "", statement)
    typed = statement[len(head) :]
    start = -len(typed)
    if typed[:1].isdigit():
        return []
    qualified = re.search(r'(?:"([^"]+)"|([\w$]+))\.$', head)
    if qualified:  # a column of the view (or alias) before the `.`
        name = (qualified[1] or qualified[2]).lower()
        return _matching(_columns([scope.get(name, name)], start), typed)
    views = [Completion(v, start, display_meta=t.description) for v, t in TABLES.items()]
    functions = [Completion(f, start, display_meta="function") for f in vocabulary.functions]
    if _scope([t for t in found if t.start < len(head)])[1]:  # after FROM, JOIN or their `,`
        return _matching([*views, *functions], typed)
    lower = typed.islower()  # keywords in the case typed
    keywords = [
        Completion(k.lower() if lower else k, start, display_meta="keyword")
        for k in vocabulary.keywords
    ]
    mine = list(dict.fromkeys(scope.values()))
    others = _columns([v for v in TABLES if v not in mine], start)
    return _matching([*_columns(mine, start), *views, *keywords, *functions, *others], typed)


def _scope(found: Sequence[Token]) -> tuple[dict[str, str], bool]:
    """The views a statement reads (after FROM or JOIN, and a `,` of their list), in order,
    each under its name and its alias; and whether it ends where a view is named."""
    code = [t for t in found if t.kind != "comment"]
    scope: dict[str, str] = {}
    n, waiting = 0, False
    while n < len(code):
        n += 1
        if not _keyword(code[n - 1], "FROM", "JOIN"):
            continue
        # a view's name, [AS] its alias, and a `,` before the next; or the end, waiting for one
        while not (waiting := n == len(code)) and (name := _name(code[n])) is not None:
            if n + 2 < len(code) and code[n + 1].text == "." and _name(code[n + 2]):
                n += 2  # zgc.parks
                name = _name(code[n]) or name
            n += 2 if n + 1 < len(code) and _keyword(code[n + 1], "AS") else 1
            alias = _name(code[n]) if n < len(code) else None
            n += alias is not None
            if name in COLUMNS:
                scope.setdefault(name, name)
                scope[alias or name] = name
            if n >= len(code) or code[n].text != ",":
                break
            n += 1
    return scope, waiting


def _columns(views: Iterable[str], start: int) -> list[Completion]:
    return [
        Completion(column, start, display_meta=meaning)
        for view in views
        for column, meaning in COLUMNS.get(view, {}).items()
    ]


def _values(
    vocabulary: Vocabulary, found: Sequence[Token], typed: str, scope: dict[str, str], after: str
) -> list[Completion]:
    """Inside quotes: the values of the column the string is compared with (`metric = 'wor`,
    `park_id IN ('shunyi', 'mi`)."""
    code = [t for t in found[:-1] if t.kind != "comment"]
    while code and (code[-1].kind == "string_const" or code[-1].text in (",", "(")):
        code.pop()
    compared = len(code)
    while code and code[-1].text.upper() in COMPARES:
        code.pop()
    column = _name(code[-1]) if code and len(code) < compared else None
    if column is None:
        return []
    if len(code) >= 3 and code[-2].text == "." and (qualifier := _name(code[-3])):
        views = [scope.get(qualifier, qualifier)]
    else:
        views = list(dict.fromkeys(scope.values())) or list(TABLES)
    values = dict.fromkeys(v for view in views for v in vocabulary.values.get((view, column), ()))
    wanted = typed.replace("''", "'").casefold()
    close = "" if after.startswith("'") else "'"
    # Those that begin with what was typed, then those that hold it (`'resum`: every
    # *_resumption_rate).
    held = [v for v in values if wanted in v.casefold()]
    return [
        Completion(v.replace("'", "''") + close, -len(typed), display=v, display_meta=column)
        for v in sorted(held, key=lambda v: not v.casefold().startswith(wanted))
    ]


def _dot(line: str) -> list[Completion]:
    name, space, rest = line.partition(" ")
    command, words = name.lower(), rest.split()
    if not space:
        return [
            Completion(c, -len(name), display_meta=does)
            for c, (_, does) in dot.COMMANDS.items()
            if c.startswith(command)
        ]
    if len(words) > 1 or (words and rest.endswith(" ")):
        return []
    typed = words[0] if words else ""
    if command == ".output":
        folder, prefix = os.path.split(os.path.expanduser(typed))
        try:
            entries = sorted(os.scandir(folder or "."), key=lambda entry: entry.name)
        except OSError:
            return []
        return [  # hidden ones only when a `.` was typed
            Completion(entry.name + ("/" if entry.is_dir() else ""), -len(prefix))
            for entry in entries
            if entry.name.startswith(prefix) and (prefix[:1] == "." or entry.name[0] != ".")
        ]
    return [
        Completion(c, -len(typed)) for c in dot.CHOICES.get(command) or () if c.startswith(typed)
    ]


def _matching(offered: Iterable[Completion], typed: str) -> list[Completion]:
    """Those that begin with what was typed (any case), each text once."""
    wanted = typed.casefold()
    unique: dict[str, Completion] = {}
    for completion in offered:
        if completion.text.casefold().startswith(wanted):
            unique.setdefault(completion.text.casefold(), completion)
    return list(unique.values())


def _keyword(token: Token, *words: str) -> bool:
    return token.kind == "keyword" and token.text.upper() in words


def _name(token: Token) -> str | None:
    """An identifier's name as DuckDB resolves it (unquoted ones in any case)."""
    if token.kind != "identifier" or not token.text:
        return None
    if len(token.text) >= 2 and token.text[0] == token.text[-1] == '"':
        return token.text[1:-1].replace('""', '"')
    return token.text.lower()


def _open(token: Token, raw: str) -> bool:
    """Whether the last token is still open at the cursor: a `--` comment, an unclosed /* */,
    an unclosed 'string' or "quoted name"."""
    if token.kind == "comment":
        return "\n" not in raw if raw.startswith("--") else not raw.rstrip().endswith("*/")
    quote = {"string_const": "'", "identifier": '"'}.get(token.kind, "")
    return bool(quote) and raw.startswith(quote) and raw.count(quote) % 2 == 1
