"""The gallery's views: which pages exist, and what each shows a reader (the pairs, newest
first, with their links; the filter choices with their counts; the in-page filter; the pager).

Media are not encoded here: each story gets derived images as records, as the media step
would give them, so a test names which pair's photos were made."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import mediakit
import pytest
from huatuopin import urls
from huatuopin.catalog import Catalog
from huatuopin.gazetteer import load_gazetteer
from huatuopin.media.pipeline import MediaPublication
from huatuopin.media.records import ImageAsset, StoryAssets, Variant
from huatuopin.views.gallery import GalleryListing, GalleryPage, gallery_views
from storykit import catalog as load_catalog
from storykit import problems_text, write_story

JPEG = mediakit.small_jpeg((64, 48))

KAIFENG = "2021-03-12-zhangzhuang"  # 回村看 in 开封市: a house and a road
JIAOZUO = "2021-04-01-anshang"  # 大家谈 in 焦作市, the newest: a road
UNMADE = "2021-02-01-zhangzhuang-shui"  # 入户访 in 开封市: water, whose photos were not made


def pair(name: str, theme: str) -> dict[str, Any]:
    return {
        "before": f"{name}-before.jpg",
        "after": f"{name}-after.jpg",
        "before_year": 2016,
        "after_year": 2021,
        "theme": theme,
        "caption": f"{name}改造前后",
    }


def story(root: Path, folder: str, pairs: list[dict[str, Any]], **fields: Any) -> None:
    files = {p[side]: JPEG for p in pairs for side in ("before", "after")}
    date = dt.date.fromisoformat(folder[:10])
    write_story(
        root, {"date": date, "pairs": pairs, "consent": True, **fields}, folder=folder, files=files
    )


def image(name: str) -> ImageAsset:
    return ImageAsset(
        1200,
        900,
        tuple(
            Variant(urls.media(f"{name}-1200.{fmt}"), 1200, 900, fmt) for fmt in ("webp", "jpeg")
        ),
    )


def published(catalog: Catalog, unmade: set[str]) -> MediaPublication:
    """Derived images for every pair photo but the `unmade` files."""
    publication = MediaPublication()
    for record in catalog.stories:
        assets: dict[tuple[str, str], Any] = {}
        for index, p in enumerate(record.pairs):
            for side in ("before", "after"):
                name = getattr(p, side)
                if name not in unmade:
                    assets[(f"pairs[{index}].{side}", name)] = image(name)
        publication.assets[record.source_path] = StoryAssets(assets)
    return publication


@pytest.fixture
def site(tmp_path: Path) -> tuple[Catalog, MediaPublication]:
    story(tmp_path, KAIFENG, [pair("房", "住房"), pair("路", "道路")])
    story(
        tmp_path,
        JIAOZUO,
        [pair("桥", "道路")],
        activity="大家谈",
        city="焦作市",
        county="修武县",
        township="云台山镇",
        village="岸上村",
    )
    story(tmp_path, UNMADE, [pair("井", "饮水")], activity="入户访", title="吃上自来水")
    catalog = load_catalog(tmp_path)
    assert catalog.problems == (), problems_text(list(catalog.problems))
    return catalog, published(catalog, unmade={"井-after.jpg"})


def pages(site: tuple[Catalog, MediaPublication], per_page: int = 12) -> dict[str, GalleryPage]:
    catalog, media = site
    return {page.url: page for page in gallery_views(catalog, media, load_gazetteer(), per_page)}


def gallery(site: tuple[Catalog, MediaPublication], url: str, per_page: int = 12) -> GalleryListing:
    return pages(site, per_page)[url].gallery


def test_the_pairs_newest_story_first_each_linking_to_its_story_and_village(site: Any) -> None:
    listing = gallery(site, "gallery/")
    shown = [
        (item.pair.story.url, item.pair.anchor, item.pair.pair.caption) for item in listing.items
    ]
    assert shown == [
        (f"stories/{JIAOZUO}/", "pair-1", "桥改造前后"),
        (f"stories/{KAIFENG}/", "pair-1", "房改造前后"),
        (f"stories/{KAIFENG}/", "pair-2", "路改造前后"),
    ], "a pair whose photos were not made is not shown"
    assert [item.village.url for item in listing.items] == [
        "villages/jiaozuo/xiuwu/anshang/",
        "villages/kaifeng/lankao/zhangzhuang/",
        "villages/kaifeng/lankao/zhangzhuang/",
    ]
    first = listing.items[0]
    assert (first.theme_slug, first.city_slug, first.activity_slug) == (
        "daolu",
        "jiaozuo",
        "dajiatan",
    )
    assert (listing.total, listing.shown, listing.paged) == (3, 3, False)


def test_filter_choices_with_their_pages_and_counts(site: Any) -> None:
    facets = gallery(site, "gallery/").facets
    assert (facets.everything.url, facets.everything.count) == ("gallery/", 3)
    themes = [(f.name, f.url, f.count) for f in facets.themes]
    assert themes[:3] == [
        ("住房", "gallery/zhufang/", 1),
        ("道路", "gallery/daolu/", 2),
        ("饮水", "gallery/yinshui/", 0),
    ], "every theme is a choice, with no pairs too"
    assert len(themes) == 8
    assert [(f.name, f.url, f.count) for f in facets.cities] == [
        ("开封市", "gallery/city/kaifeng/", 2),
        ("焦作市", "gallery/city/jiaozuo/", 1),
    ], "cities with pairs, in the gazetteer's order"
    assert [(f.name, f.url, f.count) for f in facets.activities] == [
        ("大家谈", "gallery/activity/dajiatan/", 1),
        ("回村看", "gallery/activity/huicunkan/", 2),
    ], "activities with pairs, in the campaign's order"


def test_every_choice_has_its_listing(site: Any) -> None:
    found = pages(site)
    themes = ["zhufang", "daolu", "yinshui", "chanye", "jiaoyu", "yiliao", "cunrong", "qita"]
    assert sorted(found) == sorted(
        [
            "gallery/",
            *(f"gallery/{slug}/" for slug in themes),
            "gallery/city/kaifeng/",
            "gallery/city/jiaozuo/",
            "gallery/activity/dajiatan/",
            "gallery/activity/huicunkan/",
        ]
    )
    daolu = found["gallery/daolu/"]
    assert (daolu.title, daolu.template, daolu.generated) == (
        "前后对比 · 道路",
        "gallery.html",
        True,
    )
    assert daolu.gallery.intro == "主题为“道路”的今昔对比照片，按时间从新到旧排列。"
    assert [item.pair.pair.caption for item in daolu.gallery.items] == ["桥改造前后", "路改造前后"]
    kaifeng = found["gallery/city/kaifeng/"].gallery
    assert kaifeng.intro == "开封市各脱贫村的今昔对比照片，按时间从新到旧排列。"
    assert kaifeng.total == 2
    empty = found["gallery/yinshui/"].gallery
    assert (empty.items, empty.total, empty.filterable) == ((), 0, False)


def test_the_page_shown_is_marked_and_city_and_activity_choices_unfold_on_theirs(
    site: Any,
) -> None:
    def current(listing: GalleryListing) -> list[str]:
        f = listing.facets
        choices = [f.everything, *f.themes, *f.cities, *f.activities]
        return [facet.url for facet in choices if facet.current]

    found = pages(site)
    assert current(found["gallery/"].gallery) == ["gallery/"]
    assert current(found["gallery/daolu/"].gallery) == ["gallery/daolu/"]
    assert current(found["gallery/city/jiaozuo/"].gallery) == ["gallery/city/jiaozuo/"]
    assert [url for url, page in found.items() if page.gallery.more_open] == [
        "gallery/city/kaifeng/",
        "gallery/city/jiaozuo/",
        "gallery/activity/dajiatan/",
        "gallery/activity/huicunkan/",
    ]


def test_the_in_page_filter_offers_what_the_page_has(site: Any) -> None:
    everything = gallery(site, "gallery/")
    assert everything.filterable
    assert everything.options == {
        "city": (("kaifeng", "开封市"), ("jiaozuo", "焦作市")),
        "theme": (("zhufang", "住房"), ("daolu", "道路")),
        "activity": (("dajiatan", "大家谈"), ("huicunkan", "回村看")),
    }
    assert not gallery(site, "gallery/zhufang/").filterable, "one pair: nothing to filter"
    # Page 2 of all pairs, one a page, has only the house: its filter offers only that.
    second = gallery(site, "gallery/page/2/", per_page=1)
    assert second.options["theme"] == (("zhufang", "住房"),)


def test_pages_of_a_listing(site: Any) -> None:
    found = pages(site, per_page=2)
    assert [url for url in found if url.startswith("gallery/page/")] == ["gallery/page/2/"]
    first, second = found["gallery/"], found["gallery/page/2/"]
    assert (first.title, second.title) == ("前后对比", "前后对比（第 2 页）")
    assert (second.gallery.total, second.gallery.shown, second.gallery.paged) == (3, 1, True)
    assert (first.gallery.pager.next_url, second.gallery.pager.previous_url) == (
        "gallery/page/2/",
        "gallery/",
    )
    assert second.gallery.pager.number == 2
    assert second.gallery.title == "前后对比", "the heading has no page number"
    daolu = pages(site, per_page=1)["gallery/daolu/page/2/"].gallery
    assert [item.pair.pair.caption for item in daolu.items] == ["路改造前后"]
    assert daolu.facets.themes[1].current, "a later page of a theme is still that theme's"
