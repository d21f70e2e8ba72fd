"""The marked text `zgc coverage --source` draws: the report's own words, clause by clause,
each followed by the rows that represent it or the reason none does."""

from __future__ import annotations

from collections.abc import Sequence

from zgc_cli.drawing import Drawing, Span, cells, wrap
from zgc_cli.ledger import Clause


def marked(report: str, clauses: Sequence[Clause], width: int, lang: str) -> Drawing:
    """The report's text, clause by clause, each followed by what represents it: its rows'
    ids, or the reason none does. Control characters in the text are shown escaped."""
    from zgc_cli.diagnostics import visible

    label = max((cells(f"{c.start}-{c.end}") for c in clauses), default=0) + 2
    room = max(20, width - label)
    drawing = Drawing(title="zgc coverage")
    rows_word, none_word = ("对应记录", "无对应记录") if lang == "zh" else ("rows", "none")
    for clause in clauses:
        text = visible(report[clause.start : clause.end])
        for n, line in enumerate(wrap(text, room)):
            where = f"{clause.start}-{clause.end}" if n == 0 else ""
            drawing.add(Span(where.ljust(label), "dim"), Span(line))
        if clause.rows:
            shown = ", ".join(clause.rows)
            for line in wrap(f"{rows_word}: {shown}", room):
                drawing.add(Span(" " * label), Span(line, "green"))
        else:
            for line in wrap(f"{none_word}: {clause.reason or ''}", room):
                drawing.add(Span(" " * label), Span(line, "yellow"))
        drawing.add(Span(""))
    return drawing
