"""Photos, pairs, video and the gallery on a phone: Chromium at 390×844, device pixel ratio 2.

The browser picks a photo variant no wider than 960 px; the before-and-after slider works
with the keyboard and with a finger, and a vertical swipe that starts on it still scrolls the
page; without JavaScript both photos are shown, labelled with their years.
"""

from __future__ import annotations

import re

import pytest
import sitekit
from playwright.sync_api import CDPSession, Page, expect

pytestmark = pytest.mark.browser

PAIRS_STORY = "/stories/2021-03-29-tianpu-huicun-sheying/"
VIDEO_STORY = "/stories/2021-06-23-chongdugou-yitian/"
VARIANT_WIDTH = re.compile(r"-(\d+)\.(?:webp|jpg)$")


def slider_value(page: Page, index: int = 0) -> float:
    return float(page.locator('[role="slider"]').nth(index).get_attribute("aria-valuenow") or -1)


def touch(client: CDPSession, kind: str, x: float = 0, y: float = 0) -> None:
    points = [] if kind == "touchEnd" else [{"x": x, "y": y, "id": 1}]
    client.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def swipe(
    page: Page, start: tuple[float, float], end: tuple[float, float], steps: int = 12
) -> None:
    """A finger on the touch screen, moving from `start` to `end` (CSS pixels of the view)."""
    client = page.context.new_cdp_session(page)
    touch(client, "touchStart", *start)
    for step in range(1, steps + 1):
        x = start[0] + (end[0] - start[0]) * step / steps
        y = start[1] + (end[1] - start[1]) * step / steps
        touch(client, "touchMove", x, y)
        page.wait_for_timeout(16)
    touch(client, "touchEnd")
    page.wait_for_timeout(300)
    client.detach()


def first_slider_box(page: Page) -> dict[str, float]:
    views = page.locator(".hp-pair--slider .hp-pair__views").first
    views.scroll_into_view_if_needed()
    page.evaluate("() => window.scrollBy(0, -120)")  # room above it, and below it to scroll
    page.wait_for_timeout(200)
    box = views.bounding_box()
    assert box is not None
    return box


def test_phone_picks_a_variant_no_wider_than_960(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite
) -> None:
    page = phone.open(sample_site.url(PAIRS_STORY))
    photos = page.locator("main picture img")
    assert photos.count() >= 5
    for index in range(photos.count()):
        photos.nth(index).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('main picture img')].every(i => i.complete)"
    )
    sources = photos.evaluate_all("images => images.map(i => i.currentSrc)")
    for source in sources:
        match = VARIANT_WIDTH.search(source)
        assert match, f"not a derived variant: {source}"
        assert int(match.group(1)) <= 960, f"a phone at DPR 2 downloaded {source}"
        assert source.endswith(".webp"), f"Chromium should take the WebP source: {source}"
    # The first image a reader sees: the first pair's "after" photo (its slider shows it whole).
    eager = page.locator("main img[fetchpriority=high]")
    assert eager.count() == 1
    assert eager.evaluate("i => !!i.closest('.hp-pair__view--after')")
    phone.assert_no_horizontal_scroll()
    page.evaluate("() => window.scrollTo(0, 0)")
    phone.screenshot("media-story")


def test_slider_by_keyboard(phone: sitekit.Phone, sample_site: sitekit.StaticSite) -> None:
    page = phone.open(sample_site.url(PAIRS_STORY))
    slider = page.get_by_role("slider").first
    expect(slider).to_have_attribute("aria-valuenow", "50")
    expect(slider).to_have_attribute("aria-valuemin", "0")
    expect(slider).to_have_attribute("aria-valuemax", "100")
    name = slider.get_attribute("aria-label") or ""
    assert "田铺大塆村口" in name, f"the slider's accessible name: {name!r}"
    expect(slider).to_have_attribute("aria-valuetext", re.compile(r"改造前 2015 50%"))
    slider.focus()
    for key, value in (
        ("ArrowRight", "55"),
        ("ArrowLeft", "50"),
        ("ArrowLeft", "45"),
        ("PageDown", "25"),
        ("Home", "0"),
        ("End", "100"),
        ("ArrowRight", "100"),
    ):
        page.keyboard.press(key)
        expect(slider).to_have_attribute("aria-valuenow", value)
    position = page.locator(".hp-pair").first.evaluate(
        "f => f.style.getPropertyValue('--hp-pair-position')"
    )
    assert position == "100%"


