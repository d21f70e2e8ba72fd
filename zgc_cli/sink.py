"""Where every command's output goes, decided once: the sink.

Built from the output options and standard output before any work is done, it knows the
format (render.Format), the file or standard output, whether a person is watching, the width,
colour and language. Commands hand it a query, rows, a record or a drawing; it writes them
through the one writer of the format (render.WRITERS): DuckDB's COPY (db/export.py), the
terminal view (terminal.py, picture.py), markdown (render.py), html (html_table.py) or xlsx
(workbook.py), to a file always through output.py's temp file and rename.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from zgc_cli import cited, diagnostics, output
from zgc_cli.errors import OutputError, UsageError
from zgc_cli.preferences import (
    color_wanted,
    is_terminal,
    pager_command,
    reader_lang,
    terminal_size,
)
from zgc_cli.queries.base import Lang
from zgc_cli.render import PICTURES, WRITERS, Format, Listed, Rows, chosen

if TYPE_CHECKING:
    from zgc_cli.db import export
    from zgc_cli.db.connection import Database, Result
    from zgc_cli.db.guard import Guard
    from zgc_cli.db.statement import Statement
    from zgc_cli.drawing import Drawing
    from zgc_cli.terminal import Layout

DEFAULT_WIDTH = 100  # a picture drawn off a terminal


@dataclass(frozen=True)
class Sink:
    """The output decisions of one command run."""

    kind: Format
    file: Path | None  # -o FILE; None: standard output
    stdout: TextIO
    terminal: bool  # standard output is a terminal and the output goes there
    width: int  # terminal cells to draw in (the terminal's, or a picture's)
    color: bool
    lang: Lang
    header: bool
    limit: int | None
    data: str | None  # --data, for a picture's citation when the command opened no database
    command: str = "zgc"  # a picture's title
    height: int = 24  # terminal lines: a taller drawing goes through the pager
    pager: str = ""  # the pager command ("" for none)
    on_screen: bool = False  # standard output is a terminal (whatever the format)
    scope: str = ""  # the command's own options as given: a page's caption names them

    @classmethod
    def open(
        cls,
        *,
        fmt: Format | None,
        file: Path | None,
        lang: Lang | None = None,
        header: bool = True,
        limit: int | None = None,
        data: str | None = None,
        command: str = "zgc",
        paging: bool = True,
        stdout: TextIO | None = None,
        scope: str = "",
    ) -> Sink:
        stream = stdout if stdout is not None else sys.stdout
        if data:  # --data names a snapshot: no output of this run may replace it
            output.protect(Path(data).expanduser().absolute())
        if file is None and (stream is None or getattr(stream, "closed_stream", False)):
            raise OutputError(output.CLOSED)  # `zgc parks >&-`
        on_terminal = file is None and is_terminal(stream)
        kind = chosen(fmt, file, on_terminal)
        if kind in (Format.csv, Format.jsonl, Format.parquet):  # likely large (streams)
            output.few_malloc_arenas()
        if not header and kind not in (Format.csv, Format.tsv, Format.xlsx):
            raise UsageError(f"--no-header applies to csv, tsv and xlsx, not {kind.value}")
        preferred = reader_lang()  # checked even when piped: a bad ZGC_LANG is said at once
        size = terminal_size(DEFAULT_WIDTH)
        width = size.columns
        if lang is None:  # a person reads in their language; scripts get the same bytes anywhere
            lang = (
                preferred
                if (on_terminal and kind is Format.table) or kind in PICTURES
                else Lang.both
            )
        return cls(
            kind=kind,
            file=file,
            stdout=stream,
            terminal=on_terminal and kind is Format.table,
            width=width,
            color=file is None and color_wanted(stream),
            lang=lang,
            header=header,
            limit=limit,
            data=data,
            command=command,
            height=size.lines,
            pager=pager_command() if paging and on_terminal else "",
            on_screen=on_terminal,
            scope=scope,
        )

    @property
    def draws(self) -> bool:
        """Whether rows are drawn as the terminal view (a terminal, -f table, a picture)."""
        return self.kind is Format.table or self.kind in PICTURES

    @property
    def streams(self) -> bool:
        """Whether the output is likely large (csv, jsonl, parquet): the query then keeps no
        insertion order and a smaller memory limit (commands.options.database)."""
        return self.kind in (Format.csv, Format.jsonl, Format.parquet)

    @property
    def every_column(self) -> bool:
        """Whether rows carry every column the command can show: every kind but the terminal
        view (a drawn table or a picture of one), which starts from the command's defaults."""
        return self.kind is not Format.table and self.kind not in PICTURES

    # --- query results ----------------------------------------------------------------------

    def result(
        self,
        db: Database,
        statement: Statement,
        params: Mapping[str, object] | None = None,
        *,
        project: Sequence[str] | None = None,
        layout: Layout | None = None,
        highlight: str | None = None,
        guard: Guard | None = None,
        raw: bool = False,
    ) -> int:
        """Run `statement` and write its rows: `project` keeps those columns, in that order;
        `layout` is the command's terminal view (default: the result's own columns). One
        deadline (`guard`, or a new one) covers it all. Returns the rows written."""
        guard = guard or db.guard()
        if WRITERS[self.kind] == "duckdb":
            from zgc_cli.db import export

            if self.file is not None:
                output.check_target(self.file)  # before the query runs
            relation = export.query_rows(db, statement, params, guard, project=project)
            return self._counted(self._copied(relation))
        # What a file cites is read first: the connection runs one statement at a time.
        cite = self._cite(db) if self.kind in PICTURES else None
        names = cited.names(db) if self.kind is Format.html and not raw else None
        book = cited.book(db, self.data, self._file) if self.kind is Format.xlsx else None
        result: Result | Any = db.run(statement, params, guard)
        if project is not None:
            result = _projected(result, project)
        count = self._rows(
            result,
            db,
            layout=layout,
            highlight=highlight,
            cite=cite,
            book=book,
            raw=raw,
            names=names,
        )
        return self._counted(count)

    def listed(self, rows: Listed, *, db: Database | None = None) -> None:
        """Rows built in Python (tables, schema, info, verify), written like any result."""
        if self.kind is Format.parquet:
            raise UsageError("only query results can be written as .parquet; use .csv or .json")
        if WRITERS[self.kind] == "duckdb":
            from zgc_cli.db import export

            with export.side_engine() as engine:
                self._copied(export.listed_rows(engine, rows.columns, rows.types, rows.rows))
            return
        self._rows(rows, db)

    def _rows(
        self,
        rows: Rows,
        db: Database | None,
        *,
        layout: Layout | None = None,
        highlight: str | None = None,
        raw: bool = False,
        cite: str | None = None,
        book: list[tuple[str, Any]] | None = None,
        names: Mapping[str, tuple[str, str]] | None = None,
    ) -> int:
        """Write rows as the sink's kind; the number of rows written. The terminal view's
        modules load only when it draws: piped rows never need them."""
        from zgc_cli import render

        if self.kind is Format.html:
            document, count = cited.page(
                rows,
                layout,
                raw=raw,
                lang=self.lang.value,
                limit=self.limit,
                command=self.command,
                scope=self.scope,
                known=names if names is not None else {} if raw else cited.names(db),
                cite=cite or self._cite(db),
            )
            self._write(lambda stream: stream.write(document))
            return count
        if self.kind is Format.xlsx:
            sheet = self.command.removeprefix("zgc ").strip() or "rows"
            return self._workbook([(sheet, rows)], book or cited.book(db, self.data, self._file))
        if self.kind is Format.table or self.kind in PICTURES:
            from zgc_cli import terminal

            natural = self.kind is Format.table and not self.terminal  # a file or pipe: never cut
            view = terminal.View(
                lang=self.lang.value, limit=self.limit, highlight=highlight, natural=natural
            )
            drawing, count = terminal.table(
                rows,
                layout or terminal.layout_of(rows.columns, rows.types, raw=raw),
                view,
                None if natural else self.width,
            )
            self.show(drawing, cite=cite if self.kind in PICTURES else None, db=db)
            return count
        return int(
            self._write(lambda stream: render.write_markdown(rows, stream, limit=self.limit))
        )

    def _copied(self, rows: export.Rows, fmt: str = "") -> int:
        """DuckDB's COPY of `relation` into the -o file (a temp file renamed into place) or
        standard output (its descriptor; a terminal's or a test's stream as escaped text)."""
        from zgc_cli.db import export

        def copy(into: Callable[[bytes], None], shown: str) -> int:
            return export.write(
                rows,
                fmt or self.kind.value,
                into,
                header=self.header,
                limit=self.limit,
                shown=shown,
            )

        if self.file is not None:
            with output.temp_beside(self.file) as tmp, tmp.open("r+b") as handle:
                return copy(export.into_descriptor(handle.fileno()), str(self.file))
        if not self.on_screen and output.is_stdout(self.stdout):
            self.stdout.flush()
            return int(self._write(lambda _: copy(export.into_descriptor(1), "standard output")))
        return int(self._write(lambda stream: copy(export.into_text(stream), "standard output")))

    # --- one record -------------------------------------------------------------------------

    def card(
        self,
        db: Database,
        table: str,
        record: dict[str, Any],
        related: Mapping[str, Listed],
        figure: str | None,
    ) -> None:
        """`zgc show`: a card on a terminal or picture, a document in json, field/value rows."""
        from zgc_cli import layouts, render, terminal

        if self.kind is Format.parquet:
            raise UsageError("show writes a card; use -o FILE.json or .csv, not .parquet")
        fields = _in_lang(record, self.lang)
        pairs = Listed(["field", "value"], ["VARCHAR", "VARCHAR"], list(fields.items()))
        if self.kind is Format.xlsx:
            cites = cited.book(db, self.data, self._file)
            self._workbook([("record", pairs), *related.items()], cites)
        elif self.kind is Format.html:
            known, cite = cited.names(db), self._cite(db)
            page = cited.card_page(table, fields, related, figure, self.lang.value, known, cite)
            self._write(lambda stream: stream.write(page))
        elif self.draws:
            layout = {k: layouts.related(r.columns, r.types, self.lang) for k, r in related.items()}
            labels = {name: layouts.label(name, self.lang) for name in [*record, *related]}
            known = cited.names(db)
            card = terminal.card(
                table, fields, related, layout, figure, labels, self.width, self.lang.value, known
            )
            self.show(card, db=db)
        elif self.kind in (Format.json, Format.jsonl):  # one JSON object, on one line
            from zgc_cli.db import export

            rows = {k: _in_lang_rows(r, self.lang) for k, r in related.items()}
            with export.side_engine() as engine:
                document = export.document(engine, {"table": table, "record": fields}, rows)
                self._copied(document, fmt="jsonl")
        else:  # field/value lines, the related rows' values joined on one line each
            pairs.rows += render.related_lines(related)
            self.listed(pairs)

    # --- drawings ---------------------------------------------------------------------------

    def show(
        self,
        drawing: Drawing,
        *,
        cite: str | None = None,
        db: Database | None = None,
    ) -> None:
        """A drawing (a table, a card, a chart): ANSI on a terminal, through the pager when it
        is taller than the screen; plain text piped or to a file; or a picture."""
        if self.kind in PICTURES:
            line = cite or self._cite(db)
            kind, width, lang = self.kind.value, self.width, self.lang.value
            document = cited.picture(kind, drawing, width, self.command, line, lang)
            self._write(lambda stream: stream.write(document))
            return
        colored = self.color and self.file is None
        text = drawing.ansi() if colored else drawing.plain()
        if self.terminal and self.pager and len(drawing.lines) >= self.height:
            self.stdout.flush()
            if output.page(text, self.pager):
                return
        self._write(lambda stream: stream.write(text))

    def drawn(self, draw: Callable[[str], str], db: Database) -> None:
        """A picture zgc draws itself (a chart): `draw(citation)` returns the document."""
        line = self._cite(db)
        self._write(lambda stream: stream.write(draw(line)))

    def _write(self, write: Callable[[TextIO], Any]) -> Any:
        """`write` to standard output, or to the -o file atomically."""
        if self.file is not None:
            with output.atomic_text(self.file) as handle:
                return write(handle)
        try:
            # csv or json on a terminal is read, not stored: its control characters are shown
            # escaped (an ESC or OSC 52 in data must not drive the terminal).
            escaped = self.on_screen and WRITERS[self.kind] in ("duckdb", "markdown")
            stream = cast(TextIO, output.Escaped(self.stdout)) if escaped else self.stdout
            returned = write(stream)
            self.stdout.flush()
        except BrokenPipeError:
            raise  # the reader went away: a quiet end (cli.py)
        except OSError as exc:
            raise OutputError(output.describe_failure("standard output", exc)) from None
        return returned

    def _cite(self, db: Database | None) -> str:
        return cited.citation(db, self.data, self.lang.value)

    @property
    def _file(self) -> Path:
        assert self.file is not None  # pictures and workbooks are files: -o FILE.svg
        return self.file

    def _workbook(self, sheets: Sequence[tuple[str, Rows]], cites: list[tuple[str, Any]]) -> int:
        return cited.workbook(self._file, sheets, cites, header=self.header, limit=self.limit)

    def _counted(self, count: int) -> int:
        if count == 0 and self.limit != 0:  # --limit 0 asked for no rows
            diagnostics.note("no rows match")
        return count


def _in_lang(record: Mapping[str, Any], lang: Lang) -> dict[str, Any]:
    """A record's fields for a reader of `lang`: zh drops the _en fields, en the _zh ones."""
    from zgc_cli.queries.base import in_lang

    return {k: v for k, v in record.items() if in_lang(k, lang)}


def _in_lang_rows(rows: Listed, lang: Lang) -> Listed:
    """Related rows for a reader of `lang`: the other language's columns left out."""
    from zgc_cli.queries.base import in_lang

    keep = [i for i, name in enumerate(rows.columns) if in_lang(name, lang)]
    return Listed(
        [rows.columns[i] for i in keep],
        [rows.types[i] for i in keep],
        [tuple(row[i] for i in keep) for row in rows.rows],
    )


def _projected(result: Result, chosen: Sequence[str]) -> Any:
    from zgc_cli.db.connection import Projected
    from zgc_cli.queries.base import require_columns

    require_columns(chosen, result.columns)
    return Projected.of(result, chosen)
