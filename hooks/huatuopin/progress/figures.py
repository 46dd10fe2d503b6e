"""What the campaign has done, per city and for the province, counted from the frozen Catalog.

The Catalog holds only what is published: drafts and rejected stories are never in it, so they
never count. A story counts under its activity and its city; 覆盖村庄 counts distinct villages
with at least one story; 对比照片组 counts pairs; talks count by status, cancelled ones not at
all. `until` counts stories dated on or before that day, and talks dated on or before it as
their status stands (the mid-February report).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..catalog import Catalog
from ..gazetteer import City, Gazetteer
from ..models import Story
from ..troupe.models import Talk
from ..villages.records import Village
from ..vocab import ACTIVITIES, FORMS

MONTHS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)  # the campaign runs January to July 2021
HELD = "已完成"
PLANNED = "计划"


@dataclass(frozen=True)
class Figures:
    """One row of the table: a city's figures, or the province's."""

    name: str
    slug: str | None  # the city's slug; None for the province
    by_activity: tuple[int, ...]  # in ACTIVITIES order
    stories: int
    villages: int
    pairs: int
    talks_held: int
    talks_planned: int
    by_month: tuple[int, ...]  # stories per month of MONTHS
    by_form: tuple[int, ...]  # in FORMS order


@dataclass(frozen=True)
class CityProgress:
    """A city's figures with what they were counted from."""

    city: City
    figures: Figures
    stories: tuple[Story, ...]  # newest first
    talks: tuple[Talk, ...]  # held and planned, by date and time
    village_counts: tuple[tuple[Village, int], ...]  # by county, then village


@dataclass(frozen=True)
class Progress:
    cities: tuple[CityProgress, ...]  # every city of the gazetteer, in its order
    province: Figures
    until: dt.date | None

    def city(self, name: str) -> CityProgress | None:
        return next((c for c in self.cities if c.city.name == name), None)


def progress_of(catalog: Catalog, gazetteer: Gazetteer, until: dt.date | None = None) -> Progress:
    stories = [s for s in catalog.stories if until is None or s.date <= until]
    talks = [
        t
        for t in catalog.troupe.talks
        if t.status in (HELD, PLANNED) and (until is None or t.date <= until)
    ]
    cities = tuple(
        _city_progress(
            city,
            [s for s in stories if s.place.city == city.name],
            [t for t in talks if t.area.city == city.name],
        )
        for city in gazetteer.cities.values()
    )
    return Progress(cities, count("全省合计", None, stories, talks), until)


def _city_progress(city: City, stories: list[Story], talks: list[Talk]) -> CityProgress:
    villages = Counter(story.village.key for story in stories)
    village_of = {story.village.key: story.village for story in stories}
    return CityProgress(
        city=city,
        figures=count(city.name, city.slug, stories, talks),
        stories=tuple(stories),
        talks=tuple(talks),
        village_counts=tuple((village_of[key], n) for key, n in sorted(villages.items())),
    )


def count(name: str, slug: str | None, stories: Sequence[Story], talks: Iterable[Talk]) -> Figures:
    activities = Counter(story.activity for story in stories)
    forms = Counter(story.form for story in stories)
    months = Counter(story.date.month for story in stories)
    statuses = Counter(talk.status for talk in talks)
    return Figures(
        name=name,
        slug=slug,
        by_activity=tuple(activities[a.name] for a in ACTIVITIES),
        stories=len(stories),
        villages=len({story.village.key for story in stories}),
        pairs=sum(len(story.pairs) for story in stories),
        talks_held=statuses[HELD],
        talks_planned=statuses[PLANNED],
        by_month=tuple(months[m] for m in MONTHS),
        by_form=tuple(forms[f] for f in FORMS),
    )
