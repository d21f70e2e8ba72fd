"""The snapshot as a Frictionless Data Package (v2): datapackage.json from the data dictionary
and one CSV per view by DuckDB's writer, renamed into place. Only an empty directory or a
previous export (nothing but what its descriptor lists) is replaced: zgc removes only its own."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from zgc_cli.db.statement import NamedSQL, named, quoted
from zgc_cli.dictionary import FOREIGN_KEYS, TABLES, VOCABULARIES, Column, Table, words
from zgc_cli.errors import DataError, OutputError, UsageError
from zgc_cli.output import (
    LOOP,
    PLANTED,
    Held,
    cache_dir,
    describe_failure,
    forget,
    mode_for,
    planted_link,
    scratch_beside,
    snapshot_within,
)
from zgc_cli.render import json_value

if TYPE_CHECKING:
    from zgc_cli.db.connection import Database

NAME = "zgc-zhongguancun-recovery"  # how a previous export is recognised (see replaceable)
DESCRIPTOR = "datapackage.json"
PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TEXT = words("package")  # its title, and what it says of itself and of the report
TITLE_ZH, TITLE_EN = TEXT["title_zh"], TEXT["title_en"]
FIELD_TYPES = words("field_types")  # a column's DuckDB type: its Table Schema type


class Written(NamedTuple):  # one CSV of the package
    name: str
    rows: int
    size: int
    sha256: str


def field(table: Table, column: Column) -> dict[str, Any]:
    unit = f" (unit: {column.unit})" if column.unit else ""  # Table Schema has no unit
    described = {"name": column.name, "type": FIELD_TYPES[column.type]}
    described["description"] = column.meaning + unit
    constraints: dict[str, Any] = {"required": True} if column.required else {}
    if (table.name, column.name) in VOCABULARIES:
        constraints["enum"] = list(VOCABULARIES[table.name, column.name])
    return described | ({"constraints": constraints} if constraints else {})


def resource(table: Table, written: Written) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [field(table, c) for c in table.columns],
        "primaryKey": [table.key],
    }
    # The references the build checks (zgc_build/checks.py): the dictionary's FOREIGN_KEYS,
    # and every row's source_id but the sources' own.
    keys = [(column, to) for (name, column), to in FOREIGN_KEYS.items() if name == table.name]
    if table.name != "sources" and any(c.name == "source_id" for c in table.columns):
        keys.append(("source_id", "sources"))
    for column, target in keys:
        reference: dict[str, Any] = {"fields": [TABLES[target].key]}
        if target != table.name:  # a reference to the table itself names no resource (v2)
            reference = {"resource": target, **reference}
        schema.setdefault("foreignKeys", []).append({"fields": [column], "reference": reference})
    return {
        "name": table.name,
        "type": "table",
        "path": f"{table.name}.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": written.size,
        "hash": f"sha256:{written.sha256}",
        "description": table.description,
        "schema": schema,
    }


def descriptor(
    metadata: Mapping[str, str], sources: list[dict[str, Any]], written: list[Written]
) -> dict[str, Any]:
    """Nothing of the moment or the machine: the same snapshot gives the same bytes."""
    from importlib.metadata import metadata as distribution

    schema_version = metadata.get("zgc_schema_version", "0")
    build = metadata.get("zgc_build_version", "unknown")
    license_id = distribution("zgc")["License-Expression"]  # pyproject's `license`
    return {
        "$schema": PROFILE,
        "name": NAME,
        "title": f"{TITLE_ZH} · {TITLE_EN}",
        "description": TEXT["description"],
        # Major: the snapshot's schema version (a new schema may break readers); build
        # metadata: what built the snapshot (semver allows [0-9A-Za-z.-] there).
        "version": f"{schema_version}.0.0+{re.sub(r'[^0-9A-Za-z.]+', '-', build).strip('-')}",
        "_zgc": {"schema_version": schema_version, "build_version": build},
        "licenses": [
            {
                "name": license_id,
                "path": f"https://spdx.org/licenses/{license_id}.html",
                "title": TEXT["license"].format(license_id),
            }
        ],
        "sources": [
            {
                "title": f"{s.get('title_zh')} ({s.get('byline')})",
                **s,
                "redistributed": False,
                "note": TEXT["not_redistributed"],
            }
            for s in sources
        ],
        "contributors": [{"title": "zgc maintainers", "roles": ["creator", "dataCurator"]}],
        "resources": [resource(t, w) for t, w in zip(TABLES.values(), written, strict=True)],
    }


def check_target(given: str) -> Path:
    """The directory to write, or an OutputError before any work: a system or cache path, a
    missing parent, a file, a directory that is not an export."""
    if not given.strip():
        raise UsageError("export needs a directory, such as zgc-data")
    try:
        target = Path(os.path.abspath(given))
        if planted := planted_link(target):
            raise OutputError(f"refusing to write through {planted}: {PLANTED}")
        if target.is_symlink():  # write where the link points; the link stays a link
            target = target.resolve()
        parent = target.parent
        if target.parts[1:2] in (("dev",), ("proc",), ("sys",)):
            raise OutputError(
                f"cannot write {given}: it is under /{target.parts[1]}; choose another"
            )
        cache = cache_dir()
        real = parent.resolve() / target.name
        if real.is_relative_to(cache.resolve()) or real.is_relative_to(cache.absolute()):
            raise OutputError(f"refusing to write into zgc's cache ({cache}); choose another")
        if not parent.is_dir():
            why = "is not a directory" if parent.exists() else "does not exist; create it first"
            raise OutputError(f"cannot write {given}: {parent} {why}")
        if Path.cwd().resolve().is_relative_to(target.resolve()):  # a shell left in a husk
            raise OutputError(
                f"refusing to replace {given}: the current directory is inside it; cd out first"
            )
        if target.exists() and not target.is_dir():
            raise OutputError(f"cannot write {given}: it exists and is not a directory")
        strangers = [] if not target.exists() else foreign_entries(target)
        if strangers:
            shown = ", ".join(sorted(strangers)[:3]) + (", …" if len(strangers) > 3 else "")
            raise OutputError(
                f"refusing to replace {given}: it holds {shown}, which a zgc export does not "
                f"(a {DESCRIPTOR} named {NAME} beside the files it lists); choose a new directory"
            )
    except OSError as exc:  # a name too long, a directory that cannot be listed
        raise OutputError(describe_failure(given, exc)) from None
    except RuntimeError:  # Python 3.11's resolve() on a loop of links
        raise OutputError(describe_failure(given, LOOP)) from None
    return target


def foreign_entries(directory: Path) -> list[str]:
    """What a previous export's datapackage.json there does not list; all without one."""
    with os.scandir(directory) as listing:
        entries = list(listing)
    try:
        found = json.loads((directory / DESCRIPTOR).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        found = None
    if not isinstance(found, dict) or found.get("name") != NAME:
        return [e.name for e in entries]
    resources = found.get("resources")
    items = resources if isinstance(resources, list) else []
    listed = {DESCRIPTOR, *(str(item.get("path")) for item in items if isinstance(item, dict))}
    return [e.name for e in entries if e.name not in listed or not e.is_file(follow_symlinks=False)]


def export(db: Database, target: Path) -> list[Written]:
    """Written beside `target`, then put in its place: on any failure `target` is as it was."""
    held = snapshot_within(target)
    if held is not None:
        raise OutputError(f"refusing to replace {target}: it holds the snapshot {held}")
    try:  # removed however the export ends, or by the next export after a SIGKILL
        tmp = scratch_beside(target, ".export")
        scratch = Held(tmp, os.O_RDONLY | os.O_DIRECTORY)  # filled through its descriptor
    except OSError as exc:
        raise OutputError(describe_failure(target, exc)) from None
    try:
        written = [_write_table(db, table, scratch.inside, target) for table in TABLES.values()]
        cited = db.run(_select(TABLES["sources"]))
        sources = [dict(zip(cited.columns, map(json_value, r), strict=True)) for r in cited.rows()]
        package = descriptor(db.metadata(), sources, written)
        text = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
        (scratch.inside / DESCRIPTOR).write_text(text, encoding="utf-8")
        scratch.finish(mode_for(target, 0o777), target)  # a private one replaced stays private
        _swap(tmp, target)
    except OSError as exc:
        raise OutputError(describe_failure(target, exc)) from None
    finally:
        scratch.close()
        shutil.rmtree(tmp, ignore_errors=True)  # already gone once it was renamed into place
    return written


def _select(table: Table) -> NamedSQL:  # in the view's own row order
    return named(f'SELECT {", ".join(quoted(c.name) for c in table.columns)} FROM "{table.name}"')


def _write_table(db: Database, table: Table, directory: Path, target: Path) -> Written:
    from zgc_cli.db import export

    relation = export.query_rows(db, _select(table), None, db.guard())
    expected = [c.type for c in table.columns]
    if [str(t) for t in relation.types] != expected:  # the CSV would not read as the schema says
        raise DataError(f"{table.name}: the snapshot's types {relation.types} are not {expected}")
    path = directory / f"{table.name}.csv"
    with path.open("wb") as handle:
        rows = export.write(
            relation, "csv", export.Descriptor(handle.fileno()), shown=str(target / path.name)
        )
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return Written(table.name, rows or 0, path.stat().st_size, digest)


def _swap(tmp: Path, target: Path) -> None:
    """The old renamed aside, the new in, the old removed (or back)."""
    if not os.path.lexists(target):
        os.rename(tmp, target)
        return
    aside = scratch_beside(target, ".old")
    forget(aside)  # about to hold the previous export: never removed by an exit
    try:
        os.rename(target, aside)  # onto the empty directory made for it
    except OSError:
        aside.rmdir()
        raise
    try:
        os.rename(tmp, target)
    except BaseException:  # also Ctrl-C between the two renames
        os.rename(aside, target)
        raise
    shutil.rmtree(aside, ignore_errors=True)
