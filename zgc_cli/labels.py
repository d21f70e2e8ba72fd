"""Headers and card labels in words, in Chinese and in English: 园区 / Park, 总投资 /
Investment, 原文数值 / Report's words (the words are in dictionary.txt), in `--lang both`
the two (园区 Park)."""

from __future__ import annotations

from zgc_cli.dictionary import words

LABELS_ZH = words("labels_zh")
LABELS_EN = words("labels_en")


def label(key: str, lang: str) -> str:
    """A card label or a field in words, on one line (园区, Park, 园区 Park)."""
    return heading(key, lang).strip().replace("\n", " ")


def heading(key: str, lang: str) -> str:
    """A column's header in words (园区, Park); in `both` 园区 over Park, a column in one
    language its own on its language's line (名称; Name below): names read as slugs."""
    if lang == "both":
        zh, en = heading(key, "zh"), heading(key, "en")
        if key.endswith("_en"):
            return f"\n{en}"
        return zh if key.endswith("_zh") or zh == en else f"{zh}\n{en}"
    said = LABELS_ZH if lang == "zh" else LABELS_EN
    plain = key.removesuffix("_en").removesuffix("_zh").replace("_", " ").capitalize()
    return said.get(key) or LABELS_EN.get(key) or plain
