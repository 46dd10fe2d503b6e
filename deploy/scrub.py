"""Nothing withdrawn comes back: a story withdrawn in the new release is taken out of every
other kept release too, so a rollback cannot publish it again.

In each release that still has it as a story: its folder becomes the new release's (the
notice page and the withdrawn marker, with any hashed asset the notice links that the old
release lacks), the derived media files only it used are deleted, its search record is
deleted, a `.gz` beside any file touched goes with it (nginx's gzip_static would serve it),
and the release's facts then say it is withdrawn, so running this again does nothing. Before
that, the release's other pages that name it are replaced by the new release's (oldpages.py);
the stories published since that those pages list are recorded in the release's facts as its
own, so a later takedown of one of them finds it here too.
The media cache entries the withdrawn stories used that the new release does not use go too.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from huatuopin import urls
from huatuopin.media.cache import MediaCache

from deploy.facts import ReleaseFacts, StoryFacts, read_facts, write_facts
from deploy.linked import copy_missing_linked, linked_files
from deploy.oldpages import files_naming, grouped, replace_pages, stories_named, story_titles
from deploy.precompress import GZIP_SUFFIX

__all__ = ["ReleaseScrub", "Scrubbed", "linked_files", "scrub"]

SEARCH_MANIFEST = f"{urls.SEARCH_INDEX}manifest.json"


@dataclass
class ReleaseScrub:
    """What was taken out of one release."""

    release: str
    stories: list[str] = field(default_factory=list)  # story URLs now withdrawn there
    media: list[str] = field(default_factory=list)  # site paths deleted
    search_records: list[str] = field(default_factory=list)  # site paths deleted
    unknown_media: list[str] = field(default_factory=list)  # stories in a release without facts
    # Its other files that named them, with the rest of their paginated listings and split
    # sitemap (oldpages.grouped): now the new release's, or deleted where it has none.
    pages_replaced: list[str] = field(default_factory=list)
    pages_removed: list[str] = field(default_factory=list)


@dataclass
class Scrubbed:
    releases: list[ReleaseScrub] = field(default_factory=list)  # only those changed
    cache_entries: list[str] = field(default_factory=list)  # keys dropped
    cache_files: list[str] = field(default_factory=list)  # their files, by name


def scrub(
    new_release: Path, new_facts: ReleaseFacts, others: list[Path], cache: MediaCache | None
) -> Scrubbed:
    """Take every story the new release withdraws out of the `others`, and out of `cache`."""
    done = Scrubbed()
    withdrawn = new_facts.withdrawn
    if not withdrawn:
        return done
    facts_of = {release: read_facts(release) for release in others}
    # Read before the releases' facts are changed below: after that they no longer say.
    keys = {
        key
        for facts in facts_of.values()
        if facts is not None
        for url in withdrawn
        if url in facts.stories
        for key in facts.stories[url].cache
    }
    # Before any folder becomes the notice: some release still has each story's own page.
    titles = story_titles(others, withdrawn)
    for release, facts in facts_of.items():
        changed = _scrub_release(new_release, new_facts, release, facts, titles)
        if changed is not None:
            done.releases.append(changed)
    if cache is not None:
        done.cache_entries, done.cache_files = cache.drop(keys - set(new_facts.cache))
    return done


def _scrub_release(
    new_release: Path,
    new_facts: ReleaseFacts,
    release: Path,
    facts: ReleaseFacts | None,
    titles: dict[str, bytes],
) -> ReleaseScrub | None:
    report = ReleaseScrub(release.name)
    withdrawn = new_facts.withdrawn
    now = [(url, day) for url, day in sorted(withdrawn.items()) if _published(release, facts, url)]
    if not now:
        return None
    # Before any story is marked withdrawn: an interrupted run finds them all again.
    urls_now = [url for url, _ in now]
    naming = files_naming(release, urls_now, [titles[url] for url in urls_now if url in titles])
    # With the rest of their listings and sitemap: those pages of the new release come too.
    naming = grouped(new_release, release, naming)
    if facts is not None and _adopt(facts, new_facts, stories_named(new_release, naming)):
        write_facts(release, facts)
    pages = replace_pages(new_release, release, naming)
    records = _search_records(release, urls_now)
    report.pages_replaced, report.pages_removed = pages.replaced, pages.removed
    for url, date in now:
        _replace_folder(new_release, release, url)
        report.stories.append(url)
        for record in records.get(url, ()):
            _remove_with_gzip(record)
            report.search_records.append(record.relative_to(release).as_posix())
        if facts is None:
            # Made before releases carried facts: which media files were its own is unknown.
            report.unknown_media.append(url)
            continue
        story = facts.stories.pop(url)
        still_used = {path for other in facts.stories.values() for path in other.media}
        for path in sorted(set(story.media) - still_used):
            _remove_with_gzip(release / path)
            report.media.append(path)
        facts.media = [path for path in facts.media if path not in set(report.media)]
        facts.withdrawn[url] = date
        write_facts(release, facts)  # after each story: an interrupted scrub resumes here
    return report


def _adopt(facts: ReleaseFacts, new_facts: ReleaseFacts, named: set[str]) -> bool:
    """Record as the release's own the stories it never had that the new release's pages,
    about to replace its own, name (published since; with their derived files, which those
    pages bring along), so withdrawing one later takes it out of this release too. Whether
    any was."""
    adopted = sorted(
        url
        for url in named & set(new_facts.stories)
        if url not in facts.stories and url not in facts.withdrawn
    )
    for url in adopted:
        story = new_facts.stories[url]
        facts.stories[url] = StoryFacts(list(story.media), list(story.cache))
    return bool(adopted)


def _published(release: Path, facts: ReleaseFacts | None, url: str) -> bool:
    """Whether the release still has `url` as a story (not withdrawn there already, and
    published there at all)."""
    if facts is not None:
        return url in facts.stories
    # The folder, not its page: a run stopped after emptying it (_replace_folder) must be
    # finished, or the release answers 404 and keeps the story's search record.
    folder = release / url
    return folder.is_dir() and not (folder / urls.WITHDRAWN_MARKER).exists()


def _replace_folder(new_release: Path, release: Path, url: str) -> None:
    """The story's folder in `release` becomes what it is in the new release, and the assets
    the notice page links are there."""
    source, target = new_release / url, release / url
    for path in target.iterdir() if target.is_dir() else ():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    target.mkdir(parents=True, exist_ok=True)
    # The marker last: nginx answers 410 with whatever index.html is there.
    names = sorted(p.name for p in source.iterdir() if p.name != urls.WITHDRAWN_MARKER)
    for name in [*names, urls.WITHDRAWN_MARKER]:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name)
        elif (source / name).exists():
            shutil.copy2(source / name, target / name)
    page = source / "index.html"
    if page.is_file():
        copy_missing_linked(new_release, release, page.read_text("utf-8"), url)


def _search_records(release: Path, story_urls: list[str]) -> dict[str, list[Path]]:
    """The page records of these stories in the release's search index, read in one pass
    (search.js skips a result whose record is gone)."""
    try:
        manifest = json.loads((release / SEARCH_MANIFEST).read_text("utf-8"))
        folder = release / urls.SEARCH_INDEX / str(manifest["build"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # a release without a search index
    wanted = set(story_urls)
    found: dict[str, list[Path]] = {}
    for record in sorted(folder.glob("d*.json")):
        try:
            url = json.loads(record.read_text("utf-8")).get("u")
        except (OSError, ValueError, AttributeError):
            continue
        if url in wanted:
            found.setdefault(url, []).append(record)
    return found


def _remove_with_gzip(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_name(path.name + GZIP_SUFFIX).unlink(missing_ok=True)
