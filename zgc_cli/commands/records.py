"""One record: as a card (`show`), or found by its words across every table (`search`)."""

import functools
from typing import TYPE_CHECKING, Annotated

import typer

from zgc_cli.commands.options import NO_OUT, Out, command, complete_from, database
from zgc_cli.db.statement import named
from zgc_cli.errors import UsageError
from zgc_cli.queries.records import (
    RELATED,
    SEARCH_COLUMNS,
    find_record,
    search_query,
    suggest,
)
from zgc_cli.render import Listed

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database


@command(
    "show",
    "zgc show semiconductor-plant",
    "zgc show miyun",
    "zgc show zgc-anti-epidemic-loan",
    "zgc show zgc-2020q1-total-revenue -f json",
    out=("data", "fmt", "output", "lang"),
)
def show(
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="Any id (park, project, indicator, company, event, program, participant, "
            "product or source), a record's exact name (旷视科技, Megvii) or a park as --park "
            "takes it (密云).",
            autocompletion=complete_from("records.all_ids"),
        ),
    ],
    out: Out = NO_OUT,
) -> None:
    """One record as a card: every field, its quote with the figure marked, related rows.

    A programme comes with its participants, events, figures and the programme it upgrades;
    a company with its programmes and products; a product with its maker. Piped, related
    rows follow the record's fields as `label<TAB>values joined by ·` lines.
    """
    sink = out.sink()
    with database(out.data) as db:
        found = find_record(db, record_id)
        if found is None:
            close = suggest(db, record_id)
            raise UsageError(
                f"no record has the id or name {record_id!r}{close and '; ' + close} "
                f"(ids are slugs; to find one by name or words: zgc search {record_id})"
            )
        table, record = found
        record_id = str(next(iter(record.values())))  # a name opens the record of its id
        related: dict[str, Listed] = {}
        for label, sql_text in RELATED.get(table, []):
            # One connection runs one statement at a time: read each result before the next.
            rows = db.run(named(sql_text), {"id": record_id})
            related[label] = Listed(rows.columns, rows.types, rows.rows())
        figure = (
            record.get("value_text") or record.get("status_date_text") or record.get("date_text")
        )
        sink.card(db, table, record, related, figure)


@command(
    "search",
    "zgc search 顺义",
    "zgc search miyun              everything in the Miyun park, its name first",
    "zgc search Q1                 the 2020-Q1 figures (also 一季度)",
    'zgc search "year on year"     figures with a change on 2019',
    "zgc search 开工 -f json",
)
def search(
    text: Annotated[
        list[str],
        typer.Argument(help="Text to find, Chinese or English; several words are one text."),
    ],
    out: Out = NO_OUT,
) -> None:
    """Find TEXT in ids, names, labels and quotes of every table; exact names first.

    Ranks: 1 an id, name or alias is TEXT; 2 one holds it (or all its words); 3 a label
    (metric, title, kind, period: Q1 and 一季度 find 2020-Q1); 4 the record lies in the park
    TEXT names (miyun, 密云区); 5 a summary; 6 only the quote.
    """
    wanted = " ".join(" ".join(text).split())  # `zgc search 复工 率`, as `gh search` reads it
    if not wanted:
        raise UsageError("search text is empty; give a word such as 顺义 or resumption")
    from zgc_cli.commands.emit import emit_named

    def near(db: "Database") -> list[str]:  # nothing found: the closest id or name, if any
        return [close] if (close := suggest(db, wanted)) else []

    find = functools.partial(search_query, text=wanted)
    emit_named(out, find, SEARCH_COLUMNS, explain=near, highlight=wanted)
