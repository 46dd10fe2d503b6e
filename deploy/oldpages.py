"""The other pages of a kept release stop naming a story withdrawn there now.

Its folder becomes the notice (scrub.py), but the older release's listings, village pages,
gallery, feeds, sitemaps, posters and troupe calendars still carry its title, summary and
cover: a rollback would show them again. Every text file of the release (outside the
withdrawn stories' own folders, the search index and the release's facts) that names a
withdrawn story's URL path `stories/<folder>/` is replaced by the new release's file at the
same path, `.gz` included; a file the new release does not have (a village page whose only
story it was) is deleted, so it answers 404 there as in the new release. The files a replaced
page links that the release lacks are copied from the new release.

Replaced rather than edited in place: the new release is already the truth without the
story, built by the same templates, whereas taking a card out of a listing, an entry out of a
feed or an event out of a calendar by pattern would break on the next change to any template.
A replaced listing may show stories published after the kept release: they are public.

A file names a story when it holds the story's URL path `stories/<folder>/` (links,
feeds, sitemaps, calendars) or its title as the story's own page escapes it (the village
poster prints titles without links). A title other text happens to contain only costs a page
replaced that did not need it: the new release's version of a page is always right.

A paginated listing (`<root>/index.html`, `<root>/page/<N>/index.html`: urls.paged) is replaced
whole when any page of it is: the new release's pages hold the story's neighbours in another
order, so a listing half old and half new shows a story twice or skips one, and it may have
fewer pages (the old release's extra ones are deleted). A split sitemap likewise: `sitemap.xml`
is then the index of `sitemap-<N>.xml` (sitemaps.py), and an index and parts from two releases
name a missing part or leave one out. Only the groups of the files found are looked at: a few
folder listings, not another walk of the release.

Each file is read once per release and searched for all the withdrawn URLs at once: a
province-sized release has tens of thousands of files, and nearly none name the story.
"""

from __future__ import annotations

import os
import posixpath
import re
import shutil
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from huatuopin import urls

from deploy.linked import copy_missing_linked
from deploy.precompress import GZIP_SUFFIX

# The text files the site publishes that can name a story (the .gz beside each goes with it).
SCANNED_SUFFIXES = frozenset({".html", ".xml", ".json", ".ics", ".csv", ".txt", ".js"})
# The search index loses the story's record in scrub.py; the facts say what was withdrawn.
SKIPPED_FOLDERS = (urls.SEARCH_INDEX, urls.RELEASE_FOLDER)
# overrides/partials/share-meta.html
SHARE_TITLE = re.compile(rb'<meta property="og:title" content="([^"]+)">')
# A story's address as a page, feed or calendar writes it (folder names: urls.py).
STORY_ADDRESS = re.compile(rb"\b" + re.escape(urls.STORIES.encode()) + rb"[0-9a-z-]+/")
# The pages of a paginated listing whose first page is at `root` (urls.paged): a later one's
# site path gives its root, and the folder `<root>page/` holds the later ones.
PAGES_FOLDER = urls.paged("", 2).split("2/")[0]
LATER_PAGE = re.compile(
    rf"(?P<root>(?:.+/)?){re.escape(PAGES_FOLDER)}[1-9][0-9]*/{re.escape(urls.page_file(''))}$"
)
FIRST_PAGE = re.compile(rf"(?P<root>(?:.+/)?){re.escape(urls.page_file(''))}$")
# sitemap.xml and, when it is their index, its parts (sitemaps.py).
SITEMAP_PART = re.compile(re.escape(urls.sitemap_part(0)).replace("0", "[1-9][0-9]*") + "$")


@dataclass
class PagesChanged:
    """Site paths of one release's files that named a withdrawn story."""

    replaced: list[str] = field(default_factory=list)  # now the new release's
    removed: list[str] = field(default_factory=list)  # the new release has none


def replace_pages(new_release: Path, release: Path, paths: Iterable[str]) -> PagesChanged:
    """Each of `paths` in `release`, with the rest of its listing or sitemap (grouped),
    becomes the new release's file, or is deleted where the new release has none."""
    changed = PagesChanged()
    for path in grouped(new_release, release, paths):
        source = new_release / path
        if source.is_file() and not source.is_symlink():
            if _same(source, release / path):
                continue  # a page of the group both releases have alike
            if path.endswith(".html"):
                # Before the page itself, so it never shows without its style sheet or images.
                page_url = posixpath.dirname(path)
                page_url = f"{page_url}/" if page_url else ""
                html = source.read_text("utf-8", errors="replace")
                copy_missing_linked(new_release, release, html, page_url)
            _replace(source, release / path)
            changed.replaced.append(path)
        else:
            _remove(release, path)
            changed.removed.append(path)
    return changed


def grouped(new_release: Path, release: Path, paths: Iterable[str]) -> list[str]:
    """`paths` with the other pages of each one's listing or sitemap, in either release, in
    the order they are to be changed: the group's pages not in `paths` first (the extra old
    ones deleted before the rest, which no longer link them), `paths` last, so an interrupted
    run leaves a page naming the story and the next run replaces the group again."""
    paths = list(dict.fromkeys(paths))
    found = set(paths)
    others: list[str] = []
    seen = set()
    for path in paths:
        group = _group(new_release, release, path)
        if group is None or group[0] in seen:
            continue
        seen.add(group[0])
        members = [member for member in group[1] if member not in found]
        gone = [member for member in members if not (new_release / member).is_file()]
        others.extend(gone + [member for member in members if member not in gone])
    return others + paths


