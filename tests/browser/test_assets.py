"""What every page of the built sample site loads: one stylesheet and our scripts under names
that carry their content's hash, no inline script (the site is served with a CSP that allows
none), no empty banner, and a 404 page in Chinese that works at any depth."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import sitekit
from playwright.sync_api import expect

HASHED = re.compile(r"^(?P<stem>[a-z0-9-]+)\.(?P<hash>[0-9a-f]{10})\.(?P<ext>css|js)$")


class _Head(HTMLParser):
    """The stylesheets, scripts and banners of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []  # src of external scripts
        self.inline_scripts: list[str] = []  # the first characters of each
        self.banners = 0
        self._inline: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and "stylesheet" in values.get("rel", "").split():
            self.stylesheets.append(values["href"])
        elif tag == "script" and "src" in values:
            self.scripts.append(values["src"])
        elif tag == "script" and values.get("type") != "application/json":
            self._inline = []  # JSON data (Material's __config) is not script
        if "md-banner" in values.get("class", "").split():
            self.banners += 1

    def handle_data(self, data: str) -> None:
        if self._inline is not None:
            self._inline.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._inline is not None:
            self.inline_scripts.append("".join(self._inline)[:80])
            self._inline = None


def read_page(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def pages(site_dir: Path) -> Iterator[Path]:
    yield from sitekit.site_pages(site_dir)


def test_no_page_has_an_inline_script_or_more_than_one_stylesheet(
    sample_site: sitekit.StaticSite,
) -> None:
    checked = 0
    for path in pages(sample_site.site_dir):
        page = read_page(path)
        where = path.relative_to(sample_site.site_dir)
        assert page.inline_scripts == [], f"{where}: inline scripts {page.inline_scripts}"
        assert len(page.stylesheets) == 1, f"{where}: stylesheets {page.stylesheets}"
        checked += 1
    assert checked > 50


def test_no_page_shows_an_empty_banner(sample_site: sitekit.StaticSite) -> None:
    for path in pages(sample_site.site_dir):
        assert read_page(path).banners == 0, path.relative_to(sample_site.site_dir)


def _own_asset(site_dir: Path, page: Path, url: str) -> Path | None:
    """The file `url` (from `page`) names, when it is one of ours under assets/."""
    base = site_dir if url.startswith("/") else page.parent
    target = (base / url.lstrip("/")).resolve()
    relative = target.relative_to(site_dir.resolve()).as_posix()
    if not relative.startswith("assets/") or relative.startswith("assets/javascripts/"):
        return None  # Material's bundle: named by Material with its own hash
    return target


def test_our_stylesheet_and_scripts_are_named_by_the_hash_of_their_content(
    sample_site: sitekit.StaticSite,
) -> None:
    site_dir = sample_site.site_dir.resolve()
    linked: set[Path] = set()
    for path in pages(site_dir):
        page = read_page(path)
        for url in page.stylesheets + page.scripts:
            asset = _own_asset(site_dir, path, url)
            if asset is not None:
                linked.add(asset)
    names = {asset.name for asset in linked}
    stems = {HASHED.match(name)["stem"] for name in names if HASHED.match(name)}
    assert {"site", "boot", "search", "pairs", "troupe"} <= stems, names
    for asset in linked:
        match = HASHED.match(asset.name)
        assert match, f"{asset.name} has no content hash in its name"
        assert asset.is_file(), f"{asset} is linked but not published"
        digest = hashlib.sha256(asset.read_bytes()).hexdigest()[:10]
        assert match["hash"] == digest, f"{asset.name}: content hash is {digest}"
    # The unhashed copies are not published, so nothing can link a stale one.
    published = {p.name for p in (site_dir / "assets").iterdir() if p.is_file()}
    for stem in ("site.css", "troupe.css", "media.css", "pairs.js", "troupe.js", "boot.js"):
        assert stem not in published


def test_the_stylesheet_holds_material_s_and_ours_in_order(
    sample_site: sitekit.StaticSite,
) -> None:
    index = read_page(sample_site.site_dir / "index.html")
    bundle = (sample_site.site_dir / index.stylesheets[0]).read_text(encoding="utf-8")
    # Material's main stylesheet first, then its palette, then ours: ours win on equal terms.
    positions = [
        bundle.index(".md-typeset"),
        bundle.index("[data-md-color-scheme=slate]"),
        bundle.index(".hp-"),
    ]
    assert positions == sorted(positions)


@pytest.fixture(scope="module")
def nginx_like_site(sample_site: sitekit.StaticSite) -> Iterator[str]:
    """The sample site served as nginx serves it: unknown paths get 404.html."""
    with sitekit.serve_directory(sample_site.site_dir, not_found="404.html") as base_url:
        yield base_url


@pytest.mark.parametrize("path", ["/nothing-here", "/stories/no-such-story/", "/a/b/c/d/"])
def test_the_404_page_works_at_any_depth(
    nginx_like_site: str, phone: sitekit.Phone, path: str
) -> None:
    failed: list[str] = []
    phone.page.on("requestfailed", lambda request: failed.append(request.url))
    statuses: list[tuple[str, int]] = []
    phone.page.on("response", lambda response: statuses.append((response.url, response.status)))
    response = phone.page.goto(nginx_like_site + path, wait_until="load")
    assert response is not None and response.status == 404
    page = phone.page
    assert page.locator("h1").first.inner_text() == "页面不存在"
    assert "页面不存在" in page.title()
    assert failed == []
    # Every stylesheet and script of the page was found (the page's own 404 aside).
    assert [url for url, status in statuses[1:] if status >= 400] == []
    assert all(urlsplit(url).hostname == "127.0.0.1" for url, _ in statuses)
    # Styled: the one stylesheet applied (Material's header is fixed at the top).
    assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") in (
        "sticky",
        "fixed",
    )
    home = page.get_by_role("link", name="回到首页")
    assert urljoin(page.url, home.get_attribute("href") or "") == nginx_like_site + "/"
    # The link leads to the search page, whatever the depth of the missing address.
    with page.expect_navigation(url=nginx_like_site + "/search/"):
        page.get_by_role("link", name="搜索稿件").click()
    expect(page.get_by_role("search").locator("input[name=q]")).to_be_visible()


