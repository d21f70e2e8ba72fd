"""Headless Chromium from the distribution, driven by Playwright: what a reader's browser shows.

Never `playwright install`: the browser is Debian's `chromium` (with `fonts-noto-cjk` for
Chinese), installed by .ci/run. Used by tests/test_browser.py and tests/readme_chart.py.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL = (
    "headless Chromium and Noto CJK fonts are needed to test zgc's pictures in a browser: "
    "apt-get update && apt-get install -y chromium fonts-noto-cjk (Debian; .ci/run does this)"
)


def missing() -> str:
    """Why the browser tests cannot run here ("" when they can)."""
    if not Path(CHROMIUM).is_file():
        return f"{CHROMIUM} is missing. {INSTALL}"
    fonts = shutil.which("fc-list")
    if fonts is not None:
        listed = subprocess.run([fonts, ":lang=zh", "family"], capture_output=True, check=False)
        if b"Noto Sans CJK" not in listed.stdout:
            return f"no Noto Sans CJK font. {INSTALL}"
    return ""


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
