"""Issue 22: every picture and page zgc writes, opened in headless Chromium, in zh and en.

What a reader sees, measured from the browser's own boxes: no text squeezed below its natural
width or overlapping other text; bars on one baseline, lengths proportional to the values;
every mark named for a screen reader; one table row per record, headers in words; no network
request and no console error; English pictures without Chinese units or dates. One browser
for the session. Without Chromium these tests fail, saying how to install it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests import browser
from tests.conftest import report_path, zgc_here, zgc_served

pytestmark = pytest.mark.slow  # each case opens pages in headless Chromium

LANGS = ("zh", "en")
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
CHINESE_UNITS_DATES = re.compile(r"[年月日亿万元%]|平方米")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1100, "height": 900}

# The geometry of every <text> of the first <svg>, and of each the same string alone (its
# natural width: no textLength, no squeezing).
SVG_TEXTS = """() => {
  const svg = document.querySelector('svg');
  const frame = svg.getBoundingClientRect();
  const alone = (t) => {
    const probe = document.createElementNS('http://www.w3.org/2000/svg', 'text');
    for (const name of ['font-size', 'font-weight', 'font-style'])
      if (t.getAttribute(name)) probe.setAttribute(name, t.getAttribute(name));
    probe.textContent = t.textContent;
    svg.appendChild(probe);
    const width = probe.getBBox().width;
    probe.remove();
    return width;
  };
  return [...svg.querySelectorAll('text')].map((t) => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, cls: t.getAttribute('class') || '', left: r.left - frame.left,
      top: r.top - frame.top, right: r.right - frame.left, bottom: r.bottom - frame.top,
      width: t.getBBox().width, natural: alone(t), frame: frame.width};
  });
}"""
# Each <text> of a picture of the terminal (a run Rich wrote at its first cell, spaces between
# runs left out): its characters, where each starts and ends.
GRID = """() => [...document.querySelectorAll('g[class$="-matrix"] text')].map((t) =>
  Array.from({length: t.getNumberOfChars()}, (_, i) => ({char: t.textContent[i],
    start: t.getStartPositionOfChar(i).x, end: t.getEndPositionOfChar(i).x})))"""
CELL = 0.61 * 20  # a terminal cell in Rich's pictures: 0.61 of the 20px font
BARS = """() => [...document.querySelectorAll('rect.bar')].map((b) => ({
  x: b.getBBox().x, width: b.getBBox().width, value: parseFloat(b.dataset.value),
  name: b.getAttribute('aria-label'), title: b.querySelector('title').textContent,
  hedged: b.classList.contains('hedged')}))"""
CELLS = """() => [...document.querySelectorAll('th, td, caption, dt, dd')].map((c) => {
  const r = c.getBoundingClientRect();
  return {tag: c.tagName, text: c.textContent, cls: c.className, scroll: c.scrollWidth,
    client: c.clientWidth, align: getComputedStyle(c).textAlign, left: r.left, top: r.top,
    right: r.right, bottom: r.bottom, size: parseFloat(getComputedStyle(c).fontSize)};
})"""


@dataclass
class Opened:
    """The browser's tab, with what the open page asked the network and said on the console."""

    page: Any
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    why = browser.missing()
    if why:
        pytest.fail(why, pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = browser.launch(playwright)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def files(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch_module: pytest.MonkeyPatch
) -> dict[str, Path]:
    """Every picture and page of the issue, in zh and en, written once."""
    folder = tmp_path_factory.mktemp("pictures")
    commands = {
        "chart.svg": ["chart", "复工率", "--cite"],
        "chart.html": ["chart", "复工率"],
        "revenue.svg": ["chart", "revenue"],
        "yuan.svg": ["chart", "*", "--unit", "yuan"],
        "timeline.svg": ["timeline"],
        "timeline-chart.html": ["timeline", "--chart"],
        "indicators.html": ["indicators", "--park", "密云"],
        "projects.html": ["projects"],
        "timeline.html": ["timeline"],
        "card.html": ["show", "semiconductor-plant"],
        "sql.html": ["sql", "SELECT park_id, name_zh, name_en, 1.5 AS x FROM parks ORDER BY 1"],
        "coverage.html": ["coverage", "--source", str(report_path())],
        "projects.svg": ["projects"],
        "card.svg": ["show", "zgc-anti-epidemic-loan"],
    }
    written = {}
    for lang in LANGS:
        monkeypatch_module.setenv("ZGC_LANG", lang)  # the reader's language, as a reader sets it
        for name, args in commands.items():
            target = folder / f"{lang}-{name}"
            zgc_here(*args, "-o", str(target))
            written[f"{lang}-{name}"] = target
    return written


@pytest.fixture(scope="module")
def tab(chromium: Any) -> Iterator[Opened]:
    """One tab for the module's pages (a new page per file costs more than the checks)."""
    page = chromium.new_page(viewport=DESKTOP)
    opened = Opened(page)
    page.on("request", lambda request: opened.requests.append(request.url))
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: opened.errors.append(str(error)))
    yield opened
    page.close()


