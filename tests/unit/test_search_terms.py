"""A village is found by its pinyin, and its page outranks the stories that name it."""

from __future__ import annotations

import yaml
from huatuopin.searchindex import VILLAGE_BOOST, pinyin_terms
from huatuopin.views import View


def test_a_village_is_indexed_by_its_pinyin_joined_and_by_syllable() -> None:
    assert pinyin_terms("张庄村") == ("zhangzhuang", "zhangzhuangcun", "zhang zhuang cun")
    assert pinyin_terms("田铺大塆") == ("tianpudawan", "tian pu da wan")


def test_a_profiles_slug_gives_the_reading_pinyin_gets_wrong() -> None:
    assert "chongdugou" in pinyin_terms("重渡沟村", "chongdugou")


def test_a_generated_village_page_carries_its_boost_and_words() -> None:
    view = View(
        url="villages/kaifeng/lankao/zhangzhuang/",
        title="张庄村",
        template="village.html",
        searchable=True,
        search_boost=VILLAGE_BOOST,
        search_terms=pinyin_terms("张庄村"),
    )
    meta = yaml.safe_load(view.stub().strip("-\n"))
    assert meta["search"] == {"boost": VILLAGE_BOOST}
    assert meta["tags"] == ["zhangzhuang", "zhangzhuangcun", "zhang zhuang cun"]


def test_a_page_left_out_of_search_stays_out() -> None:
    view = View(url="stories/", title="采风作品", template="story-list.html", search_boost=5.0)
    meta = yaml.safe_load(view.stub().strip("-\n"))
    assert meta["search"] == {"exclude": True} and "tags" not in meta
