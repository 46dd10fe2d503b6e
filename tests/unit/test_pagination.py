"""The shared pieces of listings: pages of a listing and their pager, and a story's card."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import storykit
from huatuopin.media.pipeline import NO_ASSETS
from huatuopin.views.cards import DateText, StoryCard
from huatuopin.views.pagination import page_slots


def test_a_listing_is_cut_into_pages_at_stable_urls() -> None:
    slots = page_slots("stories/", "采风作品", list("abcde"), 2)
    assert [slot.url for slot in slots] == ["stories/", "stories/page/2/", "stories/page/3/"]
    assert [slot.title for slot in slots] == [
        "采风作品",
        "采风作品（第 2 页）",
        "采风作品（第 3 页）",
    ]
    assert [slot.items for slot in slots] == [("a", "b"), ("c", "d"), ("e",)]
    first, middle, last = (slot.pager for slot in slots)
    assert (first.number, first.page_count, first.shown) == (1, 3, True)
    assert (first.previous_url, first.next_url) == (None, "stories/page/2/")
    assert (middle.previous_url, middle.next_url) == ("stories/", "stories/page/3/")
    assert (last.previous_url, last.next_url) == ("stories/page/2/", None)
    assert last.first_url == "stories/"


def test_an_empty_listing_has_one_page_and_no_pager() -> None:
    (slot,) = page_slots("gallery/daolu/", "道路", [], 12)
    assert (slot.url, slot.title, slot.items, slot.number) == ("gallery/daolu/", "道路", (), 1)
    assert not slot.pager.shown


def test_a_card_says_what_a_reader_sees(tmp_path: Path) -> None:
    authors = [
        {"name": "王小红", "role": "媒体记者"},
        {"name": "李大山", "role": "文艺工作者"},
    ]
    storykit.write_story(tmp_path, {"authors": authors})
    (story,) = storykit.catalog(tmp_path).stories
    card = StoryCard.of(story, NO_ASSETS)
    assert card.url == "stories/2021-03-12-zhangzhuang/"
    assert card.trail == "开封市 › 兰考县 › 东坝头镇 › 张庄村"
    assert card.byline == "王小红、李大山"
    assert card.date == DateText("2021-03-12", "2021年3月12日")
    assert (card.activity, card.form, card.sample, card.draft) == ("回村看", "文章", False, False)
    assert card.thumbnail is None, "a story without photos keeps its text-only card"


def test_dates_read_without_leading_zeros() -> None:
    assert DateText.of(dt.date(2021, 1, 5)).text == "2021年1月5日"
