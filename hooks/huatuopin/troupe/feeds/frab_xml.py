"""`schedule.xml` in the frab / c3voc format (validated against its published XSD)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ... import urls
from ..ids import member_guid, member_number
from ..models import TIME_ZONE_NAME
from .base import SCHEDULE, Exporter, FeedContext, Scope, description, summary_line
from .frab import (
    ACRONYM,
    CONFERENCE_TITLE,
    LANGUAGE,
    TIMESLOT,
    duration,
    event_guid,
    event_id,
    event_slug,
    event_title,
    frab_days,
    iso,
    tracks,
    version,
)


class FrabXmlExporter(Exporter):
    identifier = "schedule.xml"
    extension = ".xml"
    content_type = "application/xml; charset=utf-8"

    def path(self, scope: Scope) -> str | None:
        # A conference app reads one whole schedule: no file for a member or a city.
        return urls.SCHEDULE_XML if scope.kind == SCHEDULE else None

    def render(self, context: FeedContext, scope: Scope) -> str:
        days = frab_days(context, scope)
        schedule = ET.Element("schedule")
        ET.SubElement(schedule, "generator", name="huatuopin", version="1.0")
        _text(schedule, "url", context.absolute(urls.SCHEDULE_XML))
        _text(schedule, "version", version(scope))
        conference = ET.SubElement(schedule, "conference")
        _text(conference, "title", CONFERENCE_TITLE)
        _text(conference, "acronym", ACRONYM)
        _text(conference, "start", days[0].date.isoformat())
        _text(conference, "end", days[-1].date.isoformat())
        _text(conference, "days", str(len(days)))
        _text(conference, "timeslot_duration", TIMESLOT)
        _text(conference, "base_url", context.site_url)
        _text(conference, "url", context.absolute(scope.page))
        _text(conference, "time_zone_name", TIME_ZONE_NAME)
        for name, slug in tracks(scope):
            ET.SubElement(conference, "track", name=name, slug=slug)
        for day in days:
            day_element = ET.SubElement(
                schedule,
                "day",
                index=str(day.index),
                date=day.date.isoformat(),
                start=iso(day.start),
                end=iso(day.end),
            )
            for room, talks in day.rooms:
                room_element = ET.SubElement(day_element, "room", name=room.name, guid=room.guid)
                for talk in talks:
                    self._event(room_element, room.name, talk, context)
        ET.indent(schedule, space="  ")
        body = ET.tostring(schedule, encoding="unicode")
        return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'

    def _event(self, parent: ET.Element, room: str, talk, context: FeedContext) -> None:
        event = ET.SubElement(parent, "event", id=str(event_id(talk)), guid=event_guid(talk))
        _text(event, "date", iso(talk.starts_at))
        _text(event, "start", f"{talk.start:%H:%M}")
        _text(event, "duration", duration(talk))
        _text(event, "room", room)
        _text(event, "slug", event_slug(talk))
        _text(event, "url", context.talk_url(talk))
        _text(event, "title", event_title(talk))
        if talk.cancelled:
            _text(event, "subtitle", "已取消")
        _text(event, "track", talk.city)
        _text(event, "type", talk.form)
        _text(event, "language", LANGUAGE)
        _text(event, "abstract", summary_line(talk, context))
        _text(event, "description", description(talk, context))
        persons = ET.SubElement(event, "persons")
        for member in talk.speakers:
            person = ET.SubElement(
                persons,
                "person",
                id=str(member_number(member.id)),
                guid=str(member_guid(member.id)),
            )
            person.text = member.name
        links = ET.SubElement(event, "links")
        for story in talk.stories:
            link = ET.SubElement(links, "link", href=context.absolute(story.url), type="article")
            link.text = story.title


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element
