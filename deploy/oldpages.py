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


@dataclass
class PagesChanged:
    """Site paths of one release's files that named a withdrawn story."""

    replaced: list[str] = field(default_factory=list)  # now the new release's
    removed: list[str] = field(default_factory=list)  # the new release has none


def replace_pages(new_release: Path, release: Path, paths: Iterable[str]) -> PagesChanged:
    """Each of `paths` in `release` becomes the new release's file, or is deleted where the
    new release has none."""
    changed = PagesChanged()
    for path in paths:
        source = new_release / path
        if source.is_file() and not source.is_symlink():
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
