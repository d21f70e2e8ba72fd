"""Issue 3: the commands people type, driven as users drive them (installed `zgc` in a
subprocess, through pipes of a served process, or in-process), with every output format
round-tripped."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import SNAPSHOT, child_env, zgc, zgc_executable, zgc_here, zgc_served
from zgc_cli.db import snapshot
from zgc_cli.queries.lists import PROJECT_COLUMNS

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def duck(sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The same query straight through DuckDB, for comparison."""
    con = duckdb.connect()
    con.execute(f"CREATE VIEW _snapshot AS SELECT * FROM read_parquet('{SNAPSHOT}')")
    con.execute(snapshot.views())
    rel = con.sql(sql)
    return rel.columns, rel.fetchall()


def jsonable(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


# --- every command through the installed zgc -------------------------------------------------


def test_projects_started_json_matches_sql() -> None:
    result = zgc_served(*["projects", "--status", "started", "-f", "json"])
    assert result.code == 0, result.err
    rows = json.loads(result.out)
    _, expected = duck(
        "SELECT project_id, status_date, investment_yuan FROM projects "
        "WHERE status = 'started' ORDER BY status_date"
    )
    assert [(r["project_id"], r["status_date"], r["investment_yuan"]) for r in rows] == [
        (p, d.isoformat(), i) for p, d, i in expected
    ]
    assert all(isinstance(r["investment_yuan"], float) for r in rows)
    assert {r["park_id"] for r in rows} == {"beijing-auto-base", "daxing-biomed"}
    assert all("开工" in r["quote"] for r in rows)
    chinese = zgc_served(*["projects", "--status", "开工", "-f", "json"])
    assert json.loads(chinese.out) == rows


def test_parks_piped_is_plain_tab_separated() -> None:
    result = zgc_served(*["parks"])
    assert result.code == 0
    text = result.out
    assert not ANSI.search(text)
    lines = text.splitlines()
    assert lines[0].split("\t")[:3] == ["park_id", "name_zh", "name_en"]
    assert len(lines) == 1 + len(duck("SELECT * FROM parks")[1])
    assert next(line for line in lines if "顺义" in line).startswith("shunyi\t")
    assert all(line.count("\t") == lines[0].count("\t") for line in lines)


def test_indicators_csv_round_trip() -> None:
    result = zgc_served(*["indicators", "--park", "密云", "-f", "csv"])
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert rows and all(r["indicator_id"] for r in rows)
    _, expected = duck(
        "SELECT indicator_id, value FROM indicators WHERE park_id = 'miyun' ORDER BY indicator_id"
    )
    got = [(r["indicator_id"], float(r["value"]) if r["value"] else None) for r in rows]
    assert sorted(got) == sorted(expected)  # a fact without a number has no value
    assert b"\r\n" in result.stdout  # RFC 4180 line ends


def test_companies_jsonl_and_timeline_markdown() -> None:
    result = zgc_served(*["companies", "--park", "Chaoyang", "-f", "jsonl"])
    records = [json.loads(line) for line in result.out.splitlines()]
    assert {r["company_id"] for r in records} == {
        r[0] for r in duck("SELECT company_id FROM companies WHERE park_id = 'chaoyang'")[1]
    }
    timeline = zgc_served(*["timeline", "-f", "markdown"])
    lines = timeline.out.splitlines()
    assert lines[0].startswith("| event_id | date |") and lines[1].startswith("| --- |")
    dates = [line.split("|")[2].strip() for line in lines[2:]]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dated[0] == "2020-01-24"


@pytest.mark.slow
def test_show_search_tables_schema_info_subprocess() -> None:
    show = zgc(*["show", "semiconductor-plant", "-f", "json"])
    card = json.loads(show.out)
    assert card["record"]["investment_yuan"] == 428_000_000
    assert card["related"]["events"][0]["date"] == "2020-03-30"
    search = zgc(*["search", "顺义", "-f", "tsv"])
    lines = search.out.splitlines()
    ranks = [int(line.split("\t")[0]) for line in lines[1:]]
    assert ranks == sorted(ranks) and ranks[0] == 1
    tables = zgc(*["tables", "-f", "json"])
    counts = {t["table"]: t["rows"] for t in json.loads(tables.out)}
    assert counts["indicators"] == len(duck("SELECT * FROM indicators")[1])
    schema = zgc(*["schema", "projects", "-f", "json"])
    columns = {c["column"]: c for c in json.loads(schema.out)}
    assert columns["investment_yuan"]["unit"] == "yuan"
    info = zgc(*["info", "-f", "json"])
    fields = {f["field"]: f["value"] for f in json.loads(info.out)}
    assert fields["report_sha256"].startswith("71d761ba") and fields["byline"] == "本报记者 郑金武"


def test_several_words_are_one_search() -> None:
    """`zgc search 复工 率` failed (unexpected extra argument): words are one text, as `gh
    search` reads them, options anywhere among them."""
    joined = json.loads(zgc_served("search", "复工 率", "-f", "json").out)
    apart = json.loads(zgc_served("search", "复工", "-f", "json", "率").out)
    assert apart == joined and joined[0]["name_zh"].endswith("复工率"), joined[:1]


def test_a_search_ranks_the_text_itself_before_its_words_scattered() -> None:
    """ "year on year" listed `…-years-to-operation` first (`on` in `operation`), then a
    Year's Eve, before the five figures with a change on 2019."""
    hits = [r["id"] for r in json.loads(zgc_served("search", "year on year", "-f", "json").out)]
    figures = "SELECT indicator_id FROM indicators WHERE yoy_pct IS NOT NULL"
    yoy = json.loads(zgc_served("sql", figures, "-f", "json").out)
    assert set(hits[:5]) == {r["indicator_id"] for r in yoy}, hits
    assert "medical-device-park-phase2-years-to-operation" not in hits, hits


def test_sql_argument_stdin_file_and_params(tmp_path: Path) -> None:
    query = "SELECT name_en, investment_yuan FROM projects WHERE investment_yuan > $min"
    by_arg = zgc_served(*["sql", query, "--param", "min=500000000", "-f", "json"])
    assert by_arg.code == 0, by_arg.err
    assert [r["name_en"] for r in json.loads(by_arg.out)] == [
        "Zhongguancun Medical Device Park Phase II"
    ]
    by_stdin = zgc_served(*["sql", "-", "-p", "min=500000000", "-f", "json"], input=query.encode())
    assert by_stdin.out == by_arg.out
    file = tmp_path / "q.sql"
    file.write_text(query, encoding="utf-8")
    by_file = zgc_served(*["sql", "--file", str(file), "-p", "min=500000000", "-f", "json"])
    assert by_file.out == by_arg.out


def test_output_files_by_extension_including_parquet(tmp_path: Path) -> None:
    target = tmp_path / "started.parquet"
    result = zgc_served(*["projects", "--status", "started", "-o", str(target)])
    assert result.code == 0, result.err
    assert duckdb.connect().execute(f"SELECT count(*) FROM '{target}'").fetchall() == [(2,)]
    as_json = tmp_path / "counts.json"
    zgc_served(
        "sql",
        "SELECT unit, count(*) AS n FROM indicators GROUP BY unit ORDER BY unit",
        "-o",
        str(as_json),
    )
    loaded = json.loads(as_json.read_text(encoding="utf-8"))
    assert [(r["unit"], r["n"]) for r in loaded] == duck(
        "SELECT unit, count(*) FROM indicators GROUP BY unit ORDER BY unit"
    )[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counts.json", "started.parquet"]


def test_head_exits_quietly() -> None:
    result = subprocess.run(
        f"'{zgc_executable()}' indicators | head -1",
        shell=True,
        capture_output=True,
        check=False,
        env=child_env(),
    )
    assert result.stdout.decode().startswith("indicator_id")
    assert result.stderr == b""


@pytest.mark.slow
def test_piped_output_never_has_ansi_even_for_tables() -> None:
    for args in (
        ["parks"],
        ["parks", "-f", "table"],
        ["show", "miyun"],
        ["show", "miyun", "-f", "table"],
        ["search", "密云", "-f", "table"],
    ):
        result = zgc(*args, env={"TERM": "xterm-256color"})
        assert result.code == 0, (args, result.err)
        assert not ANSI.search(result.out), args
    forced = zgc(*["parks", "-f", "table"], env={"FORCE_COLOR": "1"})
    assert ANSI.search(forced.out)


def test_piped_table_is_not_cut_to_80_columns() -> None:
    result = zgc_served(*["projects", "-f", "table"], env={"COLUMNS": "80"})
    lines = result.out.splitlines()
    assert max(len(line) for line in lines) > 120
    assert "Standardised factory buildings" in result.out


# --- CliRunner: filters, errors, options ----------------------------------------------------


@pytest.mark.parametrize("park", ["shunyi", "顺义", "顺义园", "Shunyi", "中关村顺义园", "SHUNYI"])
def test_park_accepts_what_a_person_types(park: str) -> None:
    result = zgc_here("projects", "--park", park, "-f", "json")
    ids = {r["project_id"] for r in json.loads(result.out)}
    assert ids == {"semiconductor-plant"}


def test_a_unique_beginning_names_a_park() -> None:
    for park in ("大兴", "daxing", "Shuny"):
        result = zgc_here("projects", "--park", park, "-f", "json")
        assert result.code == 0, (park, result.err)
        assert json.loads(result.out), park
    zgc_here("projects", "--park", "sh", code=2)  # shunyi and shijingshan


def test_blank_values_and_reversed_dates_are_usage_errors() -> None:
    for args in (
        ["projects", "--park", ""],
        ["indicators", "--metric", " "],
        ["parks", "--columns", ""],
        ["parks", "--data", ""],
        ["parks", "-o", ""],  # a Path of "" would be the folder zgc runs in
        ["sql", "SELECT 1", "--file", ""],
    ):
        result = zgc_here(*args, code=None)
        assert result.code == 2 and "must not be empty" in result.err, args
    backwards = zgc_here("timeline", "--since", "2020-05-01", "--until", "2020-01-01", code=None)
    assert backwards.code == 2 and "swap them" in backwards.err


def test_statuses_repeat_or_come_as_a_comma_list() -> None:
    listed = zgc_here("projects", "-s", "started,复工", "-f", "json")
    repeated = zgc_here("projects", "-s", "started", "-s", "resumed", "-f", "json")
    assert listed.out == repeated.out
    assert {r["status"] for r in json.loads(listed.out)} == {"started", "resumed"}


def test_show_an_unknown_id_points_to_search() -> None:
    result = zgc_here("show", "半导体", code=None)
    assert result.code == 2
    assert "zgc search 半导体" in result.err and result.err.count("\n") == 1
    near = zgc_here("show", "semiconductor-plan", code=2)
    assert "did you mean 'semiconductor-plant'?" in near.err


def test_bare_zgc_prints_the_help() -> None:
    text = zgc_served().out
    assert text.startswith("Usage: zgc") and "\n  projects " in text and "Examples:" in text


def test_aliases_resolve() -> None:
    result = zgc_here("projects", "--park", "中关村石景山", "-f", "json")
    assert result.code == 0
    assert {r["park_id"] for r in json.loads(result.out)} == {"shijingshan"}
    science_city = zgc_here("companies", "--park", "中关村科学城", "-f", "json")
    assert science_city.code == 0  # 海淀园's alias resolves (it names no companies)


def test_a_park_by_the_words_people_use_or_the_closest_one() -> None:
    """--park 密云园区 said "unknown park; choose from daxing-biomed, …": 园区 is how one
    says park; a near miss names the park it is closest to, with its names."""
    for typed in ("密云园区", "中关村密云园区"):
        rows = json.loads(zgc_here("indicators", "--park", typed, "-f", "json").out)
        assert rows and {r["park_id"] for r in rows} == {"miyun"}, typed
    near = zgc_here("indicators", "--park", "密云县", code=2)
    assert "did you mean 'miyun'? (中关村密云园, Zhongguancun Miyun Park;" in near.err, near.err


def test_unknown_values_exit_2_with_the_closest_choice() -> None:
    status = zgc_here("projects", "--status", "strated", code=None)
    assert status.code == 2
    assert "did you mean 'started'?" in status.err and "开工" in status.err
    park = zgc_here("projects", "--park", "shunyl", code=None)
    assert park.code == 2 and "did you mean 'shunyi'?" in park.err
    column = zgc_here("parks", "--columns", "park_id,nmae_en", code=None)
    assert column.code == 2 and "did you mean 'name_en'?" in column.err
    date = zgc_here("projects", "--since", "March", code=None)
    assert date.code == 2 and "YYYY-MM-DD" in date.err
    unit = zgc_here("indicators", "--unit", "percnt", code=None)
    assert unit.code == 2 and "did you mean 'percent'" in unit.err


def test_main_maps_usage_errors_to_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    from zgc_cli.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["projects", "--bogus"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("zgc: error: ") and err.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [["parks", "-f"], ["indicators", "--metric"], ["sql", "--timeout"], ["parks", "--bogus"]],
)
def test_a_usage_error_points_to_the_subcommands_help(args: list[str]) -> None:
    zgc_served(*args, code=2).error(f"(see zgc {args[0]} --help)")


def test_empty_result_is_a_note_not_an_error() -> None:
    result = zgc_here("projects", "--status", "planned", "-f", "csv")
    assert result.code == 0
    assert result.out.splitlines() == [",".join(PROJECT_COLUMNS)]
    assert "no rows match" in result.err


def test_since_until_and_sort() -> None:
    result = zgc_here("timeline", "--since", "2020-03-01", "--until", "2020-03-31", "-f", "json")
    dates = [e["date"] for e in json.loads(result.out)]
    assert dates and all("2020-03-01" <= d <= "2020-03-31" for d in dates)
    by_money = zgc_here("projects", "--sort", "investment_yuan", "--desc", "-f", "json")
    money = [p["investment_yuan"] for p in json.loads(by_money.out)]
    assert money[:2] == [1_190_000_000, 428_000_000]
    bad = zgc_here("projects", "--sort", "cost", code=None)
    assert bad.code == 2


def test_lang_limit_columns_and_no_header() -> None:
    zh = zgc_here("parks", "-f", "csv", "--lang", "zh")
    header = zh.out.splitlines()[0].split(",")
    assert "name_zh" in header and "name_en" not in header
    en = zgc_here(
        "parks",
        "-f",
        "csv",
        "--lang",
        "en",
        "--no-header",
        "--limit",
        "2",
        "--columns",
        "park_id,name_en",
    )
    assert en.out.splitlines() == [
        "daxing-biomed,Zhongguancun Daxing Biomedical Industry Base",
        "shunyi,Zhongguancun Shunyi Park",
    ]
    tsv = zgc_here("sql", "SELECT 1 AS a, 'x' AS b", "-f", "tsv", "--columns", "b")
    assert tsv.out == "b\nx\n"


def test_json_formats_keep_real_types() -> None:
    result = zgc_here("indicators", "--metric", "total_revenue", "-f", "json")
    (row,) = [r for r in json.loads(result.out) if r["value_text"] == "12466.2亿元"]
    assert row["value"] == 1_246_620_000_000 and row["yoy_pct"] == -3.4
    assert row["as_of"] is None and isinstance(row["value"], float)
    jsonl = zgc_here(
        "sql", "SELECT DATE '2020-01-24' AS d, NULL AS n, 1.5 AS x, true AS b", "-f", "jsonl"
    )
    assert json.loads(jsonl.out) == {"d": "2020-01-24", "n": None, "x": 1.5, "b": True}


def test_markdown_and_csv_escape_awkward_values() -> None:
    sql = "SELECT 'a|b' AS p, E'two\\nlines' AS n, '[b]x[/b]' AS m, NULL AS z, '顺义' AS c"
    md = zgc_here("sql", sql, "-f", "markdown")
    assert md.out.splitlines()[2] == "| a\\|b | two<br>lines | [b]x[/b] |  | 顺义 |"
    as_csv = zgc_here("sql", sql, "-f", "csv")
    assert list(csv.reader(io.StringIO(as_csv.out)))[1] == [
        "a|b",
        "two\nlines",
        "[b]x[/b]",
        "",
        "顺义",
    ]
    table = zgc_here("sql", sql, "-f", "table")
    assert "[b]x[/b]" in table.out and "—" in table.out  # NULL reads as a dash


def test_table_shows_money_and_hedges_readably() -> None:
    en = zgc_here("indicators", "--metric", "work_resumption_rate", "-f", "table", "--lang", "en")
    assert "nearly 97%" in en.out
    money = zgc_here("projects", "--status", "started", "-f", "table", "--lang", "zh")
    assert "11.9亿元" in money.out and "4.28亿元" in money.out
    money_en = zgc_here("projects", "--status", "started", "-f", "table", "--lang", "en")
    assert "1.19 billion yuan" in money_en.out


def test_table_caption_counts_and_cuts() -> None:
    result = zgc_here("indicators", "-f", "table", "--limit", "5")
    total = len(duck("SELECT * FROM indicators")[1])
    assert f"5 of {total} rows" in result.out


def test_sql_refuses_writes_and_multiple_statements() -> None:
    copy = zgc_here("sql", "COPY (SELECT 1) TO 'x.csv'", code=None)
    assert copy.code == 1 and "COPY" in copy.err
    two = zgc_here("sql", "SELECT 1; SELECT 2", code=None)
    assert two.code == 1 and "one statement" in two.err
    # DuckDB's tokenizer counts UTF-8 bytes: Chinese before the `;` must not hide it.
    cjk = zgc_here("sql", "SELECT '中关村中关村中关村' AS a; SELECT 42", code=None)
    assert cjk.code == 1 and "one statement" in cjk.err
    bad = zgc_here("sql", "SELEC 1", code=None)
    assert bad.code == 1 and "syntax error" in bad.err.lower()


def test_every_command_help_has_an_example() -> None:
    main_help = zgc_here("--help")
    assert "Example" in main_help.out and "projects" in main_help.out
    for command in (
        "parks",
        "projects",
        "indicators",
        "companies",
        "programs",
        "products",
        "timeline",
        "show",
        "search",
        "sql",
        "tables",
        "schema",
        "info",
    ):
        result = zgc_here(command, "--help")
        assert result.code == 0
        assert "Example" in result.out, command


def test_version_and_data_option(tmp_path: Path) -> None:
    version = zgc(*["--version"])
    assert version.out.startswith("zgc ")
    copy = tmp_path / "copy.parquet"
    copy.write_bytes(SNAPSHOT.read_bytes())
    by_env = zgc(*["info", "-f", "json"], env={"ZGC_DATA": str(copy)})
    fields = {f["field"]: f["value"] for f in json.loads(by_env.out)}
    assert fields["snapshot"] == str(copy)
    missing = zgc(*["parks", "--data", str(tmp_path / "nope.parquet")], code=None)
    assert missing.code == 1
    assert missing.err.count("\n") == 1 and "nope.parquet" in missing.err


@pytest.mark.slow
def test_completion_offers_parks_ids_and_statuses() -> None:
    def complete(words: str) -> subprocess.CompletedProcess[str]:
        env = {
            **child_env(),
            "_ZGC_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split(" ")) - 1),
        }
        return subprocess.run(
            [zgc_executable()], env=env, capture_output=True, text=True, check=False
        )

    for _ in range(5):  # completions open the snapshot: each run must also exit cleanly
        parks = complete("zgc projects --park sh")
        assert parks.returncode == 0 and parks.stderr == "", parks.stderr
        assert "shunyi" in parks.stdout and "shijingshan" in parks.stdout
    ids = complete("zgc show semi")
    assert ids.returncode == 0 and "semiconductor-plant" in ids.stdout
    statuses = complete("zgc projects --status st")
    assert statuses.stdout.split() == ["started"]


def test_python_m_runs_the_same_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "zgc_cli", "tables", "-f", "csv"],
        capture_output=True,
        text=True,
        check=False,
        env=child_env(),
    )
    assert result.returncode == 0 and result.stdout.startswith("table,rows,description")


