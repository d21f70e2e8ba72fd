"""Shared fixtures: the report (for accuracy tests), the snapshot, and a way to run the
installed `zgc` as users do."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "data" / "zgc.parquet"
SOURCES = ROOT / "data" / "source"


def report_path() -> Path:
    return Path(os.environ.get("ZGC_SOURCE") or ROOT.parent / "shared/source/zgc-article.txt")


@pytest.fixture(scope="session")
def report() -> str:
    """The report's text; CI must have it, elsewhere its absence skips with the reason."""
    path = report_path()
    if not path.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the accuracy tests but the report is missing at {path}")
        pytest.skip(f"the report is not at {path} (set ZGC_SOURCE)")
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def zgc_executable() -> str:
    """The installed console script of the environment running the tests."""
    found = Path(sys.executable).parent / "zgc"
    if found.exists():
        return str(found)
    which = shutil.which("zgc")
    assert which, "the zgc command is not installed in this environment"
    return which


def run_zgc(
    args: Sequence[str],
    *,
    input: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[bytes]:
    """Run the installed `zgc` in a subprocess, stdout piped (not a terminal)."""
    full_env = {k: v for k, v in os.environ.items() if k not in {"FORCE_COLOR", "CLICOLOR_FORCE"}}
    full_env.update(env or {})
    return subprocess.run(
        [zgc_executable(), *args],
        input=input,
        capture_output=True,
        env=full_env,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