def files_naming(
    release: Path, story_urls: Collection[str], titles: Collection[bytes]
) -> list[str]:
    """Site paths of the scanned files of `release` whose bytes name one of `story_urls`
    (with its trailing slash, so `…-zhang/` never matches `…-zhangzhuang/`), or, for HTML,
    one of `titles` (story_titles)."""
    if not story_urls:
        return []
    # One pattern for all the URLs: their shared `stories/` prefix is a literal the search
    # skips along. Titles have no common prefix, and an alternation of them is searched
    # several times slower than each on its own: they are looked for one by one, in HTML.
    addresses = re.compile(b"|".join(re.escape(url.encode()) for url in sorted(story_urls)))
    skipped = {*SKIPPED_FOLDERS, *story_urls}
    found = []
    for path in _scanned_files(release, skipped):
        try:
            data = (release / path).read_bytes()
        except FileNotFoundError:
            continue
        if addresses.search(data) or (
            path.endswith(".html") and any(title in data for title in titles)
        ):
            found.append(path)
    return sorted(found)


def story_titles(releases: Iterable[Path], story_urls: Collection[str]) -> dict[str, bytes]:
    """The stories' titles as their pages carry them, in the first of `releases` that still
    has the page (a kept release may list a story it never had: its listing is a later
    release's), HTML-escaped as every template prints them (the share meta has the title
    alone). Feeds, sitemaps and calendars name a story by its URL: only HTML is searched for
    these."""
    titles: dict[str, bytes] = {}
    for release in releases:
        for url in story_urls:
            folder = release / url
            if url in titles or (folder / urls.WITHDRAWN_MARKER).exists():
                continue  # the notice's title is not the story's
            try:
                page = (folder / "index.html").read_bytes()
            except FileNotFoundError:
                continue
            found = SHARE_TITLE.search(page)
            if found and found[1].strip():
                titles[url] = found[1]
    return titles


def stories_named(new_release: Path, paths: Iterable[str]) -> set[str]:
    """The story URLs (`stories/<folder>/`) the new release's files at `paths` name."""
    named = set()
    for path in paths:
        try:
            named.update(
                found.decode() for found in STORY_ADDRESS.findall((new_release / path).read_bytes())
            )
        except FileNotFoundError:
            continue
    return named


def _group(new_release: Path, release: Path, path: str) -> tuple[str, list[str]] | None:
    """The key and the site paths (in both releases, parts and later pages before the page
    that names them) of the listing or sitemap `path` belongs to; None for a page on its own."""
    if path == urls.SITEMAP or SITEMAP_PART.match(path):
        parts = {
            name
            for root in (new_release, release)
            for name in _names(root)
            if SITEMAP_PART.match(name)
        }
        return urls.SITEMAP, [*sorted(parts, key=_number), urls.SITEMAP]
    later = LATER_PAGE.match(path)
    first = FIRST_PAGE.match(path)
    root = later["root"] if later else first["root"] if first else None
    if root is None:
        return None
    folder = f"{root}{PAGES_FOLDER}"
    pages = {
        f"{folder}{name}/{urls.page_file('')}"
        for site in (new_release, release)
        for name in _names(site / folder)
    }
    pages = {page for page in pages if LATER_PAGE.match(page)}
    if not pages:
        return None  # not paginated: the page is its own group
    return root, [*sorted(pages, key=_number), urls.page_file(root)]


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []


def _number(path: str) -> int:
    return int(re.findall(r"[0-9]+", path)[-1])


def _same(source: Path, target: Path) -> bool:
    """Whether `target` and its `.gz` are already `source`'s."""
    gzipped = (
        source.with_name(source.name + GZIP_SUFFIX),
        target.with_name(target.name + GZIP_SUFFIX),
    )
    pairs = [(source, target), gzipped]
    try:
        return all(
            a.exists() == b.exists() and (not a.exists() or a.read_bytes() == b.read_bytes())
            for a, b in pairs
        )
    except OSError:
        return False


def _scanned_files(release: Path, skipped: set[str]) -> Iterator[str]:
    for folder, folders, files in os.walk(release):
        relative = Path(folder).relative_to(release).as_posix()
        prefix = "" if relative == "." else f"{relative}/"
        folders[:] = [name for name in folders if f"{prefix}{name}/" not in skipped]
        for name in files:
            if os.path.splitext(name)[1].lower() in SCANNED_SUFFIXES:
                yield f"{prefix}{name}"


def _replace(source: Path, target: Path) -> None:
    """`target` and its `.gz` become `source`'s; each by a rename, so no reader gets half a
    file, and the page last: while it still names the story a second run replaces it again."""
    gzip_source = source.with_name(source.name + GZIP_SUFFIX)
    gzip_target = target.with_name(target.name + GZIP_SUFFIX)
    target.parent.mkdir(parents=True, exist_ok=True)  # a page the old listing did not have
    if gzip_source.is_file():
        _copy_over(gzip_source, gzip_target)
    else:
        gzip_target.unlink(missing_ok=True)
    _copy_over(source, target)


def _copy_over(source: Path, target: Path) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    shutil.copy2(source, temporary)
    os.replace(temporary, target)


def _remove(release: Path, path: str) -> None:
    """Delete the file and its `.gz` (the `.gz` first, for the same reason as above), and the
    folders left empty, so nothing of the page remains."""
    target = release / path
    target.with_name(target.name + GZIP_SUFFIX).unlink(missing_ok=True)
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != release and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
