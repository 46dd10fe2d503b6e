"""No page grows with the province (DESIGN.md: "Pages cost the same at 10 stories and at
10,000"; issue 13: no HTML page over 100 KB at any size).

A synthetic Catalog the size of Henan's campaign (10,000 villages in every county, 50,000
stories, a county of 600 villages, a village with 150 stories and their before-and-after
pairs) is made in memory, its overview pages are rendered with the real templates, and each
page's content must leave room for the theme around it (`sitekit.CHROME_BUDGET`, checked on
the built sample site by tests/build/test_village_build.py) under `sitekit.PAGE_BUDGET`.
Before these pages were bounded, the content of /villages/ was about 1 MB at this size, a
city's villages page up to 460 KB, a county's 220 KB, the busy village's page 840 KB and a
city's progress page 170 KB.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import jinja2
import pytest
import sitekit
from huatuopin import safehtml
from huatuopin.assets import SiteAssets
from huatuopin.catalog import Catalog
from huatuopin.gazetteer import load_gazetteer
from huatuopin.media.pipeline import MediaPublication
from huatuopin.media.records import ImageAsset, StoryAssets, Variant
from huatuopin.models import Area, Author, CheckedStory, Pair, Place, Story
from huatuopin.settings import CampaignSettings
from huatuopin.troupe.models import Troupe
from huatuopin.validate import Validated
from huatuopin.views import Rendering, View
from huatuopin.views.chrome import site_chrome
from huatuopin.views.progress import progress_views
from huatuopin.views.villages import (
    VILLAGE_PAIRS,
    CityVillagesView,
    CountyVillagesView,
    VillageIndexView,
    VillageStoriesView,
    VillageView,
    village_views,
)
from huatuopin.villages.records import Village, Villages
from huatuopin.vocab import ACTIVITIES
from markupsafe import Markup

OVERRIDES = Path(__file__).resolve().parents[2] / "overrides"

# Bytes of a page's content: what the theme's page around it leaves of the page's budget.
CONTENT_BUDGET = sitekit.PAGE_BUDGET - sitekit.CHROME_BUDGET

VILLAGES = 10_000
STORIES_PER_VILLAGE = 5  # 50,000 stories
BIG_COUNTY_VILLAGES = 600  # the most a county of Henan has, about
BUSY_VILLAGE_STORIES = 150
BUSY_PAIRS_PER_STORY = 2

SURNAMES = "张李王刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
ENDINGS = ("庄", "营", "寨", "楼", "岗", "店", "集", "湾", "沟", "坡", "屯", "园")


def village_name(number: int) -> str:
    """A three- or four-character name as the province writes them (张庄村, 王家营村)."""
    surname = SURNAMES[number % len(SURNAMES)]
    ending = ENDINGS[(number // len(SURNAMES)) % len(ENDINGS)]
    middle = "家" if (number // (len(SURNAMES) * len(ENDINGS))) % 2 else ""
    return f"{surname}{middle}{ending}村"


def story_of(number: int, village: Village, *, pairs: int = 0) -> Story:
    date = dt.date(2021, 1, 10) + dt.timedelta(days=number % 170)
    folder = f"{date.isoformat()}-s{number}"
    checked = CheckedStory(
        folder=folder,
        source_path=f"docs/stories/{folder}/index.md",
        src_uri=f"stories/{folder}/index.md",
        title=f"{village.name}的脱贫故事：从土坯房到小楼房的第{number}个春天",
        date=date,
        activity=ACTIVITIES[number % len(ACTIVITIES)].name,
        place=village.place,
        form="文章",
        authors=(Author("王小红", "媒体记者", "开封日报"), Author("李建国", "驻村工作队")),
        summary="驻村工作队陪老党员算了一笔收入账：光伏、合作社和外出务工，"
        "一年下来比五年前多了两万多元，老人说党的政策好，咱自己也得使劲干。",
        pairs=tuple(
            Pair(f"b{p}.jpg", f"a{p}.jpg", 2016, 2021, "住房", "危房改造前后的院子")
            for p in range(pairs)
        ),
        consent=pairs > 0,
        tags=("光伏", "合作社"),
    )
    return Story.of(checked, village)


def image(name: str) -> ImageAsset:
    widths = (480, 720, 1080, 1600)  # DESIGN.md, "Media"
    return ImageAsset(
        1600,
        1200,
        tuple(
            Variant(f"media/{name}-{w}.{ext}", w, w * 3 // 4, fmt)
            for w in widths
            for ext, fmt in (("webp", "webp"), ("jpg", "jpeg"))
        ),
    )


def province() -> tuple[Catalog, MediaPublication]:
    """Every county of the gazetteer with villages; the first county has BIG_COUNTY_VILLAGES
    of them, its first village BUSY_VILLAGE_STORIES stories with pairs."""
    gazetteer = load_gazetteer()
    areas = [
        Area(city.name, county.name, city.slug, county.slug)
        for city in gazetteer.cities.values()
        for county in city.counties.values()
    ]
    per_county, left = divmod(VILLAGES - BIG_COUNTY_VILLAGES, len(areas) - 1)
    villages: list[Village] = []
    for index, area in enumerate(areas):
        count = BIG_COUNTY_VILLAGES if index == 0 else per_county + (index <= left)
        villages += [
            Village(Place(area, village_name(n), f"{area.county[:2]}镇"), f"v{n}")
            for n in range(count)
        ]
    stories: list[Story] = []
    assets: dict[str, StoryAssets] = {}
    for number in range(BUSY_VILLAGE_STORIES):
        story = story_of(number, villages[0], pairs=BUSY_PAIRS_PER_STORY)
        stories.append(story)
        assets[story.source_path] = StoryAssets(
            {
                (f"pairs[{p}].{side}", f"{side[0]}{p}.jpg"): image(f"{number}-{side}{p}")
                for p in range(BUSY_PAIRS_PER_STORY)
                for side in ("before", "after")
            }
        )
    for index, village in enumerate(villages[1:], start=1):
        for copy in range(STORIES_PER_VILLAGE):
            stories.append(story_of(index * STORIES_PER_VILLAGE + copy + 1000, village))
    stories.sort(key=lambda story: story.sort_key, reverse=True)
    settings = CampaignSettings()
    validated = Validated(
        settings=settings,
        include_drafts=False,
        stories=(),
        story_sources={},
        rejected_places=(),
        profiles=(),
        members=(),
        talks=(),
        member_ids={},
        site_pages=frozenset(),
        problems=(),
        rejected=(),
        hints=(),
        skipped_drafts=(),
    )
    catalog = Catalog(
        settings=settings,
        stories=tuple(stories),
        villages=Villages.of(villages),
        troupe=Troupe((), ()),
        site_pages=frozenset(),
        problems=(),
        hints=(),
        rejected=(),
        skipped_drafts=(),
        validated=validated,
    )
    return catalog, MediaPublication(assets=assets)


@pytest.fixture(scope="module")
def catalog_and_media() -> tuple[Catalog, MediaPublication]:
    return province()


@pytest.fixture(scope="module")
def views(catalog_and_media: tuple[Catalog, MediaPublication]) -> dict[str, View]:
    catalog, media = catalog_and_media
    return {view.url: view for view in village_views(catalog, media, load_gazetteer())}


def environment(catalog: Catalog) -> jinja2.Environment:
    """Our templates as the build loads them, with the theme's page reduced to the content
    block: what is measured is ours, the theme's part is `sitekit.CHROME_BUDGET`."""
    loader = jinja2.ChoiceLoader(
        [
            jinja2.DictLoader({"main.html": "{% block content %}{% endblock %}"}),
            jinja2.FileSystemLoader(OVERRIDES),
        ]
    )
    env = jinja2.Environment(loader=loader)
    safehtml.autoescape_overrides(env, OVERRIDES)
    env.globals["assets"] = SiteAssets(scripts={"pairs.js": "assets/pairs.0123456789.js"})
    env.globals["chrome"] = site_chrome(catalog, load_gazetteer(), serving=False)
    return env