def open_page(tab: Opened, path: Path, viewport: dict[str, int] = DESKTOP) -> Opened:
    tab.requests.clear()
    tab.errors.clear()
    tab.page.set_viewport_size(viewport)
    tab.page.goto(path.as_uri())
    tab.page.evaluate("document.fonts.ready")
    return tab


def closed(opened: Opened, path: Path) -> None:
    """Nothing fetched but the file itself, nothing on the console."""
    assert opened.requests == [path.as_uri()], opened.requests
    assert opened.errors == []


def overlapping(boxes: list[dict[str, Any]], slack: float = 1.0) -> list[tuple[str, str]]:
    found = []
    for n, a in enumerate(boxes):
        for b in boxes[n + 1 :]:
            wide = min(a["right"], b["right"]) - max(a["left"], b["left"])
            tall = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            if wide > slack and tall > slack:
                found.append((a["text"], b["text"]))
    return found


def check_svg_text(texts: list[dict[str, Any]]) -> None:
    assert texts
    for t in texts:
        assert t["width"] >= t["natural"] * 0.99, f"squeezed: {t['text']!r}"
        assert t["left"] >= -0.5 and t["right"] <= t["frame"] + 0.5, f"outside: {t['text']!r}"
    assert overlapping(texts) == []


def check_bars(page: Any) -> list[dict[str, Any]]:
    """One baseline, lengths proportional to the values, each bar named; the bars."""
    bars: list[dict[str, Any]] = page.evaluate(BARS)
    assert len(bars) >= 2
    baseline = float(page.eval_on_selector("line.baseline", "l => l.x1.baseVal.value"))
    for bar in bars:
        assert abs(bar["x"] - baseline) < 0.5
        assert bar["name"] == bar["title"] and ": " in bar["name"]
    longest = max(bars, key=lambda b: b["value"])
    for bar in bars:
        expected = bar["value"] / longest["value"] * longest["width"]
        assert abs(bar["width"] - expected) < 0.5, (bar, longest)
    labels = page.evaluate(
        "() => [...document.querySelectorAll('text.label')]"
        ".map(t => t.getBBox().x + t.getBBox().width)"
    )
    assert labels and max(labels) < baseline  # every label ends before the bars begin
    return bars


@pytest.mark.parametrize("lang", LANGS)
def test_bar_chart_reads_right(tab: Opened, files: dict[str, Path], lang: str) -> None:
    for name in (f"{lang}-chart.svg", f"{lang}-chart.html"):
        opened = open_page(tab, files[name])
        page = opened.page
        check_svg_text(page.evaluate(SVG_TEXTS))
        bars = check_bars(page)
        title = page.text_content("text.title")
        assert title == (
            "复工率等2项指标（%）" if lang == "zh" else "Work resumption rate: 2 metrics (%)"
        )
        hedged = [b for b in bars if b["hedged"]]
        assert hedged and (("近97%" if lang == "zh" else "nearly 97%") in hedged[0]["name"])
        subject = "中关村示范区" if lang == "zh" else "Zhongguancun zone"
        assert subject in hedged[0]["name"]
        assert page.locator("text.legend").count() >= 1  # the hatching explained
        cited = " ".join(page.locator("text.citation").all_text_contents())
        assert "SHA-256" in cited
        if lang == "en":
            texts = page.evaluate(SVG_TEXTS)
            ours = [t["text"] for t in texts if t["cls"] not in ("citation", "quote")]
            assert [t for t in ours if CJK.search(t)] == []  # the report's words are quoted
        closed(opened, files[name])