def test_slider_by_touch_and_the_page_still_scrolls(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite
) -> None:
    page = phone.open(sample_site.url(PAIRS_STORY))
    box = first_slider_box(page)
    middle_y = box["y"] + box["height"] / 2
    # A horizontal drag moves the slider with the finger.
    swipe(
        page, (box["x"] + box["width"] * 0.5, middle_y), (box["x"] + box["width"] * 0.85, middle_y)
    )
    assert slider_value(page) > 75, "a sideways drag did not move the slider"
    swipe(
        page, (box["x"] + box["width"] * 0.8, middle_y), (box["x"] + box["width"] * 0.2, middle_y)
    )
    dragged = slider_value(page)
    assert dragged < 30
    # A vertical swipe starting on the photos scrolls the page and leaves the slider alone.
    before = page.evaluate("() => window.scrollY")
    swipe(
        page,
        (box["x"] + box["width"] * 0.5, middle_y),
        (box["x"] + box["width"] * 0.5, middle_y - 250),
    )
    after = page.evaluate("() => window.scrollY")
    assert after - before > 100, f"a vertical swipe on the slider scrolled {after - before}px"
    assert slider_value(page) == pytest.approx(dragged, abs=3)
    touch_action = page.locator(".hp-pair__views").first.evaluate(
        "e => getComputedStyle(e).touchAction"
    )
    assert touch_action == "pan-y"


def test_pairs_without_javascript(
    new_phone: sitekit.PhoneFactory, sample_site: sitekit.StaticSite
) -> None:
    phone = new_phone(java_script_enabled=False)
    page = phone.page
    page.goto(sample_site.url(PAIRS_STORY))
    expect(page.get_by_role("slider")).to_have_count(0)
    pair = page.locator(".hp-pair").first
    expect(pair.get_by_text("改造前 2015")).to_be_visible()
    expect(pair.get_by_text("改造后 2021")).to_be_visible()
    before = pair.locator(".hp-pair__view--before img")
    after = pair.locator(".hp-pair__view--after img")
    before.scroll_into_view_if_needed()
    expect(before).to_be_visible()
    expect(after).to_have_attribute("alt", re.compile("改造后（2021 年）"))
    top, bottom = before.bounding_box(), after.bounding_box()
    assert top and bottom and top["y"] + top["height"] <= bottom["y"] + 1, "stacked, not overlaid"
    phone.screenshot("media-story-nojs")


def test_video_loads_nothing_until_played(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite
) -> None:
    page = phone.open(sample_site.url(VIDEO_STORY))
    video = page.locator("video").first
    expect(video).to_have_attribute("preload", "none")
    poster = video.get_attribute("poster") or ""
    assert poster.endswith("-poster.jpg")
    expect(page.locator("video track[kind=subtitles]")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    assert not [url for url in phone.requests if url.endswith(".mp4")], "video fetched early"
    phone.assert_no_horizontal_scroll()
    phone.screenshot("media-video", full_page=False)


def test_gallery_filters(phone: sitekit.Phone, sample_site: sitekit.StaticSite) -> None:
    page = phone.open(sample_site.url("/gallery/"))
    items = page.locator(".hp-gallery__item")
    total = items.count()
    assert total >= 6
    form = page.locator("[data-hp-gallery-filter]")
    expect(form).to_be_hidden()  # folded away: on a phone the photos come first
    page.get_by_text("更多筛选").click()
    expect(form).to_be_visible()
    page.locator("[data-hp-gallery-filter] select[name=theme]").select_option("daolu")
    visible = page.locator(".hp-gallery__item:visible")
    assert 0 < visible.count() < total
    for index in range(visible.count()):
        assert visible.nth(index).get_attribute("data-theme") == "daolu"
    expect(form.locator("[role=status]")).to_have_text(f"本页显示 {visible.count()} / {total} 组")
    # The same choice without JavaScript: a link to the theme's own page.
    page.locator(".hp-gallery-filters a", has_text="道路").first.click()
    page.wait_for_url(re.compile(r"/gallery/daolu/$"))
    assert page.locator(".hp-gallery__item").count() == visible.count()
    link = page.locator(".hp-pair__links a").first
    expect(link).to_have_attribute("href", re.compile(r"stories/20\d\d-.*#pair-\d+$"))
    phone.assert_no_horizontal_scroll()
    phone.open(sample_site.url("/gallery/"))
    phone.screenshot("gallery")
