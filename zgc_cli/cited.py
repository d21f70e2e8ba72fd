"""What the files that cite the report say of it (svg pictures, html pages, xlsx citation
sheets), read from the open database, or from `data` opened for it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from zgc_cli import output

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database
SOURCE_SQL = (
    "SELECT source_id, title_zh, title_en, byline, sha256, characters "
    "FROM sources ORDER BY source_id LIMIT 1"
)
VERSIONS = ("schema_version", "build_version")  # the snapshot's, on a citation sheet
NOTE = (
    "Every row cites this report: quote holds its exact words, quote_start their "
    "character offset. The report itself is not redistributed."
)


def _report(db: Database | None, data: str | None, *, snapshot: bool = False) -> dict[str, Any]:
    """The report's row (every field None when the snapshot has none), and with `snapshot` the
    snapshot's versions, from `db` or from `data` opened for it when the command opened none."""
    from contextlib import closing, nullcontext

    from zgc_cli.db.connection import open_database
    from zgc_cli.db.statement import named

    with nullcontext(db) if db is not None else closing(open_database(data)) as opened:
        result = opened.run(named(SOURCE_SQL))
        row = (result.fetch(1) or [(None,) * len(result.columns)])[0]
        found = dict(zip(result.columns, row, strict=True))
        if snapshot:
            metadata = opened.metadata()
            found |= {"note": NOTE, **{k: metadata.get(f"zgc_{k}") for k in VERSIONS}}
        return found


def citation(db: Database | None, data: str | None, lang: str) -> str:
    """A picture's or page's citation line: `Source: 《title》 (English title), byline; report
    SHA-256 71d761baf226…`, in Chinese for a Chinese reader."""
    source = _report(db, data)
    if source["source_id"] is None:
        return "Source: unknown (the snapshot has no sources row)"
    zh, en, byline, sha256 = (
        str(source[k] or "") for k in ("title_zh", "title_en", "byline", "sha256")
    )
    if lang == "zh":
        return f"来源：《{zh}》，{byline}；报道 SHA-256 {sha256[:12]}…"
    title = (
        f"“{en}” (《{zh}》)" if lang == "en" and en else f"《{zh}》 ({en})" if en else f"《{zh}》"
    )
    return f"Source: {title}, {byline}; report SHA-256 {sha256[:12]}…"


def names(db: Database | None) -> dict[str, tuple[str, str]]:
    """Every named record's id (unique across tables) with its names in Chinese and English,
    for a page that shows names where rows hold ids."""
    if db is None:
        return {}
    from zgc_cli.db.statement import named

    rows = db.run(named("SELECT subject_id, name_zh, name_en FROM _subjects")).rows()
    return {str(i): (str(zh or en or i), str(en or zh or i)) for i, zh, en in rows}


def book(db: Database | None, data: str | None, file: Path) -> list[tuple[str, Any]]:
    """A workbook's citation sheet, field and value: the report the rows come from, and the
    snapshot (the target is checked first, before any query runs)."""
    output.check_target(file)
    return list(_report(db, data, snapshot=True).items())
