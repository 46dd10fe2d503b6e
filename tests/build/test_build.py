"""Whole builds of small fixture sites: what gets published, what stops the build, and how."""

from __future__ import annotations

import gzip
import hashlib
import re
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import searchkit
import sitekit
from PIL import Image
from sitekit import story_text

PER_PAGE = 2
STORY_URL = re.compile(r"^/stories/(\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*)/$")


def line_of(text: str, prefix: str) -> int:
    """1-based number of the first line of `text` that starts with `prefix`."""
    return sitekit.line_of(text, prefix, starts=True)


def jpeg_bytes() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


# -- the valid fixture site ------------------------------------------------------------------

BODY_ONLY_SENTENCE = "村东头那棵老槐树下的石碾子如今成了孩子们的滑梯"
SEARCH_FOLDER = "2021-03-12-zhangzhuang-guangfu"
SEARCH_VILLAGE = "张庄村"
SEARCH_SUMMARY = "驻村工作队陪着老党员李满仓算了一笔收入账，全家年收入翻了一番多。"
DRAFT_FOLDER = "2021-04-01-caogao"
DRAFT_TITLE = "还没写完的草稿：竹林村的茶园"
COVER_FOLDER = "2021-03-20-peizhai-caomei"

VALID_STORIES: dict[str, str] = {
    SEARCH_FOLDER: story_text(
        "张庄的光伏板，晒出了好日子",
        summary=SEARCH_SUMMARY,
        body=f"## 屋顶上的收入\n\n{BODY_ONLY_SENTENCE}。\n\n## 合作社\n\n合作社里正忙着。",
    ),
    "2021-03-15-zhangzhuang-hezuoshe": story_text(
        "合作社里的新工人", date="2021-03-14", body="合作社的车间里，缝纫机响成一片。"
    ),
    COVER_FOLDER: story_text(
        "裴寨的草莓红了",
        date="2021-03-19",
        activity="回村看",
        city="新乡市",
        county="辉县市",
        village="裴寨村",
        summary="老队员回到裴寨，大棚里的草莓正红。",
        extra="cover: cover.jpg\nconsent: true\n",
    ),
    "2021-05-02-tianpu-minsu": story_text(
        "田铺大塆的民宿开张了",
        date="2021-05-01",
        activity="亮成果",
        city="信阳市",
        county="新县",
        village="田铺大塆",
        summary="创客小院里，返乡青年开起了民宿。",
    ),
    "2021-06-10-zhangzhuang-jihua": story_text(
        "张庄的十四五打算", date="2021-06-09", summary="村里谋划十四五的五件大事。"
    ),
    DRAFT_FOLDER: story_text(
        DRAFT_TITLE,
        date="2021-04-01",
        activity="话未来",
        city="信阳市",
        county="新县",
        village="竹林村",
        extra="draft: true\n",
    ),
}
VALID_FILES: dict[str, bytes] = {f"{COVER_FOLDER}/cover.jpg": jpeg_bytes()}
PUBLISHED = sorted(set(VALID_STORIES) - {DRAFT_FOLDER})


@pytest.fixture(scope="module")
def valid_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sitekit.make_project(
        tmp_path_factory.mktemp("valid") / "project",
        VALID_STORIES,
        campaign={"stories_per_page": PER_PAGE},
        files=VALID_FILES,
    )


@pytest.fixture(scope="module")
def valid_build(valid_project: Path) -> sitekit.BuildResult:
    result = sitekit.build(valid_project, strict=True)
    assert result.returncode == 0, result.output
    return result


def page_path(site_dir: Path, url: str) -> Path:
    """The file MkDocs writes for a directory URL such as `stories/page/2/`."""
    return site_dir / url / "index.html"


def story_links(html: str, page_url: str) -> list[str]:
    """Folders of the story pages `html` (served at `/page_url`) links to, in order."""
    folders = []
    for href in re.findall(r'href="([^"]*)"', html):
        match = STORY_URL.match(urlsplit(urljoin(f"http://site/{page_url}", href)).path)
        if match:
            folders.append(match.group(1))
    return folders


