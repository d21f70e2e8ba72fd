"""The coverage ledger's SQL: the clauses in report order, as `zgc coverage` lists them and
as `zgc verify` and the marked text read them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zgc_cli.db.statement import named
from zgc_cli.ledger import Clause, split_rows

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database

# What `zgc coverage` lists, in every format: a clause's span, its rows as a list, the reason.
COVERAGE_SQL = (
    'SELECT "start", "end", '
    'CASE WHEN "rows" IS NULL THEN []::VARCHAR[] ELSE string_split("rows", \';\') END '
    'AS "rows", reason FROM clauses ORDER BY "start", clause_id'
)


def read_clauses(db: Database) -> list[Clause]:  # the ledger, in report order
    result = db.run(
        named('SELECT clause_id, "start", "end", "rows", reason FROM clauses ORDER BY "start"')
    )
    return [
        Clause(str(key), int(start), int(end), split_rows(rows), reason)
        for key, start, end, rows, reason in result.rows()
    ]
