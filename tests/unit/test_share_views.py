"""What a shared link shows (each view's `Share`), the Atom feeds, robots.txt and the posters,
as the views of a build make them from stories written by storykit."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import feedparser
import pytest
import storykit
from huatuopin import safehtml
from huatuopin.catalog import Catalog, build_catalog
from huatuopin.gazetteer import load_gazetteer
from huatuopin.media.pipeline import MediaPublication
from huatuopin.media.records import ImageAsset, StoryAssets, Variant
from huatuopin.models import Pair
from huatuopin.settings import CampaignSettings
from huatuopin.views import View, ViewSet, villages
from huatuopin.views.build import build_views
from huatuopin.views.posters import PosterView
from huatuopin.views.search import SearchPageView
from huatuopin.views.sharing import shareable
from PIL import Image

SITE_URL = "https://huatuopin.example.org/"
SITE_NAME = "话脱贫 · 感党恩 · 奋进新时代"
PEIZHAI = {"city": "新乡市", "county": "辉县市", "township": storykit.DELETE, "village": "裴寨村"}
STORIES = {  # newest first
    "2021-05-01-peizhai-caomei": {**PEIZHAI, "title": "裴寨的草莓", "activity": "回村看"},
    "2021-04-01-zhangzhuang-hezuoshe": {"title": "合作社", "activity": "入户访"},
    "2021-03-12-zhangzhuang": {"title": "光伏板", "summary": '收入<3000元，"翻番"&增收'},
}


def write_stories(root: Path) -> None:
    for folder, overrides in STORIES.items():
        storykit.write_story(root, {**overrides, "date": folder[:10]}, folder=folder)
    (root / "docs" / "index.md").write_text("---\ntitle: 首页\n---\n\n欢迎。\n", encoding="utf-8")


def catalog_of(root: Path) -> Catalog:
    settings = dataclasses.replace(CampaignSettings(), stories_per_page=2)
    return build_catalog(root, root / "docs", settings, include_drafts=False)


def views_of(catalog: Catalog, media: MediaPublication | None = None) -> ViewSet:
    return build_views(
        catalog,
        media or MediaPublication(),
        load_gazetteer(),
        serving=False,
        site_url=SITE_URL,
        docs_dir=Path("docs"),
        env=storykit.template_env(),
        site_name=SITE_NAME,
    )


def by_url(views: ViewSet) -> dict[str, View]:
    return {view.url: view for view in views.views.values()}


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    write_stories(tmp_path)
    return catalog_of(tmp_path)


def jpeg(width: int, height: int, name: str = "a") -> Variant:
    return Variant(f"media/{name}-{width}.jpg", width, height, "jpeg")


def photo(*sizes: tuple[int, int]) -> ImageAsset:
    variants = tuple(
        v for w, h in sizes for v in (Variant(f"media/a-{w}.webp", w, h, "webp"), jpeg(w, h))
    )
    return ImageAsset(sizes[-1][0], sizes[-1][1], variants)


# -- shares ----------------------------------------------------------------------------------


def test_a_story_shares_its_summary_title_address_and_the_campaign_image(
    catalog: Catalog,
) -> None:
    share = by_url(views_of(catalog))["stories/2021-04-01-zhangzhuang-hezuoshe/"].share
    assert share is not None
    assert (share.kind, share.title, share.site_name, share.locale) == (
        "article",
        "合作社",
        SITE_NAME,
        "zh_CN",
    )
    assert share.description == storykit.BASE_FRONT_MATTER["summary"]
    assert share.url == f"{SITE_URL}stories/2021-04-01-zhangzhuang-hezuoshe/"
    assert share.image.url == f"{SITE_URL}assets/share.png"
    assert share.indexed


def test_the_campaign_image_is_committed_and_big_enough() -> None:
    with Image.open(Path(__file__).resolve().parents[2] / "docs" / "assets" / "share.png") as image:
        assert min(image.size) >= 600


def test_a_story_shares_the_after_photo_of_its_first_pair_in_a_size_wechat_shows(
    catalog: Catalog,
) -> None:
    story = next(s for s in catalog.stories if s.folder == "2021-04-01-zhangzhuang-hezuoshe")
    story = dataclasses.replace(
        story, pairs=(Pair("b.jpg", "a.jpg", 2016, 2021, "住房", "危房改造前后"),)
    )
    catalog = dataclasses.replace(
        catalog, stories=tuple(story if s.folder == story.folder else s for s in catalog.stories)
    )
    after = photo((480, 360), (720, 540), (1080, 810), (1600, 1200))
    assets = StoryAssets(
        {
            ("pairs[0].before", "b.jpg"): photo((480, 360)),
            ("pairs[0].after", "a.jpg"): after,
        }
    )
    media = MediaPublication(assets={story.source_path: assets})
    views = by_url(views_of(catalog, media))
    share = views[story.url].share
    assert share is not None
    assert (share.image.url, share.image.width, share.image.height) == (
        f"{SITE_URL}media/a-1080.jpg",
        1080,
        810,
    )
    # The village's page shows the same photo: its newest story with one.
    village = views[story.village.url].share
    assert village is not None and village.image == share.image
    # The feed carries it as the entry's enclosure, and the entry still links to the story.
    feed = feedparser.parse(feed_of(views_of(catalog, media), "stories/feed.xml"))
    (entry,) = [e for e in feed.entries if e.title == "合作社"]
    assert entry.link == f"{SITE_URL}{story.url}"
    assert [(link.rel, link.href) for link in entry.links] == [
        ("alternate", f"{SITE_URL}{story.url}"),
        ("enclosure", f"{SITE_URL}media/a-1080.jpg"),
    ]


def test_a_photo_smaller_than_300_on_a_side_is_not_shared() -> None:
    assert shareable(photo((480, 200), (1080, 250))) is None  # a panorama
    assert shareable(photo((320, 480))) == jpeg(320, 480)
    assert shareable(photo((1600, 1200))) == jpeg(1600, 1200)  # only a big one


def test_listings_say_their_purpose_and_page_and_lead_to_their_feeds(catalog: Catalog) -> None:
    views = by_url(views_of(catalog))
    first, second = views["stories/"].share, views["stories/page/2/"].share
    assert first is not None and second is not None
    assert first.description.endswith("按时间从新到旧排列。第 1 页，共 2 页。")
    one_page = views["stories/activity/huicunkan/"].share
    assert one_page is not None and "页" not in one_page.description
    assert second.description.endswith("第 2 页，共 2 页。")
    assert second.title == "采风作品（第 2 页）"
    assert [f.url for f in first.feeds] == [f"{SITE_URL}stories/feed.xml"]
    activity = views["stories/activity/huicunkan/"].share
    assert activity is not None
    assert [f.url for f in activity.feeds] == [
        f"{SITE_URL}stories/feed.xml",
        f"{SITE_URL}stories/activity/huicunkan/feed.xml",
    ]


def test_every_page_but_posters_problems_and_search_is_shared_and_indexed(
    catalog: Catalog,
) -> None:
    views = views_of(catalog)
    for view in views.views.values():
        assert view.share is not None, view.url
        assert view.share.url == SITE_URL + view.url
        for_robots = not isinstance(view, PosterView | SearchPageView)
        assert view.share.indexed == for_robots, view.url
        assert view.share.description.strip(), view.url


def test_a_busy_village_s_older_stories_say_whose_they_are_and_which_page(
    tmp_path: Path,
) -> None:
    write_stories(tmp_path)
    settings = dataclasses.replace(CampaignSettings(), stories_per_page=1)
    catalog = build_catalog(tmp_path, tmp_path / "docs", settings, include_drafts=False)
    share = by_url(views_of(catalog))["villages/kaifeng/lankao/zhangzhuang/page/2/"].share
    assert share is not None
    assert share.title == "张庄村的采风作品（第 2 页）"
    assert (
        share.description
        == "写张庄村（开封市兰考县）的采风作品，按时间从新到旧排列。第 2 页，共 2 页。"
    )
    assert share.url == f"{SITE_URL}villages/kaifeng/lankao/zhangzhuang/page/2/"


def test_a_county_of_several_pages_says_which_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(villages, "VILLAGES_PER_PAGE", 1)
    write_stories(tmp_path)
    storykit.write_story(tmp_path, {"village": "李庄村"}, folder="2021-03-13-lizhuang")
    views = by_url(views_of(catalog_of(tmp_path)))
    first = views["villages/kaifeng/lankao/"].share
    second = views["villages/kaifeng/lankao/page/2/"].share
    assert first is not None and second is not None
    assert first.description == (
        "兰考县的 2 个村庄：村情、集体经济收入、驻村第一书记，和 3 篇采风作品。第 1 页，共 2 页。"
    )
    assert second.description.endswith("第 2 页，共 2 页。")
    assert second.title == "兰考县的村庄（第 2 页）"


def test_a_village_without_a_profile_is_described_from_its_stories(catalog: Catalog) -> None:
    views = by_url(views_of(catalog))
    share = views["villages/xinxiang/huixian/peizhai/"].share
    assert share is not None
    assert share.description == "裴寨村位于新乡市辉县市。这里有写这个村的 1 篇采风作品。"
    troupe = views["troupe/cities/kaifeng/"].share
    assert troupe is not None and troupe.description.startswith("宣讲团在开封市：共 0 场宣讲。")


# -- feeds -----------------------------------------------------------------------------------


def feed_of(views: ViewSet, path: str) -> bytes:
    return dict(views.files)[path]  # type: ignore[return-value]


def test_the_feed_lists_the_stories_newest_first_with_absolute_links(catalog: Catalog) -> None:
    parsed = feedparser.parse(feed_of(views_of(catalog), "stories/feed.xml"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [e.link for e in parsed.entries] == [f"{SITE_URL}stories/{f}/" for f in STORIES]
    assert [e.title for e in parsed.entries] == ["裴寨的草莓", "合作社", "光伏板"]
    newest = parsed.entries[0]
    assert newest.author == "王小红" and newest.published.startswith("2021-05-01")
    assert parsed.entries[2].summary == '收入<3000元，"翻番"&增收'  # escaped once, read back
    assert parsed.feed.updated.startswith("2021-05-01")  # the newest story's, not today's


def test_an_activity_s_feed_holds_that_activity_only(catalog: Catalog) -> None:
    views = views_of(catalog)
    parsed = feedparser.parse(feed_of(views, "stories/activity/huicunkan/feed.xml"))
    assert [e.title for e in parsed.entries] == ["裴寨的草莓", "光伏板"]
    empty = feedparser.parse(feed_of(views, "stories/activity/huaweilai/feed.xml"))
    assert empty.entries == [] and not empty.bozo
    assert empty.feed.updated.startswith("2021-01-01")  # the campaign's first day


def test_feeds_are_the_same_bytes_on_every_build_and_hold_the_latest_twenty(
    tmp_path: Path,
) -> None:
    for day in range(1, 23):
        folder = f"2021-06-{day:02d}-zhangzhuang"
        storykit.write_story(tmp_path, {"date": folder[:10]}, folder=folder)
    first = feed_of(views_of(catalog_of(tmp_path)), "stories/feed.xml")
    assert first == feed_of(views_of(catalog_of(tmp_path)), "stories/feed.xml")
    assert dt.date.today().isoformat().encode() not in first
    parsed = feedparser.parse(first)
    assert len(parsed.entries) == 20
    assert parsed.entries[0].link.endswith("2021-06-22-zhangzhuang/")


def test_robots_txt_names_the_absolute_sitemap(catalog: Catalog) -> None:
    robots = dict(views_of(catalog).files)["robots.txt"]
    assert f"Sitemap: {SITE_URL}sitemap.xml" in str(robots).splitlines()


# -- posters ---------------------------------------------------------------------------------


def test_a_village_poster_holds_its_latest_stories_and_a_qr_code_of_its_page(
    catalog: Catalog,
) -> None:
    views = by_url(views_of(catalog))
    poster_view = views["villages/kaifeng/lankao/zhangzhuang/poster/"]
    assert isinstance(poster_view, PosterView)
    poster = poster_view.poster
    assert poster.title == "张庄村" and poster.place == "开封市 › 兰考县 › 东坝头镇"
    assert [item.title for item in poster.items] == ["合作社", "光伏板"]
    assert poster.target_url == f"{SITE_URL}villages/kaifeng/lankao/zhangzhuang/"
    assert poster_view.share is not None and poster_view.share.image.url.endswith("share.png")
    assert views["troupe/cities/kaifeng/poster/"].template == "poster.html"


def test_the_qr_code_is_segno_s_svg_only() -> None:
    """What safehtml trusts: segno's own <svg> and <path>; the text is in the modules only."""
    svg = safehtml.qr_code('https://x.example/"><script>alert(1)</script>', css_class="qr")
    assert svg.startswith('<svg viewBox="0 0 ') and 'class="qr"' in svg
    assert "script" not in svg and svg.count("<") == 3  # <svg>, <path/>, </svg>
