"""The village pages (profiles and villages known from stories), the index, city and county
pages, as views."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..catalog import Catalog
from ..gazetteer import Gazetteer
from ..media.pipeline import MediaPublication
from ..village_pages import income_chart, village_content, village_pages, village_pairs
from ..villages.records import Village
from . import PlainView, Rendering, View
from .cards import story_cards

VILLAGE_TEMPLATE = "village.html"


@dataclass(frozen=True, kw_only=True)
class VillageView(View):
    """A village's page: its profile's Markdown, or generated when it has no profile."""

    village: Village
    catalog: Catalog
    media: MediaPublication
    # The 话未来 section split from the body in `content`, shown by the template at the end.
    plans: dict[str, Markup] = field(default_factory=dict, compare=False)

    def content(self, body: Markup, rendering: Rendering) -> Markup:
        parts = village_content(
            rendering.env,
            self.village,
            self.catalog.stories_of(self.village),
            body,
            rendering.base_url,
            full_text=rendering.full_text,
        )
        self.plans["html"] = parts.plans
        return parts.content

    def context(self) -> Mapping[str, Any]:
        village = self.village
        stories = self.catalog.stories_of(village)
        return {
            "village": village,
            "village_stories": stories,
            "village_story_groups": [
                (activity, story_cards(group))  # the shared card macro shows StoryCards
                for activity, group in self.catalog.village_stories_by_activity(village)
            ],
            "chart": income_chart(village.profile.income) if village.profile else None,
            "village_plans": self.plans.get("html", ""),
            "village_pairs": village_pairs(stories, self.media),
        }


def village_views(catalog: Catalog, media: MediaPublication, gazetteer: Gazetteer) -> list[View]:
    views: list[View] = [
        PlainView(
            url=page.url,
            title=page.title,
            template=page.template,
            searchable=page.searchable,
            values=page.context,
        )
        for page in village_pages(catalog, gazetteer)
        if page.template != VILLAGE_TEMPLATE
    ]
    for village in catalog.villages.values():
        profile = village.profile
        views.append(
            VillageView(
                url=village.url,
                title=village.title,
                template=VILLAGE_TEMPLATE,
                searchable=True,
                source=profile.src_uri if profile is not None else None,
                village=village,
                catalog=catalog,
                media=media,
            )
        )
    return views
