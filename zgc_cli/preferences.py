"""What the reader's environment asks for: their language (ZGC_LANG, the locale), a pager
(ZGC_PAGER, PAGER), colour (NO_COLOR, FORCE_COLOR) and whether a stream is a terminal."""

from __future__ import annotations

import contextlib
import os
from typing import TextIO

from zgc_cli.errors import UsageError
from zgc_cli.vocabulary import Lang


def reader_lang() -> Lang:
    """$ZGC_LANG (zh, en or both), else the locale: zh for LC_ALL/LC_MESSAGES/LANG zh_*."""
    chosen = os.environ.get("ZGC_LANG", "").strip().lower()
    if chosen and chosen not in Lang.__members__:
        raise UsageError(f"ZGC_LANG={chosen!r}: use zh, en or both")
    names = ("LC_ALL", "LC_MESSAGES", "LANG")
    locale = next((value for name in names if (value := os.environ.get(name, ""))), "")
    return Lang(chosen or ("zh" if locale.lower().startswith("zh") else "en"))


def pager_command() -> str:
    """$ZGC_PAGER, else $PAGER, else `less -FRX` (as git does); set to empty, no pager."""
    given = [os.environ[name].strip() for name in ("ZGC_PAGER", "PAGER") if name in os.environ]
    return next(iter(given), "less -FRX")


def color_wanted(stream: TextIO) -> bool:
    """gh-style: FORCE_COLOR/CLICOLOR_FORCE force it; NO_COLOR, TERM=dumb or a pipe drop it."""
    if any(os.environ.get(name, "") not in ("", "0") for name in ("FORCE_COLOR", "CLICOLOR_FORCE")):
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":  # set and not empty
        return False
    return is_terminal(stream)


def is_terminal(stream: TextIO) -> bool:
    with contextlib.suppress(AttributeError, ValueError):
        return stream.isatty()
    return False
