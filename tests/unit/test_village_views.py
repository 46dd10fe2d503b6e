"""The village views: what the index, city, county and village pages show (counts, order,
links), the whole village article rendered from the profile body in one step, and what of it
search indexes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import jinja2
import mediakit
import pytest
import storykit
import troupekit
from huatuopin import safehtml
from huatuopin.assets import SiteAssets
from huatuopin.catalog import Catalog, build_catalog
from huatuopin.gazetteer import load_gazetteer
from huatuopin.media.pipeline import MediaPublication
from huatuopin.media.records import ImageAsset, StoryAssets, Variant
from huatuopin.settings import CampaignSettings
from huatuopin.views import Rendering, View
from huatuopin.views.villages import (
    CITY_LATEST,
    CityVillagesView,
    CountyVillagesView,
    VillageIndexView,
    VillageView,
    village_views,
)
from markupsafe import Markup
from searchkit import indexed

OVERRIDES = Path(__file__).resolve().parents[2] / "overrides"
ZHANGZHUANG = "villages/kaifeng/lankao/zhangzhuang/"
ZHAIZI = "villages/sanmenxia/lushi/zhaizi/"

PROFILE = """---
name: 张庄村
township: 东坝头镇
county: 兰考县
city: 开封市
exit_year: 2017
households: 766
support_units:
  - 兰考县农业农村局
  - 兰考县供电公司
first_secretaries:
  - name: 赵明远
    unit: 开封市农业农村局
    from: 2014-03
    to: 2017-08
  - name: 郭文静
    unit: 兰考县供电公司
    from: 2017-09
income:
  2016: 0.5
  2020: 43.6
---

## 村情

黄河故道最后一道弯上的村子。

## 话未来

再改造二十个闲置院落。

## 附记

村史馆周末开放。
"""
ZHAIZI_PLACE = {"city": "三门峡市", "county": "卢氏县", "township": "横涧乡", "village": "寨子村"}
PAIR = {
    "before": "before.jpg",
    "after": "after.jpg",
    "before_year": 2016,
    "after_year": 2021,
    "theme": "住房",
    "caption": "危房改造前后",
}


def make_catalog(root: Path) -> Catalog:
    """张庄村 (a profile, three stories in two activities, two talks), 寨子村 (one story with a
    pair, one talk, no profile) and a talk that names no village."""
    profile = root / "docs" / "villages" / "kaifeng" / "lankao" / "zhangzhuang.md"
    profile.parent.mkdir(parents=True)
    profile.write_text(PROFILE, "utf-8")
    write = storykit.write_story
    write(root, {"date": dt.date(2021, 3, 12), "activity": "入户访"}, folder="2021-03-12-a")
    write(root, {"date": dt.date(2021, 4, 1), "activity": "入户访"}, folder="2021-04-01-b")
    write(root, {"date": dt.date(2021, 5, 18), "activity": "亮成果"}, folder="2021-05-18-c")
    photos = {"before.jpg": mediakit.small_jpeg(), "after.jpg": mediakit.small_jpeg()}
    write(
        root,
        {**ZHAIZI_PLACE, "pairs": [PAIR], "consent": True},
        folder="2021-04-24-zhaizi",
        files=photos,
    )
    troupekit.write(
        root,
        {
            "kaifeng.yml": [
                troupekit.talk("kf-later", date="2021-05-02", title="第二场"),
                troupekit.talk("kf-first", date="2021-04-02", title="第一场"),
                troupekit.talk("kf-nowhere", date="2021-04-03", village=None, venue="县礼堂"),
            ],
            "sanmenxia.yml": [
                troupekit.talk(
                    "smx-zhaizi",
                    city="三门峡市",
                    county="卢氏县",
                    village="寨子村",
                    speakers=["li-jianguo"],
                )
            ],
        },
    )
    catalog = build_catalog(root, root / "docs", CampaignSettings(), include_drafts=False)
    assert catalog.problems == (), storykit.problems_text(catalog.problems)
    return catalog


def image(name: str) -> ImageAsset:
    return ImageAsset(
        480,
        360,
        (
            Variant(f"media/{name}-480.webp", 480, 360, "webp"),
            Variant(f"media/{name}-480.jpg", 480, 360, "jpeg"),
        ),
    )


def media_for(catalog: Catalog) -> MediaPublication:
    """Derived images for 寨子村's pair, as the media step would publish them."""
    story = next(s for s in catalog.stories if s.folder == "2021-04-24-zhaizi")
    assets = StoryAssets(
        {
            ("pairs[0].before", "before.jpg"): image("before"),
            ("pairs[0].after", "after.jpg"): image("after"),
        }
    )
    return MediaPublication(assets={story.source_path: assets})


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return make_catalog(tmp_path_factory.mktemp("village-views"))


