"""How text becomes the words the search index is keyed by, and how a token picks its shard.

The reader's browser splits a query by the same rules (docs/assets/search.js, `tokens` and
`shardOf`); tests/unit/test_search_tokens.py runs both on the same strings. Chinese has no
spaces and a segmenter would have to ship to every phone, so a run of Chinese characters is
indexed as its single characters and its pairs of neighbours (bigrams): 北黄屯村 gives 北, 黄,
屯, 村, 北黄, 黄屯 and 屯村, and a query of two or more characters looks up its pairs only, which
finds the name wherever it was written, in any segmentation. Any other run of letters or
digits (pinyin, numbers, Latin names) is one word, lowercased.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# Chinese characters: the CJK Unified Ideographs with their extensions and the compatibility
# block, spelled as ranges (the same ranges in search.js) rather than by Unicode script data,
# which Python and browsers may hold in different versions.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
# A run of Chinese characters, or a run of other letters and digits (of any script).
_RUNS = re.compile(f"([{HAN}]+)|([^\\W_{HAN}]+)")


def normalize(text: str) -> str:
    """Full-width letters and digits as ASCII (ＺＨＡＮＧ → zhang), lowercased."""
    return unicodedata.normalize("NFKC", text).lower()


def runs(text: str) -> Iterator[tuple[bool, str]]:
    """(is Chinese, run) for each run of Chinese characters or of other letters and digits."""
    for found in _RUNS.finditer(normalize(text)):
        han = found.group(1)
        yield (True, han) if han else (False, found.group(2))


def document_tokens(text: str) -> Iterator[str]:
    """Every token a page's text is found by (with repeats: each counts)."""
    for han, run in runs(text):
        if not han:
            yield run
            continue
        yield from run
        for start in range(len(run) - 1):
            yield run[start : start + 2]


def query_tokens(text: str) -> list[str]:
    """The tokens a query looks up, each once, in the order written."""
    found: dict[str, None] = {}
    for han, run in runs(text):
        if han and len(run) > 1:
            for start in range(len(run) - 1):
                found[run[start : start + 2]] = None
        else:
            found[run] = None
    return list(found)


def shard_of(token: str, shards: int) -> int:
    """The shard holding `token`: FNV-1a (32 bits) of its UTF-8 bytes, modulo the count."""
    value = 0x811C9DC5
    for byte in token.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value % shards


__all__ = ["document_tokens", "normalize", "query_tokens", "runs", "shard_of"]
