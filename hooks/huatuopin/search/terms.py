"""Words a page is found by beyond its text: a village by the pinyin of its name."""

from __future__ import annotations

import functools

from pypinyin import Style, lazy_pinyin

VILLAGE_SUFFIX = "村"


def name_words(name: str) -> tuple[str, ...]:
    """A village's name whole and without its 村: a reader may write either, and the village
    page should outweigh every story naming the village for both (张庄 alone is a bigram of
    its own; the name with 村 adds 庄村)."""
    name = name.strip()
    base = name.removesuffix(VILLAGE_SUFFIX)
    if not base or base == name:
        return (name,)
    return (name, base, VILLAGE_SUFFIX)


def pinyin_terms(name: str, slug: str = "") -> tuple[str, ...]:
    """What a reader typing a village's name in pinyin may write, as words for the index:
    张庄村 → `zhangzhuang`, `zhangzhuangcun` and `zhang zhuang cun` (the index splits the
    last into its syllables, so `zhang zhuang` finds it too). The page's slug comes too: a
    profile's file name gives the reading a machine gets wrong (重渡沟 is chongdugou, not
    zhongdugou). Empty for a name without Chinese characters: its own letters find it."""
    name = name.strip()
    if name.isascii():
        return ()
    full = _syllables(name)
    base = _syllables(name.removesuffix(VILLAGE_SUFFIX)) or full
    terms = ["".join(base), "".join(full), " ".join(full)]
    if slug:
        terms.append(slug.replace("-", ""))
    return tuple(dict.fromkeys(term for term in terms if term))


@functools.cache  # every village on every build and preview rebuild
def _syllables(text: str) -> tuple[str, ...]:
    pieces = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    return tuple(piece.lower() for piece in pieces if piece.isascii() and piece.isalnum())
