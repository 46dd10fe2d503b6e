"""The Catalog: every record the site publishes, final before any output is made.

`build_catalog` runs the stages of DESIGN.md ("How data flows") up to the Catalog:
read and validate every source (`validate.validate_sources`), then resolve references on what
can be published (`resolve`). Resolution links each story to its village and each talk to its
members, village and stories; a reference that cannot be linked rejects its source with a
problem. The Catalog it returns is frozen: no later step adds, removes or patches anything.
The hooks, `scripts/check` and the tests all start here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .gazetteer import Gazetteer
from .models import Redirect, Story, VillageKey, Withdrawal
from .problems import Problem
from .redirects.resolve import resolve_redirects
from .settings import CampaignSettings
from .troupe.models import Troupe
from .troupe.resolve import Publishable, resolve_talks
from .validate import Validated, validate_sources
from .villages.records import Village, Villages
from .villages.resolve import resolve_villages
from .vocab import ACTIVITIES, Activity


@dataclass(frozen=True, eq=False)
class Catalog:
    settings: CampaignSettings
    stories: tuple[Story, ...]  # newest first
    # Every village with a page: a profile, or a published story that names it.
    villages: Villages
    troupe: Troupe  # the speaking troupe: members and the talks that can be published
    site_pages: frozenset[str]  # docs/ outside the content folders that MkDocs may publish
    problems: tuple[Problem, ...]
    hints: tuple[str, ...]
    rejected: tuple[str, ...]  # sources not published, with problems
    skipped_drafts: tuple[str, ...]
    # What it was resolved from: a preview resolves again when a story's media fail (site.py).
    validated: Validated
    # Taken down: each URL answers a notice (410), nothing else of the story is published.
    withdrawn: tuple[Withdrawal, ...] = ()
    redirects: tuple[Redirect, ...] = ()  # old story URLs that lead to published stories

    @cached_property
    def _by_src_uri(self) -> dict[str, Story]:
        return {story.src_uri: story for story in self.stories}

    @cached_property
    def _by_village(self) -> dict[VillageKey, tuple[Story, ...]]:
        groups: dict[VillageKey, list[Story]] = defaultdict(list)
        for story in self.stories:
            groups[story.village.key].append(story)
        return {key: tuple(stories) for key, stories in groups.items()}

    def story_for_src_uri(self, src_uri: str) -> Story | None:
        return self._by_src_uri.get(src_uri)

    def stories_of(self, village: Village) -> tuple[Story, ...]:
        """The stories that name a village, newest first."""
        return self._by_village.get(village.key, ())

    # Groupings are made once: every listing, feed and the chrome around every page read them.
    @cached_property
    def stories_by_activity(self) -> Mapping[str, tuple[Story, ...]]:
        """Stories by activity name, newest first in each."""
        return _grouped(self.stories, lambda story: story.activity)

    @cached_property
    def stories_by_city(self) -> Mapping[str, tuple[Story, ...]]:
        """Stories by city slug, newest first in each."""
        return _grouped(self.stories, lambda story: story.place.city_slug)

    def village_stories_by_activity(self, village: Village) -> list[tuple[Activity, list[Story]]]:
        """A village's stories grouped by activity in campaign order, newest first in each."""
        groups: dict[str, list[Story]] = defaultdict(list)
        for story in self.stories_of(village):
            groups[story.activity].append(story)
        return [(a, groups[a.name]) for a in ACTIVITIES if a.name in groups]

    def problems_involving(self, path: str) -> tuple[Problem, ...]:
        """Every problem at `path` (a file or a folder) or involving it: what `make check
        STORY=…` reports of the build's problems."""
        return tuple(problem for problem in self.problems if problem.concerns(path))


def _grouped(stories: Sequence[Story], key: Callable[[Story], str]) -> dict[str, tuple[Story, ...]]:
    groups: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        groups[key(story)].append(story)
    return {name: tuple(members) for name, members in groups.items()}


