"""Story pages and the story listings (all stories, by activity, by city), as views; with the
home page and the serve-only problems page, the views of the stories' area."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .. import urls
from ..catalog import Catalog
from ..gazetteer import Gazetteer
from ..media.markup import (
    LoadOrder,
    first_seen,
    render_story_media,
    rewrite_body_html,
    rewrite_body_markdown,
)
from ..media.pipeline import MediaPublication
from ..media.records import StoryAssets
from ..models import Author, Correction, Story
from ..vocab import ACTIVITIES, ACTIVITY_BY_NAME
from . import Rendering, SearchEntry, View
from .cards import DateText, StoryCard, story_cards
from .home import home_views
from .pagination import Pager, page_slots
from .problems import problems_views

STORY_TEMPLATE = "story.html"
STORY_HEADER_TEMPLATE = "partials/story-header.html"
SEARCH_SCOPE_TEMPLATE = "partials/search-scope.html"
STORY_LABEL = "稿件"  # beside a story in the search results
LISTING_TEMPLATE = "story-list.html"

ALL_STORIES_TITLE = "采风作品"
ALL_STORIES_INTRO = (
    "媒体和文艺工作者深入脱贫村采风写下的文章、摄影、视频和文艺作品，按时间从新到旧排列。"
)


# -- a story's page --------------------------------------------------------------------------


@dataclass(frozen=True)
class CorrectionNote:
    """A 更正 at the end of a story, as its reader sees it."""

    date: DateText
    note: str

    @classmethod
    def of(cls, correction: Correction) -> CorrectionNote:
        return cls(DateText.of(correction.date), correction.note)


@dataclass(frozen=True)
class StoryDetails:
    """What a story's header and footer show, and where they link."""

    title: str
    activity: str
    activity_url: str  # site-relative: the activity's listing
    form: str
    sample: bool
    draft: bool
    city: str
    city_url: str  # site-relative: the city's listing
    between: tuple[str, ...]  # county and township, between the city and the village
    village: str
    village_url: str  # site-relative: the village's page
    date: DateText
    authors: tuple[Author, ...]
    summary: str
    tags: tuple[str, ...]
    all_stories_url: str
    corrections: tuple[CorrectionNote, ...] = ()  # oldest first

    @classmethod
    def of(cls, story: Story) -> StoryDetails:
        place = story.place
        return cls(
            title=story.title,
            activity=story.activity,
            activity_url=urls.activity_stories(ACTIVITY_BY_NAME[story.activity].slug),
            form=story.form,
            sample=story.sample,
            draft=story.draft,
            city=place.city,
            city_url=urls.city_stories(place.city_slug),
            between=tuple(place.trail[1:-1]),
            village=place.village,
            village_url=story.village.url,
            date=DateText.of(story.date),
            authors=story.authors,
            summary=story.summary,
            tags=story.tags,
            all_stories_url=urls.STORIES,
            corrections=tuple(CorrectionNote.of(c) for c in story.corrections),
        )


@dataclass(frozen=True, kw_only=True)
class StoryView(View):
    """A story's own page, rendered from its index.md."""

    story: Story
    assets: StoryAssets
    details: StoryDetails

    def markdown(self, markdown: str) -> str:
        return rewrite_body_markdown(markdown, self.assets)

    def content(self, body: Markup, rendering: Rendering) -> Markup:
        """The header (indexed by search), the cover, videos, audio and pairs, then the body;
        the body's images become <picture>s of the derived files."""
        header = rendering.render(STORY_HEADER_TEMPLATE, story=self.details)
        order = LoadOrder(first_seen(self.story, self.assets))
        base_url = rendering.base_url
        media = render_story_media(rendering.env, self.story, self.assets, base_url, order)
        html = media + rewrite_body_html(body, self.assets, rendering.env, base_url, order)
        # The body stays out of the search index unless configured otherwise: see README.
        scope = rendering.render(
            SEARCH_SCOPE_TEMPLATE, html=html, css_class="hp-story-body", indexed=rendering.full_text
        )
        return header + scope

    def context(self) -> Mapping[str, Any]:
        return {"story": self.details}


def story_pages(catalog: Catalog, media: MediaPublication) -> list[View]:
    return [
        StoryView(
            url=story.url,
            title=story.title,
            template=STORY_TEMPLATE,
            source=story.src_uri,
            search=SearchEntry(STORY_LABEL, story.title),
            story=story,
            assets=media.of(story),
            details=StoryDetails.of(story),
        )
        for story in catalog.stories
    ]


# -- listings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoryListing:
    """One page of a list of stories, newest first."""

    title: str
    intro: str
    total: int  # stories over all pages
    cards: tuple[StoryCard, ...]
    pager: Pager


@dataclass(frozen=True, kw_only=True)
class StoryListingView(View):
    listing: StoryListing

    def context(self) -> Mapping[str, Any]:
        # The template makes the page's LoadOrder (one per rendering): the cards' thumbnails
        # are the page's only photos, so the first one rendered is the first a reader sees.
        return {"listing": self.listing, "new_load_order": LoadOrder}


def paginated_listing(
    first: str,
    title: str,
    intro: str,
    stories: Sequence[Story],
    per_page: int,
    media: MediaPublication,
) -> list[View]:
    return [
        StoryListingView(
            url=slot.url,
            title=slot.title,
            template=LISTING_TEMPLATE,
            listing=StoryListing(
                title, intro, len(stories), story_cards(slot.items, media.of), slot.pager
            ),
        )
        for slot in page_slots(first, title, stories, per_page)
    ]


def listing_pages(catalog: Catalog, gazetteer: Gazetteer, media: MediaPublication) -> list[View]:
    """All stories, then one listing per activity and per city, each present even when empty:
    their URLs are public."""
    per_page = catalog.settings.stories_per_page
    pages = paginated_listing(
        urls.STORIES, ALL_STORIES_TITLE, ALL_STORIES_INTRO, catalog.stories, per_page, media
    )
    by_activity = catalog.stories_by_activity
    for activity in ACTIVITIES:
        pages += paginated_listing(
            urls.activity_stories(activity.slug),
            activity.name,
            activity.purpose,
            by_activity.get(activity.name, ()),
            per_page,
            media,
        )
    by_city = catalog.stories_by_city
    for city in gazetteer.cities.values():
        pages += paginated_listing(
            urls.city_stories(city.slug),
            f"{city.name}的采风作品",
            f"来自{city.name}各县（市、区）脱贫村的采风作品。",
            by_city.get(city.slug, ()),
            per_page,
            media,
        )
    return pages


def story_views(
    catalog: Catalog, media: MediaPublication, gazetteer: Gazetteer, *, serving: bool
) -> list[View]:
    """Every page of the stories' area: stories, listings, the home page, and under
    `make serve` the problems page."""
    return [
        *story_pages(catalog, media),
        *listing_pages(catalog, gazetteer, media),
        *home_views(catalog, media),
        *problems_views(catalog, serving=serving),
    ]
