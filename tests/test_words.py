"""The reader's language in cards and views: words, not slugs or column names; figures with
their unit, basis and change on 2019; the report's own words labelled as such; card lines
broken by Chinese rules, never between a number and its unit (issue 17)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import Case, Terminals, case, zgc_served
from zgc_cli.linebreak import NO_END, NO_START, wrap

WIDTHS = (60, 80, 100, 160)
CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def card_case(args: tuple[str, ...], columns: int) -> Case:
    return case(args, columns, 300, ZGC_PAGER="", PAGER="")


def show(record: str, lang: str) -> tuple[str, ...]:
    return ("show", record, "--lang", lang)


LOAN = "zgc-anti-epidemic-loan"
WRAPPED = ("miyun-employees-returned", LOAN, "haidian-15-measures")
# The screens below, drawn one process a lane on the first one's demand.
FAST = Terminals(
    [
        *(
            card_case(show(LOAN, lang), c)
            for c in (12, 20, 30, 40)
            for lang in ("zh", "en", "both")
        ),
        *(card_case(show("semiconductor-plant", "zh"), c) for c in WIDTHS),
        *(card_case(show(LOAN, "en"), c) for c in WIDTHS),
    ]
)
SLOW = Terminals(
    [
        *(
            card_case(show("zgc-2020q1-total-revenue", lang), c)
            for c in WIDTHS
            for lang in ("en", "zh")
        ),
        *(
            card_case(show(r, "zh"), c)
            for r in ("medical-device-park-phase2", "beiyi-machine-tool")
            for c in WIDTHS
        ),
        *(card_case(show(r, lang), c) for r in WRAPPED for c in WIDTHS for lang in ("zh", "en")),
        *(card_case(("indicators", "--period", "Q1", "--lang", "en"), c) for c in WIDTHS),
        *(card_case(("timeline", "--lang", "en"), c) for c in WIDTHS),
        *(
            card_case(("indicators", "--period", "2020-01/2020-02", "--lang", "en"), c)
            for c in WIDTHS
        ),
    ]
)


def screen(*args: str, columns: int) -> list[str]:
    """What a person sees: zgc on a pseudo-terminal tall enough for a card (no pager)."""
    wanted = card_case(args, columns)
    shown = (FAST if wanted in FAST.planned else SLOW)(wanted)
    lines = shown.plain.replace("\r\n", "\n").splitlines()
    assert all(len(line) <= columns * 2 for line in lines)
    return lines


def field(lines: list[str], label: str) -> str:
    """A card field's text, its wrapped lines joined (CJK without a space between)."""
    at = next(n for n, line in enumerate(lines) if line.startswith(label + "  "))
    indent = len(lines[at]) - len(lines[at][len(label) :].lstrip())
    parts = [lines[at][indent:]]
    for line in lines[at + 1 :]:
        if line[:indent].strip() or not line.strip():
            break
        parts.append(line[indent:])
    joined = parts[0]
    for part in parts[1:]:
        wide = CJK.match(part[:1]) or CJK.match(joined[-1:])
        joined += part if wide else " " + part
    return joined


@pytest.mark.slow
@pytest.mark.parametrize("columns", WIDTHS)
def test_a_figure_card_reads_in_english_with_the_reports_words_labelled(columns: int) -> None:
    lines = screen("show", "zgc-2020q1-total-revenue", "--lang", "en", columns=columns)
    value = field(lines, "Value")
    assert value == "1,246.62 billion yuan, −3.4% y/y", value
    assert field(lines, "Report's words") == "12466.2亿元"  # the report's own, labelled
    labels = [line.split("  ")[0] for line in lines if line and not line.startswith(" ")]
    for slug in ("value_text", "source_id", "yoy_pct", "metric_en", "Owner id"):
        assert slug not in labels, labels
    assert "Cited report" in labels and "Year on year" in labels


@pytest.mark.slow
@pytest.mark.parametrize("columns", WIDTHS)
def test_cards_in_chinese_say_planned_money_change_and_words(columns: int) -> None:
    project = screen("show", "medical-device-park-phase2", "--lang", "zh", columns=columns)
    assert field(project, "总投资") == "计划11.9亿元"
    assert field(project, "状态") == "开工" and field(project, "业主") == "—"
    assert "说明" in "".join(project) and "Promoter" not in "".join(project)  # note_zh only
    revenue = screen("show", "zgc-2020q1-total-revenue", "--lang", "zh", columns=columns)
    assert field(revenue, "数值") == "12466.2亿元，同比下降3.4%"
    company = screen("show", "beiyi-machine-tool", "--lang", "zh", columns=columns)
    assert field(company, "行业") == "制造业"
    assert not any(slug in "".join(company) for slug in ("manufacturing", "real_estate"))


@pytest.mark.slow
@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_card_lines_keep_numbers_with_units_and_break_by_chinese_rules(
    columns: int, lang: str
) -> None:
    for record in WRAPPED:
        lines = screen("show", record, "--lang", lang, columns=columns)
        body = [line for line in lines if line.startswith(" ")]  # continuation lines
        for line in body:
            text = line.strip()
            assert text[:1] not in NO_START, (record, line)
        for line in lines:
            assert line.rstrip()[-1:] not in NO_END, (record, line)
        if record == "miyun-employees-returned":
            quote = "\n".join(lines)
            assert "2.63万人" in quote  # whole on one line at every width