def test_valid_site_builds_story_pages_and_listings(valid_build: sitekit.BuildResult) -> None:
    site = valid_build.site_dir
    for folder in PUBLISHED:
        page = page_path(site, f"stories/{folder}/")
        assert page.is_file(), f"missing story page {page}"
    title = "张庄的光伏板，晒出了好日子"
    assert title in page_path(site, f"stories/{SEARCH_FOLDER}/").read_text("utf-8")

    # 5 stories at 2 a page: /stories/, /stories/page/2/, /stories/page/3/ and no page 4.
    listed: list[str] = []
    for url in ("stories/", "stories/page/2/", "stories/page/3/"):
        page = page_path(site, url)
        assert page.is_file(), f"missing listing page {url}"
        on_page = list(dict.fromkeys(story_links(page.read_text("utf-8"), url)))
        assert 1 <= len(on_page) <= PER_PAGE, f"{url} lists {on_page}"
        listed += on_page
    assert not page_path(site, "stories/page/4/").exists()
    assert sorted(listed) == PUBLISHED
    assert len(listed) == len(set(listed)), f"a story is listed twice: {listed}"
    first_page = page_path(site, "stories/").read_text("utf-8")
    assert re.search(r'href="[^"]*page/2/"', first_page), "page 1 does not link to page 2"

    # Three 入户访 stories: the activity listing is paginated too.
    ruhufang = page_path(site, "stories/activity/ruhufang/")
    assert ruhufang.is_file()
    assert page_path(site, "stories/activity/ruhufang/page/2/").is_file()
    huicunkan = page_path(site, "stories/activity/huicunkan/").read_text("utf-8")
    assert story_links(huicunkan, "stories/activity/huicunkan/") == [COVER_FOLDER]
    for slug, folders in {
        "kaifeng": {
            SEARCH_FOLDER,
            "2021-03-15-zhangzhuang-hezuoshe",
            "2021-06-10-zhangzhuang-jihua",
        },
        "xinxiang": {COVER_FOLDER},
        "xinyang": {"2021-05-02-tianpu-minsu"},
    }.items():
        linked: set[str] = set()
        for url in (f"stories/city/{slug}/", f"stories/city/{slug}/page/2/"):
            if page_path(site, url).is_file():
                linked |= set(story_links(page_path(site, url).read_text("utf-8"), url))
        assert linked == folders, f"/stories/city/{slug}/ lists {linked}"


def test_build_copies_no_story_sources(
    valid_project: Path, valid_build: sitekit.BuildResult
) -> None:
    site = valid_build.site_dir
    stories_dir = valid_project / sitekit.STORIES
    sources = [path for path in stories_dir.rglob("*") if path.is_file()]
    assert any(path.suffix == ".jpg" for path in sources)
    source_hashes = {hashlib.sha256(path.read_bytes()).hexdigest(): path for path in sources}
    for path in sources:
        relative = path.relative_to(valid_project / "docs")
        assert not (site / relative).exists(), f"source {relative} was copied to site/"
    for published in site.rglob("*"):
        if published.is_file():
            digest = hashlib.sha256(published.read_bytes()).hexdigest()
            assert digest not in source_hashes, (
                f"{published.relative_to(site)} is a byte copy of {source_hashes[digest]}"
            )
    markdown = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.md"))
    assert not markdown, f"Markdown sources in site/: {markdown}"


def test_draft_is_not_built(valid_build: sitekit.BuildResult) -> None:
    site = valid_build.site_dir
    assert not (site / "stories" / DRAFT_FOLDER).exists()
    for html_file in site.rglob("*.html"):
        text = html_file.read_text("utf-8")
        assert DRAFT_FOLDER not in text, f"{html_file.relative_to(site)} mentions the draft"
        assert DRAFT_TITLE not in text
    indexed = searchkit.indexed_pages(site)
    assert not [page.url for page in indexed.values() if DRAFT_FOLDER in page.url]
    assert not [page.url for page in indexed.values() if DRAFT_TITLE in page.title]


