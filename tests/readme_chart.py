"""The README's chart: what `zgc chart 复工率 --lang en -o chart.svg` draws, photographed by
headless Chromium into docs/chart-resumption.png. Run again after changing how charts look:

    uv run python -m tests.readme_chart
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests import browser

COMMAND = ("zgc", "chart", "复工率", "--lang", "en", "-o", "chart.svg")
PNG = Path(__file__).resolve().parent.parent / "docs" / "chart-resumption.png"


def main() -> int:
    from playwright.sync_api import sync_playwright

    from tests.conftest import zgc

    why = browser.missing()
    if why:
        print(why, file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        svg = Path(folder) / COMMAND[-1]
        zgc(*COMMAND[1:-1], str(svg))
        with sync_playwright() as playwright:
            launched = browser.launch(playwright)
            page = launched.new_page(viewport={"width": 800, "height": 600}, device_scale_factor=1)
            page.goto(svg.as_uri())
            page.locator("svg").first.screenshot(path=str(PNG))
            launched.close()
    print(f"wrote {PNG}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
