"""The troupe's pages on a phone (Chromium at 390×844): the schedule fits, filters work, the
list is complete without JavaScript, today is marked, and a coordinator gets from /troupe/ to
where a member speaks on a given day in two taps."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import sitekit
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect, sync_playwright

pytestmark = pytest.mark.browser

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
}
WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 12; V2055A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/86.0.4240.99 Mobile Safari/537.36 MicroMessenger/8.0.30.2260(0x28001E3B) "
    "NetType/4G Language/zh_CN"
)
SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        if SYSTEM_CHROMIUM.exists():
            chromium = playwright.chromium.launch(
                executable_path=str(SYSTEM_CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
            )
        else:
            chromium = playwright.chromium.launch()
        yield chromium
        chromium.close()


def offline(context: BrowserContext) -> list[str]:
    """Abort anything not going to 127.0.0.1; the returned list names what was tried."""
    outside: list[str] = []

    def route(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    return outside


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(**PHONE)
    outside = offline(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert outside == [], f"requests left the site: {outside}"
    assert errors == [], f"script errors: {errors}"


def sample_talks(site: sitekit.StaticSite) -> list[dict[str, Any]]:
    document = json.loads((site.site_dir / "troupe" / "schedule.json").read_text("utf-8"))
    days = document["schedule"]["conference"]["days"]
    return [e for day in days for room in day["rooms"].values() for e in room]


def visible_talk_ids(page: Page) -> list[str]:
    return page.evaluate(
        "() => [...document.querySelectorAll('.tp-talk')]"
        ".filter(t => t.offsetParent !== null).map(t => t.id)"
    )


def assert_fits(page: Page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} scrolls sideways: {widths}"


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"troupe-{name}.png"))


# -- layout -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/troupe/", "/troupe/schedule/", "/troupe/members/han-chunyan/", "/troupe/cities/kaifeng/"],
)
def test_troupe_pages_fit_a_phone(sample_site: sitekit.StaticSite, phone: Page, path: str) -> None:
    phone.goto(sample_site.url(path))
    assert_fits(phone)
    shoot(phone, path.strip("/").replace("/", "-"))


def test_the_schedule_is_a_list_not_a_table(sample_site: sitekit.StaticSite, phone: Page) -> None:
    phone.goto(sample_site.url("/troupe/schedule/"))

    assert phone.locator(".tp-days table").count() == 0
    first = phone.locator(".tp-talk").first.bounding_box()
    assert first is not None and first["width"] <= 390


# -- without JavaScript -------------------------------------------------------------------


def test_without_javascript_the_full_list_is_there(
    sample_site: sitekit.StaticSite, browser: Browser
) -> None:
    context = browser.new_context(**PHONE, java_script_enabled=False)
    outside = offline(context)
    page = context.new_page()
    page.goto(sample_site.url("/troupe/schedule/"))

    expected = {f"t-{e['slug'].split('-', 2)[2]}" for e in sample_talks(sample_site)}
    assert set(visible_talk_ids(page)) == expected
    assert len(expected) >= 25
    expect(page.locator("[data-tp-filters]")).to_be_hidden()
    expect(page.locator("[data-tp-today]")).to_be_hidden()
    assert_fits(page)
    shoot(page, "schedule-nojs")
    context.close()
    assert outside == []


# -- filters ------------------------------------------------------------------------------


def test_filter_by_city_member_and_form(sample_site: sitekit.StaticSite, phone: Page) -> None:
    phone.goto(sample_site.url("/troupe/schedule/"))
    everything = visible_talk_ids(phone)
    filters = phone.locator("[data-tp-filters]")
    expect(filters).to_be_visible()

    filters.locator("select[name=city]").select_option("kaifeng")
    kaifeng = visible_talk_ids(phone)
    assert 0 < len(kaifeng) < len(everything)
    assert all(i.startswith("t-kf-") for i in kaifeng)
    expect(phone.locator("[data-tp-shown]")).to_have_text(
        f"显示 {len(kaifeng)} 场，共 {len(everything)} 场"
    )
    assert "city=kaifeng" in phone.url
    assert_fits(phone)

    filters.locator("select[name=city]").select_option("")
    filters.locator("select[name=member]").select_option("han-chunyan")
    hers = visible_talk_ids(phone)
    members = phone.evaluate(
        "ids => ids.map(i => document.getElementById(i).dataset.members)", hers
    )
    assert len(hers) == 4 and all(" han-chunyan " in m for m in members)
    # Days without a visible talk are hidden, and so are their date links.
    assert phone.locator(".tp-day:visible").count() == 3
    assert phone.locator(".tp-dates a[data-date]:visible").count() == 3

    filters.locator("select[name=form]").select_option("gequ")
    assert visible_talk_ids(phone) == ["t-xy-0622-tianpu"]
    shoot(phone, "schedule-filtered")

    filters.locator("select[name=member]").select_option("ji-hongmei")
    expect(phone.locator("[data-tp-empty]")).to_be_visible()

    filters.locator("button[type=reset]").click()
    expect(phone.locator("[data-tp-shown]")).to_have_text(
        f"显示 {len(everything)} 场，共 {len(everything)} 场"
    )
    assert visible_talk_ids(phone) == everything


def test_filters_are_restored_from_the_address(
    sample_site: sitekit.StaticSite, phone: Page
) -> None:
    phone.goto(sample_site.url("/troupe/schedule/?member=song-weidong&city=sanmenxia"))

    expect(phone.locator("select[name=member]")).to_have_value("song-weidong")
    assert visible_talk_ids(phone) == ["t-smx-0208-zhaizi", "t-smx-0424-zhaizi", "t-smx-0610-lushi"]


# -- today ----------------------------------------------------------------------------------


def test_today_and_the_next_talk_are_marked(sample_site: sitekit.StaticSite, phone: Page) -> None:
    phone.clock.set_fixed_time("2021-06-22T10:00:00+08:00")
    phone.goto(sample_site.url("/troupe/schedule/"))

    expect(phone.locator("#d-2021-06-22")).to_have_class("tp-day tp-day--today")
    today = phone.locator(".tp-talk--today")
    expect(today).to_have_count(2)
    # Still running at 10:00, so it is the one to head for.
    expect(phone.locator(".tp-talk--next")).to_have_attribute("id", "t-xy-0622-simaguang")
    jump = phone.locator("[data-tp-today]")
    expect(jump).to_have_text("跳到今天 ↓")
    expect(jump).to_have_attribute("href", "#d-2021-06-22")
    jump.click()
    expect(phone.locator("#d-2021-06-22")).to_be_in_viewport()
    shoot(phone, "schedule-today")


def test_jump_goes_to_the_next_day_with_talks(sample_site: sitekit.StaticSite, phone: Page) -> None:
    phone.clock.set_fixed_time("2021-06-23T20:00:00+08:00")
    phone.goto(sample_site.url("/troupe/schedule/"))

    jump = phone.locator("[data-tp-today]")
    expect(jump).to_have_text("跳到下一个宣讲日 ↓")
    expect(jump).to_have_attribute("href", "#d-2021-06-28")
    expect(phone.locator(".tp-talk--today")).to_have_count(0)


# -- the coordinator's two taps -----------------------------------------------------------


def test_two_taps_from_troupe_to_where_a_member_speaks_on_a_day(
    sample_site: sitekit.StaticSite, phone: Page
) -> None:
    phone.goto(sample_site.url("/troupe/"))

    phone.get_by_role("link", name="韩春燕").first.tap()  # tap 1: the member
    expect(phone).to_have_url(sample_site.url("/troupe/members/han-chunyan/"))
    phone.locator('.tp-dates a[data-date="2021-06-22"]').tap()  # tap 2: the day

    day = phone.locator("#d-2021-06-22")
    expect(day).to_be_in_viewport()
    expect(day.locator(".tp-talk")).to_have_count(2)
    expect(day).to_contain_text("村委会会议室")
    expect(day).to_contain_text("大塆戏台")
    expect(day).to_contain_text("09:00–10:30")
    shoot(phone, "member-day")


# -- calendars in WeChat ------------------------------------------------------------------


def test_wechat_gets_a_hint_and_the_address_to_copy(
    sample_site: sitekit.StaticSite, browser: Browser
) -> None:
    context = browser.new_context(**PHONE, user_agent=WECHAT_UA)
    outside = offline(context)
    page = context.new_page()
    page.goto(sample_site.url("/troupe/members/han-chunyan/"))

    hint = page.locator("[data-tp-wechat]")
    expect(hint).to_be_visible()
    hint.scroll_into_view_if_needed()
    address = page.locator(".tp-feed-url__input")
    expect(address).to_be_visible()
    expect(address).to_have_value("https://huatuopin.example.org/troupe/members/han-chunyan.ics")
    shoot(page, "wechat")
    context.close()
    assert outside == []


def test_outside_wechat_subscribe_and_download_links(
    sample_site: sitekit.StaticSite, phone: Page
) -> None:
    phone.goto(sample_site.url("/troupe/schedule/"))

    expect(phone.locator("[data-tp-wechat]")).to_be_hidden()
    subscribe = phone.get_by_role("link", name="订阅到手机日历")
    expect(subscribe).to_have_attribute(
        "href", "webcal://huatuopin.example.org/troupe/schedule.ics"
    )
    download = phone.get_by_role("link", name="下载日历文件")
    href = download.get_attribute("href")
    assert href is not None
    response = phone.request.get(urljoin(phone.url, href))
    assert response.ok and response.text().startswith("BEGIN:VCALENDAR")
