"""Issue 2: the snapshot is complete, exact and consistent with the report and its sources."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import duckdb
import pytest

import zgc_build as build
from tests.conftest import ROOT, SNAPSHOT, SOURCES, child_env, report_path
from zgc_build.numbers import (
    bounds_agree,
    is_vague,
    parse_value_text,
    value_bounds,
    values_agree,
    without_names,
)
from zgc_cli.dictionary import (
    FOREIGN_KEYS,
    SUBJECT_TABLES,
    SUBJECT_TYPES,
    TABLES,
    VOCABULARIES,
    Table,
    cited_tables,
)

# Numerals in the report that are not quantities, each excused by a unique stretch of
# context and a reason. Every other number must sit inside some record's quote.
NOT_QUANTITIES = {
    "一手抓疫情防控,一手抓复工复产": "idiom: 'grasping with one hand ... with the other'",
    "一声“开工”": "idiom: 'a shout of'",
    "一锹锹土": "idiom: 'spade after spade'",
    "中关村医疗器械园二期项目正式开工。在中": "project name (Phase II) in the lead; its start "
    "is cited from the 4月17日 paragraph",
    "一区多园": "policy phrase 'one zone, many parks'",
    "中关村医疗器械园二期、第三代等先进半导体": "project names in a list; each project cites "
    "its own start",
    "一批重大项目": "'a batch of'",
    "以第三代等先进半导体产业为主导": "part of a name (third-generation semiconductors)",
    "进一步": "'further'",
    "中关村医疗器械园二期项目等一系列": "photo caption repeating a project name",
    "再一次": "'once again'",
    "5G": "name of a technology",
    "一大批": "'a large number of'",
    "下一步": "'next step'",
}
_NUMBER = re.compile(r"\d+(?:\.\d+)?|[〇一二两三四五六七八九十百千]+")


def snapshot_rows(table: str) -> list[dict[str, Any]]:
    con = duckdb.connect()
    rel = con.sql(
        f"SELECT * EXCLUDE (\"table\") FROM read_parquet('{SNAPSHOT}') WHERE \"table\" = '{table}'"
    )
    keep = [c.name for c in TABLES[table].columns]
    return [
        {k: v for k, v in zip(rel.columns, row, strict=True) if k in keep} for row in rel.fetchall()
    ]


def cited_rows() -> list[tuple[str, dict[str, Any]]]:
    return [(t.name, r) for t in cited_tables() for r in snapshot_rows(t.name)]


def test_every_quote_is_exact_at_its_offset(report: str) -> None:
    rows = cited_rows()
    assert len(rows) > 100
    assert {t for t, _ in rows} == set(TABLES) - {"sources", "clauses"}, (
        "every cited table has rows"
    )
    for table, row in rows:
        start, quote = row["quote_start"], row["quote"]
        assert report[start : start + len(quote)] == quote, (table, row)
        assert "\n" not in quote and len(quote) <= 160, (table, quote)


def test_report_hash_and_length_match_sources(report: str) -> None:
    (source,) = snapshot_rows("sources")
    assert source["sha256"] == hashlib.sha256(report.encode("utf-8")).hexdigest()
    assert source["characters"] == len(report)


def test_every_number_in_the_report_is_captured(report: str) -> None:
    spans = [(r["quote_start"], r["quote_start"] + len(r["quote"])) for _, r in cited_rows()]
    excused: list[tuple[int, int]] = []
    for context in NOT_QUANTITIES:
        starts = [m.start() for m in re.finditer(re.escape(context), report)]
        assert starts, f"allow-list context no longer in the report: {context}"
        excused += [(s, s + len(context)) for s in starts]
    missing = []
    for match in _NUMBER.finditer(report):
        covered = any(a <= match.start() and match.end() <= b for a, b in spans + excused)
        if not covered:
            missing.append(
                f"{match.group()} at {match.start()}: "
                f"…{report[max(0, match.start() - 8) : match.end() + 8]}…"
            )
    assert not missing, "numbers without a record: " + "; ".join(missing)


def test_numbers_named_by_the_issue_are_found_by_a_query() -> None:
    con = duckdb.connect()
    con.execute(
        f"CREATE VIEW i AS SELECT * FROM read_parquet('{SNAPSHOT}') WHERE \"table\" = 'indicators'"
    )
    for text, value in [
        ("十五条", 15),
        ("五期", 5),
        ("两个月", 2),
        ("两级", 2),
        ("千亿元", 1e11),
        ("12466.2亿元", 1.246_62e12),
        ("近97%", 97),
        ("约3.7万家", 37_000),
        ("97.9%", 97.9),
    ]:
        found = con.execute("SELECT value FROM i WHERE value_text = ?", [text]).fetchall()
        assert found and values_agree(found[0][0], value), text


def test_values_and_hedges_agree_with_their_words() -> None:
    wordless = 0
    for row in snapshot_rows("indicators"):
        assert row["value_text"] in row["quote"], row["indicator_id"]
        if row["value"] is None:  # a fact without a number: words, no hedge or bounds
            with pytest.raises(ValueError, match="no number"):
                parse_value_text(without_names(row["value_text"]))  # 5G is a name
            assert row["qualifier"] is row["value_min"] is row["value_max"] is None
            wordless += 1
            continue
        assert row["unit"] and row["qualifier"], row["indicator_id"]
        parsed = parse_value_text(row["value_text"])
        assert values_agree(parsed.value, row["value"]), row["indicator_id"]
        assert parsed.qualifier == row["qualifier"], row["indicator_id"]
        hedge_words = {"approx": "约", "nearly": "近", "over": "超"}
        if row["qualifier"] in hedge_words:
            assert hedge_words[row["qualifier"]] in row["value_text"]
        low, high = value_bounds(row["value_text"])
        assert bounds_agree(row["value_min"], low), row["indicator_id"]
        assert bounds_agree(row["value_max"], high), row["indicator_id"]
        if row["yoy_pct"] is not None and row["unit"] == "times":  # 增长超5倍: +500%
            assert f"增长{row['value_text']}" in row["quote"], row["indicator_id"]
            assert values_agree(row["yoy_pct"], row["value"] * 100), row["indicator_id"]
        elif row["yoy_pct"] is not None:
            word = "下降" if row["yoy_pct"] < 0 else "增长"
            assert f"{word}{abs(row['yoy_pct']):g}%" in row["quote"], row["indicator_id"]
    assert wordless >= 10


def test_a_fall_is_a_negative_yoy_and_money_is_in_yuan() -> None:
    revenue = {r["value_text"]: r for r in snapshot_rows("indicators")}["12466.2亿元"]
    assert revenue["unit"] == "yuan" and revenue["yoy_pct"] == -3.4
    assert revenue["period"] == "2020-Q1"


@pytest.mark.slow
def test_ids_unique_vocabularies_and_foreign_keys() -> None:
    ids: dict[str, set[str]] = {}
    for name, table in TABLES.items():
        rows = snapshot_rows(name)
        keys = [r[table.key] for r in rows]
        assert len(keys) == len(set(keys)), name
        ids[name] = set(keys)
    every_id = [key for keys in ids.values() for key in keys]
    assert len(every_id) == len(set(every_id)), "an id names one record across all tables"
    checked = 0
    for (referring, column), target in FOREIGN_KEYS.items():
        for row in snapshot_rows(referring):
            assert row[column] is None or row[column] in ids[target], (referring, column, row)
            checked += row[column] is not None
    assert checked > 50
    for (vocab_table, column), allowed in VOCABULARIES.items():
        for row in snapshot_rows(vocab_table):
            assert row[column] is None or row[column] in allowed, (vocab_table, column, row)
    assert set(SUBJECT_TABLES) | {"zone"} == set(SUBJECT_TYPES)
    by_type: dict[str, int] = {}
    for row in snapshot_rows("indicators"):
        kind = row["subject_type"]
        by_type[kind] = by_type.get(kind, 0) + 1
        if kind in SUBJECT_TABLES and row["subject_id"] is not None:
            assert row["subject_id"] in ids[SUBJECT_TABLES[kind]], row["indicator_id"]
        if kind == "zone":
            assert row["subject_id"] == "zgc"
        if row["subject_id"] is None:
            assert row["note"], row["indicator_id"]
    assert by_type["program"] >= 15 and by_type["product"] >= 7


def test_dates_are_in_2020_unless_the_quote_names_another_year() -> None:
    for table, row in cited_rows():
        for column in ("status_date", "as_of", "date"):
            value = row.get(column)
            if isinstance(value, dt.date) and value.year != 2020:
                assert f"{value.year}年" in row["quote"], (table, row)


def test_lunar_dates_and_month_end() -> None:
    events = {r["date_text"]: r for r in snapshot_rows("events")}
    assert events["大年三十"]["date"] == dt.date(2020, 1, 24)
    assert events["大年初二"]["date"] == dt.date(2020, 1, 26)
    month_end = [r for r in snapshot_rows("indicators") if r["as_of_text"] == "5月底"]
    assert month_end and all(r["as_of"] == dt.date(2020, 5, 31) for r in month_end)


def test_inferred_rows_say_why() -> None:
    inferred = [(t, r) for t, r in cited_rows() if r["inferred"]]
    assert inferred, "the report's gaps (lost passage, cut name) must show as inferred rows"
    assert all(r["note"] for _, r in inferred)


def test_project_figures_equal_their_indicators() -> None:
    figures = {
        (r["subject_id"], r["metric"]): r["value"]
        for r in snapshot_rows("indicators")
        if r["subject_type"] == "project"
    }
    semiconductor = {r["project_id"]: r for r in snapshot_rows("projects")}["semiconductor-plant"]
    assert semiconductor["investment_yuan"] == 428_000_000
    assert figures[("semiconductor-plant", "investment")] == 428_000_000
    assert semiconductor["floor_area_m2"] == figures[("semiconductor-plant", "floor_area")]


# --- the build ------------------------------------------------------------------------------


@pytest.mark.slow
def test_build_is_deterministic_and_matches_the_committed_snapshot(tmp_path: Path) -> None:
    report = build.default_report_path()
    first, second = tmp_path / "a.parquet", tmp_path / "b.parquet"
    build.build(SOURCES, first, report if report.is_file() else None)
    build.build(SOURCES, second, report if report.is_file() else None)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == SNAPSHOT.read_bytes(), (
        "data/zgc.parquet is stale: run `uv run python -m zgc_build` and commit it"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.parquet", "b.parquet"]


def test_snapshot_metadata_and_row_group_order() -> None:
    con = duckdb.connect()
    meta = dict(
        con.execute(
            f"SELECT decode(key), decode(value) FROM parquet_kv_metadata('{SNAPSHOT}')"
        ).fetchall()
    )
    assert meta["zgc_schema_version"] == "4"
    assert meta["zgc_source_sha256"].startswith("71d761ba")
    assert "zgc" in meta["zgc_build_version"] and "duckdb" in meta["zgc_build_version"]
    tables = [
        r[0] for r in con.execute(f"SELECT \"table\" FROM read_parquet('{SNAPSHOT}')").fetchall()
    ]
    assert tables == sorted(tables, key=list(TABLES).index), "rows must be grouped by table"
    types = dict(
        con.execute(
            f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '{SNAPSHOT}')"
        ).fetchall()
    )
    assert types["value"] == "DOUBLE" and types["as_of"] == "DATE"
    assert types["inferred"] == "BOOLEAN"


def _copy_sources(tmp_path: Path) -> Path:
    target = tmp_path / "source"
    target.mkdir()
    for csv_file in SOURCES.glob("*.csv"):
        (target / csv_file.name).write_bytes(csv_file.read_bytes())
    return target


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_build_lists_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    sources = _copy_sources(tmp_path)
    _replace_in(sources / "projects.csv", ",started,", ",strated,")
    _replace_in(sources / "indicators.csv", ",97.9,", ",97.5,")
    _replace_in(sources / "parks.csv", "\nshunyi,", "\nShunYi Park,")
    out = tmp_path / "out" / "zgc.parquet"
    result = subprocess.run(
        [sys.executable, "-m", "zgc_build", "--sources", str(sources), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "projects.csv:" in result.stderr and "'strated'" in result.stderr
    assert "did you mean 'started'" in result.stderr
    assert "indicators.csv:" in result.stderr and "97.5" in result.stderr
    assert "parks.csv:" in result.stderr and "slug" in result.stderr
    assert re.search(r"projects\.csv:\d+: status:", result.stderr)
    assert not out.parent.exists() or not any(out.parent.iterdir()), "nothing may be written"


def test_build_check_validates_without_writing(tmp_path: Path) -> None:
    sources = _copy_sources(tmp_path)
    out = tmp_path / "zgc.parquet"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "zgc_build",
            "--check",
            "--sources",
            str(sources),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "checked" in result.stderr
    assert not out.exists()


def test_build_reports_a_missing_column_and_a_bad_date(tmp_path: Path) -> None:
    sources = _copy_sources(tmp_path)
    _replace_in(sources / "events.csv", "2020-03-30", "2020-3-30")
    companies = sources / "companies.csv"
    rows = list(csv.reader(io.StringIO(companies.read_text(encoding="utf-8"))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(row[:-1] for row in rows)  # no note
    companies.write_text(out.getvalue(), encoding="utf-8")
    with pytest.raises(build.BuildError) as caught:
        build.validate(sources, None)
    messages = [str(p) for p in caught.value.problems]
    assert any("events.csv" in m and "ISO date" in m for m in messages)
    assert any("companies.csv:1: note" in m and "missing" in m for m in messages)


@pytest.mark.parametrize("kind", ["fifo", "device", "huge"])
def test_build_refuses_a_source_that_is_no_plain_small_file(tmp_path: Path, kind: str) -> None:
    sources = _copy_sources(tmp_path)
    events = sources / "events.csv"
    events.unlink()
    if kind == "fifo":  # nobody writes it: reading would wait for ever
        os.mkfifo(events)
    elif kind == "device":  # /dev/zero: reading would never end
        events.symlink_to("/dev/zero")
    else:
        with events.open("wb") as handle:
            handle.truncate(17 << 20)
    result = _build("--check", "--sources", str(sources))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    said = "larger than 16,777,216 bytes" if kind == "huge" else "not a regular file"
    assert f"{events}: {said}" in result.stderr


def test_build_refuses_an_out_folder_that_does_not_exist(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "zgc.parquet"
    result = _build("--sources", str(SOURCES), "--out", str(out))
    assert result.returncode == 1, result.stderr
    assert "does not exist; create it first" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_build_refuses_control_characters_in_a_cell(tmp_path: Path) -> None:
    sources = _copy_sources(tmp_path)
    _replace_in(sources / "parks.csv", "\nshunyi,", "\nshunyi,\x1b[31m")
    _replace_in(sources / "events.csv", "2020-03-30", "2020-03-30\u202e")
    _replace_in(sources / "companies.csv", "No.1 Machine", "No.1\u2028Machine")
    result = _build("--check", "--sources", str(sources))
    assert result.returncode == 1, result.stderr
    for name, code in (("parks", "001B"), ("events", "202E"), ("companies", "2028")):
        found = re.search(rf"{name}\.csv:\d+: \w+: .*control character U\+{code}", result.stderr)
        assert found, (name, result.stderr)


# --- packaging and the dictionary ---------------------------------------------------------


def test_views_show_exactly_the_dictionary_columns() -> None:
    from zgc_cli.db.connection import open_database
    from zgc_cli.db.statement import named

    db = open_database(SNAPSHOT)
    try:
        for name, table in TABLES.items():
            result = db.run(named(f"SELECT * FROM {name} LIMIT 0"))
            assert result.columns == [c.name for c in table.columns], name
    finally:
        db.close()


def test_a_column_name_has_one_type_in_every_table() -> None:
    typed = {(c.name, c.type) for t in TABLES.values() for c in t.columns}
    assert len(typed) == len({name for name, _ in typed})  # snapshot_columns relies on it


def markdown_table(table: Table) -> str:
    """A table's section of docs/data.md as the dictionary says it (`zgc schema` prints the
    same columns, types, units and meanings)."""
    lines = [
        f"## {table.name}",
        "",
        f"{table.description}.",
        "",
        "| column | type | unit | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for column in table.columns:
        meaning = column.meaning.replace("|", "\\|") + (" (required)" if column.required else "")
        lines.append(f"| `{column.name}` | {column.type} | {column.unit} | {meaning} |")
    return "\n".join(lines) + "\n"


def test_data_dictionary_documents_every_column() -> None:
    doc = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    for table in TABLES.values():
        assert markdown_table(table) in doc, f"docs/data.md is out of step with {table.name}"
    for (name, column), allowed in VOCABULARIES.items():
        for value in allowed:
            assert f"| `{value}` |" in doc, (name, column, value)
    for word in ("开工", "复工", "约", "近", "千亿", "大年三十", "数十", "两位数", "预计", "将达"):
        assert word in doc
    for section in ("## The inferred rule", "## Bounds", "## Basis", "## Where a figure belongs"):
        assert section in doc


@pytest.mark.slow
def test_the_wheel_ships_the_snapshot(tmp_path: Path) -> None:
    uv = Path(sys.executable).parent / "uv"
    command = [str(uv)] if uv.exists() else ["uv"]
    result = subprocess.run(
        [*command, "build", "--wheel", "--out-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 and "No such file" in result.stderr:
        pytest.skip("uv is not available to build the wheel")
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("zgc-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "zgc_cli/data/zgc.parquet" in names
    assert "zgc_cli/views.sql" in names and "zgc_cli/py.typed" in names
    assert not any("source" in n and n.endswith(".csv") for n in names)


def test_numbers_parse_as_the_report_writes_them() -> None:
    cases = {
        "约3.7万家": (37_000, "approx"),
        "近97%": (97, "nearly"),
        "1.5万多个": (15_000, "more_than"),
        "超过10万件": (100_000, "over"),
        "400余项": (400, "more_than"),
        "十五条": (15, "exact"),
        "千亿元": (1e11, "order_of_magnitude"),
        "两个月": (2, "exact"),
        "12466.2亿元": (1.246_62e12, "exact"),
    }
    for text, (value, qualifier) in cases.items():
        parsed = parse_value_text(text)
        assert values_agree(parsed.value, value) and parsed.qualifier == qualifier, text
    with pytest.raises(ValueError):
        parse_value_text("no digits here")


def test_bounds_follow_the_words() -> None:
    cases = {
        "98%": (98, 98),
        "约3.7万家": (None, None),
        "近97%": (None, 97),
        "超过10万件": (100_000, None),
        "超5000人": (5_000, None),
        "400余项": (400, None),
        "1.5万多个": (15_000, None),
        "数十名": (10, 99),
        "两位数": (10, 99),
        "千亿元": (1e11, None),
    }
    for text, (low, high) in cases.items():
        found = value_bounds(text)
        assert bounds_agree(found[0], low) and bounds_agree(found[1], high), (text, found)
    assert is_vague("数十名") and is_vague("两位数") and not is_vague("千亿元")
    with pytest.raises(ValueError):
        value_bounds("no digits here")


def test_a_vague_magnitude_reads_as_a_range_or_a_floor_never_about() -> None:
    from zgc_cli.display import figure

    vague = {"value": 10.0, "qualifier": "order_of_magnitude"}
    ranged = figure({**vague, "unit": "people", "value_min": 10.0, "value_max": 99.0}, "en")
    assert ranged == "10–99 people"
    floor = figure({**vague, "unit": "percent"}, "en")
    assert floor == "at least 10%"
    assert "≈" not in floor and "~" not in floor
    big = {"value": 1e11, "unit": "yuan", "qualifier": "order_of_magnitude"}
    assert figure(big, "en") == "at least 100 billion yuan"
    assert figure({"value": 97.0, "unit": "percent", "qualifier": "nearly"}, "en") == "nearly 97%"


def _build(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zgc_build", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def test_build_refuses_the_reports_text_outside_a_quote(tmp_path: Path, report: str) -> None:
    """The report is cited, never redistributed: a reason or a note that copies a run of it
    is refused, with the file, line and column."""
    sources = _copy_sources(tmp_path)
    clauses = sources / "clauses.csv"
    lines = clauses.read_text(encoding="utf-8").splitlines()
    cells = lines[4].split(",")  # a clause with a reason
    assert cells[4], lines[4]
    copied = report[1000:1100].replace('"', "").replace("\n", " ")
    cells[4] = '"' + copied + '"'
    lines[4] = ",".join(cells)
    clauses.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    done = _build("--sources", str(sources), "--out", str(out), "--report", str(report_path()))
    assert done.returncode == 1, done.stderr
    assert "clauses.csv:5: reason: holds 60+ characters of the report" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def test_build_refuses_a_named_report_it_cannot_read(tmp_path: Path) -> None:
    for bad in (tmp_path / "typo.txt", tmp_path):
        done = _build("--check", "--report", str(bad))
        assert done.returncode == 1, done.stderr
        assert done.stderr.count("\n") == 1 and "zgc-build: error: report" in done.stderr


def test_build_never_writes_into_its_sources_and_bounds_numbers(tmp_path: Path) -> None:
    sources = _copy_sources(tmp_path)
    before = (sources / "clauses.csv").read_bytes()
    done = _build("--sources", str(sources), "--out", str(sources / "clauses.csv"))
    assert done.returncode == 2 and "lies in --sources" in done.stderr
    assert (sources / "clauses.csv").read_bytes() == before
    _replace_in(sources / "clauses.csv", "clause-01,2,", "clause-01,99999999999999999999999,")
    done = _build("--sources", str(sources), "--out", str(tmp_path / "x.parquet"))
    assert done.returncode == 1 and "out of range for a BIGINT" in done.stderr
    assert "Traceback" not in done.stderr


def _limit_file_size() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (8 * 1024, 8 * 1024))


@pytest.mark.slow
def test_build_past_the_file_size_limit_is_one_line_and_keeps_the_old_snapshot(
    tmp_path: Path,
) -> None:
    """ulimit -f (a full disk alike): Python ignores SIGXFSZ, so DuckDB's write fails (EFBIG);
    the builder names the file in one line, removes its temp file, leaves the old one."""
    out = tmp_path / "out" / "zgc.parquet"
    out.parent.mkdir()
    out.write_bytes(b"the old snapshot")
    done = subprocess.run(
        [sys.executable, "-m", "zgc_build", "--sources", str(SOURCES), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        # No bytecode: under the limit Python would write a truncated .pyc into place.
        env=child_env(PYTHONDONTWRITEBYTECODE="1"),
        preexec_fn=_limit_file_size,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    said = [line for line in done.stderr.splitlines() if "quotes are not checked" not in line]
    assert len(said) == 1 and said[0].startswith(f"zgc-build: error: cannot write {out}: "), said
    assert "size limit (ulimit -f)" in said[0] and ".tmp" not in said[0]
    assert [p.name for p in out.parent.iterdir()] == ["zgc.parquet"]
    assert out.read_bytes() == b"the old snapshot"


def test_build_refuses_park_parents_that_loop_or_lead_nowhere(tmp_path: Path) -> None:
    """Two parks each other's parent, a park its own, a parent that is no park: each row is
    named, the cycle spelt out, and nothing is written."""
    sources = _copy_sources(tmp_path)
    parks = sources / "parks.csv"
    rows = list(csv.reader(io.StringIO(parks.read_text(encoding="utf-8"))))
    parent = rows[0].index("parent_park_id")
    lines = {row[0]: number for number, row in enumerate(rows, start=1)}
    changes = {"daxing-biomed": "shunyi", "shunyi": "daxing-biomed", "miyun": "miyun"}
    for park, new in {**changes, "chaoyang": "atlantis"}.items():
        rows[lines[park] - 1][parent] = new
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    parks.write_text(text.getvalue(), encoding="utf-8")
    out = tmp_path / "out.parquet"
    done = _build("--sources", str(sources), "--out", str(out))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and not out.exists()
    at = f"zgc-build: {parks}:"
    cycle = "parent_park_id: the parents make a cycle:"
    expected = [
        f"{at}{lines['daxing-biomed']}: {cycle} 'daxing-biomed' → 'shunyi' → 'daxing-biomed'",
        f"{at}{lines['shunyi']}: {cycle} 'shunyi' → 'daxing-biomed' → 'shunyi'",
        f"{at}{lines['miyun']}: parent_park_id: a park cannot be its own parent",
        f"{at}{lines['chaoyang']}: parent_park_id: 'atlantis' is not a parks id",
        "zgc-build: error: 4 problem(s); nothing written",
    ]
    for line in expected:
        assert line in done.stderr.splitlines(), (line, done.stderr)
