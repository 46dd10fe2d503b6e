"""The troupe's published files, one small exporter class per format (after pretalx).

`feed_files` lists every file with its content: the calendars (`ics`) and the
conference-app schedules (`frab_xml`, `frab_json`).
"""

from __future__ import annotations

from ... import urls
from ...gazetteer import Gazetteer
from ..models import CityTalks
from .base import Exporter, FeedContext
from .frab_json import FrabJsonExporter
from .frab_xml import FrabXmlExporter
from .ics import CalendarSpec, IcsExporter, calendar_name

EXPORTERS: tuple[type[Exporter], ...] = (IcsExporter, FrabXmlExporter, FrabJsonExporter)


def city_talks(context: FeedContext, gazetteer: Gazetteer) -> list[CityTalks]:
    """Every city: its page and calendar exist even before its first talk."""
    return [
        CityTalks(city.name, city.slug, context.troupe.talks_in_city(city.slug))
        for city in gazetteer.cities.values()
    ]


def calendars(context: FeedContext, gazetteer: Gazetteer) -> list[CalendarSpec]:
    troupe = context.troupe
    specs = [
        CalendarSpec(
            urls.SCHEDULE_CALENDAR,
            calendar_name(None),
            "“话脱贫、感党恩、奋进新时代”脱贫故事宣讲团在全省各村的宣讲日程",
            urls.SCHEDULE,
            troupe.talks,
        )
    ]
    for member in troupe.members:
        specs.append(
            CalendarSpec(
                member.calendar_path,
                calendar_name(member.name),
                f"宣讲团成员{member.name}（{member.category}）的宣讲日程",
                member.url,
                troupe.talks_of_member(member.id),
            )
        )
    for city in city_talks(context, gazetteer):
        specs.append(
            CalendarSpec(
                city.calendar_path,
                calendar_name(city.name),
                f"宣讲团在{city.name}的宣讲日程",
                city.url,
                city.talks,
            )
        )
    return specs


def feed_files(context: FeedContext, gazetteer: Gazetteer) -> list[tuple[str, str]]:
    """(site-relative path, content) of every calendar and schedule file."""
    ics = IcsExporter()
    files = [(spec.path, ics.render(context, spec)) for spec in calendars(context, gazetteer)]
    files.append((urls.SCHEDULE_XML, FrabXmlExporter().render(context)))
    files.append((urls.SCHEDULE_JSON, FrabJsonExporter().render(context)))
    return files


__all__ = ["EXPORTERS", "FeedContext", "calendars", "city_talks", "feed_files"]
