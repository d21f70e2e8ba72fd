"""`-o FILE.svg` / `-o FILE.html`: pictures of what the terminal shows, with the citation.

The SVG is read as XML; one SVG and one HTML page are rendered to PNG by headless Chromium
and must not be blank (a tiny PNG decoder counts colours; no Pillow needed).
"""

from __future__ import annotations

import html
import re
import shutil
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import pytest

import zgc_cli
from tests.conftest import zgc_here, zgc_served

SVG = "{http://www.w3.org/2000/svg}"
WIDE = {"COLUMNS": "120"}  # the width "the terminal" has when zgc runs under pytest


def citation_parts() -> tuple[str, str, str]:
    rows = zgc_cli.query("SELECT title_zh, byline, sha256 FROM sources").fetchall()
    title, byline, sha256 = rows[0]
    return str(title), str(byline), str(sha256)[:12]


def save(tmp_path: Path, name: str, *args: str) -> Path:
    target = tmp_path / name
    done = zgc_served(*args, "-o", str(target), env=WIDE)
    assert done.stdout == b""  # the picture goes to the file, nothing to stdout
    return target


def svg_texts(path: Path) -> tuple[str, list[str]]:
    """The window title and the terminal's lines of an SVG exported by zgc."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    title = ""
    lines: dict[str, str] = {}
    for node in root.iter(f"{SVG}text"):
        text = "".join(node.itertext()).replace("\xa0", " ")  # its tspans' too
        if (node.get("class") or "").endswith("-title"):
            title = text
        elif node.get("y") is not None and text.strip("\n"):
            lines[node.get("y") or ""] = lines.get(node.get("y") or "", "") + text
    ordered = [lines[y] for y in sorted(lines, key=float)]
    return title, ordered


def flat(lines: list[str]) -> str:
    return re.sub(r"\s+", "", "".join(lines))


def test_table_svg_has_title_cells_and_citation(tmp_path: Path) -> None:
    path = save(
        tmp_path,
        "rates.svg",
        "indicators",
        "--metric",
        "resumption",
        "--columns",
        "indicator_id,value_text,qualifier",
    )
    title, lines = svg_texts(path)
    assert title == "zgc indicators"
    body = "\n".join(lines)
    for cell in ("zgc-work-resumption-rate", "近97%", "nearly", "97.9%", "miyun"):
        assert cell in body
    assert any(line.startswith("────") for line in lines)  # the terminal view's rule
    report_title, byline, sha = citation_parts()
    citation = flat(lines[lines.index(next(x for x in lines if x.startswith("Source:"))) :])
    for part in (report_title, byline, sha):  # the citation may wrap over a few lines
        assert flat([part]) in citation


def test_terminal_picture_gives_chinese_its_two_cells(tmp_path: Path) -> None:
    """Rich sizes a run by its characters; a Chinese character is two cells, not squeezed."""
    from rich.cells import cell_len

    path = save(tmp_path, "zh.svg", "indicators", "--park", "密云", "--lang", "zh")
    runs = [
        (float(node.get("textLength") or 0), (node.text or "").replace("\xa0", " "))
        for node in ET.parse(path).getroot().iter()  # a <text> or each of its <tspan>s
        if node.get("textLength") and node.text and cell_len(node.text)
    ]
    assert any(cell_len(text) > len(text) for _, text in runs)  # Chinese runs are there
    per_cell = {round(length / cell_len(text), 3) for length, text in runs}
    assert len(per_cell) == 1, per_cell  # every run is its cells wide


def test_chart_svg_is_drawn_geometry_with_title_axis_and_citation(tmp_path: Path) -> None:
    path = save(tmp_path, "rates.svg", "chart", "work_resumption_rate", "--lang", "en")
    root = ET.parse(path).getroot()
    assert root.get("role") == "img" and "rect" in {n.tag.removeprefix(SVG) for n in root}
    assert (
        root.findtext(f"{SVG}title") == "Work resumption rate: 2 metrics (%)"
    )  # what they share, and that they are two
    bars = [n for n in root.iter(f"{SVG}rect") if "bar" in (n.get("class") or "").split()]
    assert sorted(float(b.get("data-value") or 0) for b in bars) == [97.0, 98.0, 100.0]
    assert {b.get("x") for b in bars} == {bars[0].get("x")}  # one baseline
    names = [b.findtext(f"{SVG}title") or "" for b in bars]
    assert any(name.startswith("Miyun Park") and name.endswith(": 98%") for name in names)
    texts = [node.text or "" for node in root.iter(f"{SVG}text")]
    assert not any("█" in t or "work_resumption_rate" in t for t in texts)  # no terminal
    _, byline, sha = citation_parts()
    cited = " ".join(
        t
        for n, t in zip(root.iter(f"{SVG}text"), texts, strict=True)
        if n.get("class") == "citation"
    )
    assert byline.split()[-1] in cited and sha in cited
    document = path.read_text(encoding="utf-8")
    assert "cdnjs" not in document and "url(http" not in document  # self-contained
    assert "#0c0c0c" not in document.lower() and "<circle" not in document  # no window chrome


def test_timeline_svg_is_the_drawn_timeline(tmp_path: Path) -> None:
    path = save(tmp_path, "t.svg", "timeline", "--lang", "en")
    root = ET.parse(path).getroot()
    marks = [n for n in root.iter() if "event" in (n.get("class") or "").split()]
    events = zgc_cli.query("SELECT count(*) FROM events").fetchall()[0][0]
    assert len(marks) == events
    dates = [n.text for n in root.iter(f"{SVG}text") if n.get("class") == "date"]
    assert "Apr 17" in dates and not any("月" in (d or "") for d in dates)


def test_png_is_answered_with_how_to_get_one(tmp_path: Path) -> None:
    done = zgc_served("chart", "work_resumption_rate", "-o", str(tmp_path / "r.png"), code=2)
    assert done.err.count("\n") == 1 and "r.svg" in done.err and "browser" in done.err
    assert not (tmp_path / "r.png").exists()


HOSTILE_SQL = 'SELECT chr(27) || \'<&>"\' || chr(65535) || chr(7) AS "a\x1bb\uffff", 1 AS n'


@pytest.mark.parametrize("kind", ["svg", "html"])
def test_hostile_sql_result_still_parses(tmp_path: Path, kind: str) -> None:
    path = save(tmp_path, f"x.{kind}", "sql", HOSTILE_SQL)
    document = path.read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", document)
    if kind == "svg":
        ET.parse(path)  # well-formed XML whatever the data
    else:
        assert "&lt;&amp;&gt;&quot;" in document and "<&>" not in document
        body = document[document.index("<table") : document.index("</table>") + 8]
        ET.fromstring(body.replace("<br>", "<br/>"))


def test_drawn_chart_escapes_hostile_names() -> None:
    from zgc_cli.charts import bar_picture
    from zgc_cli.charts.bars import Figure
    from zgc_cli.queries.base import Sort

    hostile = "\x00<script>&\ud800\ufffe\x1b]52;"
    figures = [
        Figure(
            "i1", "m", hostile, hostile, 5.0, "percent", "approx", "约5%", hostile, hostile, hostile
        ),
        Figure("i2", "m", "m", "m", 10.0, "percent", "exact", "10%", "q", "s2", "s2"),
    ]
    for lang in ("zh", "en"):
        svg, _ = bar_picture.bar_svg(
            figures, lang=lang, sort=Sort.value, quotes=True, citation=hostile
        )
        root = ET.fromstring(svg.encode())
        assert "<script>" not in svg
        labels = [n.get("aria-label") or "" for n in root.iter(f"{SVG}rect") if n.get("aria-label")]
        assert any("<script>" in label and "\ufffd" in label for label in labels)


def test_bilingual_values_say_a_figure_once_unless_the_words_differ() -> None:
    from zgc_cli.charts.bar_picture import value_label
    from zgc_cli.charts.bars import Figure

    exact = Figure("i", "m", "率", "rate", 98.0, "percent", "exact", "98%", "q", "园", "Park")
    hedged = Figure("i", "m", "率", "rate", 97.0, "percent", "nearly", "近97%", "q", "区", "Zone")
    assert value_label(exact, "both") == "98%"
    assert value_label(hedged, "both") == "近97% (nearly 97%)"
    assert value_label(hedged, "en") == "nearly 97%" and value_label(hedged, "zh") == "近97%"


def test_xml_text_replaces_what_xml_forbids() -> None:
    """Controls and format characters are shown as a terminal shows them (one escape for
    every picture); what XML cannot hold at all is replaced."""
    from zgc_cli.picture import xml_text

    assert (
        xml_text("a\x1b\u202e\ud800\uffff\ufffe\t\n<&>'\"")
        == "a\\x1b\\u202e\ufffd\ufffd\ufffd\t\n&lt;&amp;&gt;&#x27;&quot;"
    )


def test_shared_metric_labels_make_the_title() -> None:
    from zgc_cli.charts.bars import _shared

    assert _shared(["复工率", "到岗复工率"], words=False) == "复工率"
    assert _shared(["Total revenue", "Technology revenue"], words=True) == "Revenue"
    assert (
        _shared(
            ["Work resumption rate of staff", "Work resumption rate of enterprises"], words=True
        )
        == "Work resumption rate"
    )
    assert _shared(["总收入", "员工"], words=False) == "员工、总收入"


def test_ticks_are_round_and_cover_the_top() -> None:
    from zgc_cli.charts.vector import text_width, ticks, wrap

    assert ticks(100) == [0, 20, 40, 60, 80, 100]
    assert ticks(12466.2)[-1] >= 12466.2 and len(ticks(12466.2)) <= 7
    for line in wrap("中关村示范区 · Work resumption rate of staff (back at their posts)", 120, 13):
        assert text_width(line, 13) <= 120


@pytest.mark.slow
def test_every_kind_of_command_saves_a_picture(tmp_path: Path) -> None:
    _, _, sha = citation_parts()
    for name, args in {
        "show.svg": ["show", "miyun"],
        "tables.html": ["tables"],
        "schema.svg": ["schema", "sources"],
        "sql.html": ["sql", "SELECT park_id FROM parks ORDER BY 1"],
        "timeline.html": ["timeline", "--chart"],
    }.items():
        document = save(tmp_path, name, *args).read_text(encoding="utf-8")
        assert sha in document, name
    assert "daxing-biomed" in (tmp_path / "sql.html").read_text(encoding="utf-8")


def test_html_page_is_self_contained_with_title_and_citation(tmp_path: Path) -> None:
    path = save(tmp_path, "timeline.html", "timeline", "--chart", "--lang", "en")
    document = path.read_text(encoding="utf-8")
    assert document.startswith("<!DOCTYPE html>")
    assert "<title>Dated events, Jan 2020 to Jun 2020</title>" in document
    text = html.unescape(re.sub(r"<[^>]+>", "", document))
    assert "Construction of Xiaomi Smart Park resumes" in text
    assert "Zhongguancun Chaoyang Park" in text
    assert citation_parts()[2] in text
    assert "<script" not in document and "http" not in document.replace("http://www.w3.org", "")


def test_picture_refuses_to_overwrite_the_snapshot(tmp_path: Path) -> None:
    copy = tmp_path / "zgc.svg"
    shutil.copy(Path(__file__).resolve().parent.parent / "data" / "zgc.parquet", copy)
    zgc_served("--help")  # sanity: the tool runs
    done = zgc_served("chart", "work_resumption_rate", "--data", str(copy), "-o", str(copy), code=1)
    done.error("refusing to overwrite the snapshot")


# --- the README's chart, a PNG the browser drew ----------------------------------------


def png_colours(data: bytes) -> int:
    """How many distinct colours an 8-bit RGB/RGBA PNG holds (non-interlaced)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    offset, idat = 8, b""
    width = height = colour_type = 0
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour_type in (2, 6) and interlace == 0
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    channels = 4 if colour_type == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    colours: set[bytes] = set()
    for y in range(height):
        start = y * (stride + 1)
        filter_type, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if filter_type == 1:
                line[i] = (line[i] + left) & 0xFF
            elif filter_type == 2:
                line[i] = (line[i] + up) & 0xFF
            elif filter_type == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif filter_type == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                predictor = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + predictor) & 0xFF
        if y % 4 == 0:  # every fourth row is plenty to tell a picture from a blank page
            colours.update(bytes(line[i : i + 3]) for i in range(0, stride, channels * 2))
        previous = line
    return len(colours)


