"""`zgc chart` and `zgc timeline --chart`, driven like a user: piped (plain ASCII bars, no
ANSI, 80 columns) and on a pseudo-terminal (block bars, colour, the terminal's width)."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import Terminals, case, zgc_served

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def chart(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    done = zgc_served("chart", *args, env=env, code=None)
    return done.code, done.out, done.err


def bar_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if "#" in line or "█" in line]


@pytest.mark.slow
def test_piped_chart_is_plain_ascii_bars_within_80_columns() -> None:
    code, out, err = chart("work_resumption_rate")
    assert code == 0, err
    assert "\x1b" not in out
    assert "█" not in out and "░" not in out
    assert all(cell_len(line) <= 80 for line in out.splitlines())
    lines = out.splitlines()
    # the metric in the dictionary's words, never its slugs (issue 22), and the unit
    assert "Work resumption rate" in lines[0] and "percent" in lines[0]
    assert "work_resumption_rate" not in lines[0]
    bars = bar_lines(out)
    assert len(bars) == 3
    values = [re.sub(r"^.*[#~] ", "", line) for line in bars]
    assert values == ["100%", "98%", "近97% (nearly)"]  # largest first, hedge spelt out


def test_hedged_value_is_marked_and_explained() -> None:
    _, out, _ = chart("work_resumption_rate", "--lang", "en")
    zone = next(line for line in bar_lines(out) if "Zhongguancun zone" in line)
    assert "nearly 97%" in zone and "近" not in zone  # the table's English words, hedge included
    assert re.search(r"#~ nearly 97%", zone)  # the bar ends in the hedge mark
    exact = next(line for line in bar_lines(out) if line.rstrip().endswith(" 98%"))
    assert "~" not in exact
    assert "~ hedged" in out


def test_bars_scale_from_zero() -> None:
    _, out, _ = chart("work_resumption_rate")
    lengths = {
        line.rstrip().split()[-1]: line.count("#") + line.count("~") for line in bar_lines(out)
    }
    assert lengths["100%"] >= lengths["98%"] >= lengths["(nearly)"] >= 0.95 * lengths["100%"]


def test_a_chart_of_several_metrics_says_so_on_top() -> None:
    """Three bars under `复工率` read as one series: Miyun's enterprises beside the zone's staff
    (third new-user reading); one metric's chart keeps its name alone."""
    assert chart("work_resumption_rate", "--lang", "zh")[1].startswith("复工率等2项指标（单位：%）")
    assert chart("investment", "--lang", "en")[1].startswith("Total investment (unit: yuan")


def test_glob_collects_every_resumption_rate_and_cite_adds_quotes() -> None:
    code, out, err = chart("*resumption*", "--cite")
    assert code == 0, err
    assert {"100%", "98%", "97.9%"} <= {line.split()[-1] for line in bar_lines(out)}
    assert "“195家中关村创业孵化机构已有191家复工,占比为97.9%”" in out.replace("\n    ", "")
    assert "到岗复工率近97%" in out.replace("\n    ", "")


def test_chinese_labels_align_bars_in_one_column() -> None:
    _, out, _ = chart("*work_resumption*", "--lang", "zh")
    starts = {cell_len(line[: line.index("#")]) for line in bar_lines(out)}
    assert len(starts) == 1  # every bar starts in the same terminal cell
    assert "单位" in out.splitlines()[0]
    assert "Park" not in out


def test_mixed_units_are_refused_with_the_units_listed() -> None:
    code, out, err = chart("daily_output")
    assert code == 2
    assert out == ""
    assert err.startswith("zgc: error: cannot chart mixed units")
    assert all(unit in err for unit in ("bags", "tablets", "vials"))
    assert err.count("\n") == 1


def test_unit_picks_one_of_mixed_units() -> None:
    code, out, err = chart("daily_output", "--unit", "bags", "--lang", "en")
    assert code == 0, err
    assert "75,000 bags" in out and "bags" in out.splitlines()[0]  # English figures in en


def test_park_filter_and_sort_by_name() -> None:
    code, out, err = chart("*resumption*", "--park", "密云", "--sort", "name", "--lang", "en")
    assert code == 0, err
    bars = bar_lines(out)
    assert len(bars) == 2 and all("Miyun" in line for line in bars)
    assert "Zhongguancun zone" not in out


def test_unknown_metric_is_a_usage_error() -> None:
    code, _, err = chart("work_resumption_rat3")
    assert code == 2
    assert (
        "no metric matches 'work_resumption_rat3'; did you mean 'staff_work_resumption_rate'" in err
    )


def test_chart_refuses_table_formats() -> None:
    zgc_served("chart", "work_resumption_rate", "-o", "rates.csv", code=2).error(
        ".svg, .html or .txt"
    )


