"""Validate: every source read into typed records, every check that can reject anything run.

Stories (fields, places, media probes), village profiles, the troupe's members and talks, and
the rest of docs/ (site pages, reserved URLs, links, personal data). Nothing here links one
source to another: what a story or a talk names outside its own file is resolved next
(`catalog.resolve`), on the set that can be published.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from .gazetteer import Gazetteer, load_gazetteer
from .history import stories_added
from .media.check import check_story_media
from .models import CheckedStory, Redirect, Withdrawal
from .problems import Problem
from .redirects.loading import load_redirects
from .settings import CampaignSettings
from .sitefiles import check_site_files
from .stories import STORIES_DIR, StoryResult, find_story_sources, load_story
from .storycache import StoryReads, story_reads
from .troupe.loading import load_troupe
from .troupe.models import CheckedTalk, Member
from .villages.profiles import load_profiles
from .villages.records import RejectedPlace, VillageProfile

# Withdrawals and corrections are dated by the editors, in Henan.
CHINA = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Validated:
    """Every source after validation: the valid records, with no reference followed yet."""

    settings: CampaignSettings
    include_drafts: bool  # `make serve` and `make check` take drafts in; a build skips them
    stories: tuple[CheckedStory, ...]  # valid on their own, in source order
    story_sources: dict[str, str]  # every story folder found → its index.md, valid or not
    rejected_places: tuple[RejectedPlace, ...]  # of stories with problems, for their village
    profiles: tuple[VillageProfile, ...]  # valid, one per village
    members: tuple[Member, ...]
    talks: tuple[CheckedTalk, ...]
    member_ids: dict[str, str]  # every well-formed member id → `path:line`
    site_pages: frozenset[str]  # docs/ outside the content folders that MkDocs may publish
    problems: tuple[Problem, ...]
    rejected: tuple[str, ...]  # sources not published, with problems
    hints: tuple[str, ...]
    skipped_drafts: tuple[str, ...]
    # Story folder → when it was added to the site (history.py); empty without git history.
    story_added: Mapping[str, dt.datetime] = field(default_factory=dict)
    withdrawn: tuple[Withdrawal, ...] = ()  # stories taken down, in source order
    redirects: tuple[Redirect, ...] = ()  # old story URLs → new ones, valid on their own


def validate_sources(
    project_root: Path,
    docs_dir: Path,
    settings: CampaignSettings,
    *,
    include_drafts: bool,
    gazetteer: Gazetteer | None = None,
    today: dt.date | None = None,
) -> Validated:
    """`today`: the day withdrawals and corrections may not come after (China's, by default)."""
    today = today or china_today()
    # Results are kept by content for the package's own gazetteer only (storycache.py).
    reads = story_reads(project_root, settings) if gazetteer is None else None
    gazetteer = gazetteer or load_gazetteer()
    story_paths, problems = find_story_sources(project_root, docs_dir)
    stories: list[CheckedStory] = []
    rejected: list[str] = []
    rejected_places: list[RejectedPlace] = []
    hints: list[str] = []
    skipped_drafts: list[str] = []
    withdrawn: list[Withdrawal] = []
    for index_path in story_paths:
        result = check_past_dates(
            _load(project_root, index_path, settings, gazetteer, reads), today
        )
        hints += result.hints
        if result.withdrawal is not None:  # its media are neither probed nor published
            withdrawn.append(result.withdrawal)
            continue
        if result.draft and not include_drafts:
            # Drafts are not published, so their unfinished state is nobody's problem yet.
            skipped_drafts.append(result.source_path)
            continue
        result = check_media(project_root, result, settings)
        if result.story is not None:
            stories.append(result.story)
            continue
        problems += result.problems
        rejected.append(result.source_path)
        if result.place is not None:
            rejected_places.append(
                RejectedPlace(result.source_path, result.village_line, result.place)
            )

    profiles = load_profiles(project_root, docs_dir, gazetteer)
    troupe = load_troupe(project_root, docs_dir, settings, gazetteer)
    site_files = check_site_files(project_root, docs_dir)
    redirects = load_redirects(project_root, docs_dir)
    problems += redirects.problems
    return Validated(
        settings=settings,
        include_drafts=include_drafts,
        stories=tuple(stories),
        story_sources={
            path.parent.name: path.relative_to(project_root).as_posix() for path in story_paths
        },
        rejected_places=tuple(rejected_places),
        profiles=profiles.profiles,
        members=troupe.members,
        talks=troupe.talks,
        member_ids=troupe.member_ids,
        site_pages=frozenset(site_files.published),
        problems=(*problems, *profiles.problems, *troupe.problems, *site_files.problems),
        rejected=(*rejected, *profiles.rejected, *site_files.rejected),
        hints=(*hints, *profiles.hints, *troupe.hints),
        skipped_drafts=tuple(skipped_drafts),
        story_added=stories_added(project_root, docs_dir / STORIES_DIR, story_paths),
        withdrawn=tuple(withdrawn),
        redirects=redirects.redirects,
    )


def china_today() -> dt.date:
    return dt.datetime.now(CHINA).date()


def check_past_dates(result: StoryResult, today: dt.date | None = None) -> StoryResult:
    """The result with a problem for each date it gives that has not come yet (a withdrawal
    or a correction dated tomorrow): judged here, on every pass, as the cache keeps results
    by content only (stories.PastDate)."""
    today = today or china_today()
    future = [past for past in result.past_dates if past.date > today]
    if not future:
        return result
    problems = tuple(
        Problem(
            result.source_path,
            past.line,
            past.field,
            f"{past.date} 还没有到（今天是 {today}）；{past.noun}要写已经过去的日子，请核对",
        )
        for past in future
    )
    return dataclasses.replace(
        result, story=None, withdrawal=None, problems=(*result.problems, *problems)
    )


def _load(
    project_root: Path,
    index_path: Path,
    settings: CampaignSettings,
    gazetteer: Gazetteer,
    reads: StoryReads | None,
) -> StoryResult:
    def load() -> StoryResult:
        return load_story(project_root, index_path, settings, gazetteer)

    return load() if reads is None else reads.load(project_root, index_path, load)


def check_media(project_root: Path, result: StoryResult, settings: CampaignSettings) -> StoryResult:
    """The story with every photo, video and recording opened (no encoding), so that check
    and build agree; a file that cannot be used rejects the story."""
    if result.media is None:
        return result
    media, problems = check_story_media(
        project_root, result.source_path, result.media, settings.media
    )
    if problems:
        return dataclasses.replace(
            result, story=None, problems=(*result.problems, *problems), media=media
        )
    story = dataclasses.replace(result.story, media=media) if result.story else None
    return dataclasses.replace(result, story=story, media=media)