@pytest.fixture(scope="module")
def views(catalog: Catalog) -> dict[str, View]:
    return {view.url: view for view in village_views(catalog, media_for(catalog), load_gazetteer())}


def rendering(*, full_text: bool = False) -> Rendering:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(OVERRIDES))
    safehtml.autoescape_overrides(env, OVERRIDES)
    # The published script names, a global of the build's environment (site.py).
    env.globals["assets"] = SiteAssets(scripts={"pairs.js": "assets/pairs.0123456789.js"})
    return Rendering(env, "../../../..", full_text)


def profile_body() -> Markup:
    """The profile's body as MkDocs renders and the hooks sanitize it."""
    return safehtml.sanitize_body(
        '<h2 id="_1">村情</h2>\n<p>黄河故道最后一道弯上的村子。</p>\n'
        '<h2 id="_2">话未来</h2>\n<p>再改造二十个闲置院落。</p>\n'
        '<h2 id="_3">附记</h2>\n<p>村史馆周末开放。</p>'
    )


def village(views: dict[str, View], url: str) -> VillageView:
    view = views[url]
    assert isinstance(view, VillageView)
    return view


# -- index, city and county pages ------------------------------------------------------------


def test_index_counts_every_village_and_story_by_city(views: dict[str, View]) -> None:
    index = views["villages/"]
    assert isinstance(index, VillageIndexView)
    directory = index.context()["directory"]
    assert (directory.village_count, directory.story_count) == (2, 4)
    assert [city.name for city in directory.with_villages] == ["开封市", "三门峡市"]
    kaifeng = directory.with_villages[0]
    assert (kaifeng.village_count, kaifeng.story_count) == (1, 3)
    assert [(v.name, v.story_count, v.url) for v in kaifeng.counties[0].villages] == [
        ("张庄村", 3, ZHANGZHUANG)
    ]
    # Every other city is named, linking to its (empty) page.
    without = {city.name: city.url for city in directory.without_villages}
    assert without["郑州市"] == "villages/zhengzhou/"
    assert len(without) + 2 == len(load_gazetteer().cities)


def test_city_page_lists_its_counties_with_counts_and_links(views: dict[str, View]) -> None:
    page = views["villages/kaifeng/"]
    assert isinstance(page, CityVillagesView)
    assert page.title == "开封市的村庄" and page.template == "village-city.html"
    city = page.context()["city"]
    assert (city.village_count, city.story_count) == (1, 3)
    assert city.stories_url == "stories/city/kaifeng/"
    [county] = city.counties
    assert (county.name, county.slug, county.url) == (
        "兰考县",
        "lankao",
        "villages/kaifeng/lankao/",
    )
    assert (county.village_count, county.story_count) == (1, 3)
    card = county.villages[0]
    assert (card.township, card.exit_year, card.pending) == ("东坝头镇", 2017, False)
    assert page.context()["villages_url"] == "villages/"
    empty = views["villages/zhengzhou/"].context()["city"]
    assert (empty.counties, empty.village_count, empty.story_count) == ((), 0, 0)