def test_chart_txt_file_is_the_plain_chart(tmp_path: pytest.TempPathFactory) -> None:
    target = os.path.join(str(tmp_path), "rates.txt")
    done = zgc_served("chart", "work_resumption_rate", "-o", target)
    assert done.stdout == b""
    with open(target, encoding="utf-8") as handle:
        text = handle.read()
    assert text == zgc_served("chart", "work_resumption_rate").out


def test_timeline_chart_rows_axis_and_legend() -> None:
    out = zgc_served("timeline", "--chart", "--lang", "en").out
    lines = out.splitlines()
    assert "\x1b" not in out and all(cell_len(line) <= 80 for line in lines)
    header = lines[1].split()
    assert header == ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
    rows = [line for line in lines if re.match(r"\d\d-\d\d ", line)]
    assert [row[:5] for row in rows] == [
        "01-24",
        "01-26",
        "02-18",
        "03-05",
        "03-18",
        "03-30",
        "04-17",
    ]
    canon = rows[0]
    letter = canon[6]
    assert canon.count(letter) >= 2  # the park's letter sits on the axis, early January
    assert canon.index(letter, 7) < lines[1].index("Feb")
    assert f"{letter} Zhongguancun Chaoyang Park" in out  # the legend names the letter
    assert "* zone-wide (no park)" in out
    earlier = next(line for line in out.splitlines() if "16 innovation" in line)
    assert earlier.startswith("2018 ") and " < " not in earlier[:7]  # first, in its year (en)
    assert "< before the axis (the report gives only the year)" in out


def test_timeline_puts_an_event_dated_only_by_an_earlier_year_first() -> None:
    done = zgc_served("timeline", "--columns", "date,date_text,event_id", "--limit", "2")
    assert done.out.splitlines() == [
        "date\tdate_text\tevent_id",
        "\t2018年\thaidian-16-measures-release",
        "2020-01-24\t大年三十\tcanon-medical-staff-return",
    ]
    later = zgc_served("timeline", "--since", "2020-01-01", "--columns", "event_id", "--limit", "1")
    assert later.out.splitlines()[1] == "canon-medical-staff-return"


# --- on a terminal ------------------------------------------------------------------------


# The charts below on a pseudo-terminal, drawn in one process on the first one's demand.
TERMINAL = Terminals(
    [
        case(["chart", "*resumption*", "--lang", "zh"], 80),
        case(["chart", "work_resumption_rate"], 80),
        case(["chart", "work_resumption_rate"], 140),
        case(["timeline", "--chart"], 80, NO_COLOR="1"),
        *(case(["chart", "复工率", "--lang", lang], 60) for lang in ("zh", "en")),
    ]
)


def run_on_terminal(args: list[str], columns: int, env: dict[str, str]) -> str:
    """What zgc shows on a pseudo-terminal of `columns` columns (exit code 0)."""
    return TERMINAL(case(args, columns, 40, **env)).text.replace("\r\n", "\n")


def test_terminal_chart_uses_blocks_colour_and_fits_the_width() -> None:
    out = run_on_terminal(["chart", "*resumption*", "--lang", "zh"], 80, {})
    assert "\x1b[" in out  # colour
    plain = ANSI.sub("", out)
    assert "█" in plain and "#" not in plain
    assert "░ 约数" in plain  # the hedge mark, explained
    assert all(cell_len(line) <= 80 for line in plain.splitlines())


def test_terminal_chart_scales_to_a_wider_terminal() -> None:
    narrow = ANSI.sub("", run_on_terminal(["chart", "work_resumption_rate"], 80, {}))
    wide = ANSI.sub("", run_on_terminal(["chart", "work_resumption_rate"], 140, {}))
    assert max(map(cell_len, wide.splitlines())) > 100
    assert wide.count("█") > narrow.count("█") * 1.5


def test_no_color_on_a_terminal_keeps_blocks_without_ansi() -> None:
    out = run_on_terminal(["timeline", "--chart"], 80, {"NO_COLOR": "1"})
    assert "\x1b[" not in out
    assert "┊" in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_timeline_row_starts_its_track_in_the_same_column(lang: str) -> None:
    """A date the report gives only in words (2018年, two cells wider than 01-24 in Chinese)
    pads like the others; an English reader reads 2018."""
    from zgc_cli.drawing import cells

    lines = zgc_served("timeline", "--chart", "--lang", lang).out.splitlines()
    rows = [line for line in lines if line[:2].isdigit()]
    assert len(rows) >= 5
    starts = {cells(line[: next(i for i, c in enumerate(line) if c in "|<┊◂")]) for line in rows}
    assert len(starts) == 1, starts
    assert ("2018年" in lines[2]) is (lang == "zh")