class Page:
    """What a page's template is given by the hooks: its content and title."""

    def __init__(self, title: str, content: Markup) -> None:
        self.title = title
        self.content = content


def rendered(view: View, env: jinja2.Environment) -> str:
    base_url = "/".join(".." for _ in view.url.strip("/").split("/"))
    content = view.content(Markup(""), Rendering(env, base_url, False))
    context = {**view.context(), "base_url": base_url, "page": Page(view.title, content)}
    return env.get_template(view.template).render(context)


def weight(html: str) -> int:
    return len(html.encode("utf-8"))


def test_the_province_is_as_big_as_the_campaign(
    catalog_and_media: tuple[Catalog, MediaPublication],
) -> None:
    catalog, _ = catalog_and_media
    assert len(catalog.villages) == VILLAGES
    assert len(catalog.stories) >= 50_000
    counties = {(v.city, v.county) for v in catalog.villages.values()}
    assert len(counties) >= 157


def overview_pages(views: dict[str, View]) -> list[View]:
    """The index, every city page, every page of every county, the busiest village's page
    and its older stories' pages: the pages whose size once grew with the province."""
    busiest = max(
        (view for view in views.values() if isinstance(view, VillageView)),
        key=lambda view: view.village.story_count,
    )
    return [
        view
        for view in views.values()
        if isinstance(view, VillageIndexView | CityVillagesView | CountyVillagesView)
        or view is busiest
        or (isinstance(view, VillageStoriesView) and view.url.startswith(busiest.url))
    ]