def test_city_page_shows_its_newest_stories_under_its_counties(
    views: dict[str, View], catalog: Catalog
) -> None:
    """Three of 开封市's stories, newest first; 三门峡市 has one; a city without stories none."""
    kaifeng = views["villages/kaifeng/"].context()["latest"]
    newest = [s.url for s in catalog.stories if s.place.city_slug == "kaifeng"][:CITY_LATEST]
    assert [card.url for card in kaifeng] == newest and len(newest) == CITY_LATEST
    assert [card.title for card in views["villages/sanmenxia/"].context()["latest"]] == [
        "从土坯房到小楼房"
    ]
    assert views["villages/zhengzhou/"].context()["latest"] == ()


def test_county_page_is_where_a_trimmed_village_url_lands(views: dict[str, View]) -> None:
    page = views["villages/sanmenxia/lushi/"]
    assert isinstance(page, CountyVillagesView)
    assert page.title == "卢氏县的村庄"
    context = page.context()
    assert context["city"].url == "villages/sanmenxia/"
    county = context["county"]
    assert (county.village_count, county.story_count) == (1, 1)
    card = county.villages[0]
    assert (card.name, card.url, card.pending, card.exit_year) == ("寨子村", ZHAIZI, True, None)
    # Only counties with villages have a page.
    assert "villages/kaifeng/qixian/" not in views


# -- the village page's view model -----------------------------------------------------------


def test_village_article_is_finished(views: dict[str, View]) -> None:
    view = village(views, ZHANGZHUANG)
    assert view.source == "villages/kaifeng/lankao/zhangzhuang.md" and view.searchable
    article = view.context()["village"]
    assert [(link.text, link.url) for link in article.trail] == [
        ("村庄", "villages/"),
        ("开封市", "villages/kaifeng/"),
        ("兰考县", "villages/kaifeng/lankao/"),
    ]
    assert (article.name, article.township, article.story_count) == ("张庄村", "东坝头镇", 3)
    assert article.facts is not None
    assert article.facts.support_units == "兰考县农业农村局、兰考县供电公司"
    # Stories by activity in campaign order, newest first in each, with counts and links.
    assert [(g.name, g.count, g.url) for g in article.story_groups] == [
        ("入户访", 2, "stories/activity/ruhufang/"),
        ("亮成果", 1, "stories/activity/liangchengguo/"),
    ]
    cards = article.story_groups[0].stories
    assert [card.url for card in cards] == ["stories/2021-04-01-b/", "stories/2021-03-12-a/"]
    # First secretaries as text: earliest first, the one without an end still serving.
    terms = [
        (t.name, t.start.text, t.start.iso, t.end.text if t.end else None, t.serving)
        for t in article.secretaries
    ]
    assert terms == [
        ("赵明远", "2014年3月", "2014-03", "2017年8月", False),
        ("郭文静", "2017年9月", "2017-09", None, True),
    ]
    assert article.chart is not None
    assert article.chart.description == "2016 年 0.5 万元；2020 年 43.6 万元"
    assert [(link.text, link.url) for link in article.more] == [
        ("开封市的村庄", "villages/kaifeng/"),
        ("开封市的采风作品", "stories/city/kaifeng/"),
        ("全部村庄", "villages/"),
    ]


def test_village_talks_come_from_the_catalog_by_date(views: dict[str, View]) -> None:
    zhangzhuang = village(views, ZHANGZHUANG).context()["village"].talks
    assert [talk.anchor for talk in zhangzhuang.talks] == ["t-kf-first", "t-kf-later"]
    assert (zhangzhuang.place, zhangzhuang.schedule_url) == ("张庄村", "troupe/schedule/")
    zhaizi = village(views, ZHAIZI).context()["village"].talks
    assert [talk.anchor for talk in zhaizi.talks] == ["t-smx-zhaizi"]


def test_village_without_profile(views: dict[str, View]) -> None:
    view = village(views, ZHAIZI)
    assert view.generated and view.src_uri == f"{ZHAIZI}index.md"
    article = view.context()["village"]
    assert (article.facts, article.chart, article.secretaries) == (None, None, ())
    assert [link.text for link in article.trail] == ["村庄", "三门峡市", "卢氏县"]
    assert [view.story.folder for view in article.pairs.views] == ["2021-04-24-zhaizi"]
    assert article.pairs.count == 1


