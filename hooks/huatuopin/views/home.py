"""The home page, rendered from docs/index.md: the campaign's figures, its five activities and
the latest stories: the ones most recently added to the site (history.py), so a March story
published in July shows up first, not behind every story dated after March."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .. import urls
from ..catalog import Catalog
from ..media.markup import LoadOrder
from ..media.pipeline import MediaPublication
from ..models import Story
from . import SearchEntry, View
from .cards import StoryCard, story_cards
from .chrome import ActivityLink, activity_links

HOME_TEMPLATE = "home.html"
HOME_TITLE = "首页"
HOME_LABEL = "网站"  # beside the home page in the search results
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
        # The cards' thumbnails are the page's only photos: the first one rendered loads at once.
        return {"home": self.home, "new_load_order": LoadOrder}


def latest_added(
    stories: Sequence[Story], added: Mapping[str, dt.datetime], count: int
) -> tuple[Story, ...]:
    """The `count` stories added last, newest first; a story with no moment (no git history)
    counts from its own date. Ties keep the catalog's order (newest story date first)."""

    def moment(story: Story) -> dt.datetime:
        known = added.get(story.folder)
        if known is not None:
            return known
        return dt.datetime.combine(story.date, dt.time(), dt.UTC)

    return tuple(sorted(stories, key=moment, reverse=True)[:count])


def home_of(catalog: Catalog, media: MediaPublication) -> Home:
    stories = catalog.stories
    latest = latest_added(stories, catalog.validated.story_added, LATEST)
    return Home(
        story_count=len(stories),
        village_count=len({story.place.key for story in stories}),
        city_count=len({story.place.city for story in stories}),
        activities=activity_links(catalog),
        latest=story_cards(latest, media.of),
        all_stories_url=urls.STORIES,
    )


def home_views(catalog: Catalog, media: MediaPublication) -> list[View]:
    """The home page, when docs/index.md is there to be published."""
    if urls.INDEX not in catalog.site_pages:
        return []
    return [
        HomeView(
            url=urls.HOME,
            title=HOME_TITLE,
            template=HOME_TEMPLATE,
            source=urls.INDEX,
            search=SearchEntry(HOME_LABEL, HOME_TITLE),
            home=home_of(catalog, media),
        )
    ]
