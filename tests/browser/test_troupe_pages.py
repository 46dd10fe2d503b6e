"""The troupe's pages on a phone (Chromium at 390×844): the schedule fits, filters work, the
list is complete without JavaScript, today is marked, and a coordinator gets from /troupe/ to
where a member speaks on a given day in two taps."""

from __future__ import annotations

import json
import re
import time
from typing import Any
from urllib.parse import urljoin

import pytest
import sitekit
from icalendar import Calendar
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.browser

WECHAT_UA = (
    "Mozilla/5.0 (Linux; Android 12; V2055A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/86.0.4240.99 Mobile Safari/537.36 MicroMessenger/8.0.30.2260(0x28001E3B) "
    "NetType/4G Language/zh_CN"
)


def sample_talks(site: sitekit.StaticSite) -> list[dict[str, Any]]:
    document = json.loads((site.site_dir / "troupe" / "schedule.json").read_text("utf-8"))
    days = document["schedule"]["conference"]["days"]
    return [e for day in days for room in day["rooms"].values() for e in room]


def visible_talk_ids(page: Page) -> list[str]:
    return page.evaluate(
        "() => [...document.querySelectorAll('.tp-talk')]"
        ".filter(t => t.offsetParent !== null).map(t => t.id)"
    )


# -- layout -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/troupe/", "/troupe/schedule/", "/troupe/members/han-chunyan/", "/troupe/cities/kaifeng/"],
)
def test_troupe_pages_fit_a_phone(
    sample_site: sitekit.StaticSite, phone: sitekit.Phone, path: str
) -> None:
    page = phone.page
    page.goto(sample_site.url(path))
    phone.assert_no_horizontal_scroll()
    phone.screenshot("troupe-" + path.strip("/").replace("/", "-"), full_page=False)


def test_the_schedule_is_a_list_not_a_table(
    sample_site: sitekit.StaticSite, phone: sitekit.Phone
) -> None:
    page = phone.page
    page.goto(sample_site.url("/troupe/schedule/"))

    assert page.locator(".tp-days table").count() == 0
    first = page.locator(".tp-talk").first.bounding_box()
    assert first is not None and first["width"] <= 390


# -- no layout shift -----------------------------------------------------------------------

# Every layout shift since the page began loading (buffered), as Lighthouse adds them up,
# leaving out those right after input; what moved, for the message.
LAYOUT_SHIFTS = """() => new Promise(resolve => {
  const found = [];
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      found.push({value: entry.value, moved: entry.sources.map(s =>
        s.node ? (s.node.className || s.node.nodeName) : "?")});
    }
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(found), 500);
})"""


def test_the_schedule_does_not_shift_while_it_loads(
    sample_site: sitekit.StaticSite, phone: sitekit.Phone
) -> None:
    page = phone.page

    def slow_network(route: Route) -> None:
        # On a rural network the script arrives after the first paint: whatever it changes
        # then is seen moving (on a fast one it may run before anything is painted).
        time.sleep(1.5)
        route.continue_()

    page.route("**/assets/troupe*.js", slow_network)
    page.goto(sample_site.url("/troupe/schedule/"), wait_until="load")

    shifts = page.evaluate(LAYOUT_SHIFTS)

    total = sum(shift["value"] for shift in shifts)
    assert total < 0.01, f"cumulative layout shift {total:.3f}: {shifts}"
    expect(page.locator("[data-tp-filters]")).to_be_visible()
    expect(page.locator(".tp-filters-static")).to_be_hidden()  # for pages without script


# -- without JavaScript -------------------------------------------------------------------


def test_without_javascript_the_full_list_is_there(
    sample_site: sitekit.StaticSite, new_phone: sitekit.PhoneFactory
) -> None:
    phone = new_phone(java_script_enabled=False)
    page = phone.page
    page.goto(sample_site.url("/troupe/schedule/"))

    expected = {f"t-{e['slug'].split('-', 2)[2]}" for e in sample_talks(sample_site)}
    assert set(visible_talk_ids(page)) == expected
    assert len(expected) >= 25
    expect(page.locator("[data-tp-filters]")).to_be_hidden()
    expect(page.locator("[data-tp-today]")).to_be_hidden()
    # The filter's stand-in: each city's and each member's own page.
    kaifeng = page.locator(".tp-filters-static a", has_text="开封市")
    expect(kaifeng).to_have_attribute("href", re.compile(r"troupe/cities/kaifeng/$"))
    expect(page.locator(".tp-filters-static a", has_text="韩春燕")).to_be_visible()
    # And the calendar offered is the whole schedule's, as it says.
    expect(page.get_by_role("link", name="订阅到手机日历")).to_have_attribute(
        "href", "webcal://huatuopin.example.org/troupe/schedule.ics"
    )
    expect(page.locator("[data-tp-subscribes]")).to_have_text(
        f"订阅的是：全部宣讲（{len(expected)} 场）"
    )
    phone.assert_no_horizontal_scroll()
    phone.screenshot("troupe-schedule-nojs", full_page=False)


