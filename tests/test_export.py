"""Issue 20: `zgc export DIR` writes a Frictionless Data Package that the open-data toolkit's
own client validates and reads back typed; it derives from the data dictionary, declares the
references the build checks, writes the same bytes every time and refuses bad targets.

The installed `zgc` runs with pipes of its own (conftest's zgc_served); the package is
validated by the `frictionless` command (a subprocess, as a user runs it: about 2 s) and read
back with its Python API.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SOURCES, child_env, zgc_executable, zgc_here, zgc_served
from tests.test_import_budget import modules_after
from zgc_cli import datapackage
from zgc_cli.dictionary import FOREIGN_KEYS, TABLES, VOCABULARIES

pytestmark = pytest.mark.slow  # each case exports the whole snapshot and runs frictionless

# Any attempt of the validator to fetch a profile over the network fails at once.
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("export") / "zgc-data"
    ran = zgc_served("export", str(target))
    assert ran.out == ""  # stdout is data: an export has none
    tables = len(TABLES)  # every table the dictionary names (10 with the coverage ledger)
    assert re.fullmatch(
        rf"zgc: wrote .*zgc-data: datapackage\.json and {tables} tables, \d+ rows\n", ran.err
    )
    return target


def package_of(directory: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((directory / "datapackage.json").read_text("utf-8"))
    return loaded


def sql_json(query: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(zgc_here("sql", query, "-f", "json").out)
    return rows


def test_the_package_has_every_table_and_column(exported: Path) -> None:
    package = package_of(exported)
    assert sorted(p.name for p in exported.iterdir()) == sorted(
        ["datapackage.json", *(f"{name}.csv" for name in TABLES)]
    )
    assert [r["name"] for r in package["resources"]] == list(TABLES)
    for resource, table in zip(package["resources"], TABLES.values(), strict=True):
        header = (exported / resource["path"]).read_bytes().decode().split("\r\n", 1)[0]
        names = [c.name for c in table.columns]
        assert header.split(",") == names == [f["name"] for f in resource["schema"]["fields"]]
        assert resource["format"] == "csv" and resource["encoding"] == "utf-8"
        assert resource["mediatype"] == "text/csv" and resource["type"] == "table"


def test_frictionless_validates_the_package_offline(exported: Path) -> None:
    command = Path(sys.executable).parent / "frictionless"
    done = subprocess.run(
        [str(command), "validate", "--json", str(exported / "datapackage.json")],
        capture_output=True,
        timeout=120,
        check=False,
        env=child_env(**OFFLINE),
    )
    report = json.loads(done.stdout)
    assert report["valid"] is True, json.dumps(report["errors"] or report["tasks"])[:2000]
    assert done.returncode == 0
    assert [t["name"] for t in report["tasks"]] == list(TABLES)
    assert all(t["valid"] and not t["errors"] for t in report["tasks"])


def _plain(value: Any) -> Any:
    """A value frictionless read, as `zgc sql -f json` writes it."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_frictionless_reads_every_row_back_typed_as_zgc_sql_gives_it(exported: Path) -> None:
    from frictionless import Package

    package = Package(str(exported / "datapackage.json"))
    for table in TABLES.values():
        rows = [row.to_dict() for row in package.get_table_resource(table.name).read_rows()]
        expected = sql_json(f"SELECT * FROM {table.name}")
        assert len(rows) == len(expected) > 0, table.name
        read = {row[table.key]: {k: _plain(v) for k, v in row.items()} for row in rows}
        assert read == {row[table.key]: row for row in expected}, table.name
    projects = {r["project_id"]: r for r in package.get_table_resource("projects").read_rows()}
    plant = projects["semiconductor-plant"]
    assert plant["investment_yuan"] == 428_000_000 and plant["status_date"] == dt.date(2020, 3, 30)
    assert isinstance(plant["quote_start"], int) and isinstance(plant["inferred"], bool)
    revenue = sql_json("SELECT value, yoy_pct FROM indicators WHERE period = '2020-Q1' LIMIT 1")
    assert isinstance(revenue[0]["value"], float)


def test_every_column_type_is_a_field_type() -> None:
    assert {c.type for t in TABLES.values() for c in t.columns} <= set(datapackage.FIELD_TYPES)