@pytest.mark.slow
@pytest.mark.parametrize("columns", WIDTHS)
def test_english_views_read_english_values_and_dates(columns: int) -> None:
    q1 = "\n".join(screen("indicators", "--period", "Q1", "--lang", "en", columns=columns))
    assert "−3.4% y/y" in q1  # Q1 revenue with its change on 2019
    timeline = screen("timeline", "--lang", "en", columns=columns)
    assert timeline[2].startswith("2018 ") and "2018年" not in "\n".join(timeline)
    words = screen("indicators", "--period", "2020-01/2020-02", "--lang", "en", columns=columns)
    shown = "\n".join(words)
    assert "grew against" in shown and "rose sharply" in shown
    assert not CJK.search(shown), shown


def test_words_are_words_both_ways() -> None:
    """Headers and vocabularies in words (piped tables read the same layout as a terminal's)."""
    en = zgc_served("companies", "-f", "table", "--lang", "en").out
    head = en.splitlines()[0]
    assert "Sector" in head and "sector" not in head and "company_id" not in head
    assert "real estate development" in en and "real_estate_development" not in en
    zh = zgc_served("companies", "-f", "table", "--lang", "zh").out
    assert "房地产开发" in zh and "manufacturing" not in zh


def test_wrap_keeps_numbers_with_units_and_marks_in_place() -> None:
    text = "截至5月底,复工人数2.63万人,复岗率95%。「开工」、（注）1.19 billion yuan (planned)"
    for width in range(10, 40):  # a card's text has 20 cells at least
        lines = wrap(text, width)
        assert "".join(line.replace(" ", "") for line in lines) == text.replace(" ", "")
        assert all(line[:1] not in NO_START for line in lines[1:]), (width, lines)
        assert all(line[-1:] not in NO_END for line in lines), (width, lines)
        for whole in ("2.63万人", "95%", "5月", "1.19 billion yuan"):
            if len(whole) + 1 > width:  # longer than a line: cut where it must be
                continue
            assert any(whole in line for line in lines), (width, whole, lines)


def test_every_note_has_chinese_and_every_figure_in_words_has_english() -> None:
    import csv
    from pathlib import Path

    from tests.conftest import SOURCES

    for path in Path(SOURCES).glob("*.csv"):
        for row in csv.DictReader(path.open(encoding="utf-8")):
            if "note" in row:
                assert bool(row["note"]) == bool(row["note_zh"]), (path.name, row)
                assert not row["note_zh"] or CJK.search(row["note_zh"]), row["note_zh"]
            if path.stem == "indicators":
                english = row["value_text_en"]  # beside a value the words give no figure for too
                vague = row["qualifier"] == "order_of_magnitude" and row["value_max"] != ""
                assert bool(english) == (row["value"] == "" or vague), row["indicator_id"]
                assert not CJK.search(english), english


@pytest.mark.parametrize("columns", WIDTHS)
def test_a_card_names_the_records_it_points_to(columns: int) -> None:
    """Where, whose and by whom by name in the reader's language, never a slug to decode."""
    zh = screen("show", "semiconductor-plant", "--lang", "zh", columns=columns)
    assert field(zh, "园区") == "北京汽车生产基地"
    assert field(zh, "业主") == "北京顺义科技创新集团有限公司"
    assert field(zh, "推动方") == "中关村管委会"
    en = screen("show", "zgc-anti-epidemic-loan", "--lang", "en", columns=columns)
    assert field(en, "Issuer") == "Zhongguancun Administrative Committee"
    assert not any(line.startswith("Issuer id") for line in en)  # said once, by name


@pytest.mark.parametrize("columns", [12, 20, 30, 40])
@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_a_card_in_a_narrow_window_is_never_wider_than_it(columns: int, lang: str) -> None:
    from zgc_cli.drawing import cells

    lines = screen("show", "zgc-anti-epidemic-loan", "--lang", lang, columns=columns)
    assert lines and max(cells(line) for line in lines) <= columns, lines


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_a_card_page_says_each_field_once_as_the_terminal_card_does(
    lang: str, tmp_path: Path
) -> None:
    """An id whose record the card names (issuer_id beside the issuer's name) and the note in
    the other language are left out of the page, as of the terminal's card."""
    page = tmp_path / "card.html"
    zgc_served("show", "zgc-anti-epidemic-loan", "--lang", lang, "-o", str(page))
    labels = re.findall(r"<dt>(.*?)</dt>", page.read_text(encoding="utf-8"))
    issuer = {"zh": ["发布方"], "en": ["Issuer"], "both": ["发布方", "Issuer"]}[lang]
    assert [x for x in labels if "发布方" in x or "Issuer" in x] == issuer
    notes = [x for x in labels if "说明" in x or "Note" in x]
    assert len(notes) == (2 if lang == "both" else 1)