def build_catalog(
    project_root: Path,
    docs_dir: Path,
    settings: CampaignSettings,
    *,
    include_drafts: bool,
    gazetteer: Gazetteer | None = None,
    today: dt.date | None = None,
) -> Catalog:
    """Read, validate and resolve every source, collecting all problems."""
    validated = validate_sources(
        project_root,
        docs_dir,
        settings,
        include_drafts=include_drafts,
        gazetteer=gazetteer,
        today=today,
    )
    return resolve(validated)


def resolve(
    validated: Validated, *, without: Mapping[str, Sequence[Problem]] | None = None
) -> Catalog:
    """Link every reference on the set that can be published: a pure function.

    `without` takes stories out (source path → the problems that say why: media that could
    not be made). Each step links only to what the step before kept: stories to villages (a
    story whose village does not check out is rejected, and a village stays only with a
    profile or a kept story), then talks to members, villages and stories (a talk naming
    anything not kept is rejected). Nothing links to a talk, so one pass reaches the fixpoint;
    `_assert_closed` checks it.
    """
    without = without or {}
    candidates = [s for s in validated.stories if s.source_path not in without]
    found = resolve_villages(validated.profiles, candidates, validated.rejected_places)
    stories = tuple(
        sorted(
            (
                Story.of(story, found.village_of[story.source_path])
                for story in candidates
                if story.source_path in found.village_of
            ),
            key=lambda story: story.sort_key,
            reverse=True,
        )
    )
    villages = Villages.of(list(found.villages))
    talks = resolve_talks(validated.talks, _publishable(validated, stories, villages))
    redirects = resolve_redirects(
        validated.redirects,
        stories,
        story_sources=validated.story_sources,
        skipped_drafts=validated.skipped_drafts,
        withdrawn=validated.withdrawn,
    )
    catalog = Catalog(
        settings=validated.settings,
        stories=stories,
        villages=villages,
        troupe=Troupe(validated.members, talks.talks),
        site_pages=validated.site_pages,
        problems=(
            *validated.problems,
            *(problem for problems in without.values() for problem in problems),
            *found.problems,
            *talks.problems,
            *redirects.problems,
        ),
        hints=(*validated.hints, *found.hints),
        rejected=tuple(dict.fromkeys((*validated.rejected, *without, *found.rejected))),
        skipped_drafts=validated.skipped_drafts,
        validated=validated,
        withdrawn=validated.withdrawn,
        redirects=redirects.redirects,
    )
    _assert_closed(catalog)
    return catalog


def _publishable(
    validated: Validated, stories: tuple[Story, ...], villages: Villages
) -> Publishable:
    """What a talk may name: a build publishes no drafts, so a talk links to none (`make serve`
    shows them, and `make check` checks them, as the build would)."""
    published = {story.folder: story for story in stories if not story.draft}
    named = {story.village.key for story in published.values()}
    talk_villages = {
        key: village
        for key, village in villages.items()
        if village.profile is not None or key in named
    }
    withheld: dict[VillageKey, list[str]] = defaultdict(list)
    kept = {story.source_path for story in published.values()}
    unpublished = [(s.source_path, s.place) for s in validated.stories if s.source_path not in kept]
    unpublished += [(r.source_path, r.place) for r in validated.rejected_places]
    for source_path, place in unpublished:
        if place.key not in talk_villages:
            withheld[place.key].append(source_path)
    return Publishable(
        members={member.id: member for member in validated.members},
        member_ids=validated.member_ids,
        villages=talk_villages,
        stories=published,
        story_sources=validated.story_sources,
        withheld_villages={key: tuple(sorted(paths)) for key, paths in withheld.items()},
        withdrawn=frozenset(withdrawal.folder for withdrawal in validated.withdrawn),
    )


def _assert_closed(catalog: Catalog) -> None:
    """Nothing the Catalog holds points at something it does not publish."""
    villages = {id(village) for village in catalog.villages.values()}
    stories = {id(story) for story in catalog.stories}
    members = {id(member) for member in catalog.troupe.members}
    assert all(id(story.village) in villages for story in catalog.stories)
    for talk in catalog.troupe.talks:
        assert talk.village is None or id(talk.village) in villages
        assert all(id(story) in stories for story in talk.stories)
        assert all(id(member) in members for member in talk.speakers)
