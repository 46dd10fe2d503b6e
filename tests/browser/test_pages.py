"""The site on a phone: Chromium through Playwright, at 390×844 with touch, offline.

Every request is checked: anything not going to 127.0.0.1 is aborted and fails the test,
since the public reads this site on slow rural networks where foreign CDNs are blocked.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import sitekit
from huatuopin.settings import CampaignSettings
from huatuopin.vocab import ACTIVITIES
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CAMPAIGN_TITLE = "话脱贫 · 感党恩 · 奋进新时代"
PREFERRED_VILLAGE = "裴寨村"

VALID_FOLDER = "2021-03-12-zhangzhuang-guangfu"
BROKEN_FOLDER = "2021-03-13-zhangzhuang-cuowu"


def published_samples() -> dict[str, dict[str, Any]]:
    return {
        folder: meta for folder, meta in sitekit.repo_stories().items() if not meta.get("draft")
    }


def first_paragraph(folder: str) -> str:
    """The opening words of a sample story's body, as the page should show them."""
    text = (sitekit.REPO_ROOT / sitekit.STORIES / folder / "index.md").read_text("utf-8")
    body = text.split("---\n", 2)[2]
    paragraph = next(p for p in body.split("\n\n") if p.strip() and not p.startswith("#"))
    return paragraph.strip()[:24]


# -- the built sample site -------------------------------------------------------------------


def test_home_page(phone: sitekit.Phone, sample_site: sitekit.StaticSite) -> None:
    page = phone.open(sample_site.url("/"))
    expect(page.locator("h1").first).to_have_text(CAMPAIGN_TITLE)
    for activity in ACTIVITIES:
        link = page.locator(f'a[href$="stories/activity/{activity.slug}/"]', has_text=activity.name)
        expect(link.first).to_be_visible()
    phone.assert_no_horizontal_scroll()
    phone.screenshot("home")


def test_story_page(phone: sitekit.Phone, sample_site: sitekit.StaticSite) -> None:
    samples = published_samples()
    folder = next(f for f, meta in samples.items() if meta["village"] == PREFERRED_VILLAGE)
    meta = samples[folder]
    page = phone.open(sample_site.url(f"/stories/{folder}/"))
    expect(page.locator("h1").first).to_have_text(meta["title"])
    parts = [meta["city"], meta["county"], meta.get("township"), meta["village"]]
    trail = r"\s*›\s*".join(re.escape(part) for part in parts if part)
    expect(page.get_by_text(re.compile(trail)).first).to_be_visible()
    if meta.get("sample"):
        expect(page.get_by_text("示例内容", exact=True).first).to_be_visible()
    expect(page.get_by_text(first_paragraph(folder), exact=False).first).to_be_visible()
    phone.assert_no_horizontal_scroll()
    phone.screenshot("story")


STORY_CARD_LINKS = "main ol li a[href*='stories/20']"


def check_listing(phone: sitekit.Phone, base_url: str, total: int, per_page: int) -> None:
    """/stories/ shows its first cards, and a working pager exactly when there is more."""
    page = phone.open(f"{base_url}/stories/")
    cards = page.locator(STORY_CARD_LINKS)
    expect(cards).to_have_count(min(total, per_page))
    expect(cards.first).to_be_visible()
    next_link = page.get_by_role("link", name=re.compile("下一页"))
    if total <= per_page:
        expect(next_link).to_have_count(0)
        return
    pages = -(-total // per_page)
    expect(page.get_by_text(f"第 1 / {pages} 页")).to_be_visible()
    phone.assert_no_horizontal_scroll()
    next_link.click()
    page.wait_for_url(re.compile(r"/stories/page/2/$"))
    expect(page.locator(STORY_CARD_LINKS)).to_have_count(min(total - per_page, per_page))
    expect(page.get_by_role("link", name=re.compile("上一页"))).to_be_visible()
    phone.assert_no_horizontal_scroll()
    page.go_back()
    page.wait_for_url(re.compile(r"/stories/$"))


def test_story_listing(phone: sitekit.Phone, sample_site: sitekit.StaticSite) -> None:
    per_page = CampaignSettings.from_extra(sitekit.read_config()["extra"]).stories_per_page
    check_listing(phone, sample_site.base_url, len(published_samples()), per_page)
    phone.assert_no_horizontal_scroll()
    phone.screenshot("stories")


def test_story_listing_pages(phone: sitekit.Phone, tmp_path: Path) -> None:
    """The sample may fit on one page; five stories at two a page take three."""
    stories = {
        f"2021-03-{day:02d}-zhangzhuang": sitekit.story_text(
            f"张庄的第 {day} 篇", activity="入户访"
        )
        for day in range(10, 15)
    }
    project = sitekit.make_project(tmp_path / "project", stories, campaign={"stories_per_page": 2})
    result = sitekit.build(project)
    assert result.returncode == 0, result.output
    with sitekit.serve_directory(result.site_dir) as base_url:
        check_listing(phone, base_url, total=5, per_page=2)
        phone.screenshot("stories-paged", full_page=False)
        # Let late requests finish, and leave, before this server goes away.
        phone.page.wait_for_load_state("networkidle")
        phone.page.goto("about:blank")


# -- mkdocs serve of a fixture site ----------------------------------------------------------


def test_problems_page_under_serve(
    phone: sitekit.Phone, tmp_path: Path, serve_project: sitekit.ServeProjectFactory
) -> None:
    project = sitekit.make_project(
        tmp_path / "project",
        {
            VALID_FOLDER: sitekit.story_text("张庄的光伏板", activity="入户访"),
            BROKEN_FOLDER: sitekit.story_text("活动写错了", activity="回乡看"),
        },
    )
    served = serve_project(project)
    page = phone.open(served.url("/"))
    banner = page.locator('a[href$="problems/"]').filter(has_text="待修正")
    expect(banner).to_be_visible()
    banner.click()
    page.wait_for_url(re.compile(r"/problems/$"))
    broken_path = f"docs/stories/{BROKEN_FOLDER}/index.md"
    expect(page.get_by_text(broken_path)).to_be_visible()
    broken_text = (project / sitekit.STORIES / BROKEN_FOLDER / "index.md").read_text("utf-8")
    line = sitekit.line_of(broken_text, "activity:", starts=True)
    expect(page.get_by_text(f"第 {line} 行")).to_be_visible()
    expect(page.locator("code", has_text=re.compile(r"^activity$"))).to_be_visible()
    expect(page.get_by_text(VALID_FOLDER)).to_have_count(0)
    phone.assert_no_horizontal_scroll()
    phone.screenshot("problems")
