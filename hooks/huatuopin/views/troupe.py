"""The troupe's pages as views, and its calendars and schedules.

`/troupe/` (what the troupe is, its members by category), `/troupe/schedule/` (every talk by
date, with filters), `/troupe/members/<id>/` and `/troupe/cities/<city-slug>/` (the talks of
one member or one city). Each list page shows one feed scope (`feeds.feed_scopes`) and links
to the files the registry's exporters wrote for that scope, so a page never links to a file
that was not made. Every date, time and count is text here; the templates only place it.
Pages are static and byte-identical across builds: "today" is marked in the reader's browser
by troupe.js, never baked in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from .. import urls
from ..catalog import Catalog
from ..gazetteer import Gazetteer
from ..media.pipeline import MediaPublication
from ..troupe.feeds import FeedFile, feed_files, feed_scopes
from ..troupe.feeds.base import CITY, MEMBER, SCHEDULE, FeedContext, Scope
from ..troupe.models import CATEGORIES, TALK_FORMS, Member, Talk
from . import View

INDEX_TEMPLATE = "troupe.html"
SCHEDULE_TEMPLATE = "troupe-schedule.html"
TROUPE_NAME = "脱贫故事宣讲团"
INTRO = (
    "脱贫故事宣讲团由优秀扶贫干部、驻村第一书记、农村党支部书记、脱贫励志典型和文艺工作者组成，"
    "在“话脱贫、感党恩、奋进新时代”主题活动期间走进全省脱贫村，用微宣讲、小戏、歌曲和曲艺，"
    "讲身边人、身边事，讲脱贫攻坚的变化。"
)
WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
# `mkdocs serve` sets site_url to its own address; a build without one still needs absolute URLs.
FALLBACK_SITE_URL = "http://127.0.0.1:8000/"


# -- what the templates show ------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    text: str
    url: str  # site-relative


@dataclass(frozen=True)
class CalendarLink:
    """A calendar's download path, its https URL to copy, and its webcal:// URL to subscribe."""

    path: str  # site-relative
    url: str
    webcal: str

    @classmethod
    def of(cls, path: str, site_url: str) -> CalendarLink:
        url = site_url + path
        parts = urlsplit(url)
        return cls(path, url, urlunsplit(("webcal", *parts[1:])))


@dataclass(frozen=True)
class ScopeFiles:
    """What a page offers of its scope's files: the calendar, and what schedule apps open."""

    calendar: CalendarLink
    apps: tuple[Link, ...]  # the file's name, its path


@dataclass(frozen=True)
class TalkEntry:
    """One talk as a list shows it; the data-* values are what troupe.js filters and marks."""

    anchor: str
    title: str
    status: str
    status_slug: str
    form: str
    form_slug: str
    city_slug: str
    member_ids: str  # " a b ": troupe.js looks for " <id> "
    date: str  # 2021-03-12
    date_text: str  # 2021年3月12日
    starts_at: str  # 2021-03-12T09:30:00+08:00
    ends_at: str
    start_text: str  # 09:30
    end_text: str
    place: str  # 开封市 › 兰考县 › 张庄村
    village_url: str | None  # None: not linked (no village, or the village's own page)
    venue: str
    speakers: tuple[Link, ...]
    stories: tuple[Link, ...]  # the stories of a held talk
    sample: bool


@dataclass(frozen=True)
class DayEntry:
    anchor: str
    date: str  # 2021-03-12
    date_text: str  # 2021年3月12日
    day_text: str  # 12日, in the date navigation under its month
    weekday: str
    talks: tuple[TalkEntry, ...]


@dataclass(frozen=True)
class MonthEntry:
    label: str  # 3月
    days: tuple[DayEntry, ...]


@dataclass(frozen=True)
class MemberEntry:
    """A member as a card on /troupe/ and as the head of their own page."""

    name: str
    url: str
    category: str
    unit: str
    city: str
    bio: str
    sample: bool
    photo_url: str | None  # None: no photo
    talk_count: int


@dataclass(frozen=True)
class CityEntry:
    name: str
    url: str
    talk_count: int


@dataclass(frozen=True)
class Subscription:
    """The calendar holding exactly the talks a filter keeps, and what it is in words: the
    subscribe links follow the city or member filter (troupe.js)."""

    calendar: CalendarLink
    what: str  # 订阅的是：开封市的全部宣讲（3 场）
    count: int  # talks in the calendar, to tell when a filter shows fewer


@dataclass(frozen=True)
class Choice:
    value: str
    text: str
    subscription: Subscription | None = None  # a city's or a member's calendar


@dataclass(frozen=True)
class Filters:
    """The choices of the schedule page's filters: shown on the page (they work when
    JavaScript runs; without it, the cities' and members' own pages are linked instead)."""

    cities: tuple[Choice, ...]  # slug, 开封市（3）
    members: tuple[Choice, ...]  # id, name
    forms: tuple[Choice, ...]  # slug, name
    shown: str  # 显示 29 场，共 29 场: every talk until a filter is chosen
    everything: Subscription  # the whole schedule's calendar
    city_pages: tuple[Link, ...]  # 开封市（3）
    member_pages: tuple[Link, ...]


