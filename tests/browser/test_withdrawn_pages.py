"""A withdrawn story's notice and a corrected story, on the phone, from the sample site."""

from __future__ import annotations

import pytest
import sitekit
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def withdrawn_folder() -> str:
    for index in sorted((sitekit.REPO_ROOT / sitekit.STORIES).glob("*/index.md")):
        if "withdrawn" in sitekit.front_matter(index):
            return index.parent.name
    raise AssertionError("the sample content has no withdrawn story")


def corrected_story() -> tuple[str, dict]:
    return next(
        (folder, meta) for folder, meta in sitekit.repo_stories().items() if meta.get("corrections")
    )


def test_the_notice_on_a_phone(phone: sitekit.Phone, sample_site: sitekit.StaticSite) -> None:
    folder = withdrawn_folder()
    withdrawal = sitekit.front_matter(sitekit.REPO_ROOT / sitekit.STORIES / folder / "index.md")[
        "withdrawn"
    ]
    day = withdrawal["date"]

    page = phone.open(sample_site.url(f"/stories/{folder}/"))

    expect(page.locator("h1").first).to_have_text("本文已撤下")
    expect(page.get_by_text("应当事人要求，本文已撤下")).to_be_visible()
    expect(page.get_by_text(f"撤稿日期：{day.year}年{day.month}月{day.day}日")).to_be_visible()
    expect(page.get_by_text(withdrawal["reason"])).to_have_count(0)
    expect(page.locator("main img, main picture")).to_have_count(0)
    page.get_by_role("link", name="看看其他采风作品").click()
    expect(page).to_have_url(sample_site.url("/stories/"))
    phone.open(sample_site.url(f"/stories/{folder}/"))
    phone.assert_no_horizontal_scroll()
    phone.screenshot("withdrawn-notice")


def test_corrections_at_the_end_of_a_story_on_a_phone(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite
) -> None:
    folder, meta = corrected_story()

    page = phone.open(sample_site.url(f"/stories/{folder}/"))

    section = page.locator("section.hp-corrections")
    expect(section.get_by_role("heading", name="更正")).to_be_visible()
    notes = section.locator("li")
    expect(notes).to_have_count(len(meta["corrections"]))
    first = meta["corrections"][0]
    day = first["date"]
    expect(notes.first).to_contain_text(f"{day.year}年{day.month}月{day.day}日")
    expect(notes.first).to_contain_text(first["note"])
    section.scroll_into_view_if_needed()
    phone.assert_no_horizontal_scroll()
    phone.screenshot("story-corrections", full_page=False)
