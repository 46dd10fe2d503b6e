"""The reader's browser splits a query exactly as the index was made (docs/assets/search.js
against hooks/huatuopin/search/tokens.py): a query split differently would look up tokens
the index never wrote, or ask the wrong shard, and find nothing."""

from __future__ import annotations

import pytest
import sitekit
from huatuopin.search.tokens import query_tokens, shard_of

pytestmark = pytest.mark.browser

TEXTS = [
    "北黄屯村",
    "张庄村 光伏",
    "zhang zhuang cun",
    "ZhangZhuang，张庄！",
    "ＺＨＡＮＧ　１２３",  # full-width letters, digits and space
    "2021年5月7日",
    "村",
    "a",
    "𠀀𠀁村",  # beyond the Basic Multilingual Plane (Extension B)
    "Ⅻ号 ﬁsh",  # compatibility forms NFKC unfolds
    "Crème brûlée",
    "İstanbul",
    "한국어 日本語のかな",  # Hangul and kana are words, not Chinese characters
    "x_y-z.w",
    "光伏🌞板 🙂",
    "“扶贫好干部”黄大丰：大家一致推选的人",
    "  \t ",
]
SHARD_COUNTS = [1, 7, 2_048]


def test_the_browser_splits_and_shards_queries_as_the_index_was_made(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite
) -> None:
    page = phone.open(sample_site.url("/search/"))
    script = page.locator("script[type=module][src*='search']").get_attribute("src")
    assert script is not None
    browser = page.evaluate(
        """async ([src, texts, counts]) => {
            const search = await import(new URL(src, location.href).href);
            return texts.map((text) => {
                const tokens = search.queryTokens(text);
                return [tokens, tokens.map((t) => counts.map((n) => search.shardOf(t, n)))];
            });
        }""",
        [script, TEXTS, SHARD_COUNTS],
    )
    python = []
    for text in TEXTS:
        tokens = query_tokens(text)
        python.append([tokens, [[shard_of(t, n) for n in SHARD_COUNTS] for t in tokens]])

    assert browser == python
    assert python[0][0] == ["北黄", "黄屯", "屯村"]  # the rule itself, not only agreement


def test_a_pasted_page_as_the_query_marks_excerpts_at_once(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite
) -> None:
    """A shared link's ?q= may hold a whole pasted page: marking the words found in each
    result's excerpt must not freeze the phone (it took seconds per result)."""
    page = phone.open(sample_site.url("/search/"))
    script = page.locator("script[type=module][src*='search']").get_attribute("src")
    assert script is not None
    took, marked = page.evaluate(
        """async (src) => {
            const search = await import(new URL(src, location.href).href);
            const text = "的的的人".repeat(100);
            const started = performance.now();
            search.matches(text, "的 ".repeat(20000));
            const took = performance.now() - started;
            return [took, search.matches("我们来到张庄村，见到李书记", "张庄村 李书记")];
        }""",
        script,
    )
    assert took < 1000
    assert marked == [[4, 7], [10, 13]]
