"""Wrapping a card's text by the rules a reader of Chinese expects: a number stays with its
unit (2.63万人, 4月17日, 1.19 billion yuan), a date whole (2020-05-31), no line starts with a
closing mark (、，。」）) and none ends with an opening one (「（). English breaks between words,
Chinese anywhere else.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from zgc_cli.drawing import cells

NO_START = set("、，。．,.!?！？：:；;」』）)】》〉’”…%％")
NO_END = set("「『（(【《〈‘“")
_UNIT = "平方米|[元人家个件项份只支片袋天年月日号期条倍例名%％]"
_EN_UNIT = r"(?:(?:thousand|million|billion|trillion) )?(?:yuan|m²|people|percent)\b"


@functools.cache
def _tokens() -> re.Pattern[str]:  # compiled when first needed: not at start-up
    amount = rf"\d[\d.,]*%? {_EN_UNIT}\s*"  # 1.19 billion yuan, 197,700 m²
    day = r"\d{4}-(?:Q[1-4]|\d\d(?:-\d\d)?)(?:/\d{4}-\d\d(?:-\d\d)?)?\s*"  # 2020-05-31, 2020-Q1
    number = rf"(?:[约近超]|超过)?(?:\d[\d.,]*[万亿]?[余多]?(?:{_UNIT})?)+(?![A-Za-z])"
    word = r"[^\s\u2e80-\u9fff\uff00-\uffef]+\s*"
    return re.compile(rf"{amount}|{day}|{number}|{word}|\s+|.", re.S)


def wrap(text: str, width: float, measure: Callable[[str], float] = cells) -> list[str]:
    """`text` in lines of at most `width` (terminal cells, or an SVG's px by `measure`), broken
    only between pieces (a mark joins the piece it must stay with); a piece longer than a line
    is cut (a URL, a long id)."""
    pieces: list[str] = []
    for token in _tokens().findall(text):
        if pieces and (token[0] in NO_START or pieces[-1][-1] in NO_END):
            pieces[-1] += token
        else:
            pieces.append(token)
    lines: list[str] = []
    current = ""
    for piece in pieces:
        if current.strip() and measure(current + piece.rstrip()) > width:
            lines.append(current.rstrip())
            current, piece = "", piece.lstrip()
        while measure(piece.rstrip()) > width:
            fits = max((n for n in range(len(piece)) if measure(piece[:n]) <= width), default=0)
            head = piece[:fits].rstrip() or piece[:1]
            while len(head) > 1 and piece[len(head)] in NO_START:  # the mark takes a neighbour
                head = head[:-1]
            lines.append(head)
            piece = piece[len(head) :]
        current += piece
    if current.strip():
        lines.append(current.rstrip())
    return lines or [""]
