"""Village pages on a phone: Chromium through Playwright at 390×844 with touch, offline.

Taps from /villages/ through the city and the county reach every sample village, every story
leads to its village, and a village page with an income chart fits the screen with its figures
legible. Screenshots go to
tests/browser/screenshots/ (village-*.png) for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sitekit
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

MAX_TAPS = 3
# The smallest size a figure on the chart may be drawn at, in CSS pixels.
MIN_CHART_TEXT_PX = 11


def sample_villages() -> dict[tuple[str, str, str], list[str]]:
    """(city, county, village) → folders of the published sample stories naming it."""
    villages: dict[tuple[str, str, str], list[str]] = {}
    for folder, data in sitekit.repo_stories().items():
        if not data.get("draft"):
            key = (data["city"], data["county"], data["village"])
            villages.setdefault(key, []).append(folder)
    return villages


def village_heading(page: Page) -> str:
    return page.locator(".hp-village-header h1").inner_text().strip()


def test_three_taps_from_the_village_index_reach_every_sample_village(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite
) -> None:
    villages = sample_villages()
    assert len(villages) >= 6
    for city, county, village in villages:
        page = phone.open(sample_site.url("/villages/"))
        taps = 0
        page.locator(".hp-village-city__title a", has_text=city).tap()
        taps += 1
        page.wait_for_url(re.compile(r"/villages/[a-z]+/$"))
        page.locator(".hp-village-cards__name").get_by_text(county, exact=True).tap()
        taps += 1
        page.wait_for_url(re.compile(r"/villages/[a-z]+/[a-z0-9-]+/$"))
        page.locator(".hp-village-cards__link", has_text=village).tap()
        taps += 1
        page.wait_for_url(re.compile(r"/villages/[a-z]+/[a-z0-9-]+/[a-z0-9-]+/$"))
        assert taps <= MAX_TAPS
        assert village_heading(page) == village
        assert page.url.isascii()
        phone.assert_content_fits()


def test_every_story_leads_to_its_village(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite
) -> None:
    for (_, _, village), folders in sample_villages().items():
        for folder in folders:
            page = phone.open(sample_site.url(f"/stories/{folder}/"))
            page.locator("a.hp-story-header__village").tap()
            page.wait_for_url(re.compile(r"/villages/.+/$"))
            assert village_heading(page) == village, folder
            expect(page.locator(f'.hp-card__link[href$="stories/{folder}/"]')).to_have_count(1)


def test_village_page_with_chart_fits_the_phone_and_is_legible(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite
) -> None:
    page = phone.open(sample_site.url("/villages/kaifeng/lankao/zhangzhuang/"))
    phone.assert_content_fits()
    chart = page.locator("svg.hp-chart__svg")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    # Every figure drawn on the chart is inside it and big enough to read.
    values = page.locator("svg.hp-chart__svg text.hp-chart__value")
    assert values.count() >= 3
    for index in range(values.count()):
        text_box = values.nth(index).bounding_box()
        assert text_box is not None
        assert text_box["height"] >= MIN_CHART_TEXT_PX, text_box
        assert (
            box["x"] <= text_box["x"]
            and text_box["x"] + text_box["width"] <= box["x"] + box["width"]
        )
    # The same numbers as text: the summary, and the table behind 逐年数字.
    expect(page.locator(".hp-chart__summary")).to_contain_text("万元")
    page.locator(".hp-chart__numbers summary").tap()
    expect(page.locator(".hp-chart__table")).to_be_visible()
    phone.assert_content_fits()
    chart.scroll_into_view_if_needed()
    phone.screenshot("village-zhangzhuang")


@pytest.mark.parametrize(
    "url",
    [
        "/villages/",
        "/villages/xinyang/",
        "/villages/zhengzhou/",
        "/villages/xinyang/xinxian/",
        "/villages/xinyang/xinxian/tianpudawan/",
        "/villages/zhoukou/luyi/taiqinggong/",
    ],
)
def test_village_pages_fit_the_phone(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite, url: str
) -> None:
    phone.open(sample_site.url(url))
    phone.assert_content_fits()
    name = "village-" + (url.strip("/").replace("/", "-") or "index")
    phone.screenshot(name, full_page=False)


LONG_PROFILE = """---
name: 张庄村
township: 东坝头镇
county: 兰考县
city: 开封市
income:
{years}
---

