"""Posters for village notice boards, in Chromium: reached from their page by “打印海报”, read on
a phone, printed on one A4 sheet, and in both a QR code that a phone camera reads as exactly the
page's absolute URL. Screenshots go to tests/browser/screenshots/ (poster-*.png)."""

from __future__ import annotations

import io
import re

import pytest
import sitekit
import zxingcpp
from huatuopin.views.posters import UPCOMING_TALKS
from PIL import Image
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

SITE_URL = sitekit.read_config()["site_url"]
VILLAGE = "villages/kaifeng/lankao/zhangzhuang/"
CITY = "troupe/cities/kaifeng/"  # the sample city with the most talks
# A4 less the 12 mm margins of poster.css (186 × 273 mm), in CSS pixels.
A4_PRINTED = {"width": 703, "height": 1032}
LONGEST_TITLE = ("张庄村的“十四五”规划与乡村振兴新路子宣讲会" * 3)[:60]  # the limit


def qr_codes(page: Page, *, full_page: bool) -> list[str]:
    shot = Image.open(io.BytesIO(page.screenshot(full_page=full_page)))
    return [result.text for result in zxingcpp.read_barcodes(shot)]


def pdf_pages(page: Page) -> int:
    pdf = page.pdf(format="A4", print_background=True)
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


@pytest.mark.parametrize("url", [VILLAGE, CITY])
def test_a_poster_is_reached_from_its_page_and_its_qr_code_reads_as_the_page(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite, url: str
) -> None:
    page = phone.open(sample_site.url(f"/{url}"))
    page.get_by_role("link", name="打印海报").tap()
    page.wait_for_url(sample_site.url(f"/{url}poster/"))
    assert page.locator("h1").inner_text().strip() in {"张庄村", "宣讲团在开封市"}
    phone.assert_no_horizontal_scroll()
    phone.screenshot(f"poster-phone-{url.split('/')[-2]}")
    assert qr_codes(page, full_page=True) == [SITE_URL + url]


@pytest.mark.parametrize("url", [VILLAGE, CITY])
def test_a_poster_prints_on_one_a4_sheet_with_a_qr_code_of_the_page(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite, url: str
) -> None:
    page = phone.open(sample_site.url(f"/{url}poster/"))
    page.set_viewport_size(A4_PRINTED)
    page.emulate_media(media="print")
    # What prints: the poster alone, without the site's header, tabs or footer.
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".hp-poster__actions").is_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= A4_PRINTED["height"], f"{height} px does not fit one A4 sheet"
    assert qr_codes(page, full_page=False) == [SITE_URL + url]
    assert pdf_pages(page) == 1


def test_a_poster_with_the_most_talks_it_lists_still_prints_on_one_sheet(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite
) -> None:
    """Every listed talk with a title of the longest length the schedule allows."""
    page = phone.open(sample_site.url(f"/{CITY}poster/"))
    page.evaluate(
        """([count, title]) => {
          const list = document.querySelector('.hp-poster__list ol');
          const item = list.lastElementChild;
          item.querySelector('strong').textContent = title;
          list.replaceChildren(...Array.from({length: count}, () => item.cloneNode(true)));
        }""",
        [UPCOMING_TALKS, LONGEST_TITLE],
    )
    page.set_viewport_size(A4_PRINTED)
    page.emulate_media(media="print")
    assert page.locator(".hp-poster__list li").count() == UPCOMING_TALKS
    assert pdf_pages(page) == 1