# -- the village page's content --------------------------------------------------------------


def test_content_is_the_whole_article_in_reading_order(views: dict[str, View]) -> None:
    html = village(views, ZHANGZHUANG).content(profile_body(), rendering())
    order = [
        "<h1>张庄村</h1>",
        "黄河故道最后一道弯上的村子",
        "村史馆周末开放",  # 村情 is the body without the 话未来 section
        "村集体经济收入",
        "驻村第一书记",
        'id="hp-village-stories"',
        "第一场",
        "第二场",
        "再改造二十个闲置院落",  # 话未来 last
    ]
    places = [html.index(text) for text in order]
    assert places == sorted(places), html
    assert html.count("再改造二十个闲置院落") == 1
    assert '<a href="../../../../villages/kaifeng/lankao/">兰考县</a>' in html
    assert '<a href="../../../../stories/activity/ruhufang/">入户访</a>' in html
    assert '<a href="../../../../troupe/schedule/">宣讲团全部日程 ›</a>' in html
    assert re.search(r'<section class="hp-village-section hp-village-plans">', html)


def test_content_of_a_generated_village_page(views: dict[str, View]) -> None:
    html = village(views, ZHAIZI).content(Markup(""), rendering())
    assert "资料待补充" in html and "hp-chart" not in html and "hp-village-plans" not in html
    assert "hp-village-intro" not in html
    # The pair links to its story; its photos load lazily, after the stories.
    assert html.count("data-hp-pair ") == 1
    assert "fetchpriority" not in html and 'loading="lazy"' in html
    assert "宣讲团在寨子村" in html


def test_search_indexes_the_header_and_the_text_only_with_full_text(
    views: dict[str, View],
) -> None:
    view = village(views, ZHANGZHUANG)
    header_only = indexed(view.content(profile_body(), rendering()))
    assert header_only.found_by("张庄村") and header_only.found_by("766")
    for text in ("黄河故道", "再改造", "郭文静", "第一场", "43.6", "2021年"):
        assert not header_only.found_by(text), text
    full = indexed(view.content(profile_body(), rendering(full_text=True)))
    assert full.found_by("黄河故道") and full.found_by("再改造") and full.found_by("村史馆")
    for text in ("郭文静", "第一场", "43.6"):  # the generated parts never
        assert not full.found_by(text), text


def test_the_view_carries_nothing_between_events(views: dict[str, View]) -> None:
    view = village(views, ZHANGZHUANG)
    before = view.context()
    first = view.content(profile_body(), rendering())
    other = view.content(safehtml.sanitize_body("<h2>话未来</h2><p>另一份打算。</p>"), rendering())
    assert view.context() == before
    assert "再改造" in first and "再改造" not in other and "另一份打算" in other
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.village = before["village"]  # type: ignore[misc]


def test_stories_and_talks_are_shown_as_listings_and_the_schedule_show_them(
    views: dict[str, View],
) -> None:
    html = village(views, ZHANGZHUANG).content(profile_body(), rendering())
    card = re.search(r'<li class="hp-card">.*?</li>', html, re.DOTALL)
    assert card, html
    # The newest story of the first activity: its link, date, place and byline.
    assert 'href="../../../../stories/2021-04-01-b/"' in card.group(0)
    for text in ("2021年4月1日", "王小红", "开封市 › 兰考县 › 东坝头镇 › 张庄村", "入户访"):
        assert text in card.group(0), text
    talk = re.search(r'<li class="tp-talk .*?</li>', html, re.DOTALL)
    assert talk, html
    for text in ("2021年4月2日", "09:30", "10:30", "第一场", "村委会广场", "计划"):
        assert text in talk.group(0), text
    assert '<a href="../../../../troupe/members/wang-xiaohong/">王小红</a>' in talk.group(0)
