"""The marked text `zgc coverage --source` draws: the report's own words, clause by clause,
each followed by the rows that represent it or the reason none does; on a terminal, or as a
page (`-o report.html`) built from the user's copy, never shipped."""

from __future__ import annotations

from collections.abc import Sequence

from zgc_cli.drawing import Drawing, Span, cells
from zgc_cli.ledger import Clause
from zgc_cli.linebreak import wrap


def marked(report: str, clauses: Sequence[Clause], width: int, lang: str) -> Drawing:
    """Each clause's words (escaped), then its rows' ids or the reason none represents it."""
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
            said, style = f"{rows_word}: {', '.join(clause.rows)}", "green"
        else:
            said, style = f"{none_word}: {clause.reason or ''}", "yellow"
        for line in wrap(said, room):
            drawing.add(Span(" " * label), Span(line, style))
        drawing.add(Span(""))
    return drawing


def marked_page(report: str, clauses: Sequence[Clause], lang: str, citation: str) -> str:
    """As a page: each clause an item with its words, its rows' ids (`data-id`) or reason."""
    from zgc_cli.html_table import document
    from zgc_cli.picture import xml_text

    zh = lang == "zh"
    rows_word, none_word = ("对应记录", "无对应记录") if zh else ("Rows", "No row")
    items = []
    for clause in clauses:
        text = xml_text(report[clause.start : clause.end]).replace("\n", "<br>")
        if clause.rows:
            ids = " ".join(
                f'<code data-id="{xml_text(r)}">{xml_text(r)}</code>' for r in clause.rows
            )
            said = f'<p class="rows">{rows_word}: {ids}</p>'
        else:
            said = f'<p class="reason">{none_word}: {xml_text(clause.reason or "")}</p>'
        state = "represented" if clause.rows else "reason"
        items.append(
            f'<li class="{state}" id="clause-{clause.start}-{clause.end}" '
            f'data-start="{clause.start}" data-end="{clause.end}" '
            f'data-rows="{xml_text(";".join(clause.rows))}">'
            f"<blockquote>{text}</blockquote>{said}</li>"
        )
    represented = sum(1 for c in clauses if c.rows)
    heading = (
        f"报道逐句对照：{len(clauses)} 句，{represented} 句有对应记录"
        if zh
        else f"The report, clause by clause: {len(clauses)} clauses, {represented} with rows"
    )
    note = (
        "本页由你自己的报道副本生成；zgc 不分发报道全文。"
        if zh
        else "Built from your copy of the report; zgc does not redistribute the report."
    )
    body = (
        f'<h1>{xml_text(heading)}</h1>\n<p class="cite">{xml_text(citation)}</p>\n'
        f'<p>{note}</p>\n<ol class="clauses">\n' + "\n".join(items) + "\n</ol>"
    )
    return document("zgc coverage", lang, body)
