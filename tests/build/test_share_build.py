"""Shared links, feeds and crawlers, on the built sample site: each page's own description and
Open Graph tags with an absolute image that exists and WeChat shows (≥ 300×300), the Atom
feeds read back by a real feed parser, robots.txt naming the sitemap, and a sitemap without
posters or the serve-only problems page. Contributor text with `<"&` is escaped exactly once.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
import sitekit
from PIL import Image

SITE_URL = sitekit.read_config()["site_url"]
STORY = "2021-03-12-zhangzhuang-guangfu"  # has before-and-after pairs
VILLAGE = "villages/kaifeng/lankao/zhangzhuang/"
OG_KEYS = ("og:type", "og:title", "og:description", "og:url", "og:site_name", "og:locale")
TRICKY = '收入<3000元，"翻番"&增收'


class Head(HTMLParser):
    """The <meta> and <link rel="alternate"> of a page, as a crawler reads them (unescaped)."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.feeds: list[tuple[str, str]] = []  # (title, href)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and ("property" in values or "name" in values):
            key = values.get("property") or values["name"]
            self.meta.setdefault(key, []).append(values.get("content", ""))
        if tag == "link" and values.get("type") == "application/atom+xml":
            self.feeds.append((values.get("title", ""), values.get("href", "")))


def head_of(html: str) -> Head:
    head = Head()
    head.feed(html)
    return head


def page_head(site: Path, url: str) -> Head:
    return head_of((site / url / "index.html").read_text(encoding="utf-8"))


def one(head: Head, key: str) -> str:
    values = head.meta.get(key, [])
    assert len(values) == 1, f"{key}: {values}"
    return values[0]


def published_stories() -> list[tuple[str, dict]]:
    """The sample's published stories, newest first as the listings and feeds order them."""
    stories = [(f, d) for f, d in sitekit.repo_stories().items() if not d.get("draft")]
    return sorted(stories, key=lambda item: (item[1]["date"], item[0]), reverse=True)


def assert_shared_image(site: Path, head: Head) -> Path:
    """og:image is an absolute URL of a file the build published, of the size it says."""
    url = one(head, "og:image")
    assert url.startswith(SITE_URL)
    path = site / url.removeprefix(SITE_URL)
    assert path.is_file(), url
    with Image.open(path) as image:
        assert min(image.size) >= 300
        assert image.size == (int(one(head, "og:image:width")), int(one(head, "og:image:height")))
    return path


# -- pages -----------------------------------------------------------------------------------


def test_a_story_page_is_shared_with_its_summary_and_its_photo(
    sample_site: sitekit.StaticSite,
) -> None:
    head = page_head(sample_site.site_dir, f"stories/{STORY}/")
    story = sitekit.repo_stories()[STORY]
    assert one(head, "description") == story["summary"]
    assert one(head, "og:description") == story["summary"]
    assert one(head, "og:title") == story["title"]
    assert one(head, "og:type") == "article"
    assert one(head, "og:url") == f"{SITE_URL}stories/{STORY}/"
    assert one(head, "og:locale") == "zh_CN"
    assert one(head, "og:site_name") == sitekit.read_config()["site_name"]
    photo = assert_shared_image(sample_site.site_dir, head)
    assert photo.parent.name == "media" and photo.suffix == ".jpg"  # derived, never the original
    assert "robots" not in head.meta


def test_a_village_page_is_shared_with_its_figures_and_first_photo(
    sample_site: sitekit.StaticSite,
) -> None:
    head = page_head(sample_site.site_dir, VILLAGE)
    assert one(head, "description").startswith("张庄村位于开封市兰考县东坝头镇，全村 ")
    assert one(head, "og:url") == SITE_URL + VILLAGE
    assert assert_shared_image(sample_site.site_dir, head).parent.name == "media"


@pytest.mark.parametrize(
    ("url", "feeds"),
    [
        ("stories/", ["stories/feed.xml"]),
        (
            "stories/activity/huicunkan/",
            ["stories/feed.xml", "stories/activity/huicunkan/feed.xml"],
        ),
        ("gallery/", ["stories/feed.xml"]),
        ("", ["stories/feed.xml"]),
        ("troupe/cities/kaifeng/", []),
        ("troupe/", []),
        ("villages/", []),
    ],
)
def test_listing_home_and_troupe_pages_have_their_own_description_and_feeds(
    sample_site: sitekit.StaticSite, url: str, feeds: list[str]
) -> None:
    head = page_head(sample_site.site_dir, url)
    for key in OG_KEYS:
        assert one(head, key), key
    assert one(head, "og:url") == SITE_URL + url
    assert one(head, "description") == one(head, "og:description")
    assert one(head, "description") != sitekit.read_config()["site_description"]
    assert_shared_image(sample_site.site_dir, head)
    assert [href for _title, href in head.feeds] == [SITE_URL + feed for feed in feeds]


