"""Where every command's output goes, decided once (format, file or standard output, a person
watching, width, colour, language): the sink. Each format has one writer (render.WRITERS); a
file is always written through output.py's temp file and rename."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar, cast

from zgc_cli import cited, diagnostics, output
from zgc_cli.errors import OutputError, UsageError
from zgc_cli.preferences import color_wanted, is_terminal, pager_command, reader_lang
from zgc_cli.queries.base import Lang, in_lang
from zgc_cli.render import PICTURES, WRITERS, Format, Listed, Rows, chosen

if TYPE_CHECKING:
    from zgc_cli.db import export
    from zgc_cli.db.connection import Database
    from zgc_cli.db.guard import Guard
    from zgc_cli.db.statement import Statement
    from zgc_cli.drawing import Drawing
    from zgc_cli.terminal import Layout

DEFAULT_WIDTH = 100  # a picture drawn off a terminal


_T = TypeVar("_T")


class Sink:
    """The output decisions of one run, made once (a plain class: a frozen dataclass of these
    fields cost 60 µs of start-up, -X importtime)."""

    def __init__(
        self,
        *,
        fmt: Format | None,
        file: Path | None,  # -o FILE; None: standard output
        lang: Lang | None = None,
        header: bool = True,
        limit: int | None = None,
        data: str | None = None,  # --data: a picture's citation when no database was opened
        command: str = "zgc",  # a picture's title
        paging: bool = True,
        stdout: TextIO | None = None,
        scope: str = "",  # the command's own options as given: a page's caption names them
    ) -> None:
        self.stdout = stream = stdout if stdout is not None else sys.stdout
        if data:  # --data names a snapshot: no output of this run may replace it
            output.protect(Path(data).expanduser().absolute())
        if file is None and (stream is None or getattr(stream, "closed_stream", False)):
            raise OutputError(output.CLOSED)  # `zgc parks >&-`
        self.on_screen = file is None and is_terminal(stream)  # whatever the format
        self.kind = kind = chosen(fmt, file, self.on_screen)
        # Likely large (csv, jsonl, parquet): no insertion order, less memory.
        self.streams = kind in (Format.csv, Format.jsonl, Format.parquet)
        if self.streams:
            output.few_malloc_arenas()
        if not header and kind not in (Format.csv, Format.tsv, Format.xlsx):
            raise UsageError(f"--no-header applies to csv, tsv and xlsx, not {kind.value}")
        preferred = reader_lang()  # checked even when piped: a bad ZGC_LANG is said at once
        # COLUMNS and LINES, else the terminal's, else DEFAULT_WIDTH x 24 (typer loads shutil).
        self.width, self.height = shutil.get_terminal_size((DEFAULT_WIDTH, 24))
        self.terminal = self.on_screen and kind is Format.table  # rows drawn on the terminal
        self.draws = kind is Format.table or kind in PICTURES  # as the terminal view
        # A person reads in their language; scripts get the same bytes anywhere.
        self.lang = lang or (preferred if self.terminal or kind in PICTURES else Lang.both)
        self.file, self.header, self.limit, self.data = file, header, limit, data
        self.color = file is None and color_wanted(stream)
        self.pager = pager_command() if paging and self.on_screen else ""
        self.command, self.scope = command, scope

    @classmethod
    def open(cls, **options: Any) -> Sink:  # the name every caller uses
        return cls(**options)

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
    ) -> int | None:
        """Run `statement` and write its rows (`project`: those columns, in that order) under one
        deadline; `layout` is the terminal view (default: the result's own columns)."""
        guard = guard or db.guard()
        if WRITERS[self.kind] == "duckdb":
            from zgc_cli.db import export

            if self.file is not None:
                output.check_target(self.file)  # before the query runs
            count = self._copied(export.query_rows(db, statement, params, guard, project=project))
        else:
            cites = self._cites(db, raw)  # first: the connection runs one statement at a time
            result: Any = db.run(statement, params, guard)
            if project is not None:
                from zgc_cli.db.connection import Projected
                from zgc_cli.queries.base import require_columns

                require_columns(project, result.columns)
                result = Projected.of(result, project)
            count = self._rows(result, db, cites, layout, highlight, raw)
        if count == 0 and self.limit != 0:  # --limit 0 asked for no rows
            diagnostics.note("no rows match")
        return count

    def listed(
        self, rows: Listed, *, db: Database | None = None, layout: Layout | None = None
    ) -> None:
        if self.kind is Format.parquet:
            raise UsageError("only query results can be written as .parquet; use .csv or .json")
        if WRITERS[self.kind] == "duckdb":
            from zgc_cli.db import export

            with export.side_engine() as engine:
                self._copied(export.listed_rows(engine, rows.columns, rows.types, rows.rows))
            return
        self._rows(rows, db, self._cites(db, False), layout)

    def _cites(self, db: Database | None, raw: bool) -> dict[str, Any]:
        """What a file cites: the report (a picture, a page), names for ids, a workbook's sheet."""
        if self.kind is Format.xlsx:
            return {"book": cited.book(db, self.data, self._file)}
        if self.kind in PICTURES:
            known = {} if raw or self.kind is Format.svg else cited.names(db)
            return {"cite": self._cite(db), "known": known}
        return {}

    def _rows(
        self,
        rows: Rows,
        db: Database | None,
        cites: dict[str, Any],
        layout: Layout | None = None,
        highlight: str | None = None,
        raw: bool = False,
    ) -> int:
        """The rows written; the terminal view's modules load only when it draws."""
        if self.kind is Format.html:
            from zgc_cli.html_table import page

            said: dict[str, Any] = {"command": self.command, "scope": self.scope}
            lang, limit = self.lang.value, self.limit
            document, count = page(rows, layout, raw=raw, lang=lang, limit=limit, **said, **cites)
            self._put(document)
            return count
        if self.kind is Format.xlsx:
            sheet = self.command.removeprefix("zgc ").strip() or "rows"
            return self._workbook([(sheet, rows)], cites["book"])
        if self.draws:
            from zgc_cli import terminal

            natural = self.kind is Format.table and not self.terminal  # a file or pipe: never cut
            view = terminal.View(self.lang.value, self.limit, natural, highlight)
            drawing, count = terminal.table(
                rows,
                layout or terminal.layout_of(rows.columns, rows.types, raw=raw),
                view,
                None if natural else self.width,
            )
            self.show(drawing, cite=cites.get("cite"), db=db)
            return count
        from zgc_cli.render import write_markdown

        return int(self._write(lambda stream: write_markdown(rows, stream, limit=self.limit)))

    def _copied(self, rows: export.Rows, fmt: str = "") -> int | None:
        """DuckDB's COPY of `rows` into the -o file or standard output (its descriptor; a
        terminal's or a test's stream as escaped text)."""
        from zgc_cli.db import export

        def copy(into: Callable[[bytes], None], shown: str) -> int | None:
            kind, header, limit = fmt or self.kind.value, self.header, self.limit
            return export.write(rows, kind, into, header=header, limit=limit, shown=shown)

        if self.file is not None:
            with output.temp_beside(self.file) as tmp, tmp.open("r+b") as handle:
                return copy(export.Descriptor(handle.fileno()), str(self.file))
        if not self.on_screen and output.descriptor(self.stdout) == 1:
            self.stdout.flush()
            return self._write(lambda _: copy(export.Descriptor(1), "standard output"))
        return self._write(lambda stream: copy(export.into_text(stream), "standard output"))

    def card(
        self,
        db: Database,
        table: str,
        record: dict[str, Any],
        related: Mapping[str, Listed],
        figure: str | None,
    ) -> None:
        """`zgc show`: a card on a terminal or picture, a document in json, field/value rows."""
        from zgc_cli import layouts, terminal

        if self.kind is Format.parquet:
            raise UsageError("show writes a card; use -o FILE.json or .csv, not .parquet")
        # A record for a reader of `lang`: zh leaves the _en fields out, en the _zh ones.
        fields = {k: v for k, v in record.items() if in_lang(k, self.lang)}
        pairs = Listed(["field", "value"], ["VARCHAR", "VARCHAR"], list(fields.items()))
        if self.kind is Format.xlsx:
            cites = cited.book(db, self.data, self._file)
            self._workbook([("record", pairs), *related.items()], cites)
        elif self.kind is Format.html:
            known, cite = cited.names(db), self._cite(db)
            from zgc_cli import html_table

            self._put(html_table.card(table, fields, related, figure, self.lang.value, known, cite))
        elif self.draws:
            lang = self.lang
            laid = {k: (r, layouts.related(r.columns, r.types, lang)) for k, r in related.items()}
            labels = {name: layouts.label(name, lang) for name in [*record, *related]}
            known = cited.names(db)
            card = terminal.card(fields, laid, table, figure, labels, self.width, lang.value, known)
            self.show(card, db=db)
        elif self.kind in (Format.json, Format.jsonl):  # one JSON object, on one line
            from zgc_cli.db import export

            rows = {k: _in_lang_rows(r, self.lang) for k, r in related.items()}
            with export.side_engine() as engine:
                document = export.document(engine, {"table": table, "record": fields}, rows)
                self._copied(document, fmt="jsonl")
        else:  # field/value lines, the related rows' values joined on one line each
            from zgc_cli.render import related_lines

            pairs.rows += related_lines(related)
            self.listed(pairs)

    def show(
        self, drawing: Drawing, *, cite: str | None = None, db: Database | None = None
    ) -> None:
        """A drawing: ANSI on a terminal (paged when taller than it), plain text piped or to a
        file, or a picture."""
        if self.kind in PICTURES:
            from zgc_cli import picture

            line = cite or self._cite(db)
            title = drawing.title or self.command
            self._put(picture.export(drawing, width=self.width, title=title, cite=line))
            return
        text = drawing.ansi() if self.color and self.file is None else drawing.plain()
        if self.terminal and self.pager and len(drawing.lines) >= self.height:
            self.stdout.flush()
            if output.page(text, self.pager):
                return
        self._put(text)

    def drawn(self, draw: Callable[[str], str], db: Database) -> None:
        """A picture zgc draws itself (a chart): `draw(citation)` returns the document."""
        self._put(draw(self._cite(db)))

    def _put(self, text: str) -> None:
        self._write(lambda stream: stream.write(text))

    def _write(self, write: Callable[[TextIO], _T]) -> _T:
        if self.file is not None:
            with (
                output.temp_beside(self.file) as tmp,
                tmp.open("w", encoding="utf-8", newline="") as handle,
            ):
                return write(handle)
        # csv or json on a terminal is read, not stored: its control characters are shown
        # escaped (an ESC or OSC 52 in data must not drive the terminal).
        escaped = self.on_screen and WRITERS[self.kind] in ("duckdb", "markdown")
        stream = output.StandardOutput(self.stdout, escaped=escaped)
        returned = write(cast(TextIO, stream))
        stream.flush()
        return returned

    def _cite(self, db: Database | None) -> str:
        return cited.citation(db, self.data, self.lang.value)

    @property
    def _file(self) -> Path:
        assert self.file is not None  # pictures and workbooks are files: -o FILE.svg
        return self.file

    def _workbook(self, sheets: Sequence[tuple[str, Rows]], cites: list[tuple[str, Any]]) -> int:
        from zgc_cli.workbook import write

        return write(self._file, sheets, cites, header=self.header, limit=self.limit)


def _in_lang_rows(rows: Listed, lang: Lang) -> Listed:
    keep = [i for i, name in enumerate(rows.columns) if in_lang(name, lang)]
    columns, types = ([items[i] for i in keep] for items in (rows.columns, rows.types))
    return Listed(columns, types, [tuple(row[i] for i in keep) for row in rows.rows])
