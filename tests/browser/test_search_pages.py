"""Search on a phone: the header's search button leads to /search/, where a query fetches only
the pieces of the site's search index it needs, and the results show a village's page
first, then its stories, as text whatever the contributors wrote."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import hostilekit
import pytest
import searchkit
import sitekit
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

ZHANGZHUANG_PAGE = "/villages/kaifeng/lankao/zhangzhuang/"
SEARCH_PAGE = "/search/"
RESULTS = ".hp-search__results > li"
RESULT_WAIT_MS = 15_000


@dataclass(frozen=True)
class Result:
    path: str
    label: str
    title: str
    excerpt: str


def type_query(page: Page, query: str) -> None:
    page.get_by_role("search").locator("input[name=q]").fill(query)


def shown_results(page: Page) -> list[Result]:
    expect(page.locator(RESULTS).first).to_be_visible(timeout=RESULT_WAIT_MS)
    rows = page.locator(RESULTS).evaluate_all(
        """items => items.map(li => [
            li.querySelector('a').href,
            li.querySelector('.hp-search__label-tag')?.textContent ?? '',
            li.querySelector('.hp-search__result-title').textContent,
            li.querySelector('.hp-search__excerpt').textContent])"""
    )
    return [
        Result(urlsplit(href).path, label, title, excerpt) for href, label, title, excerpt in rows
    ]


def search(phone: sitekit.Phone, base_url: str, query: str) -> list[Result]:
    page = phone.open(base_url + SEARCH_PAGE)
    type_query(page, query)
    return shown_results(page)


def found_paths(phone: sitekit.Phone, base_url: str, query: str) -> list[str]:
    """The paths of what a query finds, none when the status line says nothing was found."""
    page = phone.open(base_url + SEARCH_PAGE)
    type_query(page, query)
    status = page.locator("[data-hp-search-status]")
    expect(status).to_contain_text("找到", timeout=RESULT_WAIT_MS)
    if "没有找到" in status.inner_text():
        return []
    return [result.path for result in shown_results(page)]


# -- the sample site -------------------------------------------------------------------------


def test_the_header_leads_to_search_and_nothing_of_the_index_loads_before(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite
) -> None:
    page = phone.open(sample_site.url("/stories/2021-03-12-zhangzhuang-guangfu/"))
    page.wait_for_load_state("networkidle")
    assert [url for url in phone.requests if "/search-index/" in url] == []
    page.get_by_role("link", name="搜索").first.click()
    page.wait_for_url(sample_site.url(SEARCH_PAGE))
    type_query(page, "张庄村")
    results = shown_results(page)

    assert results[0].path == ZHANGZHUANG_PAGE and results[0].label == "村庄"
    stories = [result for result in results[1:] if result.path.startswith("/stories/")]
    assert stories and all(result.label == "稿件" for result in stories)
    assert page.locator(f"{RESULTS} .hp-search__excerpt mark").count() > 0
    assert "q=" in page.url  # the search is a link
    phone.assert_no_horizontal_scroll()
    phone.screenshot("search", full_page=False)


@pytest.mark.parametrize("query", ["张庄村", "张庄", "zhangzhuang", "zhang zhuang"])
def test_a_village_name_or_its_pinyin_finds_its_page_first(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite, query: str
) -> None:
    results = search(phone, sample_site.base_url, query)
    assert results[0].path == ZHANGZHUANG_PAGE, f"searching {query} listed {results}"


def test_a_story_title_finds_the_story(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite
) -> None:
    folder, meta = next(
        (folder, meta)
        for folder, meta in sorted(sitekit.repo_stories().items())
        if not meta.get("draft") and len(meta["title"]) >= 8
    )
    results = search(phone, sample_site.base_url, meta["title"])
    assert results[0].path == f"/stories/{folder}/", results
    assert results[0].title == meta["title"]


def test_results_come_ten_at_a_time(phone: sitekit.Phone, sample_site: sitekit.StaticSite) -> None:
    page = phone.open(sample_site.url(SEARCH_PAGE))
    type_query(page, "村")
    shown_results(page)
    expect(page.locator(RESULTS)).to_have_count(10)
    page.get_by_role("button", name="更多结果").click()
    expect(page.locator(RESULTS)).to_have_count(20)


def test_a_search_link_opens_with_its_results(
    phone: sitekit.Phone, sample_site: sitekit.StaticSite
) -> None:
    page = phone.open(sample_site.url(f"{SEARCH_PAGE}?q={quote('zhangzhuang')}"))
    assert shown_results(page)[0].path == ZHANGZHUANG_PAGE
    expect(page.locator("input[name=q]")).to_have_value("zhangzhuang")


def test_without_javascript_the_page_says_search_needs_it(
    new_phone: sitekit.PhoneFactory, sample_site: sitekit.StaticSite
) -> None:
    phone = new_phone(java_script_enabled=False)
    page = phone.open(sample_site.url(SEARCH_PAGE))
    expect(page.locator("[data-hp-search-status]")).to_contain_text("搜索需要浏览器开启 JavaScript")


def test_search_works_in_dark_mode(
    new_phone: sitekit.PhoneFactory, sample_site: sitekit.StaticSite
) -> None:
    phone = new_phone(color_scheme="dark")
    results = search(phone, sample_site.base_url, "张庄村")
    assert results[0].path == ZHANGZHUANG_PAGE
    phone.screenshot("search-dark", full_page=False)


# -- what the index holds: hostile titles, bodies, drafts and stories with problems ----------

MARK = "ZQX"  # the hostile hook swaps it for HOSTILE after validation
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_FOLDER = "2021-03-12-zhangzhuang-xss"
HOSTILE_TITLE = "光伏板上的新日子"
BODY_ONLY = "石碾子如今成了孩子们的滑梯"
DRAFT_FOLDER = "2021-04-01-caogao"
DRAFT_TITLE = "还没写完的草稿竹林村茶园"
REJECTED_FOLDER = "2021-04-02-cuowu"
REJECTED_TITLE = "活动写错了的槐树村稿件"


@dataclass(frozen=True)
class IndexedSites:
    headers_only: sitekit.StaticSite
    full_text: sitekit.StaticSite


@pytest.fixture(scope="module")
def indexed_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IndexedSites]:
    """One project built twice, without and with `search_full_text`, as `make serve` would
    publish it (a story with a problem is left out, not fatal)."""
    root = tmp_path_factory.mktemp("search-index")
    stories = {
        HOSTILE_FOLDER: sitekit.story_text(
            f"{MARK}{HOSTILE_TITLE}", body=f"村东头那棵老槐树下的{BODY_ONLY}。"
        ),
        DRAFT_FOLDER: sitekit.story_text(DRAFT_TITLE, date="2021-04-01", extra="draft: true\n"),
        REJECTED_FOLDER: sitekit.story_text(REJECTED_TITLE, date="2021-04-02", activity="回乡看"),
    }
    project = sitekit.make_project(root / "project", stories)
    hostilekit.add_hostile_hook(project, taint=(MARK, HOSTILE))
    headers_only = sitekit.build(project, strict=False, site_dir=root / "site-headers")
    assert headers_only.returncode == 0, headers_only.output
    sitekit.override_config(project, {"extra": {"campaign": {"search_full_text": True}}})
    full_text = sitekit.build(project, strict=False, site_dir=root / "site-full")
    assert full_text.returncode == 0, full_text.output
    with (
        sitekit.serve_directory(headers_only.site_dir) as first,
        sitekit.serve_directory(full_text.site_dir) as second,
    ):
        yield IndexedSites(
            sitekit.StaticSite(headers_only.site_dir, first, headers_only.output),
            sitekit.StaticSite(full_text.site_dir, second, full_text.output),
        )


def test_a_hostile_title_is_shown_as_text_and_runs_nothing(
    phone: sitekit.Phone, indexed_sites: IndexedSites
) -> None:
    """The phone fails the test on the alert; the title reads as the contributor wrote it."""
    page = phone.open(indexed_sites.headers_only.url(SEARCH_PAGE))
    type_query(page, HOSTILE_TITLE)
    results = shown_results(page)
    assert results[0].path == f"/stories/{HOSTILE_FOLDER}/"
    assert results[0].title == f"{HOSTILE}{HOSTILE_TITLE}"
    page.wait_for_timeout(500)  # an image that failed to load would have fired its handler
    assert page.locator(".hp-search__results img").count() == 0
    assert page.locator(".hp-search__excerpt *:not(mark)").count() == 0
    # Bidi controls in a title stay inside it: the label and excerpt keep their order.
    isolation = page.locator(".hp-search__result-title").first.evaluate(
        "title => getComputedStyle(title).unicodeBidi"
    )
    assert isolation == "isolate"


def test_body_text_is_found_only_with_full_text(
    phone: sitekit.Phone, indexed_sites: IndexedSites
) -> None:
    story = f"/stories/{HOSTILE_FOLDER}/"
    assert story not in found_paths(phone, indexed_sites.headers_only.base_url, BODY_ONLY)
    assert found_paths(phone, indexed_sites.full_text.base_url, BODY_ONLY)[0] == story


def test_drafts_and_stories_with_problems_are_not_in_the_index(
    phone: sitekit.Phone, indexed_sites: IndexedSites
) -> None:
    for site in (indexed_sites.headers_only, indexed_sites.full_text):
        indexed = searchkit.indexed_pages(Path(site.site_dir))
        assert f"/stories/{HOSTILE_FOLDER}/" in indexed
        for folder in (DRAFT_FOLDER, REJECTED_FOLDER):
            assert f"/stories/{folder}/" not in indexed
        # Nor the pages that are not for readers to find: problems (none in a build), posters.
        assert not [url for url in indexed if "/poster/" in url or "/problems/" in url]
    for folder, title in ((DRAFT_FOLDER, DRAFT_TITLE), (REJECTED_FOLDER, REJECTED_TITLE)):
        found = found_paths(phone, indexed_sites.headers_only.base_url, title)
        assert f"/stories/{folder}/" not in found