黄河故道最后一道弯上的村子。
"""
LONG_STORY = sitekit.story_text("张庄的光伏板")


@pytest.fixture(scope="module")
def long_chart_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site whose one village has sixteen years of income, up to 1234.56 万元."""
    root = tmp_path_factory.mktemp("long-chart") / "project"
    project = sitekit.make_project(root, {"2021-03-12-zhangzhuang": LONG_STORY})
    years = "\n".join(
        f"  {year}: {round(1234.56 * (year - 2004) / 16, 2)}" for year in range(2005, 2021)
    )
    profile = project / "docs" / "villages" / "kaifeng" / "lankao" / "zhangzhuang.md"
    profile.parent.mkdir(parents=True)
    profile.write_text(LONG_PROFILE.format(years=years), "utf-8")
    result = sitekit.build(project, strict=True)
    assert result.returncode == 0, result.output
    with sitekit.serve_directory(result.site_dir) as base_url:
        yield base_url


def test_chart_of_many_years_scrolls_inside_its_frame(
    phone: sitekit.Phone, long_chart_site: str
) -> None:
    page = phone.open(f"{long_chart_site}/villages/kaifeng/lankao/zhangzhuang/")
    phone.assert_content_fits()
    frame = page.locator(".hp-chart__frame")
    sizes = frame.evaluate("f => [f.scrollWidth, f.clientWidth]")
    assert sizes[0] > sizes[1], "sixteen years should scroll sideways, not shrink"
    value = page.locator("svg.hp-chart__svg text.hp-chart__value").last
    text_box = value.bounding_box()
    assert text_box is not None and text_box["height"] >= MIN_CHART_TEXT_PX
    expect(page.locator(".hp-chart__table tbody tr")).to_have_count(16)
    page.locator(".hp-chart__svg").scroll_into_view_if_needed()
    phone.screenshot("village-long-chart", full_page=False)


BUSY_STORIES = {
    f"2021-0{month}-12-zhangzhuang": sitekit.story_text(
        f"张庄的{month}月", date=f"2021-0{month}-12"
    )
    for month in (3, 4, 5)
}


@pytest.fixture(scope="module")
def busy_village_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site of two stories a page whose one village has three stories: its older one is on
    the village's second page."""
    root = tmp_path_factory.mktemp("busy-village") / "project"
    project = sitekit.make_project(root, BUSY_STORIES, campaign={"stories_per_page": 2})
    result = sitekit.build(project, strict=True)
    assert result.returncode == 0, result.output
    with sitekit.serve_directory(result.site_dir) as base_url:
        yield base_url


def test_a_busy_village_pages_its_older_stories(
    phone: sitekit.Phone, busy_village_site: str
) -> None:
    page = phone.open(f"{busy_village_site}/villages/kaifeng/lankao/zhangzhuang/")
    stories = page.locator(".hp-village-section .hp-card__title")
    expect(stories).to_have_count(2)
    expect(page.locator(".hp-village-section__note")).to_contain_text("最新的 2 篇")
    pager = page.locator(".hp-pager")
    pager.scroll_into_view_if_needed()
    phone.assert_content_fits()
    phone.screenshot("village-busy-pager", full_page=False)
    pager.get_by_text("下一页").tap()
    page.wait_for_url(re.compile(r"/villages/kaifeng/lankao/zhangzhuang/page/2/$"))
    expect(page.locator("h1")).to_have_text("张庄村的采风作品")
    expect(page.locator(".hp-card__title")).to_have_text(["张庄的3月"])
    phone.assert_content_fits()
    phone.screenshot("village-busy-page-2", full_page=False)
    page.locator(".hp-pager").get_by_text("上一页").tap()
    page.wait_for_url(re.compile(r"/villages/kaifeng/lankao/zhangzhuang/$"))