def test_every_page_has_its_own_address_and_description(sample_site: sitekit.StaticSite) -> None:
    site = sample_site.site_dir
    descriptions: dict[str, str] = {}
    for html in sitekit.site_pages(site, "index.html"):
        url = html.parent.relative_to(site).as_posix() + "/"
        url = "" if url == "./" else url
        head = head_of(html.read_text(encoding="utf-8"))
        assert one(head, "og:url") == SITE_URL + url
        descriptions[url] = one(head, "description")
    pages = [url for url in descriptions if not url.endswith("poster/")]
    # Listings of one city or activity may say the same until they have stories of their own.
    assert len({descriptions[url] for url in pages}) > len(pages) * 0.8


# -- feeds -----------------------------------------------------------------------------------


def test_the_feed_lists_the_latest_stories_in_order_with_absolute_links(
    sample_site: sitekit.StaticSite,
) -> None:
    feed = feedparser.parse((sample_site.site_dir / "stories" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    latest = published_stories()[:20]
    assert [entry.link for entry in feed.entries] == [f"{SITE_URL}stories/{f}/" for f, _ in latest]
    assert [entry.title for entry in feed.entries] == [d["title"] for _, d in latest]
    assert [entry.summary for entry in feed.entries] == [d["summary"] for _, d in latest]
    first = feed.entries[0]
    assert first.id == first.link
    assert [a.name for a in first.authors] == [a["name"] for a in latest[0][1]["authors"]]
    newest: dt.date = latest[0][1]["date"]
    assert first.published.startswith(newest.isoformat())
    assert feed.feed.updated.startswith(newest.isoformat())  # from the stories, not the clock
    covers = [e for e in feed.entries if any(link.rel == "enclosure" for link in e.links)]
    assert covers, "stories with photos carry one as an enclosure"
    for entry in covers:
        (enclosure,) = [link for link in entry.links if link.rel == "enclosure"]
        assert (sample_site.site_dir / enclosure.href.removeprefix(SITE_URL)).is_file()


def test_each_activity_s_feed_holds_only_that_activity(sample_site: sitekit.StaticSite) -> None:
    from huatuopin.vocab import ACTIVITIES

    for activity in ACTIVITIES:
        path = sample_site.site_dir / "stories" / "activity" / activity.slug / "feed.xml"
        feed = feedparser.parse(path.read_bytes())
        expected = [f for f, d in published_stories() if d["activity"] == activity.name][:20]
        assert [e.link for e in feed.entries] == [f"{SITE_URL}stories/{f}/" for f in expected]
        assert all(e.tags[0].term == activity.name for e in feed.entries)


# -- crawlers --------------------------------------------------------------------------------


def test_robots_txt_names_the_sitemap_which_has_no_posters(sample_site: sitekit.StaticSite) -> None:
    site = sample_site.site_dir
    robots = (site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE_URL}{VILLAGE}</loc>" in sitemap
    assert "/poster/" not in sitemap and "problems/" not in sitemap
    poster = page_head(site, f"{VILLAGE}poster/")
    assert one(poster, "robots") == "noindex"
    assert one(poster, "og:image") == f"{SITE_URL}assets/share.png"  # no story's photo


def test_a_preview_with_problems_keeps_them_out_of_its_sitemap(
    tmp_path: Path, serve_project: sitekit.ServeProjectFactory
) -> None:
    project = sitekit.make_project(
        tmp_path,
        {
            "2021-03-12-zhangzhuang": sitekit.story_text("光伏板"),
            "2021-03-13-zhangzhuang": sitekit.story_text("光伏板", activity="回乡看"),
        },
    )
    served = serve_project(project)
    status, _problems = sitekit.fetch(served.url("/problems/"))
    assert status == 200
    status, sitemap = sitekit.fetch(served.url("/sitemap.xml"))
    assert status == 200 and "2021-03-12-zhangzhuang/" in sitemap
    assert "problems/" not in sitemap


# -- escaping --------------------------------------------------------------------------------


def test_text_with_markup_characters_is_escaped_once_in_meta_and_feed(tmp_path: Path) -> None:
    folder = "2021-03-12-zhangzhuang"
    project = sitekit.make_project(tmp_path, {folder: sitekit.story_text(TRICKY, summary=TRICKY)})
    result = sitekit.build(project)
    assert result.returncode == 0, result.output
    html = (result.site_dir / "stories" / folder / "index.html").read_text(encoding="utf-8")
    escaped = "收入&lt;3000元，&#34;翻番&#34;&amp;增收"
    assert f'<meta name="description" content="{escaped}">' in html
    assert f'<meta property="og:description" content="{escaped}">' in html
    assert f'<meta property="og:title" content="{escaped}">' in html
    assert "&amp;lt;" not in html and "&amp;#34;" not in html
    head = head_of(html)
    assert one(head, "description") == one(head, "og:title") == TRICKY
    feed = feedparser.parse((result.site_dir / "stories" / "feed.xml").read_bytes())
    assert (feed.entries[0].title, feed.entries[0].summary) == (TRICKY, TRICKY)