def test_english_revenue_chart_has_english_units(tab: Opened, files: dict[str, Path]) -> None:
    opened = open_page(tab, files["en-revenue.svg"])
    texts = [t for t in opened.page.evaluate(SVG_TEXTS) if "citation" not in t["cls"]]
    check_svg_text(texts)
    words = [t["text"] for t in texts]
    assert "Revenue: 2 metrics (billion yuan)" in words
    assert "1,246.62 billion yuan" in words
    assert [w for w in words if CHINESE_UNITS_DATES.search(w) and "%" not in w] == []
    check_bars(opened.page)
    closed(opened, files["en-revenue.svg"])


@pytest.mark.parametrize("lang", LANGS)
def test_many_metrics_fit(tab: Opened, files: dict[str, Path], lang: str) -> None:
    """Nine figures of several metrics: long labels wrap in their column, the axis fits."""
    opened = open_page(tab, files[f"{lang}-yuan.svg"])
    check_svg_text(opened.page.evaluate(SVG_TEXTS))
    assert len(check_bars(opened.page)) >= 5
    closed(opened, files[f"{lang}-yuan.svg"])


@pytest.mark.parametrize("lang", LANGS)
def test_timeline_reads_right(tab: Opened, files: dict[str, Path], lang: str) -> None:
    for name in (f"{lang}-timeline.svg", f"{lang}-timeline-chart.html"):
        opened = open_page(tab, files[name])
        page = opened.page
        texts = page.evaluate(SVG_TEXTS)
        check_svg_text(texts)
        marks = page.evaluate(
            "() => [...document.querySelectorAll('circle.event')].map(c => ({"
            "x: c.cx.baseVal.value, name: c.getAttribute('aria-label'), id: c.dataset.id}))"
        )
        assert len(marks) >= 5
        xs = [m["x"] for m in marks]
        assert xs == sorted(xs) and len(set(xs)) > 3  # in time order, spread over the axis
        shown = " ".join(t["text"] for t in texts)
        assert not any(m["id"] in shown for m in marks)  # events by name, never by id
        dates = [t["text"] for t in texts if t["cls"] == "date"]
        if lang == "en":
            assert "Apr 17" in dates and "2018" in dates
            plain = [t["text"] for t in texts if "citation" not in t["cls"]]
            assert [t for t in plain if CHINESE_UNITS_DATES.search(t) or CJK.search(t)] == []
            assert any("Construction starts on Zhongguancun Medical" in m["name"] for m in marks)
        else:
            assert "4月17日" in dates and "2018年" in dates
        closed(opened, files[name])


def rows_of(*args: str) -> int:
    return len(list(csv.reader(io.StringIO(zgc_here(*args, "-f", "csv").out)))) - 1


@pytest.fixture(scope="module")
def records() -> dict[str, int]:
    """How many records each table page must show, counted from its csv."""
    return {
        "indicators.html": rows_of("indicators", "--park", "密云"),
        "projects.html": rows_of("projects"),
        "timeline.html": rows_of("timeline"),
        "sql.html": rows_of("sql", "SELECT park_id FROM parks"),
    }


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_tables_are_tables(
    tab: Opened,
    files: dict[str, Path],
    records: dict[str, int],
    lang: str,
    viewport: dict[str, int],
) -> None:
    for name, count in records.items():
        path = files[f"{lang}-{name}"]
        opened = open_page(tab, path, viewport)
        page = opened.page
        assert page.locator("table > tbody > tr").count() == count
        assert page.locator("caption").count() == 1
        assert "SHA-256" in (page.text_content("caption") or "")
        cells = page.evaluate(CELLS)
        for cell in cells:
            assert cell["scroll"] <= cell["client"] + 1, f"cut off: {cell['text']!r}"
            assert cell["size"] >= 11
            if "num" in cell["cls"]:
                assert cell["align"] == "right"
        assert overlapping([c for c in cells if c["tag"] != "CAPTION"]) == []
        headers = page.locator("th").all_text_contents()
        if name != "sql.html":
            assert headers and not any("_" in h for h in headers), headers
            ids = page.evaluate("() => [...document.querySelectorAll('[data-id]')].length")
            assert ids >= count  # the ids ride along, out of sight
        else:
            assert headers == ["park_id", "name_zh", "name_en", "x"]
        if lang == "en" and name != "sql.html":
            body = " ".join(page.locator("tbody").all_text_contents())
            assert not re.search(r"\d+(年|月|日|亿|万|元)", body), body
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= viewport["width"] + 1  # wide tables scroll inside their box
        closed(opened, path)