def test_an_exact_metric_name_matches_only_itself() -> None:
    exact = zgc_here("indicators", "--metric", "investment", "-f", "json")
    assert {r["indicator_id"] for r in json.loads(exact.out)} == {
        "semiconductor-plant-investment",
        "medical-device-park-phase2-investment",
    }
    loose = zgc_here("indicators", "--metric", "invest", "-f", "json", "--columns", "value_text")
    assert "578.6亿元" in {r["value_text"] for r in json.loads(loose.out)}  # rd_investment
    chart = zgc_here("chart", "investment")
    assert chart.code == 0 and "578.6" not in chart.out and "4.28亿元" in chart.out


def test_output_to_a_device_or_dash_says_to_redirect() -> None:
    zgc_here("parks", "-o", "/dev/null", code=2).error("> /dev/null")
    zgc_here("parks", "-o", "-", code=2).error("leave it out")


@pytest.mark.parametrize(
    ("fmt", "name"), [("csv", "r.xlsx"), ("xlsx", "r.csv"), ("svg", "r.xlsx"), ("csv", "r.parquet")]
)
def test_a_file_named_for_one_format_never_holds_another_s_bytes(
    fmt: str, name: str, tmp_path: Path
) -> None:
    target = tmp_path / name
    zgc_here("parks", "-f", fmt, "-o", str(target), code=2).error("drop -f or name the file")
    assert not target.exists()
    zgc_here("parks", "-f", "markdown", "-o", str(tmp_path / "r.txt"))  # text by a text name


