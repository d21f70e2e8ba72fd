"""Where the statements of what was typed end: at a `;` DuckDB's own tokenizer sees as one
(never inside a string, a quoted name or a comment), as the one-statement check splits them."""

from __future__ import annotations

from zgc_cli.db.sandbox import tokens


def pieces(text: str) -> list[str]:
    """`text` cut at its `;`s (each without it); the last piece is what follows the last `;`."""
    cuts = [
        t.start + at
        for t in tokens(text)
        if t.kind == "operator"
        for at, char in enumerate(t.text)
        if char == ";"
    ]
    return [text[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(text)], strict=True)]


def has_code(text: str) -> bool:
    return any(t.kind != "comment" for t in tokens(text))


def ready(text: str) -> bool:
    """Whether Enter runs what was typed (else it starts a new line): nothing, a dot command,
    or statements that all end with `;`."""
    stripped = text.strip()
    if not stripped or stripped.startswith("."):
        return True
    *ended, rest = pieces(text)
    return any(map(has_code, ended)) and not has_code(rest)


def runnable(text: str) -> list[str]:
    """The statements to run, in order: every one ended by `;`, and an unfinished last one
    (Esc Enter runs a statement without its `;`)."""
    return [piece.strip() for piece in pieces(text) if has_code(piece)]