def test_draft_is_served(valid_project: Path, serve_project: sitekit.ServeProjectFactory) -> None:
    served = serve_project(valid_project)
    status, html = sitekit.fetch(served.url(f"/stories/{DRAFT_FOLDER}/"))
    assert status == 200, served.output()
    assert DRAFT_TITLE in html
    status, listing = sitekit.fetch(served.url("/stories/"))
    assert status == 200
    all_pages = listing
    for number in (2, 3, 4):
        status, more = sitekit.fetch(served.url(f"/stories/page/{number}/"))
        if status == 200:
            all_pages += more
    assert DRAFT_TITLE in all_pages, "the draft is not listed under mkdocs serve"


def test_same_sources_build_identical_pages(
    valid_project: Path, valid_build: sitekit.BuildResult, tmp_path: Path
) -> None:
    again = sitekit.build(valid_project, strict=True, site_dir=tmp_path / "again")
    assert again.returncode == 0, again.output
    first, second = valid_build.site_dir, again.site_dir
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert any(p.suffix == ".html" for p in files)
    assert Path("search-index/manifest.json") in files  # the search index is made the same way
    differing = []
    for relative in files:
        a, b = (first / relative).read_bytes(), (second / relative).read_bytes()
        if relative.name == "sitemap.xml.gz":
            # gzip's header carries a timestamp; the sitemap inside must still match.
            a, b = gzip.decompress(a), gzip.decompress(b)
        if a != b:
            differing.append(relative.as_posix())
    assert not differing, f"files differ between two builds: {differing}"


CARD = re.compile(r'<li class="hp-card">(.*?)</li>', re.DOTALL)
CARD_PLACE = re.compile(r'<span class="hp-card__place">([^<]+ › [^<]+)</span>')
CARD_META = re.compile(
    r'<span class="hp-card__meta"><time datetime="\d{4}-\d{2}-\d{2}">'
    r"\d{4}年\d{1,2}月\d{1,2}日</time> · [^<]+</span>"
)


def test_every_story_card_shows_place_date_and_authors(valid_build: sitekit.BuildResult) -> None:
    """Listings, the home page and village pages show a story with the same card (a StoryCard
    through the shared macro): none of them misses its place, date or authors."""
    site = valid_build.site_dir
    cards: dict[str, int] = {}
    for page in sorted(site.rglob("*.html")):
        url = page.relative_to(site).as_posix()
        for card in CARD.findall(page.read_text("utf-8")):
            assert CARD_PLACE.search(card), f"{url}: a card without its place: {card}"
            assert CARD_META.search(card), f"{url}: a card without date or authors: {card}"
            cards[url.split("/")[0]] = cards.get(url.split("/")[0], 0) + 1
    assert {"index.html", "stories", "villages"} <= set(cards), cards


