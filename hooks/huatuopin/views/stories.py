"""Story pages, the story listings and the serve-only problems page, as views."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..catalog import Catalog
from ..gazetteer import Gazetteer
from ..media.markup import LoadOrder, render_story_media, rewrite_body_html, rewrite_body_markdown
from ..media.pipeline import MediaPublication
from ..media.records import StoryAssets
from ..models import Story
from ..pages import problems_page, story_listings
from ..searchindex import search_scope
from ..vocab import ACTIVITY_BY_NAME
from . import PlainView, Rendering, View

STORY_TEMPLATE = "story.html"


@dataclass(frozen=True, kw_only=True)
class StoryView(View):
    """A story's own page, rendered from its index.md."""

    story: Story
    assets: StoryAssets

    def markdown(self, markdown: str) -> str:
        return rewrite_body_markdown(markdown, self.assets)

    def content(self, body: Markup, rendering: Rendering) -> Markup:
        """The header (indexed by search), the cover, videos, audio and pairs, then the body;
        the body's images become <picture>s of the derived files."""
        header = rendering.render(
            "partials/story-header.html",
            story=self.story,
            activity=ACTIVITY_BY_NAME[self.story.activity],
            village=self.story.village,
        )
        order = LoadOrder()
        base_url = rendering.base_url
        media = render_story_media(rendering.env, self.story, self.assets, base_url, order)
        html = media + rewrite_body_html(body, self.assets, rendering.env, base_url, order)
        # The body stays out of the search index unless configured otherwise: see README.
        scope = search_scope(rendering.env, html, "hp-story-body", indexed=rendering.full_text)
        return header + scope

    def context(self) -> Mapping[str, Any]:
        return {"story": self.story, "activity": ACTIVITY_BY_NAME[self.story.activity]}


def story_views(catalog: Catalog, media: MediaPublication) -> list[View]:
    return [
        StoryView(
            url=story.url,
            title=story.title,
            template=STORY_TEMPLATE,
            source=story.src_uri,
            searchable=True,
            story=story,
            assets=media.of(story),
        )
        for story in catalog.stories
    ]


def listing_views(catalog: Catalog, gazetteer: Gazetteer, *, serving: bool) -> list[View]:
    pages = story_listings(catalog, gazetteer)
    if serving:
        pages.append(problems_page(catalog))
    return [
        PlainView(
            url=page.url,
            title=page.title,
            template=page.template,
            searchable=page.searchable,
            values=page.context,
        )
        for page in pages
    ]