def test_no_overview_page_outgrows_the_budget(
    views: dict[str, View], catalog_and_media: tuple[Catalog, MediaPublication]
) -> None:
    env = environment(catalog_and_media[0])
    pages = overview_pages(views)
    weights = {view.url: weight(rendered(view, env)) for view in pages}
    over = {url: size for url, size in weights.items() if size > CONTENT_BUDGET}
    assert over == {}
    kinds = {type(view) for view in pages}
    assert kinds == {
        VillageIndexView,
        CityVillagesView,
        CountyVillagesView,
        VillageView,
        VillageStoriesView,
    }


def test_the_busy_village_shows_its_newest_stories_and_links_the_rest(
    views: dict[str, View], catalog_and_media: tuple[Catalog, MediaPublication]
) -> None:
    catalog, _ = catalog_and_media
    env = environment(catalog)
    busy = views[busy_village(catalog).url]
    assert isinstance(busy, VillageView)
    html = rendered(busy, env)
    per_page = catalog.settings.stories_per_page
    shown = re.findall(r'class="hp-card__link[^"]*" href="[./]*/(stories/[^"]+)"', html)
    assert len(shown) == per_page
    newest = [story.url for story in catalog.stories_of(busy_village(catalog))]
    assert shown and set(shown) == set(newest[:per_page])
    assert f"最新的 {per_page} 篇" in html
    # The pairs of the newest stories, as many as a page can carry, and where the rest are.
    pairs = html.count('<figure class="hp-pair"')
    assert pairs == VILLAGE_PAIRS < BUSY_VILLAGE_STORIES * BUSY_PAIRS_PER_STORY
    assert f"这里是最新作品里的 {VILLAGE_PAIRS} 组" in html
    # Every older story is on one of the village's listing pages, each linked from the one
    # before it.
    older: list[str] = []
    url = busy.village.pager.next_url
    while url is not None:
        page = views[url]
        assert isinstance(page, VillageStoriesView)
        assert page.url.startswith(busy.url) and "/page/" in page.url
        older += [card.url for card in page.listing.cards]
        url = page.listing.pager.next_url
    assert older == newest[per_page:]


def busy_village(catalog: Catalog) -> Village:
    return max(catalog.villages.values(), key=lambda village: len(catalog.stories_of(village)))


def test_a_village_is_four_links_from_home(
    views: dict[str, View], catalog_and_media: tuple[Catalog, MediaPublication]
) -> None:
    """home → /villages/ → its city → its county (the page it is on) → the village, for every
    village of the province."""
    catalog, _ = catalog_and_media
    env = environment(catalog)
    links = re.compile(r'href="[./]*/([^"#]*)"')
    reachable: set[str] = set()
    index = views["villages/"]
    for city_url in links.findall(rendered(index, env)):
        city = views.get(city_url)
        if not isinstance(city, CityVillagesView):
            continue
        for county_url in links.findall(rendered(city, env)):
            county = views.get(county_url)
            if not isinstance(county, CountyVillagesView):
                continue
            # The county's first page, then the pages its pager links, one after another.
            page: CountyVillagesView | None = county
            while page is not None:
                reachable.update(links.findall(rendered(page, env)))
                next_url = page.pager.next_url
                page = views[next_url] if next_url else None  # type: ignore[assignment]
    assert {village.url for village in catalog.villages.values()} <= reachable


def test_every_progress_city_page_stays_in_budget(
    catalog_and_media: tuple[Catalog, MediaPublication],
) -> None:
    catalog, _ = catalog_and_media
    env = environment(catalog)
    pages, _ = progress_views(catalog, load_gazetteer())
    weights = {view.url: weight(rendered(view, env)) for view in pages}
    assert {url: size for url, size in weights.items() if size > CONTENT_BUDGET} == {}
