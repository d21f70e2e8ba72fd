"""The README's examples still run and still print what the README shows.

Regenerate the pasted outputs after a data change with:
    ZGC_UPDATE_README=1 uv run pytest tests/test_readme.py
"""

from __future__ import annotations

import os
import re
import shlex

import pytest

from tests.conftest import ROOT, zgc_served

README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n\$ zgc (?P<command>[^\n]*)\n(?P<output>.*?)```", re.S)


@pytest.mark.slow
def test_readme_examples_print_what_the_readme_shows() -> None:
    text = README.read_text(encoding="utf-8")
    blocks = list(BLOCK.finditer(text))
    assert len(blocks) >= 8
    updated = text
    for block in blocks:
        result = zgc_served(*shlex.split(block["command"]))
        if not block["output"]:
            continue  # a command shown without its (long) output: it must still run
        actual = result.out
        if os.environ.get("ZGC_UPDATE_README"):
            updated = updated.replace(
                block.group(0), f"```console\n$ zgc {block['command']}\n{actual}```"
            )
            continue
        assert actual == block["output"], block["command"]
    if updated != text:
        README.write_text(updated, encoding="utf-8")


def test_readme_names_the_setup_and_test_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "uv run --no-dev zgc parks" in text
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nuv run pytest\n" in ci and "uv run pytest" in text