def test_material_s_scripts_work_with_our_helpers(
    sample_site: sitekit.StaticSite, phone: sitekit.Phone
) -> None:
    """Material's bundle runs on the helpers boot.js defines instead of its inline ones: the
    colour-scheme button switches and is remembered on the next page, and the back-to-top
    button appears when the reader scrolls back up. (Search: test_pages.py.)"""
    page = phone.open(sample_site.url("/stories/"))
    scheme = "() => document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    # Following the phone (light) → light → dark: the button shows the next choice.
    for _ in range(2):
        page.locator("form[data-md-component=palette] label:not([hidden])").click()
    page.wait_for_function(f"() => ({scheme})() === 'slate'")
    page = phone.open(sample_site.url("/villages/"))
    assert page.evaluate(scheme) == "slate"
    page = phone.open(sample_site.url("/troupe/schedule/"))
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -400)
    page.locator("[data-md-component=top]:not([hidden])").wait_for(timeout=5_000)


def _story_folder(with_pairs: bool) -> str:
    for folder, meta in sitekit.repo_stories().items():
        if (
            not meta.get("draft")
            and bool(meta.get("pairs")) == with_pairs
            and not meta.get("cover")
        ):
            return folder
    raise AssertionError("the sample content has no such story")


def _first_pair_page(kind: str) -> str:
    return (
        f"stories/{_story_folder(with_pairs=True)}/index.html"
        if kind == "story"
        else ("gallery/index.html")
    )


@pytest.mark.parametrize("kind", ["story", "gallery"])
def test_the_first_image_a_reader_sees_loads_first(
    sample_site: sitekit.StaticSite, kind: str
) -> None:
    """On a story with pairs and no cover, and on the gallery, the first pair's "after" photo
    (the one the slider shows whole) is eager with high priority; every other image is lazy."""
    html = (sample_site.site_dir / _first_pair_page(kind)).read_text(encoding="utf-8")
    images = re.findall(r"<img\b[^>]*>", html)
    eager = [tag for tag in images if 'loading="lazy"' not in tag]
    afters = [tag for tag in images if "改造后" in tag]  # the alt text names the photo
    assert eager == afters[:1]
    assert 'fetchpriority="high"' in eager[0]


def _stylesheet_of(html: str) -> str:
    parser = _Head()
    parser.feed(html)
    (href,) = parser.stylesheets
    return href


def test_a_stylesheet_edit_shows_up_under_serve(
    tmp_path: Path, serve_project: sitekit.ServeProjectFactory
) -> None:
    """`make serve` rebuilds the bundle when docs/assets/site.css changes: the page then links
    a new name with the edit in it (and the problems banner shows only with problems)."""
    project = sitekit.make_project(tmp_path / "project", {})
    served = serve_project(project)
    status, html = sitekit.fetch(served.url("/"))
    assert status == 200 and read_banners(html) == 0
    before = _stylesheet_of(html)
    css = project / "docs" / "assets" / "site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.hp-edited { color: #123456; }\n")
    deadline = time.monotonic() + 90
    while (after := _stylesheet_of(sitekit.fetch(served.url("/"))[1])) == before:
        assert time.monotonic() < deadline, "the page still links the old stylesheet"
        time.sleep(0.5)
    status, bundle = sitekit.fetch(urljoin(served.url("/"), after))
    assert status == 200 and ".hp-edited { color: #123456; }" in bundle


def read_banners(html: str) -> int:
    parser = _Head()
    parser.feed(html)
    return parser.banners
