"""The home page, rendered from docs/index.md: the campaign's figures, its five activities and
the latest stories."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import urls
from ..catalog import Catalog
from . import View
from .cards import StoryCard
from .chrome import ActivityLink, activity_links

HOME_TEMPLATE = "home.html"
HOME_TITLE = "首页"
LATEST = 6  # stories shown as cards; the rest are one link away


@dataclass(frozen=True)
class Home:
    story_count: int
    village_count: int  # villages with stories
    city_count: int  # cities with stories
    activities: tuple[ActivityLink, ...]
    latest: tuple[StoryCard, ...]  # newest first
    all_stories_url: str


@dataclass(frozen=True, kw_only=True)
class HomeView(View):
    home: Home

    def context(self) -> Mapping[str, Any]:
        return {"home": self.home}


def home_of(catalog: Catalog) -> Home:
    stories = catalog.stories
    return Home(
        story_count=len(stories),
        village_count=len({story.place.key for story in stories}),
        city_count=len({story.place.city for story in stories}),
        activities=activity_links(catalog),
        latest=tuple(StoryCard.of(story) for story in stories[:LATEST]),
        all_stories_url=urls.STORIES,
    )


def home_views(catalog: Catalog) -> list[View]:
    """The home page, when docs/index.md is there to be published."""
    if urls.INDEX not in catalog.site_pages:
        return []
    return [
        HomeView(
            url=urls.HOME,
            title=HOME_TITLE,
            template=HOME_TEMPLATE,
            source=urls.INDEX,
            searchable=True,
            home=home_of(catalog),
        )
    ]