def test_the_schema_derives_from_the_data_dictionary(exported: Path) -> None:
    types = {"VARCHAR": "string", "BIGINT": "integer", "DOUBLE": "number", "BOOLEAN": "boolean"}
    types["DATE"] = "date"
    package = package_of(exported)
    for resource, table in zip(package["resources"], TABLES.values(), strict=True):
        assert resource["description"] == table.description
        assert resource["schema"]["primaryKey"] == [table.key]
        for field, column in zip(resource["schema"]["fields"], table.columns, strict=True):
            assert field["type"] == types[column.type], (table.name, column.name)
            assert field["description"].startswith(column.meaning)
            assert (f"(unit: {column.unit})" in field["description"]) == bool(column.unit)
            constraints = field.get("constraints", {})
            assert constraints.get("required", False) == column.required
            assert constraints.get("enum") == (
                list(VOCABULARIES[table.name, column.name])
                if (table.name, column.name) in VOCABULARIES
                else None
            )
    indicators = package["resources"][list(TABLES).index("indicators")]
    value = next(f for f in indicators["schema"]["fields"] if f["name"] == "yoy_pct")
    assert value["description"].endswith("(unit: percent)")


def test_foreign_keys_are_every_reference_the_build_checks(exported: Path) -> None:
    """Each declared key, broken in the curated rows, is a problem the build reports; and the
    dictionary's FOREIGN_KEYS and every row's source_id are declared."""
    from zgc_build.checks import check_rows
    from zgc_build.read import Problem, read_curated

    declared = {
        (r["name"], fk["fields"][0], fk["reference"].get("resource", r["name"]))
        for r in package_of(exported)["resources"]
        for fk in r["schema"].get("foreignKeys", [])
    }
    sources = {(name, "source_id", "sources") for name in TABLES if name != "sources"}
    assert declared == {(t, c, target) for (t, c), target in FOREIGN_KEYS.items()} | sources
    curated = read_curated(SOURCES)
    for table, column, _target in sorted(declared):
        if TABLES[table].column(column).derived:
            continue  # the build fills it from references it checks (indicators.park_id)
        broken = copy.deepcopy(curated)
        row = next(r for r in broken.tables[table] if r.get(column) is not None)
        row[column] = "no-such-id"
        problems: list[Problem] = []
        check_rows(broken, SOURCES, None, problems)
        assert any(p.column == column and "no-such-id" in p.message for p in problems), (
            table,
            column,
        )
    # A reference to the table itself names no resource (Table Schema v2).
    parks = package_of(exported)["resources"][0]["schema"]["foreignKeys"]
    assert {"fields": ["parent_park_id"], "reference": {"fields": ["park_id"]}} in parks


def test_the_package_cites_the_report_and_its_versions(exported: Path) -> None:
    package = package_of(exported)
    info = {r["field"]: r["value"] for r in json.loads(zgc_served("info", "-f", "json").out)}
    assert package["name"] == datapackage.NAME
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert datapackage.TITLE_ZH in package["title"] and datapackage.TITLE_EN in package["title"]
    assert package["version"].startswith(f"{info['schema_version']}.0.0+")
    assert package["_zgc"]["build_version"] == info["build_version"]
    (source,) = package["sources"]
    assert source["sha256"] == info["report_sha256"] and source["byline"] == info["byline"]
    assert source["title_zh"] == info["report_title_zh"] and source["redistributed"] is False
    assert "not redistributed" in source["note"] and "160 characters" in source["note"]
    (license,) = package["licenses"]
    assert license["name"] == "MIT" and "not licensed" in license["title"]
    assert package["contributors"][0]["roles"] == ["creator", "dataCurator"]


def test_exporting_twice_writes_the_same_bytes_and_replaces_a_previous_export(
    exported: Path, tmp_path: Path
) -> None:
    again = tmp_path / "again"
    zgc_served("export", str(again))
    files = sorted(p.name for p in exported.iterdir())
    assert sorted(p.name for p in again.iterdir()) == files
    for name in files:
        assert (again / name).read_bytes() == (exported / name).read_bytes(), name
    (again / "parks.csv").write_text("stale\r\n", encoding="utf-8")
    zgc_served("export", str(again))  # a previous export: replaced whole
    assert (again / "parks.csv").read_bytes() == (exported / "parks.csv").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again"]  # nothing left beside it
    empty = tmp_path / "empty"
    empty.mkdir()
    zgc_served("export", str(empty))
    assert (empty / "datapackage.json").read_bytes() == (exported / "datapackage.json").read_bytes()


