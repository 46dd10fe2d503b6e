"""Each valid member and talk dated with the moment what the calendars show of it last
changed (history.py says why a moment, and how it is read)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from ..history import Moments, SourceHistory, front_matter_title, list_entries
from .models import CheckedTalk, Member

# What a calendar event shows of a member (its DESCRIPTION); a new bio or photo is no change.
SHOWN_MEMBER_FIELDS = ("name", "category", "unit")
STORIES_DIR = "stories"
STORY_INDEX = "index.md"


def date_troupe(
    project_root: Path,
    docs_dir: Path,
    members_file: Path,
    schedule_dir: Path,
    schedule_files: Sequence[Path],
    members: Sequence[Member],
    talks: Sequence[CheckedTalk],
) -> tuple[tuple[Member, ...], tuple[CheckedTalk, ...]]:
    history = SourceHistory.of(project_root)
    if history.top is None:
        return tuple(members), tuple(talks)
    member_moments = history.moments(
        [members_file] if members else [], [members_file], list_entries(SHOWN_MEMBER_FIELDS)
    )
    talk_moments = history.moments(schedule_files, [schedule_dir], list_entries())
    story_files = sorted(
        {docs_dir / STORIES_DIR / folder / STORY_INDEX for t in talks for folder in t.story_folders}
    )
    story_moments = history.moments(story_files, story_files, front_matter_title())
    return (
        tuple(dataclasses.replace(m, revised=member_moments.get(m.id)) for m in members),
        tuple(_dated(talk, talk_moments, story_moments) for talk in talks),
    )


def _dated(talk: CheckedTalk, talks: Moments, stories: Moments) -> CheckedTalk:
    moments = [talks.get(talk.id), *(stories.get(folder) for folder in talk.story_folders)]
    known = [moment for moment in moments if moment is not None]
    return dataclasses.replace(talk, revised=max(known) if known else None)
