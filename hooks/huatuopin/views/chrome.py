"""What every page shows around its content, made once per build: the `chrome` template global.

main.html shows the problems banner from it in `make serve`, and the story listings their
navigation by activity and by city (partials/hp-macros.html `browse_links`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..catalog import Catalog
from ..gazetteer import Gazetteer
from ..vocab import ACTIVITIES


@dataclass(frozen=True)
class ActivityLink:
    """One of the five activities, with its listing and how many stories it has."""

    name: str
    purpose: str
    url: str  # site-relative: its story listing
    count: int


@dataclass(frozen=True)
class CityLink:
    """A city with published stories, with its listing and how many."""

    name: str
    url: str  # site-relative: its story listing
    count: int


@dataclass(frozen=True)
class SiteChrome:
    serving: bool = False  # `make serve`: drafts are shown and /problems/ exists
    problems_url: str = urls.PROBLEMS
    search_url: str = urls.SEARCH  # the header's search button on every page
    problem_count: int = 0
    unpublished_count: int = 0  # sources with problems that are not shown
    activities: tuple[ActivityLink, ...] = ()  # every activity, in campaign order
    cities: tuple[CityLink, ...] = ()  # cities with stories, in the gazetteer's order

    @property
    def problems_banner(self) -> bool:
        """A preview with problems leads to them from every page; a build never does."""
        return self.serving and self.problem_count > 0


def activity_links(catalog: Catalog) -> tuple[ActivityLink, ...]:
    by_activity = catalog.stories_by_activity
    return tuple(
        ActivityLink(
            activity.name,
            activity.purpose,
            urls.activity_stories(activity.slug),
            len(by_activity.get(activity.name, ())),
        )
        for activity in ACTIVITIES
    )


def city_links(catalog: Catalog, gazetteer: Gazetteer) -> tuple[CityLink, ...]:
    by_city = catalog.stories_by_city
    return tuple(
        CityLink(city.name, urls.city_stories(city.slug), len(by_city[city.slug]))
        for city in gazetteer.cities.values()
        if city.slug in by_city
    )


def site_chrome(catalog: Catalog, gazetteer: Gazetteer, *, serving: bool) -> SiteChrome:
    return SiteChrome(
        serving=serving,
        problem_count=len(catalog.problems),
        unpublished_count=len(catalog.rejected),
        activities=activity_links(catalog),
        cities=city_links(catalog, gazetteer),
    )
