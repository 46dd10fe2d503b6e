"""`schedule.json` in the frab / c3voc format (validated against its published JSON schema)."""

from __future__ import annotations

import json
from typing import Any

from ... import urls
from ..ids import member_guid
from ..models import TIME_ZONE_NAME, Talk
from .base import SCHEDULE, Exporter, FeedContext, Scope, description, summary_line
from .frab import (
    ACRONYM,
    CONFERENCE_TITLE,
    LANGUAGE,
    TIMESLOT,
    all_rooms,
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

SCHEMA_URL = "https://c3voc.de/schedule/schema.json"


class FrabJsonExporter(Exporter):
    identifier = "schedule.json"
    extension = ".json"
    content_type = "application/json; charset=utf-8"

    def path(self, scope: Scope) -> str | None:
        # A conference app reads one whole schedule: no file for a member or a city.
        return urls.SCHEDULE_JSON if scope.kind == SCHEDULE else None

    def render(self, context: FeedContext, scope: Scope) -> str:
        days = frab_days(context, scope)
        document = {
            "$schema": SCHEMA_URL,
            "generator": {"name": "huatuopin", "version": "1.0"},
            "schedule": {
                "version": version(scope),
                "base_url": context.site_url,
                "conference": {
                    "acronym": ACRONYM,
                    "title": CONFERENCE_TITLE,
                    "start": days[0].date.isoformat(),
                    "end": days[-1].date.isoformat(),
                    "daysCount": len(days),
                    "timeslot_duration": TIMESLOT,
                    "time_zone_name": TIME_ZONE_NAME,
                    "url": context.absolute(scope.page),
                    "tracks": [{"name": name, "slug": slug} for name, slug in tracks(scope)],
                    "rooms": [{"name": r.name, "guid": r.guid} for r in all_rooms(days)],
                    "days": [
                        {
                            "index": day.index,
                            "date": day.date.isoformat(),
                            "day_start": iso(day.start),
                            "day_end": iso(day.end),
                            "rooms": {
                                room.name: [self._event(room.name, t, context) for t in talks]
                                for room, talks in day.rooms
                            },
                        }
                        for day in days
                    ],
                },
            },
        }
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"

    def _event(self, room: str, talk: Talk, context: FeedContext) -> dict[str, Any]:
        return {
            "guid": event_guid(talk),
            "id": event_id(talk),
            "date": iso(talk.starts_at),
            "start": f"{talk.start:%H:%M}",
            "end": iso(talk.ends_at),
            "duration": duration(talk),
            "room": room,
            "slug": event_slug(talk),
            "url": context.talk_url(talk),
            "title": event_title(talk),
            "subtitle": "已取消" if talk.cancelled else None,
            "track": talk.city,
            "type": talk.form,
            "language": LANGUAGE,
            "abstract": summary_line(talk, context),
            "description": description(talk, context),
            "persons": [{"name": m.name, "guid": str(member_guid(m.id))} for m in talk.speakers],
            "links": [
                {"url": context.absolute(s.url), "title": s.title, "type": "article"}
                for s in talk.stories
            ],
        }
