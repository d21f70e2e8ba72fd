"""Tab completion: SQL keywords, the views, their columns, DuckDB's functions, and values
(ids, names, metrics, closed vocabularies), read once at start; `suggest` reads the text around
the cursor with DuckDB's own tokenizer."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from zgc_cli.db.sandbox import Token, tokens
from zgc_cli.dictionary import FOREIGN_KEYS, TABLES, VOCABULARIES
from zgc_cli.queries.base import named_sql
from zgc_cli.shell import dot
from zgc_cli.shell.statements import pieces

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
WORDS = ("functions", "keywords")  # DuckDB's, named in queries/named.sql
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
# Patterns over a statement's shape (_shape: a letter a token). A view in FROM's list:
# [schema.]view [AS] [alias]; a list still waiting for a view's name; the column a string is
# compared with (`metric = 'wor`, `p.park_id IN ('shunyi', 'mi`).
VIEW = re.compile(r"(?:n\.)?(n)A?(n)?")
VIEWS = re.compile(rf"F{VIEW.pattern}(?:,{VIEW.pattern})*")
WAITING = re.compile(rf"F(?:{VIEW.pattern},)*\Z")
COMPARED = re.compile(r"(?:(n)\.)?(n)c+[s,(]*\Z")
KINDS = {"identifier": "n", "string_const": "s"}
LETTERS = {"FROM": "F", "JOIN": "F", "AS": "A", ".": ".", ",": ",", "(": "("}
LETTERS |= dict.fromkeys(COMPARES, "c")


@dataclass(frozen=True)
class Vocabulary(Completer):
    """Everything the shell completes, read once at start; prompt_toolkit's completer."""

    functions: Sequence[str] = ()
    keywords: Sequence[str] = COMMON_KEYWORDS
    values: dict[tuple[str, str], Sequence[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, db: Database) -> Vocabulary:
        from zgc_cli.db.statement import named

        functions, keywords = ([str(r[0]) for r in db.run(named_sql(q)).rows()] for q in WORDS)
        pairs = [(view, table.key) for view, table in TABLES.items()] + VALUE_COLUMNS
        union = " UNION ALL ".join(
            f"SELECT '{view}' AS v, '{column}' AS c, CAST(\"{column}\" AS VARCHAR) AS x "
            f'FROM {view} WHERE "{column}" IS NOT NULL'
            for view, column in pairs
        )
        grouped = f"SELECT v, c, list(DISTINCT x ORDER BY x) FROM ({union}) GROUP BY v, c"
        values = {(str(v), str(c)): list(x) for v, c, x in db.run(named(grouped)).rows()}
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
    scope = _scope(tokens(statement + pieces(after)[0]))  # to the end of the statement
    if found and _open(found[-1], statement[found[-1].start :]):  # in a string, name, comment
        if found[-1].kind != "string_const":
            return []
        return _values(vocabulary, found, statement[found[-1].start + 1 :], scope, after)
    head = re.sub(r"[\w$]*\Z", "", statement)
    typed = statement[len(head) :]
    if typed[:1].isdigit():
        return []
    qualified = re.search(r'(?:"([^"]+)"|([\w$]+))\.$', head)
    if qualified:  # a column of the view (or alias) before the `.`
        name = (qualified[1] or qualified[2]).lower()
        return _matching(_columns([scope.get(name, name)]), typed)
    views = [(v, t.description) for v, t in TABLES.items()]
    functions = [(f, "function") for f in vocabulary.functions]
    code = [t for t in found if t.start < len(head) and t.kind != "comment"]
    if WAITING.search(_shape(code)):  # after FROM, JOIN or a `,` of their list
        return _matching([*views, *functions], typed)
    keywords = [(k.lower() if typed.islower() else k, "keyword") for k in vocabulary.keywords]
    mine = list(dict.fromkeys(scope.values()))
    others = _columns(v for v in TABLES if v not in mine)
    return _matching([*_columns(mine), *views, *keywords, *functions, *others], typed)


def _shape(code: Iterable[Token]) -> str:
    """The tokens, one letter each: n a name, s a string, F for FROM or JOIN, A for AS, c a
    comparison, `.` `,` `(` as themselves, x anything else."""
    return "".join(KINDS.get(t.kind) or LETTERS.get(t.text.upper(), "x") for t in code)


def _scope(found: Sequence[Token]) -> dict[str, str]:
    """The views a statement reads (after FROM or JOIN, and a `,` of their list), in order,
    each under its name and its alias."""
    code = [t for t in found if t.kind != "comment"]
    shape, scope = _shape(code), dict[str, str]()
    for listed in VIEWS.finditer(shape):
        for item in VIEW.finditer(shape, listed.start(), listed.end()):
            view = _name(code[item.start(1)]) or ""
            alias = item[2] and _name(code[item.start(2)])
            if view in COLUMNS:
                scope.setdefault(view, view)
                scope[alias or view] = view
    return scope


def _columns(views: Iterable[str]) -> list[tuple[str, str]]:
    return [pair for view in views for pair in COLUMNS.get(view, {}).items()]


def _values(
    vocabulary: Vocabulary, found: Sequence[Token], typed: str, scope: dict[str, str], after: str
) -> list[Completion]:
    """Inside quotes: the values of the column the string is compared with."""
    code = [t for t in found[:-1] if t.kind != "comment"]
    compared = COMPARED.search(_shape(code))
    if compared is None:
        return []
    column = _name(code[compared.start(2)]) or ""
    qualifier = _name(code[compared.start(1)]) if compared[1] else None
    if qualifier:
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
    if not space:
        return _matching(((c, does) for c, (_, does, _) in dot.COMMANDS.items()), name)
    typed, *more = rest.split() or [""]
    if more or (typed and rest.endswith(" ")):  # past the one argument
        return []
    choices = dot.COMMANDS.get(name.lower(), ("", "", ()))[2]
    if choices is not dot.ANY:
        return _matching(((c, "") for c in choices), typed)
    path = os.path.expanduser(typed)
    prefix = os.path.basename(path)
    return [  # glob lists hidden names only when a `.` was typed
        Completion(os.path.basename(p) + ("/" if os.path.isdir(p) else ""), -len(prefix))
        for p in sorted(glob.glob(glob.escape(path) + "*"))
    ]


def _matching(offered: Iterable[tuple[str, str]], typed: str) -> list[Completion]:
    """Those that begin with what was typed (any case), each text once, with their meaning."""
    unique: dict[str, Completion] = {}
    for text, meaning in offered:
        if text.casefold().startswith(typed.casefold()):
            unique.setdefault(text.casefold(), Completion(text, -len(typed), display_meta=meaning))
    return list(unique.values())


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
