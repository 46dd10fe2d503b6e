"""The frab / c3voc schedule model both conference-app formats are written from.

Rooms are venues; each talk is an event with an integer `id` and a UUID `guid` derived from
its `id` (ids.py). Cancelled talks stay in, marked in the title, so an app that had starred
one shows it was called off instead of losing it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from ..ids import event_number, talk_guid, venue_guid
from ..models import TIME_ZONE, Talk
from .base import TROUPE_TITLE, FeedContext, Scope, schedule_version

# [a-z0-9_] only: the XSD and the JSON schema disagree about hyphens (see the schemas' README).
ACRONYM = "huatuopin2021"
CONFERENCE_TITLE = f"{TROUPE_TITLE}巡回宣讲（话脱贫、感党恩、奋进新时代）"
TIMESLOT = "00:15"
LANGUAGE = "zh"
CANCELLED_MARK = "（已取消）"


@dataclass(frozen=True)
class Room:
    name: str
    guid: str


@dataclass(frozen=True)
class FrabDay:
    index: int  # 1-based
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    rooms: list[tuple[Room, list[Talk]]]


def room_of(talk: Talk) -> Room:
    return Room(f"{''.join(talk.trail)} {talk.venue}", str(venue_guid(talk.venue_key)))


def frab_days(context: FeedContext, scope: Scope) -> list[FrabDay]:
    """Days with talks, each with its rooms in order of their first talk."""
    by_date: dict[dt.date, list[Talk]] = defaultdict(list)
    for talk in scope.talks:
        by_date[talk.date].append(talk)
    days = []
    for index, date in enumerate(sorted(by_date), start=1):
        talks = sorted(by_date[date], key=lambda t: t.sort_key)
        rooms: dict[Room, list[Talk]] = {}
        for talk in talks:
            rooms.setdefault(room_of(talk), []).append(talk)
        start = min(t.starts_at for t in talks)
        end = max(t.ends_at for t in talks)
        days.append(FrabDay(index, date, start, end, list(rooms.items())))
    if not days:
        # Both validators want at least one day: an empty one on the campaign's first day.
        first = context.settings.start
        start = dt.datetime.combine(first, dt.time(0), TIME_ZONE)
        days.append(FrabDay(1, first, start, start + dt.timedelta(hours=23, minutes=59), []))
    return days


def all_rooms(days: list[FrabDay]) -> list[Room]:
    seen: dict[Room, None] = {}
    for day in days:
        for room, _talks in day.rooms:
            seen.setdefault(room)
    return list(seen)


def event_id(talk: Talk) -> int:
    return event_number(talk.id)


def event_guid(talk: Talk) -> str:
    return str(talk_guid(talk.id))


def event_title(talk: Talk) -> str:
    return talk.title + (CANCELLED_MARK if talk.cancelled else "")


def event_slug(talk: Talk) -> str:
    """`<acronym>-<id>-<talk id>`: fits the XSD's voc-slug and the JSON schema's slug."""
    return f"{ACRONYM}-{event_id(talk)}-{talk.id}"


def duration(talk: Talk) -> str:
    hours, minutes = divmod(talk.minutes, 60)
    return f"{hours:02d}:{minutes:02d}"


def iso(moment: dt.datetime) -> str:
    """2021-03-02T09:30:00+08:00"""
    return moment.isoformat(timespec="seconds")


def version(scope: Scope) -> str:
    return schedule_version(scope.talks)


def tracks(scope: Scope) -> list[tuple[str, str]]:
    """(city name, city slug) of every city with talks, in first-talk order."""
    seen: dict[tuple[str, str], None] = {}
    for talk in scope.talks:
        seen.setdefault((talk.city, talk.city_slug))
    return list(seen)
