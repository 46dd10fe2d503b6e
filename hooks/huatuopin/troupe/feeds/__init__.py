"""The troupe's published files: one small exporter class per format (after pretalx), one
registry, and one publisher that enumerates it.

Every file is a format's rendering of a scope: the whole schedule, one member's talks or one
city's. `feed_files` asks each exporter of `EXPORTERS`, for each scope, where its file goes
and renders it there: the calendars (`ics`: every scope) and the conference-app schedules
(`schedule.xml`, `schedule.json`: the whole schedule). A new format is a class added here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ... import urls
from ...gazetteer import Gazetteer
from ..models import Troupe
from .base import CITY, MEMBER, SCHEDULE, Exporter, FeedContext, Scope
from .frab_json import FrabJsonExporter
from .frab_xml import FrabXmlExporter
from .ics import IcsExporter

EXPORTERS: tuple[Exporter, ...] = (IcsExporter(), FrabXmlExporter(), FrabJsonExporter())


@dataclass(frozen=True)
class FeedFile:
    """One published file: where it goes, what it holds, and which format of which scope."""

    path: str  # site-relative
    content: str
    exporter: Exporter
    scope: Scope


def feed_scopes(troupe: Troupe, gazetteer: Gazetteer) -> list[Scope]:
    """The whole schedule, each member's talks, and each city's: every city has its page and
    calendar even before its first talk, so their URLs never disappear."""
    scopes = [Scope(SCHEDULE, "", "", urls.SCHEDULE, troupe.talks)]
    for member in troupe.members:
        talks = tuple(troupe.talks_of_member(member.id))
        scopes.append(Scope(MEMBER, member.id, member.name, member.url, talks, member))
    for city in gazetteer.cities.values():
        talks = tuple(troupe.talks_in_city(city.slug))
        scopes.append(Scope(CITY, city.slug, city.name, urls.troupe_city(city.slug), talks))
    return scopes


def feed_files(context: FeedContext, scopes: Sequence[Scope]) -> list[FeedFile]:
    """Every file of every format the registry holds, for every scope it serves."""
    files = []
    for scope in scopes:
        for exporter in EXPORTERS:
            path = exporter.path(scope)
            if path is not None:
                files.append(FeedFile(path, exporter.render(context, scope), exporter, scope))
    return files


__all__ = ["EXPORTERS", "FeedContext", "FeedFile", "Scope", "feed_files", "feed_scopes"]