def test_a_png_is_refused_with_or_without_f_and_a_table_is_named_txt(tmp_path: Path) -> None:
    zgc_here("parks", "-f", "xlsx", "-o", str(tmp_path / "p.png"), code=2).error("no PNG")
    table = zgc_here("parks", "-f", "table", "-o", str(tmp_path / "p.xlsx"), code=2)
    table.error("name the file .txt")
    assert list(tmp_path.iterdir()) == []


def test_a_double_quoted_value_gets_a_hint() -> None:
    ran = zgc_here("sql", 'SELECT * FROM parks WHERE name_zh = "中关村密云园"', code=1)
    ran.error("single quotes")


def test_a_kind_in_chinese_as_the_zh_view_shows_it() -> None:
    assert zgc_here("products", "--kind", "药品", "-f", "csv").out.count("\n") == 4
    assert "zgc-anti-epidemic-loan" in zgc_here("programs", "--kind", "贷款").out


def test_search_puts_the_record_asked_for_before_its_parts() -> None:
    first = zgc_here("search", "anti-epidemic loan").out.splitlines()[1].split("\t")
    assert first[2:4] == ["programs", "zgc-anti-epidemic-loan"]


@pytest.mark.parametrize("fmt", ["csv", "json", "tsv"])
def test_a_syntax_error_in_a_script_names_the_users_own_words(fmt: str) -> None:
    """Piped, the rows go out through COPY ((statement) AS zgc_rows): its parser said
    `near ")"`, a bracket the user never wrote; the statement's own error is the one shown."""
    ran = zgc_here("sql", "SELECT * FROM parks WHERE", "-f", fmt, code=1)
    ran.error('syntax error at or near "WHERE"')
    assert ")" not in ran.err, ran.err


def test_a_missing_column_is_no_quoting_mistake() -> None:
    """The single-quotes hint is for a value written in double quotes, not for a column that
    is not there (park_id in products)."""
    ran = zgc_here("sql", "SELECT park_id FROM products", "-f", "csv", code=1)
    ran.error('Referenced column "park_id" not found')
    assert "single quotes" not in ran.err, ran.err


@pytest.mark.parametrize(
    ("shown", "record"),
    [
        ("ZGC zone", "zgc"),
        ("中关村示范区", "zgc"),
        ("ZGC Medical Device Park Phase II", "medical-device-park-phase2"),
        ("zgc medical device park", "medical-device-park"),
    ],
)
def test_show_opens_a_record_by_the_name_a_narrow_view_writes(shown: str, record: str) -> None:
    """The footer says `zgc show NAME`; a column that must shorten writes ZGC for Zhongguancun
    and the zone by its short name, and those are names a reader copies."""
    ran = zgc_here("show", shown, "-f", "json")
    card = json.loads(ran.out)
    assert record in card["record"].values(), card["record"]