# -- the pages --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TroupeView(View):
    """/troupe/: what the troupe is, where to find the schedule, its members by category."""

    intro: str
    schedule_url: str
    talk_count: int
    cities: tuple[CityEntry, ...]  # those with talks
    categories: tuple[tuple[str, tuple[MemberEntry, ...]], ...]  # those with members
    files: ScopeFiles  # of the whole schedule

    def context(self) -> Mapping[str, Any]:
        return {"view": self}


@dataclass(frozen=True, kw_only=True)
class TalkListView(View):
    """A list of talks by date, the date navigation, and the scope's calendar."""

    heading: str
    intro: str
    troupe_url: str
    schedule_url: str | None  # the back link to the whole schedule; None on it
    days: tuple[DayEntry, ...]
    files: ScopeFiles
    member: MemberEntry | None = None
    filters: Filters | None = None
    poster_url: str | None = None  # a city's printable A4 poster

    @property
    def months(self) -> tuple[MonthEntry, ...]:
        return _months(self.days)

    @property
    def talk_count(self) -> int:
        return sum(len(day.talks) for day in self.days)

    @property
    def day_count(self) -> int:
        return len(self.days)

    @property
    def last_day_anchor(self) -> str | None:
        return self.days[-1].anchor if self.days else None

    def context(self) -> Mapping[str, Any]:
        return {"view": self}


@dataclass(frozen=True, kw_only=True)
class ScheduleView(TalkListView):
    """/troupe/schedule/: every talk, filtered by city, member and form in the browser."""


@dataclass(frozen=True, kw_only=True)
class MemberView(TalkListView):
    """/troupe/members/<id>/: one member, and where and when they speak."""


@dataclass(frozen=True, kw_only=True)
class CityView(TalkListView):
    """/troupe/cities/<city-slug>/: the talks in one city; every city has one."""


# -- making them ------------------------------------------------------------------------------


def troupe_views(
    catalog: Catalog, media: MediaPublication, gazetteer: Gazetteer, site_url: str | None
) -> tuple[list[View], list[tuple[str, str | bytes]]]:
    """The troupe's pages, and (site-relative path, content) of every calendar and schedule."""
    troupe = catalog.troupe
    base = site_url or FALLBACK_SITE_URL
    base = base if base.endswith("/") else base + "/"
    scopes = feed_scopes(troupe, gazetteer)
    files = feed_files(FeedContext(base, catalog.settings), scopes)
    offered = _scope_files(files, base)
    entries = {talk.id: talk_entry(talk) for talk in troupe.talks}
    members = {
        member.id: member_entry(member, scope.talks, media.member_photos.get(member.id))
        for scope in scopes
        if (member := scope.member) is not None
    }
    (whole,) = (scope for scope in scopes if scope.kind == SCHEDULE)
    cities = [scope for scope in scopes if scope.kind == CITY]

    def days(scope: Scope) -> tuple[DayEntry, ...]:
        return _days(scope.talks, entries)

    views: list[View] = [
        TroupeView(
            url=urls.TROUPE,
            title=TROUPE_NAME,
            template=INDEX_TEMPLATE,
            intro=INTRO,
            schedule_url=whole.page,
            talk_count=len(whole.talks),
            cities=tuple(CityEntry(c.label, c.page, len(c.talks)) for c in cities if c.talks),
            categories=_by_category(members[m.id] for m in troupe.members),
            files=offered[whole],
        ),
        ScheduleView(
            url=whole.page,
            title="宣讲日程",
            template=SCHEDULE_TEMPLATE,
            heading="宣讲日程",
            intro="宣讲团全部场次，按日期排列；可以按城市、成员和形式筛选。",
            troupe_url=urls.TROUPE,
            schedule_url=None,
            days=days(whole),
            files=offered[whole],
            filters=_filters(whole, [s for s in scopes if s.kind == MEMBER], cities, offered),
        ),
    ]
    for scope in scopes:
        if scope.kind == MEMBER and scope.member is not None:
            views.append(
                MemberView(
                    url=scope.page,
                    title=f"{scope.label} · 宣讲日程",
                    template=SCHEDULE_TEMPLATE,
                    heading=scope.label,
                    intro=scope.member.bio,
                    troupe_url=urls.TROUPE,
                    schedule_url=whole.page,
                    days=days(scope),
                    files=offered[scope],
                    member=members[scope.key],
                )
            )
    for scope in cities:
        views.append(
            CityView(
                url=scope.page,
                title=f"{scope.label} · 宣讲日程",
                template=SCHEDULE_TEMPLATE,
                heading=f"宣讲团在{scope.label}",
                intro=f"宣讲团在{scope.label}各县（市、区）的宣讲场次，按日期排列。",
                troupe_url=urls.TROUPE,
                schedule_url=whole.page,
                days=days(scope),
                files=offered[scope],
                poster_url=urls.city_poster(scope.key),
            )
        )
    return views, [(file.path, file.content) for file in files]


