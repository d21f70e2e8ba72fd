"""The two kinds of SQL a Database runs: zgc's own (NamedSQL) and a user's, checked (CheckedSQL).
Standard library only: the query modules name their SQL without loading the database layer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NewType, TypeAlias

# SQL written in zgc's own code (queries.py and friends), never user text; values are $params.
NamedSQL = NewType("NamedSQL", str)
named = NamedSQL
_PROOF = object()


class CheckedSQL:
    """One read-only statement (SELECT, EXPLAIN or PIVOT) of a user's: made only by
    sandbox.check_statement, the one holder of the constructor's token."""

    __slots__ = ("kind", "text")

    def __init__(self, text: str, kind: str, proof: object) -> None:
        if proof is not _PROOF:
            raise TypeError("CheckedSQL is made by check_statement only")
        self.text, self.kind = text, kind


Statement: TypeAlias = "NamedSQL | CheckedSQL"  # a string: no typing union built at run time


def distinct_names(names: Sequence[str]) -> list[str]:
    """Column names made distinct as DuckDB's relations make them (`a, A` → `a, A_1`), so every
    format has the same header and JSON loses no column."""
    seen: dict[str, int] = {}  # a name taken, and the last number tried after it
    out: list[str] = []
    for name in names:
        new = name
        while new.lower() in seen:
            seen[name.lower()] += 1
            new = f"{name}_{seen[name.lower()]}"
        seen.setdefault(new.lower(), 0)
        out.append(new)
    return out


def sql_literal(text: str) -> str:
    # DDL cannot take parameters; a path is the one literal zgc quotes itself.
    return "'" + text.replace("'", "''") + "'"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
