"""iCalendar (RFC 5545 / 7986) files that phone calendars subscribe to.

One calendar for the whole schedule, one per member and one per city. Times are written in
`TZID=Asia/Shanghai` with its VTIMEZONE, made by the `icalendar` library for the campaign's
dates only, without the COMMENT line the library adds (some clients reject it). Every value is
deterministic: UIDs come from talk ids; DTSTAMP, LAST-MODIFIED and SEQUENCE from the moment
the talk last changed (FeedContext.revision), so an updated talk replaces the copy a calendar
app holds, and an unchanged one is written byte for byte as before.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from icalendar import Calendar, Event, Timezone, vDuration

from ... import urls
from ..ids import talk_guid
from ..models import TIME_ZONE_NAME, Talk
from .base import CITY, MEMBER, SCHEDULE, TROUPE_TITLE, Exporter, FeedContext, Scope, description

PRODID = "-//huatuopin//troupe schedule 1.0//ZH"
# How often subscribed calendars should fetch again.
REFRESH_INTERVAL = dt.timedelta(hours=6)


class IcsExporter(Exporter):
    identifier = "ics"
    extension = ".ics"
    content_type = "text/calendar; charset=utf-8"
    subscribable = True

    def path(self, scope: Scope) -> str:
        if scope.kind == MEMBER:
            return urls.member_calendar(scope.key)
        if scope.kind == CITY:
            return urls.city_calendar(scope.key)
        return urls.SCHEDULE_CALENDAR

    def render(self, context: FeedContext, scope: Scope) -> str:
        name = calendar_name(scope)
        about = calendar_description(scope)
        calendar = Calendar()
        calendar.add("VERSION", "2.0")
        calendar.add("PRODID", PRODID)
        calendar.add("CALSCALE", "GREGORIAN")
        calendar.add("METHOD", "PUBLISH")
        calendar.add("NAME", name)
        calendar.add("X-WR-CALNAME", name)
        calendar.add("DESCRIPTION", about)
        calendar.add("X-WR-CALDESC", about)
        calendar.add("X-WR-TIMEZONE", TIME_ZONE_NAME)
        calendar.add("REFRESH-INTERVAL", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))
        calendar.add("SOURCE", context.absolute(self.path(scope)), parameters={"VALUE": "URI"})
        calendar.add("URL", context.absolute(scope.page))
        calendar.add_component(
            _time_zone(context.settings.start, context.settings.end + dt.timedelta(days=1))
        )
        for talk in sorted(scope.talks, key=lambda t: t.sort_key):
            calendar.add_component(self._event(context, talk))
        return calendar.to_ical().decode("utf-8")

    def _event(self, context: FeedContext, talk: Talk) -> Event:
        event = Event()
        revision = context.revision(talk)
        event.add("UID", str(talk_guid(talk.id)))
        event.add("DTSTAMP", revision.stamp)
        event.add("LAST-MODIFIED", revision.stamp)
        event.add("SEQUENCE", revision.sequence)
        event.add("DTSTART", talk.starts_at)
        event.add("DTEND", talk.ends_at)
        summary = f"{talk.title}（已取消）" if talk.cancelled else talk.title
        event.add("SUMMARY", summary)
        event.add("LOCATION", talk.location)
        event.add("DESCRIPTION", description(talk, context))
        event.add("CATEGORIES", [talk.form])
        event.add("STATUS", "CANCELLED" if talk.cancelled else "CONFIRMED")
        event.add("URL", context.talk_url(talk))
        return event


@cache
def _time_zone(first: dt.date, last: dt.date) -> Timezone:
    """Asia/Shanghai's VTIMEZONE for the campaign's dates, as the library builds it."""
    zone = Timezone.from_tzid(TIME_ZONE_NAME, first_date=first, last_date=last)
    zone.pop("COMMENT", None)  # "This timezone only works from …": clients reject COMMENT
    return zone


def calendar_name(scope: Scope) -> str:
    """What a phone's calendar list calls it: 脱贫故事宣讲团日程, 脱贫故事宣讲团 · 王小红."""
    return f"{TROUPE_TITLE} · {scope.label}" if scope.label else f"{TROUPE_TITLE}日程"


def calendar_description(scope: Scope) -> str:
    if scope.kind == SCHEDULE:
        return "“话脱贫、感党恩、奋进新时代”脱贫故事宣讲团在全省各村的宣讲日程"
    if scope.kind == MEMBER and scope.member is not None:
        return f"宣讲团成员{scope.label}（{scope.member.category}）的宣讲日程"
    return f"宣讲团在{scope.label}的宣讲日程"


__all__ = ["IcsExporter", "calendar_name"]
