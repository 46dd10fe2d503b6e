"""iCalendar (RFC 5545 / 7986) files that phone calendars subscribe to.

One calendar for the whole schedule, one per member and one per city. Times are written in
`TZID=Asia/Shanghai` with its VTIMEZONE, made by the `icalendar` library for the campaign's
dates only, without the COMMENT line the library adds (some clients reject it). Every value is
deterministic: UIDs come from talk ids, DTSTAMP from the campaign's start.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from icalendar import Calendar, Event, Timezone, vDuration

from ..ids import talk_guid
from ..models import TIME_ZONE_NAME, Talk
from .base import Exporter, FeedContext, description

PRODID = "-//huatuopin//troupe schedule 1.0//ZH"
# How often subscribed calendars should fetch again.
REFRESH_INTERVAL = dt.timedelta(hours=6)


@dataclass(frozen=True)
class CalendarSpec:
    """One calendar file: where it is published, its name, and its talks."""

    path: str  # site-relative, e.g. `troupe/members/song-weidong.ics`
    name: str
    description: str
    page_path: str  # the page showing the same talks
    talks: list[Talk]


class IcsExporter(Exporter):
    identifier = "ics"
    content_type = "text/calendar; charset=utf-8"
    extension = ".ics"

    def render(self, context: FeedContext, spec: CalendarSpec) -> str:
        calendar = Calendar()
        calendar.add("VERSION", "2.0")
        calendar.add("PRODID", PRODID)
        calendar.add("CALSCALE", "GREGORIAN")
        calendar.add("METHOD", "PUBLISH")
        calendar.add("NAME", spec.name)
        calendar.add("X-WR-CALNAME", spec.name)
        calendar.add("DESCRIPTION", spec.description)
        calendar.add("X-WR-CALDESC", spec.description)
        calendar.add("X-WR-TIMEZONE", TIME_ZONE_NAME)
        calendar.add("REFRESH-INTERVAL", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))
        calendar.add("SOURCE", context.absolute(spec.path), parameters={"VALUE": "URI"})
        calendar.add("URL", context.absolute(spec.page_path))
        calendar.add_component(
            _time_zone(context.settings.start, context.settings.end + dt.timedelta(days=1))
        )
        for talk in sorted(spec.talks, key=lambda t: t.sort_key):
            calendar.add_component(self._event(context, talk))
        return calendar.to_ical().decode("utf-8")

    def _event(self, context: FeedContext, talk: Talk) -> Event:
        event = Event()
        event.add("UID", str(talk_guid(talk.id)))
        event.add("DTSTAMP", context.stamp)
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


def calendar_name(scope: str | None) -> str:
    base = "脱贫故事宣讲团"
    return f"{base} · {scope}" if scope else f"{base}日程"


__all__ = ["CalendarSpec", "IcsExporter", "calendar_name"]
