"""The pages `make audit` looks at: home, a story with pairs, the story listing, a village, the
gallery, the schedule and the 404 page.

The story and the village are picked from the site itself, through its sitemap, so the audit
follows the content rather than folder names: the first story (in URL order) whose page shows a
before-and-after pair, and the first village page that shows one, else the first village page.
A page counts when its URL has the shape urls.py gives it and its HTML comes from its template.
Pages are read from the running server (`served_site`), so auditing a server started by hand
(`scripts/audit --url`) picks the same way.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from huatuopin import urls

# A page's HTML by its site-relative URL (`stories/x/`, `sitemap.xml`); None when there is none.
SiteReader = Callable[[str], str | None]

SITEMAP = "sitemap.xml"
SITEMAP_NAMESPACE = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Markers of the page templates (overrides/story.html, village.html, partials/media-pair.html).
STORY_MARKER = 'class="hp-story"'
VILLAGE_MARKER = 'class="hp-village"'
PAIR_MARKER = "data-hp-pair"
# No generator makes a URL under this name (urls.GENERATED_SPACES) and no page is written by hand
# there, so the server answers it with the 404 page.
MISSING = "audit-no-such-page/"
FETCH_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class AuditPage:
    key: str  # names its Lighthouse report file
    name: str  # what the report calls it
    url: str  # site-relative, as urls.py writes it
    status: int = 200  # the HTTP status the page must answer with


@dataclass(frozen=True)
class Picked:
    pages: list[AuditPage]
    missing: list[str]  # pages the site has none of, said in Chinese


def pick_pages(read: SiteReader) -> Picked:
    """The pages to audit, in the order the report lists them."""
    candidates = sitemap_urls(read)
    stories = _shaped(candidates, urls.story("x"))
    villages = _shaped(candidates, urls.village("x", "x", "x"))
    story = _first(read, stories, (STORY_MARKER, PAIR_MARKER))
    village = _first(read, villages, (VILLAGE_MARKER, PAIR_MARKER)) or _first(
        read, villages, (VILLAGE_MARKER,)
    )
    chosen: list[AuditPage | str] = [
        AuditPage("home", "首页", urls.HOME),
        AuditPage("story", "稿件（有今昔对比）", story) if story else "带今昔对比照片的稿件页",
        AuditPage("stories", "稿件列表", urls.STORIES),
        AuditPage("village", "村庄", village) if village is not None else "村庄页",
        AuditPage("gallery", "今昔对比", urls.GALLERY),
        AuditPage("schedule", "宣讲日程", urls.SCHEDULE),
        AuditPage("not-found", "404 页", MISSING, status=404),
    ]
    return Picked(
        pages=[page for page in chosen if isinstance(page, AuditPage)],
        missing=[f"网站里没有{page}，无法审核" for page in chosen if isinstance(page, str)],
    )


def sitemap_urls(read: SiteReader) -> list[str]:
    """Every page the sitemap lists, site-relative and sorted. Its addresses start with
    `site_url`, which may hold a path of its own: the shortest one is the home page."""
    paths = []
    for text in _sitemap_texts(read):
        for url in ElementTree.fromstring(text).iter(f"{SITEMAP_NAMESPACE}url"):
            loc = (url.findtext(f"{SITEMAP_NAMESPACE}loc") or "").strip()
            if loc:
                paths.append(urllib.parse.urlsplit(loc).path)
    if not paths:
        return []
    root = min(paths, key=len)
    return sorted(path.removeprefix(root) for path in paths if path.startswith(root))


def _sitemap_texts(read: SiteReader) -> list[str]:
    """The sitemap, or its parts when it is an index (a site too large for one file: they
    sit beside it, hooks/huatuopin/sitemaps.py)."""
    text = read(SITEMAP)
    if text is None:
        return []
    root = ElementTree.fromstring(text)
    if root.tag != f"{SITEMAP_NAMESPACE}sitemapindex":
        return [text]
    parts = []
    for loc in root.iter(f"{SITEMAP_NAMESPACE}loc"):
        name = urllib.parse.urlsplit((loc.text or "").strip()).path.rpartition("/")[2]
        part = read(name) if name else None
        if part is not None:
            parts.append(part)
    return parts


def _shaped(candidates: Iterable[str], example: str) -> list[str]:
    """The URLs shaped as `example`: as many parts, the same first one (`stories/x/` takes
    story pages, not `stories/page/2/` or `stories/activity/x/`)."""
    parts = example.split("/")
    return [
        url
        for url in candidates
        if len(url.split("/")) == len(parts) and url.split("/")[0] == parts[0]
    ]


def _first(read: SiteReader, candidates: Iterable[str], markers: tuple[str, ...]) -> str | None:
    for url in candidates:
        html = read(url)
        if html is not None and all(marker in html for marker in markers):
            return url
    return None


class Unreachable(Exception):
    """The server does not answer; the message says which address."""


def served_site(base_url: str) -> SiteReader:
    """Read pages from a running server; `base_url` ends with `/`."""

    def read(url: str) -> str | None:
        try:
            with urllib.request.urlopen(base_url + url, timeout=FETCH_TIMEOUT_SECONDS) as answer:
                return answer.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError:
            return None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise Unreachable(
                f"{base_url + url} 没有回应（{reason}），请确认网站正在运行"
            ) from error

    return read
