"""Every page of the sample site with every payload family in it, in a phone's Chromium.

The repository's whole site is built with payloads in a story body, a village profile (both
parts), the home page and a hand-written page, markup in plain-text fields, and files that must
not be published. The test-only hook (tests/hostile_hook.py) silences the scanner and swaps
FIELD_MARK for markup in every title, summary, name, bio and venue of the samples after
validation, so what reaches the pages is stopped by escaping and sanitizing alone. The build is
not strict, as `make serve` publishes.

A page passes when, at phone size, no dialog opens, it stays where it is, it requests nothing
off 127.0.0.1, it stays visible, and its DOM holds no event-handler attribute, no script URL,
no password field, no form posting elsewhere and nothing that refreshes or re-bases it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import hostilekit
import pytest
import sitekit

pytestmark = pytest.mark.browser

# Runs in the page: whatever an injected payload could have left behind in the DOM.
FIND_DANGER = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, '');
      if (attr.name.toLowerCase().startsWith('on')) found.push(`${el.localName} ${attr.name}=`);
      if (/^(javascript|vbscript|data:text\\/html)/i.test(value) || /javascript:/i.test(value)) {
        found.push(`${el.localName} ${attr.name}="${attr.value.slice(0, 60)}"`);
      }
    }
  }
  const anywhere = 'meta[http-equiv], base, iframe, object, embed, input[type=password]';
  for (const el of document.querySelectorAll(anywhere)) found.push(`<${el.localName}>`);
  // Our income chart and a poster's QR code are the SVGs a page's content may hold.
  const inContent = '.md-content style, .md-content noscript, .md-content math, '
    + '.md-content svg:not(.hp-chart__svg):not(.hp-poster__qr-code)';
  for (const el of document.querySelectorAll(inContent)) found.push(`<${el.localName}> in content`);
  for (const form of document.forms) {
    if (new URL(form.action, location.href).hostname !== location.hostname) {
      found.push(`a form posting to ${form.action}`);
    }
  }
  for (const script of document.scripts) {
    if (script.textContent.includes('hpxss')) found.push('an injected <script>');
  }
  const body = getComputedStyle(document.body);
  if (body.display === 'none' || body.visibility === 'hidden') found.push('the page is hidden');
  return found;
}"""


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = hostilekit.copy_repository_site(tmp_path_factory.mktemp("hostile-site"))
    hostilekit.inject_everywhere(root)
    hostilekit.add_hostile_hook(
        root, scanner=False, taint=(hostilekit.FIELD_MARK, hostilekit.FIELD_PAYLOAD)
    )
    return root


@pytest.fixture(scope="module")
def hostile_site(hostile_project: Path) -> Iterator[sitekit.StaticSite]:
    result = sitekit.build(hostile_project, strict=False)
    assert result.returncode == 0, f"the lenient build failed:\n{result.output}"
    with sitekit.serve_directory(result.site_dir) as base_url:
        yield sitekit.StaticSite(result.site_dir, base_url, result.output)


def page_paths(site_dir: Path) -> list[str]:
    """The URL path of every HTML page of a built site."""
    return [
        "/" + html.relative_to(site_dir).as_posix().removesuffix("index.html")
        for html in sorted(site_dir.rglob("*.html"))
    ]


def visit_all(phones: list[sitekit.Phone], base_url: str, paths: list[str]) -> list[str]:
    """Open every path on the phones, taking turns; what went wrong, a line per finding."""
    found: list[str] = []
    urls = [base_url + path for path in paths]
    # Long enough for autofocus handlers and a refresh after 0 s to have fired.
    for phone, visit in sitekit.visit_each(phones, urls, settle_ms=150):
        path = visit.url.removeprefix(base_url)
        if visit.went_to:
            found.append(f"{path}: went to {visit.went_to}")
            continue
        found += [f"{path}: dialog “{message}”" for message in visit.dialogs]
        found += [f"{path}: requested {url}" for url in visit.blocked]
        found += [f"{path}: {item}" for item in phone.page.evaluate(FIND_DANGER)]
    return found


def test_no_page_of_the_site_runs_what_contributors_wrote(
    new_phone: sitekit.PhoneFactory, hostile_site: sitekit.StaticSite
) -> None:
    paths = page_paths(hostile_site.site_dir)
    # Every page of the samples, the hostile story and village, the hand-written page.
    for expected in ("/", "/about/", "/stories/2021-03-12-hostile-body/", "/404.html"):
        assert expected in paths
    assert "/villages/kaifeng/lankao/zhangzhuang/" in paths and len(paths) > 100
    assert "/villages/kaifeng/lankao/zhangzhuang/poster/" in paths
    assert "/troupe/cities/kaifeng/poster/" in paths
    problems = visit_all([new_phone(), new_phone()], hostile_site.base_url, paths)
    assert not problems, "\n".join(problems)


def test_the_payloads_did_reach_the_pages(hostile_site: sitekit.StaticSite) -> None:
    """The walk above means something only if the hostile text is on the pages, escaped."""
    site = hostile_site.site_dir
    story = (site / "stories" / "2021-03-12-hostile-body" / "index.html").read_text("utf-8")
    assert "正文开头" in story and "正文结尾" in story
    listing = (site / "stories" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=" in listing  # a sample's title, tainted and escaped
    members = (site / "troupe" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=" in members
    # In what a shared link shows, on posters, and in the feed: as text, escaped once.
    head = listing.split("</head>", 1)[0]
    assert 'content="采风作品"' in head  # the listing's own title is untainted
    for page in ("villages/kaifeng/lankao/zhangzhuang/poster", "troupe/cities/kaifeng/poster"):
        poster = (site / page / "index.html").read_text(encoding="utf-8")
        assert "&lt;img src=x onerror=" in poster and "&amp;lt;img" not in poster
    story = (site / "stories" / "2021-03-12-zhangzhuang-guangfu" / "index.html").read_text("utf-8")
    story_head = story.split("</head>", 1)[0]
    assert (
        '<meta property="og:title" content="张庄的光伏板，晒出了好日子&#34;&gt;&lt;img'
        in story_head
    )
    assert "<img" not in story_head
    feed = (site / "stories" / "feed.xml").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=" in feed and "<img" not in feed


def test_files_that_could_run_script_are_not_published(hostile_site: sitekit.StaticSite) -> None:
    site = hostile_site.site_dir
    assert not (site / "evil.html").exists()
    assert not (site / "assets" / "evil.svg").exists()
    # Markup in plain-text fields is refused: that story is left out, and the build says why.
    assert not (site / "stories" / "2021-03-13-hostile-fields").exists()
    assert "2021-03-13-hostile-fields/index.md" in hostile_site.build_output


def test_problems_page_quotes_the_refused_markup_as_text(
    phone: sitekit.Phone, hostile_project: Path, serve_project: sitekit.ServeProjectFactory
) -> None:
    served = serve_project(hostile_project)
    status, problems_page = sitekit.fetch(served.url("/problems/"))
    assert status == 200
    assert "“&lt;img”" in problems_page  # quoted, so the contributor sees what to remove
    problems = visit_all([phone], served.base_url, ["/problems/", "/", "/about/"])
    assert not problems, "\n".join(problems)