# -- filters ------------------------------------------------------------------------------


def test_filter_by_city_member_and_form(
    sample_site: sitekit.StaticSite, phone: sitekit.Phone
) -> None:
    page = phone.page
    page.goto(sample_site.url("/troupe/schedule/"))
    everything = visible_talk_ids(page)
    filters = page.locator("[data-tp-filters]")
    expect(filters).to_be_visible()

    filters.locator("select[name=city]").select_option("kaifeng")
    kaifeng = visible_talk_ids(page)
    assert 0 < len(kaifeng) < len(everything)
    assert all(i.startswith("t-kf-") for i in kaifeng)
    expect(page.locator("[data-tp-shown]")).to_have_text(
        f"显示 {len(kaifeng)} 场，共 {len(everything)} 场"
    )
    assert "city=kaifeng" in page.url
    phone.assert_no_horizontal_scroll()

    filters.locator("select[name=city]").select_option("")
    filters.locator("select[name=member]").select_option("han-chunyan")
    hers = visible_talk_ids(page)
    members = page.evaluate("ids => ids.map(i => document.getElementById(i).dataset.members)", hers)
    assert len(hers) == 4 and all(" han-chunyan " in m for m in members)
    # Days without a visible talk are hidden, and so are their date links.
    assert page.locator(".tp-day:visible").count() == 3
    assert page.locator(".tp-dates a[data-date]:visible").count() == 3

    filters.locator("select[name=form]").select_option("gequ")
    assert visible_talk_ids(page) == ["t-xy-0622-tianpu"]
    phone.screenshot("troupe-schedule-filtered", full_page=False)

    filters.locator("select[name=member]").select_option("ji-hongmei")
    expect(page.locator("[data-tp-empty]")).to_be_visible()

    filters.locator("button[type=reset]").click()
    expect(page.locator("[data-tp-shown]")).to_have_text(
        f"显示 {len(everything)} 场，共 {len(everything)} 场"
    )
    assert visible_talk_ids(page) == everything


def subscribed(page: Page) -> tuple[str, str, str, str]:
    """What the subscribe section offers: the words, the webcal link, the download link, the
    address to copy."""
    webcal = page.get_by_role("link", name="订阅到手机日历").get_attribute("href")
    download = page.get_by_role("link", name="下载日历文件").get_attribute("href")
    assert webcal is not None and download is not None
    return (
        page.locator("[data-tp-subscribes]").inner_text(),
        webcal,
        urljoin(page.url, download),
        page.locator(".tp-feed-url__input").input_value(),
    )


def calendar_uids(page: Page, url: str) -> set[str]:
    response = page.request.get(url)
    assert response.ok, url
    return {str(e["UID"]) for e in Calendar.from_ical(response.text()).walk("VEVENT")}


def test_the_subscribe_links_follow_the_city_or_member_filter(
    sample_site: sitekit.StaticSite, phone: sitekit.Phone
) -> None:
    page = phone.page
    page.goto(sample_site.url("/troupe/schedule/"))
    everything = visible_talk_ids(page)
    filters = page.locator("[data-tp-filters]")
    site = "huatuopin.example.org"

    filters.locator("select[name=city]").select_option("kaifeng")
    kaifeng = visible_talk_ids(page)
    words, webcal, download, address = subscribed(page)
    assert words == f"订阅的是：开封市的全部宣讲（{len(kaifeng)} 场）"
    assert webcal == f"webcal://{site}/troupe/cities/kaifeng.ics"
    assert address == f"https://{site}/troupe/cities/kaifeng.ics"
    assert download == sample_site.url("/troupe/cities/kaifeng.ics")
    assert len(calendar_uids(page, download)) == len(kaifeng)

    filters.locator("select[name=city]").select_option("")
    filters.locator("select[name=member]").select_option("han-chunyan")
    hers = visible_talk_ids(page)
    words, webcal, download, address = subscribed(page)
    assert words == f"订阅的是：韩春燕的全部宣讲（{len(hers)} 场）"
    assert webcal == f"webcal://{site}/troupe/members/han-chunyan.ics"
    assert address == f"https://{site}/troupe/members/han-chunyan.ics"
    assert len(calendar_uids(page, download)) == len(hers)

    # No calendar holds one member's talks in one city, or one form: the words say what the
    # calendar holds, never a silent "everything" beside a shorter list.
    filters.locator("select[name=form]").select_option("gequ")
    words, webcal, _download, _address = subscribed(page)
    assert webcal == f"webcal://{site}/troupe/members/han-chunyan.ics"
    assert words.startswith(f"订阅的是：韩春燕的全部宣讲（{len(hers)} 场）；筛选出的 1 场都在里面")
    filters.locator("select[name=member]").select_option("")
    words, webcal, _download, _address = subscribed(page)
    assert webcal == f"webcal://{site}/troupe/schedule.ics"
    assert words.startswith(f"订阅的是：全部宣讲（{len(everything)} 场）；筛选出的")
    phone.screenshot("troupe-schedule-subscribe-filtered", full_page=False)

    filters.locator("button[type=reset]").click()
    expect(page.locator("[data-tp-subscribes]")).to_have_text(
        f"订阅的是：全部宣讲（{len(everything)} 场）"
    )
    assert subscribed(page)[1] == f"webcal://{site}/troupe/schedule.ics"

    page.goto(sample_site.url("/troupe/schedule/?city=sanmenxia"))
    assert subscribed(page)[1] == f"webcal://{site}/troupe/cities/sanmenxia.ics"