def test_projects_show_park_names_not_ids(tab: Opened, files: dict[str, Path]) -> None:
    opened = open_page(tab, files["en-projects.html"])
    cells = opened.page.evaluate(
        "() => [...document.querySelectorAll('td[data-id]')]"
        ".map(c => [c.dataset.id, c.textContent])"
    )
    assert ["beijing-auto-base", "Beijing Automobile Production Base"] in cells
    assert all(shown != rid for rid, shown in cells)
    closed(opened, files["en-projects.html"])


@pytest.mark.parametrize("lang", LANGS)
def test_card_is_a_definition_list(tab: Opened, files: dict[str, Path], lang: str) -> None:
    path = files[f"{lang}-card.html"]
    opened = open_page(tab, path)
    page = opened.page
    assert page.locator("dl > dt").count() == page.locator("dl > dd").count() > 5
    assert page.text_content("blockquote mark") == "3月30日"
    assert page.locator("dl > dt").first.text_content() == ("编号" if lang == "zh" else "Id")
    park = "北京汽车生产基地" if lang == "zh" else "Beijing Automobile Production Base"
    assert park in page.locator("dd").all_text_contents()
    assert page.locator("table").count() >= 1 and page.locator("tbody tr").count() >= 1
    cells = page.evaluate(CELLS)
    assert overlapping([c for c in cells if c["tag"] != "CAPTION"]) == []
    assert all(c["scroll"] <= c["client"] + 1 for c in cells)
    closed(opened, path)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_coverage_page_is_the_users_report_clause_by_clause(
    tab: Opened, files: dict[str, Path], report: str, lang: str, viewport: dict[str, int]
) -> None:
    """Each clause of the user's copy, in order, as a list item marked by the rows that
    represent it (or its reason): what `zgc coverage -f json` lists, nothing lost."""
    import json

    path = files[f"{lang}-coverage.html"]
    opened = open_page(tab, path, viewport)
    page = opened.page
    ledger = json.loads(zgc_served("coverage", "-f", "json").out)
    items = page.evaluate(
        "[...document.querySelectorAll('ol.clauses > li')].map(li => ({start: +li.dataset.start,"
        " end: +li.dataset.end, rows: li.dataset.rows, text: li.querySelector('blockquote')"
        ".innerText, wide: li.scrollWidth > li.clientWidth + 1}))"
    )
    assert [(i["start"], i["end"]) for i in items] == [(c["start"], c["end"]) for c in ledger]
    assert [i["rows"] for i in items] == [";".join(c["rows"]) for c in ledger]
    for item in items:  # the report's own words, whole (line breaks as the report has them)
        assert item["text"].split() == report[item["start"] : item["end"]].split()
        assert not item["wide"]
    closed(opened, path)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["projects.svg", "card.svg"])
def test_terminal_pictures_keep_the_grid(
    tab: Opened, files: dict[str, Path], lang: str, name: str
) -> None:
    """A picture of the terminal lines up as the terminal does: every character starts at its
    cell, so each column at one x on every row; a Chinese character fills its two cells, no
    wider and not spread apart (its neighbour starts where it ends)."""
    from rich.cells import cell_len

    opened = open_page(tab, files[f"{lang}-{name}"])
    wide = 0
    for run in opened.page.evaluate(GRID):
        at = run[0]["start"] / CELL if run else 0
        assert abs(at - round(at)) * CELL < 0.5, run  # a run starts at a cell
        for c in run:
            assert abs(c["start"] - round(at) * CELL) < 0.5, (c, at)
            if cell_len(c["char"]) == 2:
                assert abs(c["end"] - c["start"] - 2 * CELL) < 0.5, c
                wide += 1
            at += cell_len(c["char"])
    assert wide > 10  # Chinese in the zh picture, in the citation of both
    closed(opened, files[f"{lang}-{name}"])
