"""A village is found by its name however the query is split, and by its pinyin; its page
carries them weighted above the stories that name it; pages that are not for search stay out."""

from __future__ import annotations

from huatuopin.search.terms import name_words, pinyin_terms
from huatuopin.views import SearchEntry, View
from huatuopin.views.villages import VILLAGE_NAME_WEIGHT
from searchkit import indexed
from test_village_views import rendering


def test_a_village_is_indexed_by_its_pinyin_joined_and_by_syllable() -> None:
    assert pinyin_terms("张庄村") == ("zhangzhuang", "zhangzhuangcun", "zhang zhuang cun")
    assert pinyin_terms("田铺大塆") == ("tianpudawan", "tian pu da wan")


def test_a_profiles_slug_gives_the_reading_pinyin_gets_wrong() -> None:
    assert "chongdugou" in pinyin_terms("重渡沟村", "chongdugou")


def test_a_village_name_is_indexed_whole_and_split_before_its_suffix() -> None:
    """A reader may write the name with or without 村: the village page carries both."""
    assert name_words("张庄村") == ("张庄村", "张庄", "村")
    assert name_words("重渡沟") == ("重渡沟",)
    assert name_words("村") == ("村",)


def test_a_search_entry_gives_the_index_its_words_label_and_title() -> None:
    entry = SearchEntry(
        "村庄",
        "张庄村（开封市兰考县）",
        terms=pinyin_terms("张庄村"),
        names=name_words("张庄村"),
        name_weight=VILLAGE_NAME_WEIGHT,
    )
    render = rendering()
    html = render.render("search-record.html", html="张庄村", entry=entry)
    assert 'data-search-weight="10"' in html
    page = indexed(str(html))
    assert page.found_by("zhangzhuangcun") and page.found_by("zhang zhuang cun")
    assert page.found_by("张庄村") and page.found_by("张庄")
    # Title and label are the result's metadata, not words to find.
    assert page.title == "张庄村（开封市兰考县）" and page.label == "村庄"
    assert not page.found_by("开封市兰考县") and not page.found_by("村庄")
    # The extra words find the page but never show in its excerpt.
    assert page.text == "张庄村"


def test_a_page_left_out_of_search_is_not_searchable() -> None:
    view = View(url="stories/", title="采风作品", template="story-list.html")
    assert view.search is None and not view.searchable
