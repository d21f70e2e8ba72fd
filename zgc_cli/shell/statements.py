"""Where the statements of what was typed end: at a `;` DuckDB's own tokenizer sees as one
(never inside a string, a quoted name or a comment), as the one-statement check splits them."""

from __future__ import annotations

from dataclasses import dataclass

from zgc_cli.db.sandbox import tokens


@dataclass(frozen=True)
class Split:
    """Typed text cut at its `;`s: the finished statements, and what follows the last `;`."""

    statements: list[str]  # each without its `;`, comments kept; empty ones dropped
    rest: str  # after the last `;`: an unfinished statement, or only spaces and comments

    @property
    def finished(self) -> bool:
        """Every statement typed is ended by `;` (a trailing comment is allowed)."""
        return bool(self.statements) and not _has_code(self.rest)


def split(text: str) -> Split:
    try:
        found = tokens(text)
    except (UnicodeEncodeError, TypeError, ValueError):
        # Text DuckDB cannot tokenize (a lone surrogate): one statement, for the check to refuse.
        return Split([text], "")
    statements: list[str] = []
    begin = 0
    for n, token in enumerate(found):
        if token.kind != "operator":
            continue
        end = found[n + 1].start if n + 1 < len(found) else len(text)
        raw = text[token.start : end]
        for offset, char in enumerate(raw):
            if char == ";":
                statements.append(text[begin : token.start + offset])
                begin = token.start + offset + 1
    return Split([s.strip() for s in statements if _has_code(s)], text[begin:])


def _has_code(text: str) -> bool:
    if not text.strip():
        return False
    try:
        return any(t.kind != "comment" for t in tokens(text))
    except (UnicodeEncodeError, TypeError, ValueError):
        return True


def ready(text: str) -> bool:
    """Whether Enter runs what was typed: nothing, a dot command (one line), or statements that
    all end with `;`. Otherwise Enter starts a new line of the statement."""
    stripped = text.strip()
    return not stripped or stripped.startswith(".") or split(text).finished


def first(text: str) -> str:
    """`text` up to its first `;` (the rest of the statement the cursor is in)."""
    try:
        found = tokens(text)
    except (UnicodeEncodeError, TypeError, ValueError):
        return text
    for n, token in enumerate(found):
        if token.kind == "operator":
            end = found[n + 1].start if n + 1 < len(found) else len(text)
            cut = text.find(";", token.start, end)
            if cut >= 0:
                return text[:cut]
    return text


def runnable(text: str) -> list[str]:
    """The statements to run, in order: every one ended by `;`, and an unfinished last one
    (Esc Enter runs a statement without its `;`)."""
    cut = split(text)
    return [*cut.statements, *([cut.rest.strip()] if _has_code(cut.rest) else [])]