class NavLinks(HTMLParser):
    """Every href inside a `<nav class="md-nav ...">` (Material's sidebars and tabs)."""

    def __init__(self) -> None:
        super().__init__()
        self.navs: list[bool] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "nav":
            self.navs.append("md-nav" in (attributes.get("class") or "").split())
        elif tag == "a" and any(self.navs) and attributes.get("href") is not None:
            self.hrefs.append(attributes["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.navs:
            self.navs.pop()


def test_story_pages_are_not_in_the_nav(valid_build: sitekit.BuildResult) -> None:
    site = valid_build.site_dir
    pages = [f"stories/{folder}/" for folder in PUBLISHED] + ["", "stories/"]
    for url in pages:
        parser = NavLinks()
        parser.feed(page_path(site, url).read_text("utf-8"))
        assert parser.hrefs, f"/{url} has no .md-nav links at all: the check would be blind"
        in_nav = {
            match.group(1)
            for href in parser.hrefs
            if (match := STORY_URL.match(urlsplit(urljoin(f"http://site/{url}", href)).path))
        }
        own = url.split("/")[1] if url.count("/") == 2 and url != "stories/" else None
        assert not (in_nav - {own}), f"/{url} links to stories in its nav: {in_nav}"


def test_search_index_has_place_and_summary_but_not_body(
    valid_build: sitekit.BuildResult,
) -> None:
    indexed = searchkit.indexed_pages(valid_build.site_dir)
    story = indexed.get(f"/stories/{SEARCH_FOLDER}/")
    assert story is not None, f"the story is not in the index; it has {sorted(indexed)}"
    assert SEARCH_VILLAGE in story.text
    assert SEARCH_SUMMARY in story.text
    assert story.title == "张庄的光伏板，晒出了好日子" and story.label == "稿件"
    for page in indexed.values():
        assert not page.found_by(BODY_ONLY_SENTENCE), f"body text indexed at {page.url}"
    # Only stories, villages and the home page: no listing, poster or search page.
    kinds = {page.url.split("/")[1] for page in indexed.values()}
    assert {"stories", "villages"} <= kinds <= {"stories", "villages", ""}, kinds
    assert not [url for url in indexed if url.startswith(("/stories/page/", "/stories/activity/"))]


# -- the invalid fixture site ----------------------------------------------------------------

BAD_ACTIVITY = "2021-03-01-bad-activity"
NO_TITLE = "2021-03-02-no-title"
BAD_DATE_ROLE = "2021-03-03-bad-date-role"
STILL_VALID = "2021-03-04-still-valid"

INVALID_STORIES: dict[str, str] = {
    BAD_ACTIVITY: story_text("走错活动的稿件", activity="回乡看"),
    NO_TITLE: story_text("（没有标题）").replace("title: （没有标题）\n", ""),
    BAD_DATE_ROLE: story_text("日期和身份都不对", date="2020-12-01").replace(
        "role: 媒体记者", "role: 记者"
    ),
    STILL_VALID: story_text("写对了的稿件", summary="这一篇没有错误，应当照常发布。"),
}


def problem_key(folder: str, line: int, field: str) -> str:
    return f"docs/stories/{folder}/index.md:{line}: {field}"


EXPECTED_PROBLEMS = {
    problem_key(BAD_ACTIVITY, line_of(INVALID_STORIES[BAD_ACTIVITY], "activity:"), "activity"),
    problem_key(NO_TITLE, 1, "title"),
    problem_key(BAD_DATE_ROLE, line_of(INVALID_STORIES[BAD_DATE_ROLE], "date:"), "date"),
    problem_key(
        BAD_DATE_ROLE, line_of(INVALID_STORIES[BAD_DATE_ROLE], "    role:"), "authors[0].role"
    ),
}
PROBLEM_LINE = re.compile(r"(docs/stories/[^\s:]+:\d+: [^:\s]+): ")


@pytest.fixture(scope="module")
def invalid_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sitekit.make_project(tmp_path_factory.mktemp("invalid") / "project", INVALID_STORIES)


def test_strict_build_fails_listing_every_problem(invalid_project: Path) -> None:
    result = sitekit.build(invalid_project, strict=True)
    assert result.returncode != 0, result.output
    reported = set(PROBLEM_LINE.findall(result.output))
    assert reported == EXPECTED_PROBLEMS, result.output
    for folder in (BAD_ACTIVITY, NO_TITLE, BAD_DATE_ROLE):
        assert f"docs/stories/{folder}/index.md" in result.output
    assert STILL_VALID not in "".join(PROBLEM_LINE.findall(result.output))


def test_lenient_build_publishes_only_valid_stories(invalid_project: Path, tmp_path: Path) -> None:
    result = sitekit.build(invalid_project, strict=False, site_dir=tmp_path / "site")
    assert result.returncode == 0, result.output
    site = result.site_dir
    assert set(PROBLEM_LINE.findall(result.output)) == EXPECTED_PROBLEMS, result.output
    assert page_path(site, f"stories/{STILL_VALID}/").is_file()
    for folder in (BAD_ACTIVITY, NO_TITLE, BAD_DATE_ROLE):
        assert not (site / "stories" / folder).exists(), f"broken story {folder} was published"
    listing = page_path(site, "stories/").read_text("utf-8")
    assert story_links(listing, "stories/") == [STILL_VALID]
    assert not (site / "problems").exists(), "/problems/ belongs to mkdocs serve only"