def test_a_chart_says_when_each_figure_was_measured() -> None:
    """5月22日 and 5月底 figures side by side carry their dates; one date for all goes in
    the title."""
    from tests.conftest import zgc_served

    mixed = zgc_served("chart", "work_resumption_rate", "--lang", "en").out
    assert "2020-05-31" in mixed and "2020-05-22" in mixed
    assert "2020-05" not in mixed.splitlines()[0]  # not in the title: the dates differ
    shared = zgc_served("chart", "revenue", "--lang", "en").out
    assert shared.splitlines()[0].endswith("· 2020-Q1")


def _values(out: str) -> str:
    return "\n".join(re.sub(r"^.*[#~█░▏▎▍▌▋▊▉] ", "", line) for line in bar_lines(out))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bars_word_figures_as_the_table_does(lang: str, tmp_path: Path) -> None:
    """A planned or forecast figure says so, in the reader's language, in text and SVG; an
    English chart has no Chinese figures, a Chinese one no English words (issue: charts-fix)."""
    _, out, err = chart("*", "--unit", "yuan", "--lang", lang)
    assert err == ""
    values = _values(out)
    svg_path = tmp_path / "y.svg"
    assert chart("*", "--unit", "yuan", "--lang", lang, "-o", str(svg_path))[0] == 0
    svg = svg_path.read_text(encoding="utf-8")
    if lang == "en":
        for said in ("1.19 billion yuan (planned)", "10 billion yuan (forecast)"):
            assert said in values and f">{said}<" in svg
        assert "1,246.62 billion yuan" in values and "~ at least 100 billion yuan" in out
        assert not re.search(r"[亿万元千]", out)  # no 12466.2亿元, no 千亿元
        assert "longest = 1,246.62 billion yuan" in out
    else:
        for said in ("计划11.9亿元", "预计100亿元"):
            assert said in values and f">{said}<" in svg
        words = re.sub(r'data-id="[^"]*"', "", svg)  # what is read, not the indicators' ids
        for english in ("unnamed", "annual"):
            assert english not in out and english not in words
        assert "（未命名园区）" in out and "每年" in out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_date_is_not_broken_across_label_lines(lang: str) -> None:
    out = ANSI.sub("", run_on_terminal(["chart", "复工率", "--lang", lang], 60, {}))
    assert "2020-05-31" in out and "2020-05-22" in out
    assert not re.search(r"^\s*-\d\d", out, re.M)  # never "2020" / "-05-31"


def test_several_metrics_each_bar_names_its_measure(tmp_path: Path) -> None:
    """Staff and enterprises are not comparable: each bar says which rate it is."""
    svg = tmp_path / "rates.svg"
    assert chart("work_resumption_rate", "--lang", "en", "-o", str(svg))[0] == 0
    _, out, _ = chart("work_resumption_rate", "--lang", "en")
    labels = re.sub(r" +[#~]+ .*$", "", out, flags=re.M)  # the label column, bars cut off
    for said in (labels, re.sub(r"<[^>]*>", " ", svg.read_text(encoding="utf-8"))):
        flat = " ".join(said.split())  # wrapped labels, joined
        assert "Zhongguancun zone · Work resumption rate of staff" in flat
        assert "Miyun Park · Work resumption rate of enterprises ·" in flat


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.slow
def test_no_svg_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(
    lang: str, tmp_path: Path
) -> None:
    """The SVG wraps by the rule the cards keep: `（一、二期合计）` is not cut before `、`."""
    from zgc_cli.linebreak import NO_END, NO_START

    lines: list[str] = []
    for name, args in (
        ("bars", ["chart", "*", "--unit", "yuan"]),
        ("events", ["timeline", "--chart"]),
    ):
        target = tmp_path / f"{name}.svg"
        zgc_served(*args, "--lang", lang, "-o", str(target))
        svg = target.read_text(encoding="utf-8")
        lines += [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]+)</text>", svg)]
    assert len(lines) > 20
    assert not [t for t in lines if t[0] in NO_START or t[-1] in NO_END]


def test_an_svg_quote_keeps_a_number_with_its_unit(tmp_path: Path) -> None:
    """The SVG wraps by the cards' rule (linebreak.wrap): 2.63万人 is one piece, never
    2.63万 at a line's end and 人 at the next one's start."""
    target = tmp_path / "resumption.svg"
    zgc_served("chart", "*resumption*", "--cite", "--lang", "zh", "-o", str(target))
    svg = target.read_text(encoding="utf-8")
    lines = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]+)</text>", svg)]
    assert any("2.63万人" in line for line in lines), lines
    assert not [line for line in lines if line.endswith("万")]