def talk_entry(talk: Talk, *, link_village: bool = True) -> TalkEntry:
    """A talk as lists show it; `link_village=False` on the village's own page."""
    village = talk.village
    return TalkEntry(
        anchor=talk.anchor,
        title=talk.title,
        status=talk.status,
        status_slug=talk.status_slug,
        form=talk.form,
        form_slug=talk.form_slug,
        city_slug=talk.city_slug,
        member_ids=f" {' '.join(talk.speaker_ids)} ",
        date=talk.date.isoformat(),
        date_text=_date_text(talk.date),
        starts_at=talk.starts_at.isoformat(),
        ends_at=talk.ends_at.isoformat(),
        start_text=f"{talk.start:%H:%M}",
        end_text=f"{talk.end:%H:%M}",
        place=" › ".join(talk.trail),
        village_url=village.url if village is not None and link_village else None,
        venue=talk.venue,
        speakers=tuple(Link(member.name, member.url) for member in talk.speakers),
        stories=tuple(Link(s.title, s.url) for s in talk.stories) if talk.held else (),
        sample=talk.sample,
    )


def member_entry(member: Member, talks: Sequence[Talk], photo_url: str | None) -> MemberEntry:
    return MemberEntry(
        name=member.name,
        url=member.url,
        category=member.category,
        unit=member.unit,
        city=member.city,
        bio=member.bio,
        sample=member.sample,
        photo_url=photo_url,
        talk_count=len(talks),
    )


def _scope_files(files: Iterable[FeedFile], site_url: str) -> dict[Scope, ScopeFiles]:
    """Each scope's calendar (the file a calendar app subscribes to) and its other files."""
    calendars: dict[Scope, CalendarLink] = {}
    apps: dict[Scope, list[Link]] = {}
    for file in files:
        if file.exporter.subscribable:
            calendars[file.scope] = CalendarLink.of(file.path, site_url)
        else:
            apps.setdefault(file.scope, []).append(Link(file.path.rsplit("/", 1)[-1], file.path))
    return {
        scope: ScopeFiles(calendar, tuple(apps.get(scope, ())))
        for scope, calendar in calendars.items()
    }


def _date_text(date: dt.date) -> str:
    return f"{date.year}年{date.month}月{date.day}日"


def _days(talks: Iterable[Talk], entries: Mapping[str, TalkEntry]) -> tuple[DayEntry, ...]:
    """Talks grouped by date, in date and time order."""
    groups: dict[dt.date, list[TalkEntry]] = defaultdict(list)
    for talk in sorted(talks, key=lambda t: t.sort_key):
        groups[talk.date].append(entries[talk.id])
    return tuple(
        DayEntry(
            anchor=f"d-{date.isoformat()}",
            date=date.isoformat(),
            date_text=_date_text(date),
            day_text=f"{date.day}日",
            weekday=WEEKDAYS[date.weekday()],
            talks=tuple(groups[date]),
        )
        for date in sorted(groups)
    )


def _months(days: Sequence[DayEntry]) -> tuple[MonthEntry, ...]:
    """Days grouped by month for the date navigation: 3月 (12日, 13日), 4月 (2日) …"""
    groups: dict[tuple[int, int], list[DayEntry]] = {}
    for day in days:
        date = dt.date.fromisoformat(day.date)
        groups.setdefault((date.year, date.month), []).append(day)
    return tuple(MonthEntry(f"{month}月", tuple(items)) for (_, month), items in groups.items())


def _by_category(members: Iterable[MemberEntry]) -> tuple[tuple[str, tuple[MemberEntry, ...]], ...]:
    """Members by category in the contract's order, each in file order; empty ones left out."""
    groups: dict[str, list[MemberEntry]] = defaultdict(list)
    for member in members:
        groups[member.category].append(member)
    return tuple(
        (category, tuple(groups[category])) for category in CATEGORIES if category in groups
    )


def _filters(
    whole: Scope,
    members: Sequence[Scope],
    cities: Sequence[Scope],
    offered: Mapping[Scope, ScopeFiles],
) -> Filters:
    """Only what the schedule holds: cities and members with talks, forms used."""
    forms = {talk.form for talk in whole.talks}
    with_talks = [scope for scope in cities if scope.talks]
    speaking = [scope for scope in members if scope.talks]

    def subscription(scope: Scope, name: str) -> Subscription:
        return Subscription(
            offered[scope].calendar, f"订阅的是：{name}（{len(scope.talks)} 场）", len(scope.talks)
        )

    return Filters(
        cities=tuple(
            Choice(c.key, f"{c.label}（{len(c.talks)}）", subscription(c, f"{c.label}的全部宣讲"))
            for c in with_talks
        ),
        members=tuple(
            Choice(m.key, m.label, subscription(m, f"{m.label}的全部宣讲")) for m in speaking
        ),
        forms=tuple(Choice(slug, name) for name, slug in TALK_FORMS.items() if name in forms),
        shown=f"显示 {len(whole.talks)} 场，共 {len(whole.talks)} 场",
        everything=subscription(whole, "全部宣讲"),
        city_pages=tuple(Link(f"{c.label}（{len(c.talks)}）", c.page) for c in with_talks),
        member_pages=tuple(Link(m.label, m.page) for m in speaking),
    )