def test_bad_targets_get_one_line_and_nothing_half_written(tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("mine\n", encoding="utf-8")
    not_export = tmp_path / "notes"
    not_export.mkdir()
    (not_export / "todo.txt").write_text("mine\n", encoding="utf-8")
    other = tmp_path / "other-package"
    other.mkdir()
    (other / "datapackage.json").write_text('{"name": "someone-else", "resources": []}')
    cases = [
        ([str(a_file)], 1, "is not a directory"),
        ([str(a_file / "sub")], 1, "is not a directory"),  # unwritable, even for root
        (["/proc/zgc-export"], 1, "it is under /proc"),
        ([str(not_export)], 1, "it holds todo.txt, which a zgc export does not"),
        ([str(other)], 1, "it holds datapackage.json, which a zgc export does not"),
        ([str(tmp_path / "missing" / "sub")], 1, "does not exist"),
        ([""], 2, "needs a directory"),
        ([], 2, "Missing argument"),
    ]
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    for argv, code, needle in cases:
        zgc_served("export", *argv, code=code).error(needle)
    empty = tmp_path / "empty"
    empty.mkdir()
    zgc_served("export", ".", cwd=empty, code=1).error("the current directory is inside it; cd out")
    zgc_served("export", str(tmp_path), cwd=empty, code=1).error(
        "the current directory is inside it"
    )
    empty.rmdir()
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before  # no temp dir
    assert a_file.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in not_export.iterdir()) == ["todo.txt"]


def test_a_previous_export_with_a_file_of_the_user_is_not_replaced(
    exported: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "zgc-data"
    zgc_served("export", str(mine))
    (mine / "README.md").write_text("my notes\n", encoding="utf-8")
    zgc_served("export", str(mine), code=1).error("which a zgc export does not")
    assert (mine / "README.md").read_text(encoding="utf-8") == "my notes\n"


def test_a_failed_write_leaves_the_previous_export_as_it_was(
    exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "zgc-data"
    zgc_served("export", str(target))
    before = {p.name: p.read_bytes() for p in target.iterdir()}

    def full_disk(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise OSError(28, os.strerror(28))

    monkeypatch.setattr(datapackage, "descriptor", full_disk)  # after every CSV is written
    zgc_here("export", str(target), code=1).error("the disk is full")
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zgc-data"]


def test_export_help_loads_no_engine() -> None:
    loaded = modules_after("export", "--help")
    assert not {"duckdb", "_duckdb"} & {m.split(".")[0] for m in loaded}
    assert "zgc_cli.datapackage" not in loaded
    assert "zgc_cli.datapackage" not in modules_after("--help")


def test_the_readme_loads_the_package_as_it_says(exported: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use the data elsewhere", 1)[1].split("\n## ", 1)[0]
    assert "zgc export zgc-data" in section
    (code,) = re.findall(r"```python\n(.*?)```", section, re.S)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        timeout=120,
        check=False,
        cwd=exported.parent,
        env=child_env(**OFFLINE),
    )
    assert done.returncode == 0, done.stderr.decode()[-2000:]


@pytest.mark.slow
def test_termination_mid_export_leaves_the_previous_export_and_no_temp_dir(
    tmp_path: Path,
) -> None:
    """SIGTERM while the CSVs are being written: exit 143, silence, the old export whole."""
    import signal
    import time

    from benchmarks.synth import generate

    big = tmp_path / "big.parquet"
    generate(50_000, 1, big)  # about 160,000 rows: half a second of writing
    target = tmp_path / "zgc-data"
    zgc_served("export", str(target))
    zgc_served("parks", "--data", str(big))  # zgc's read-only copy of it, built before the clock
    before = {p.name: p.read_bytes() for p in target.iterdir()}
    process = subprocess.Popen(
        [zgc_executable(), "export", str(target), "--data", str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".zgc-*.export/*.csv")) and time.monotonic() < deadline:
        time.sleep(0.001)
    # Stopped the moment its first CSV is seen, the export is mid-write when the signal
    # lands, however fast the machine.
    process.send_signal(signal.SIGSTOP)
    assert list(tmp_path.glob(".zgc-*.export/*.csv")), "the export never started"
    process.send_signal(signal.SIGTERM)
    process.send_signal(signal.SIGCONT)
    out, err = process.communicate(timeout=30)
    assert (process.returncode, out, err) == (128 + signal.SIGTERM, b"", b"")
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.parquet", "zgc-data"]


def test_a_directory_replaced_keeps_its_mode_and_a_refusal_names_the_stranger(
    tmp_path: Path,
) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    private.chmod(0o700)
    zgc_served("export", str(private))
    assert private.stat().st_mode & 0o777 == 0o700
    zgc_served("export", str(private))  # a previous export, replaced: still private
    assert private.stat().st_mode & 0o777 == 0o700
    (private / ".DS_Store").write_bytes(b"\0")
    zgc_served("export", str(private), code=1).error(
        "it holds .DS_Store, which a zgc export does not"
    )
    assert (private / "datapackage.json").is_file()