def test_png_decoder_counts_colours() -> None:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + bytes([x * 60, 0, 255 - x * 60]) * 2 for x in range(4))
    tiny = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    assert png_colours(tiny) == 1  # rows 0 only are sampled at this size: one colour


def test_readme_shows_a_chart_zgc_drew() -> None:
    from tests.readme_chart import COMMAND, PNG

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert f"]({PNG.relative_to(PNG.parent.parent).as_posix()})" in readme
    assert " ".join(COMMAND) in readme
    assert png_colours(PNG.read_bytes()) >= 8  # a picture, not a blank page


def test_a_page_of_a_filtered_list_says_what_filtered_it(tmp_path: Path) -> None:
    target = tmp_path / "miyun.html"
    zgc_here("indicators", "--park", "密云", "--lang", "en", "-o", str(target))
    page = target.read_text(encoding="utf-8")
    caption = page.split("<caption>", 1)[1].split("<", 1)[0]
    assert "--park 密云" in caption and "Every figure" in caption
    unfiltered = tmp_path / "all.html"
    zgc_here("indicators", "--lang", "en", "-o", str(unfiltered))
    assert "--" not in unfiltered.read_text(encoding="utf-8").split("<caption>", 1)[1][:80]


@pytest.mark.parametrize("record", ["n95-mask-machine-development-time", "beiyi-machine-tool"])
def test_a_cards_page_cites_once_and_its_tables_carry_no_empty_citation(
    tmp_path: Path, record: str
) -> None:
    zh = save(tmp_path, "zh.html", "show", record, "--lang", "zh").read_text(encoding="utf-8")
    assert '<span class="cite"></span>' not in zh and zh.count('class="cite"') == 1
    assert "<caption>" in zh and "行）</caption>" in zh and " (" not in zh.split("<caption>")[1]
    en = save(tmp_path, "en.html", "show", record, "--lang", "en").read_text(encoding="utf-8")
    assert '<span class="cite"></span>' not in en and en.count('class="cite"') == 1