def test_filters_are_restored_from_the_address(
    sample_site: sitekit.StaticSite, phone: sitekit.Phone
) -> None:
    page = phone.page
    page.goto(sample_site.url("/troupe/schedule/?member=song-weidong&city=sanmenxia"))

    expect(page.locator("select[name=member]")).to_have_value("song-weidong")
    assert visible_talk_ids(page) == ["t-smx-0208-zhaizi", "t-smx-0424-zhaizi", "t-smx-0610-lushi"]


# -- today ----------------------------------------------------------------------------------


def test_today_and_the_next_talk_are_marked(
    sample_site: sitekit.StaticSite, phone: sitekit.Phone
) -> None:
    page = phone.page
    page.clock.set_fixed_time("2021-06-22T10:00:00+08:00")
    page.goto(sample_site.url("/troupe/schedule/"))

    expect(page.locator("#d-2021-06-22")).to_have_class("tp-day tp-day--today")
    today = page.locator(".tp-talk--today")
    expect(today).to_have_count(2)
    # Still running at 10:00, so it is the one to head for.
    expect(page.locator(".tp-talk--next")).to_have_attribute("id", "t-xy-0622-simaguang")
    jump = page.locator("[data-tp-today]")
    expect(jump).to_have_text("跳到今天 ↓")
    expect(jump).to_have_attribute("href", "#d-2021-06-22")
    jump.click()
    expect(page.locator("#d-2021-06-22")).to_be_in_viewport()
    phone.screenshot("troupe-schedule-today", full_page=False)


def test_jump_goes_to_the_next_day_with_talks(
    sample_site: sitekit.StaticSite, phone: sitekit.Phone
) -> None:
    page = phone.page
    page.clock.set_fixed_time("2021-06-23T20:00:00+08:00")
    page.goto(sample_site.url("/troupe/schedule/"))

    jump = page.locator("[data-tp-today]")
    expect(jump).to_have_text("跳到下一个宣讲日 ↓")
    expect(jump).to_have_attribute("href", "#d-2021-06-28")
    expect(page.locator(".tp-talk--today")).to_have_count(0)


# -- the coordinator's two taps -----------------------------------------------------------


def test_two_taps_from_troupe_to_where_a_member_speaks_on_a_day(
    sample_site: sitekit.StaticSite, phone: sitekit.Phone
) -> None:
    page = phone.page
    page.goto(sample_site.url("/troupe/"))

    page.get_by_role("link", name="韩春燕").first.tap()  # tap 1: the member
    expect(page).to_have_url(sample_site.url("/troupe/members/han-chunyan/"))
    page.locator('.tp-dates a[data-date="2021-06-22"]').tap()  # tap 2: the day

    day = page.locator("#d-2021-06-22")
    expect(day).to_be_in_viewport()
    expect(day.locator(".tp-talk")).to_have_count(2)
    expect(day).to_contain_text("村委会会议室")
    expect(day).to_contain_text("大塆戏台")
    expect(day).to_contain_text("09:00–10:30")
    phone.screenshot("troupe-member-day", full_page=False)


# -- calendars in WeChat ------------------------------------------------------------------


def test_wechat_gets_a_hint_and_the_address_to_copy(
    sample_site: sitekit.StaticSite, new_phone: sitekit.PhoneFactory
) -> None:
    phone = new_phone(user_agent=WECHAT_UA)
    page = phone.page
    page.goto(sample_site.url("/troupe/members/han-chunyan/"))

    hint = page.locator("[data-tp-wechat]")
    expect(hint).to_be_visible()
    hint.scroll_into_view_if_needed()
    address = page.locator(".tp-feed-url__input")
    expect(address).to_be_visible()
    expect(address).to_have_value("https://huatuopin.example.org/troupe/members/han-chunyan.ics")
    phone.screenshot("troupe-wechat", full_page=False)


def test_outside_wechat_subscribe_and_download_links(
    sample_site: sitekit.StaticSite, phone: sitekit.Phone
) -> None:
    page = phone.page
    page.goto(sample_site.url("/troupe/schedule/"))

    expect(page.locator("[data-tp-wechat]")).to_be_hidden()
    subscribe = page.get_by_role("link", name="订阅到手机日历")
    expect(subscribe).to_have_attribute(
        "href", "webcal://huatuopin.example.org/troupe/schedule.ics"
    )
    download = page.get_by_role("link", name="下载日历文件")
    href = download.get_attribute("href")
    assert href is not None
    response = page.request.get(urljoin(page.url, href))
    assert response.ok and response.text().startswith("BEGIN:VCALENDAR")
