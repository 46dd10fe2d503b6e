"""What every exporter is and shares: the interface, the scopes a file is written for, the
published URLs and the text every format shows."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import ClassVar, Literal

from ... import urls
from ...settings import CampaignSettings
from ..models import Member, Talk

TROUPE_TITLE = "脱贫故事宣讲团"

ScopeKind = Literal["schedule", "member", "city"]
SCHEDULE: ScopeKind = "schedule"
MEMBER: ScopeKind = "member"
CITY: ScopeKind = "city"
# SEQUENCE counts seconds since this moment: it fits RFC 5545's 32-bit INTEGER until 2088,
# and every change made during or after the campaign gets a number above 0, the number of a
# talk built without git history.
SEQUENCE_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, eq=False)
class Scope:
    """The talks one published file holds: the whole schedule, one member's or one city's.

    Each scope has a page showing the same talks; each exporter writes a file for the scopes
    its format serves (`Exporter.path`).
    """

    kind: ScopeKind
    key: str  # the member's id or the city's slug; "" for the whole schedule
    label: str  # the member's or the city's name; "" for the whole schedule
    page: str  # URL of the page showing the same talks
    talks: tuple[Talk, ...]  # by date and time
    member: Member | None = None


@dataclass(frozen=True)
class FeedContext:
    """What every file needs besides its talks: absolute URLs and a stable time stamp."""

    site_url: str  # absolute, with a trailing slash
    settings: CampaignSettings

    def absolute(self, path: str) -> str:
        return self.site_url + path

    def talk_url(self, talk: Talk) -> str:
        return self.absolute(urls.talk(talk.anchor))

    def speaker_names(self, talk: Talk) -> str:
        return "、".join(member.name for member in talk.speakers)

    @property
    def stamp(self) -> dt.datetime:
        """The DTSTAMP of a talk with no history to date it: the campaign's first day,
        midnight UTC."""
        return dt.datetime.combine(self.settings.start, dt.time(0), dt.UTC)

    def revision(self, talk: Talk) -> Revision:
        """The talk's DTSTAMP and SEQUENCE: both from the moment anything a calendar shows of
        it last changed (history.py), so a calendar app that imported the talk takes a
        changed one (a higher SEQUENCE) and the same sources give the same bytes."""
        moment = talk.changed_at
        if moment is None:
            return Revision(self.stamp, 0)
        return Revision(moment, max(0, int((moment - SEQUENCE_EPOCH).total_seconds())))


@dataclass(frozen=True)
class Revision:
    stamp: dt.datetime  # UTC
    sequence: int


def summary_line(talk: Talk, context: FeedContext) -> str:
    """One line for apps: who speaks where (the title is shown separately)."""
    return f"{context.speaker_names(talk)} · {''.join(talk.trail)} {talk.venue}"


def description(talk: Talk, context: FeedContext) -> str:
    speakers = "；".join(f"{m.name}（{m.category}，{m.unit}）" for m in talk.speakers)
    lines = [f"宣讲人：{speakers}"]
    lines.append(f"形式：{talk.form}")
    lines.append(f"状态：{talk.status}")
    lines.append(f"地点：{talk.location}")
    for story in talk.stories:
        lines.append(f"相关稿件：{story.title} {context.absolute(story.url)}")
    lines.append(f"详情：{context.talk_url(talk)}")
    return "\n".join(lines)


def schedule_version(talks: tuple[Talk, ...]) -> str:
    """Changes whenever a talk changes, and only then: apps show it to tell versions apart.
    It covers what the calendars' SEQUENCE covers (the talk, its speakers as shown, its
    stories' titles, and the moment they changed), so the two formats agree."""
    canonical = [
        [
            t.id,
            t.changed_at.isoformat() if t.changed_at else "",
            [[m.name, m.category, m.unit] for m in t.speakers],
            [s.title for s in t.stories],
            t.date.isoformat(),
            f"{t.start:%H:%M}",
            f"{t.end:%H:%M}",
            *t.trail,
            t.venue,
            list(t.speaker_ids),
            t.title,
            t.form,
            t.status,
            [s.folder for s in t.stories],
        ]
        for t in talks
    ]
    digest = hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode()).hexdigest()
    return f"{len(talks)}-{digest[:12]}"


class Exporter(ABC):
    """One output format, after pretalx's schedule exporters: what it is called, how it is
    served, where each of its files goes and how one is written. The publisher knows no
    format: it asks every exporter of the registry (`feeds.EXPORTERS`) for every scope."""

    identifier: ClassVar[str]
    extension: ClassVar[str]  # every path the exporter gives ends with it
    content_type: ClassVar[str]
    # A calendar app subscribes to it (webcal://); otherwise schedule apps open it.
    subscribable: ClassVar[bool] = False

    @abstractmethod
    def path(self, scope: Scope) -> str | None:
        """Where the file of `scope` is published (from `urls`); None: this format has no
        file for that scope."""

    @abstractmethod
    def render(self, context: FeedContext, scope: Scope) -> str:
        """The file of `scope`, the same bytes for the same talks on every build."""
