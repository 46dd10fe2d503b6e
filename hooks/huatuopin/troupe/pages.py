"""The troupe's generated pages and what their templates are given.

`/troupe/` (what the troupe is, members by category), `/troupe/schedule/` (every talk by
date), `/troupe/members/<id>/` and `/troupe/cities/<city-slug>/` (the same for one member or
one city). Pages are static and byte-identical across builds: "today" is marked in the
reader's browser by troupe.js, never baked in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from .. import urls
from ..gazetteer import Gazetteer
from ..pages import GeneratedPage
from .feeds import FeedContext, city_talks
from .models import CityTalks, Day, Member, Troupe, days_of

INDEX_TEMPLATE = "troupe.html"
SCHEDULE_TEMPLATE = "troupe-schedule.html"
INTRO = (
    "脱贫故事宣讲团由优秀扶贫干部、驻村第一书记、农村党支部书记、脱贫励志典型和文艺工作者组成，"
    "在“话脱贫、感党恩、奋进新时代”主题活动期间走进全省脱贫村，用微宣讲、小戏、歌曲和曲艺，"
    "讲身边人、身边事，讲脱贫攻坚的变化。"
)


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
class Filters:
    """The choices of the schedule page's filters (used only when JavaScript runs)."""

    cities: list[tuple[str, str, int]]  # slug, name, talks
    members: list[Member]
    forms: list[tuple[str, str]]  # name, slug


@dataclass(frozen=True)
class ScheduleView:
    """One list of talks by date: the whole schedule, one member's or one city's."""

    kind: str  # "all" | "member" | "city"
    title: str
    intro: str
    days: list[Day]
    calendar: CalendarLink
    member: Member | None = None
    city: CityTalks | None = None
    filters: Filters | None = None
    months: list[tuple[str, list[Day]]] = field(default_factory=list)

    @property
    def talk_count(self) -> int:
        return sum(len(day.talks) for day in self.days)


def _months(days: list[Day]) -> list[tuple[str, list[Day]]]:
    """Days grouped by month for the date navigation: [("3月", [days…]), …]."""
    groups: dict[tuple[int, int], list[Day]] = {}
    for day in days:
        groups.setdefault((day.date.year, day.date.month), []).append(day)
    return [(f"{month}月", items) for (_year, month), items in groups.items()]


def _view(
    kind: str, title: str, intro: str, talks, calendar: CalendarLink, **extra
) -> ScheduleView:
    days = days_of(talks)
    return ScheduleView(kind, title, intro, days, calendar, months=_months(days), **extra)


def troupe_pages(troupe: Troupe, gazetteer: Gazetteer, context: FeedContext) -> list[GeneratedPage]:
    site_url = context.site_url
    common = {"troupe": troupe}
    cities = city_talks(context, gazetteer)
    schedule_calendar = CalendarLink.of(urls.SCHEDULE_CALENDAR, site_url)
    pages = [
        GeneratedPage(
            urls.TROUPE,
            "脱贫故事宣讲团",
            INDEX_TEMPLATE,
            {
                **common,
                "intro": INTRO,
                "calendar": schedule_calendar,
                "cities": [city for city in cities if city.talks],
            },
        )
    ]
    filters = Filters(
        cities=[(c.slug, c.name, len(c.talks)) for c in cities if c.talks],
        members=[m for m in troupe.members if troupe.talks_of_member(m.id)],
        forms=troupe.forms_used,
    )
    all_talks = _view(
        "all",
        "宣讲日程",
        "宣讲团全部场次，按日期排列；可以按城市、成员和形式筛选。",
        troupe.talks,
        schedule_calendar,
        filters=filters,
    )
    pages.append(
        GeneratedPage(urls.SCHEDULE, "宣讲日程", SCHEDULE_TEMPLATE, {**common, "view": all_talks})
    )
    for member in troupe.members:
        view = _view(
            "member",
            member.name,
            member.bio,
            troupe.talks_of_member(member.id),
            CalendarLink.of(member.calendar_path, site_url),
            member=member,
        )
        pages.append(
            GeneratedPage(
                member.url,
                f"{member.name} · 宣讲日程",
                SCHEDULE_TEMPLATE,
                {**common, "view": view},
            )
        )
    for city in cities:
        view = _view(
            "city",
            f"宣讲团在{city.name}",
            f"宣讲团在{city.name}各县（市、区）的宣讲场次，按日期排列。",
            city.talks,
            CalendarLink.of(city.calendar_path, site_url),
            city=city,
        )
        pages.append(
            GeneratedPage(
                city.url,
                f"{city.name} · 宣讲日程",
                SCHEDULE_TEMPLATE,
                {**common, "view": view},
            )
        )
    return pages
