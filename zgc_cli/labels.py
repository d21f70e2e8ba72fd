"""Headers and card labels in words, in Chinese and in English: 园区 / Park, 总投资 /
Investment, 原文数值 / Report's words (the words are in dictionary.txt). `--lang both`
(scripts, the bilingual) reads the column names themselves."""

from __future__ import annotations

from zgc_cli.dictionary import words

LABELS_ZH = words("labels_zh")
LABELS_EN = words("labels_en")


def label(key: str, lang: str) -> str:
    """A header or card label in words (园区, Park); both: the column name, as scripts see."""
    said = {"zh": LABELS_ZH, "en": LABELS_EN}.get(str(lang))
    if said is None:
        return key
    plain = key.removesuffix("_en").removesuffix("_zh").replace("_", " ").capitalize()
    return said.get(key) or LABELS_EN.get(key) or plain
