"""The views of the stories' area as a reader sees them: story pages, the listings, the home
page, the problems page of a preview, and the chrome around every page."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import storykit
from huatuopin.catalog import Catalog, build_catalog
from huatuopin.gazetteer import load_gazetteer
from huatuopin.media.pipeline import MediaPublication
from huatuopin.settings import CampaignSettings
from huatuopin.views import View
from huatuopin.views.build import build_views
from huatuopin.views.chrome import site_chrome
from huatuopin.views.home import HomeView
from huatuopin.views.problems import ProblemsView
from huatuopin.views.stories import StoryListingView, StoryView, story_views
from huatuopin.vocab import ACTIVITIES

PEIZHAI = {"city": "新乡市", "county": "辉县市", "township": storykit.DELETE, "village": "裴寨村"}

# Newest first: what every listing shows.
STORIES = {
    "2021-05-01-peizhai-caomei": {**PEIZHAI, "title": "裴寨的草莓", "activity": "回村看"},
    "2021-04-01-zhangzhuang-hezuoshe": {"title": "合作社", "activity": "入户访"},
    "2021-03-12-zhangzhuang": {"title": "光伏板"},
}
DATES = {"2021-05-01-peizhai-caomei": "2021-05-01", "2021-04-01-zhangzhuang-hezuoshe": "2021-04-01"}


def write_stories(root: Path) -> None:
    for folder, overrides in STORIES.items():
        date = DATES.get(folder)
        values = {**overrides, **({"date": date} if date else {})}
        storykit.write_story(root, values, folder=folder)
    (root / "docs" / "index.md").write_text("---\ntitle: 首页\n---\n\n欢迎。\n", encoding="utf-8")


def catalog_of(root: Path, *, per_page: int = 2, serving: bool = False) -> Catalog:
    settings = dataclasses.replace(CampaignSettings(), stories_per_page=per_page)
    return build_catalog(root, root / "docs", settings, include_drafts=serving)


def views_by_url(catalog: Catalog, *, serving: bool = False) -> dict[str, View]:
    views = story_views(catalog, MediaPublication(), load_gazetteer(), serving=serving)
    return {view.url: view for view in views}


@pytest.fixture
def site(tmp_path: Path) -> dict[str, View]:
    write_stories(tmp_path)
    return views_by_url(catalog_of(tmp_path))


def folders(view: View) -> list[str]:
    assert isinstance(view, StoryListingView)
    return [card.url.split("/")[1] for card in view.listing.cards]


# -- story pages -------------------------------------------------------------------------------


def test_a_story_page_links_to_its_activity_city_village_and_all_stories(
    site: dict[str, View],
) -> None:
    view = site["stories/2021-03-12-zhangzhuang/"]
    assert isinstance(view, StoryView)
    assert (view.source, view.template, view.title) == (
        "stories/2021-03-12-zhangzhuang/index.md",
        "story.html",
        "光伏板",
    )
    story = view.context()["story"]
    assert (story.activity, story.activity_url) == ("回村看", "stories/activity/huicunkan/")
    assert (story.city, story.city_url) == ("开封市", "stories/city/kaifeng/")
    assert story.between == ("兰考县", "东坝头镇")
    assert (story.village, story.village_url) == ("张庄村", "villages/kaifeng/lankao/zhangzhuang/")
    assert story.all_stories_url == "stories/"
    assert (story.date.iso, story.date.text) == ("2021-03-12", "2021年3月12日")
    assert [author.name for author in story.authors] == ["王小红"]


def test_a_village_that_is_its_county_has_nothing_between(tmp_path: Path) -> None:
    """济源示范区 has no county: the trail goes from the city to the village."""
    jiyuan = {
        "city": "济源示范区",
        "county": "济源示范区",
        "township": "思礼镇",
        "village": "水洪池村",
    }
    storykit.write_story(tmp_path, jiyuan)
    (view,) = [v for v in views_by_url(catalog_of(tmp_path)).values() if isinstance(v, StoryView)]
    assert view.context()["story"].between == ("思礼镇",)


# -- listings ----------------------------------------------------------------------------------


def test_all_stories_are_listed_newest_first_two_a_page(site: dict[str, View]) -> None:
    first, second = site["stories/"], site["stories/page/2/"]
    assert "stories/page/3/" not in site
    assert folders(first) + folders(second) == list(STORIES)
    assert (first.title, second.title) == ("采风作品", "采风作品（第 2 页）")
    listing = first.context()["listing"]
    assert (listing.title, listing.total) == ("采风作品", 3)
    assert second.context()["listing"].title == "采风作品", "the heading has no page number"
    assert (listing.pager.number, listing.pager.page_count) == (1, 2)
    assert (listing.pager.previous_url, listing.pager.next_url) == (None, "stories/page/2/")
    assert second.context()["listing"].pager.previous_url == "stories/"


def test_a_card_shows_the_story_finished(site: dict[str, View]) -> None:
    card = site["stories/"].context()["listing"].cards[0]
    assert card.url == "stories/2021-05-01-peizhai-caomei/"
    assert (card.title, card.activity, card.form) == ("裴寨的草莓", "回村看", "文章")
    assert card.trail == "新乡市 › 辉县市 › 裴寨村"
    assert card.date.text == "2021年5月1日"
    assert card.byline == "王小红"


def test_every_activity_and_city_has_its_listing_even_empty(site: dict[str, View]) -> None:
    huicunkan = site["stories/activity/huicunkan/"]
    assert folders(huicunkan) == ["2021-05-01-peizhai-caomei", "2021-03-12-zhangzhuang"]
    assert huicunkan.title == "回村看"
    assert huicunkan.context()["listing"].intro == ACTIVITIES[2].purpose
    dajiatan = site["stories/activity/dajiatan/"].context()["listing"]
    assert (dajiatan.total, dajiatan.cards, dajiatan.pager.shown) == (0, (), False)
    kaifeng = site["stories/city/kaifeng/"]
    assert kaifeng.title == "开封市的采风作品"
    assert folders(kaifeng) == ["2021-04-01-zhangzhuang-hezuoshe", "2021-03-12-zhangzhuang"]
    for city in load_gazetteer().cities.values():
        assert f"stories/city/{city.slug}/" in site
    listings = [view for view in site.values() if isinstance(view, StoryListingView)]
    assert all(view.generated and not view.searchable for view in listings)


# -- the home page -----------------------------------------------------------------------------


def test_the_home_page_shows_figures_activities_and_the_latest_stories(
    site: dict[str, View],
) -> None:
    view = site[""]
    assert isinstance(view, HomeView)
    assert (view.source, view.template) == ("index.md", "home.html")
    home = view.context()["home"]
    assert (home.story_count, home.village_count, home.city_count) == (3, 2, 2)
    assert [(a.name, a.count) for a in home.activities] == [
        ("入户访", 1),
        ("大家谈", 0),
        ("回村看", 2),
        ("亮成果", 0),
        ("话未来", 0),
    ]
    assert home.activities[2].url == "stories/activity/huicunkan/"
    assert [card.title for card in home.latest] == ["裴寨的草莓", "合作社", "光伏板"]
    assert home.all_stories_url == "stories/"


def test_the_home_page_shows_six_stories(tmp_path: Path) -> None:
    for day in range(10, 18):
        storykit.write_story(tmp_path, {"date": f"2021-03-{day}"}, folder=f"2021-03-{day}-x")
    (tmp_path / "docs" / "index.md").write_text("# 首页\n", encoding="utf-8")
    home = views_by_url(catalog_of(tmp_path))[""].context()["home"]
    assert home.story_count == 8
    assert [card.url for card in home.latest] == [
        f"stories/2021-03-{day}-x/" for day in range(17, 11, -1)
    ]


def test_without_docs_index_md_there_is_no_home_view(tmp_path: Path) -> None:
    storykit.write_story(tmp_path)
    assert "" not in views_by_url(catalog_of(tmp_path))


# -- the problems page and the chrome ------------------------------------------------------------


def write_problems(root: Path) -> None:
    write_stories(root)
    storykit.write_story(root, {"activity": "回乡看"}, folder="2021-03-13-cuowu")
    (root / "docs" / "stories" / "stray.md").write_text("# 放错了\n", encoding="utf-8")


def test_the_problems_page_lists_problems_by_file_and_marks_the_unpublished(
    tmp_path: Path,
) -> None:
    write_problems(tmp_path)
    catalog = catalog_of(tmp_path, serving=True)
    view = views_by_url(catalog, serving=True)["problems/"]
    assert isinstance(view, ProblemsView)
    assert (view.title, view.template, view.generated) == ("待修正", "problems.html", True)
    report = view.context()["report"]
    assert (report.problem_count, report.file_count) == (2, 2)
    assert [(f.path, f.unpublished) for f in report.files] == [
        ("docs/stories/2021-03-13-cuowu/index.md", True),
        ("docs/stories/stray.md", False),
    ]
    (problem,) = report.files[0].problems
    assert (problem.field, problem.line) == ("activity", 4)


def test_a_build_has_no_problems_page(tmp_path: Path) -> None:
    write_problems(tmp_path)
    assert "problems/" not in views_by_url(catalog_of(tmp_path))


def test_the_chrome_counts_problems_and_leads_to_them_only_in_a_preview(tmp_path: Path) -> None:
    write_problems(tmp_path)
    catalog = catalog_of(tmp_path, serving=True)
    preview = site_chrome(catalog, load_gazetteer(), serving=True)
    assert (preview.problem_count, preview.unpublished_count) == (2, 1)
    assert preview.problems_banner and preview.problems_url == "problems/"
    assert not site_chrome(catalog, load_gazetteer(), serving=False).problems_banner


def test_the_chrome_lists_activities_and_the_cities_with_stories(tmp_path: Path) -> None:
    write_stories(tmp_path)
    chrome = site_chrome(catalog_of(tmp_path), load_gazetteer(), serving=False)
    assert [a.url for a in chrome.activities] == [f"stories/activity/{a.slug}/" for a in ACTIVITIES]
    assert [(c.name, c.url, c.count) for c in chrome.cities] == [
        ("开封市", "stories/city/kaifeng/", 2),
        ("新乡市", "stories/city/xinxiang/", 1),
    ]
    assert not chrome.problems_banner


def test_the_views_of_a_build_carry_its_chrome(tmp_path: Path) -> None:
    write_stories(tmp_path)
    views = build_views(
        catalog_of(tmp_path),
        MediaPublication(),
        load_gazetteer(),
        serving=False,
        site_url=None,
        docs_dir=tmp_path / "docs",
        env=storykit.template_env(),
    )
    assert [c.name for c in views.chrome.cities] == ["开封市", "新乡市"]
    assert isinstance(views.of("index.md"), HomeView)
    assert isinstance(views.of("stories/page/2/index.md"), StoryListingView)
