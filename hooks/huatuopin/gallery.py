"""The before-and-after gallery: every pair of the published stories, newest first.

Pages (fixed page size, so page URLs stay stable; DESIGN.md "URLs"):

- `/gallery/`, `/gallery/page/<N>/`: all pairs;
- `/gallery/<theme-slug>/`: one per theme of `vocab.PAIR_THEMES`, always present;
- `/gallery/city/<city-slug>/`, `/gallery/activity/<activity-slug>/`: for the cities and
  activities that have pairs, so that filtering works without JavaScript too.

Each page also carries `data-` attributes for the script that filters the page in place.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import urls
from .media.markup import GALLERY_SIZES, LoadOrder, PairView, story_pairs
from .pages import GeneratedPage, Paginated, page_slots
from .vocab import ACTIVITIES, ACTIVITY_BY_NAME, PAIR_THEMES

if TYPE_CHECKING:
    from .catalog import Catalog
    from .gazetteer import Gazetteer
    from .media.pipeline import MediaPublication

TITLE = "前后对比"
INTRO = "同一个地方，脱贫前后的样子。按稿件时间从新到旧排列；拖动照片中间的滑块比较前后。"


@dataclass(frozen=True)
class GalleryItem:
    view: PairView

    @property
    def village_url(self) -> str:
        """Site-relative URL of the village page of the pair's story."""
        return self.view.story.village.url

    @property
    def theme_slug(self) -> str:
        return PAIR_THEMES[self.view.pair.theme]

    @property
    def city_slug(self) -> str:
        return self.view.story.place.city_slug

    @property
    def activity_slug(self) -> str:
        return ACTIVITY_BY_NAME[self.view.story.activity].slug


@dataclass(frozen=True)
class Facet:
    """One filter choice: a theme, city or activity, with its page and number of pairs."""

    name: str
    slug: str
    url: str  # site-relative
    count: int


@dataclass
class GalleryListing(Paginated):
    items: list[GalleryItem] = field(default_factory=list)
    base_url: str = ""  # site-relative URL of page 1 of this listing: the current filter
    themes: list[Facet] = field(default_factory=list)
    cities: list[Facet] = field(default_factory=list)
    activities: list[Facet] = field(default_factory=list)
    sizes: str = GALLERY_SIZES

    def options(self, attribute: str) -> list[tuple[str, str]]:
        """(slug, name) of the values present on this page, for the in-page filter."""
        facets = {"theme_slug": self.themes, "city_slug": self.cities}.get(
            attribute, self.activities
        )
        present = {getattr(item, attribute) for item in self.items}
        return [(f.slug, f.name) for f in facets if f.slug in present]


def gallery_items(catalog: Catalog, media: MediaPublication) -> list[GalleryItem]:
    """Every pair with its derived images, newest story first, in the story's order."""
    return [
        GalleryItem(view)
        for story in catalog.stories  # newest first
        for view in story_pairs(story, media.of(story))
    ]


def gallery_pages(
    catalog: Catalog, media: MediaPublication, gazetteer: Gazetteer, per_page: int
) -> list[GeneratedPage]:
    items = gallery_items(catalog, media)
    themes = Counter(item.theme_slug for item in items)
    cities = Counter(item.city_slug for item in items)
    activities = Counter(item.activity_slug for item in items)
    facets: dict[str, Any] = {
        "themes": [
            Facet(name, slug, urls.gallery_theme(slug), themes[slug])
            for name, slug in PAIR_THEMES.items()
        ],
        "cities": [
            Facet(city.name, city.slug, urls.gallery_city(city.slug), cities[city.slug])
            for city in gazetteer.cities.values()
            if cities[city.slug]
        ],
        "activities": [
            Facet(a.name, a.slug, urls.gallery_activity(a.slug), activities[a.slug])
            for a in ACTIVITIES
            if activities[a.slug]
        ],
    }
    pages = _paginate(urls.GALLERY, TITLE, INTRO, items, per_page, facets)
    # One listing per theme (every theme: /gallery/<theme>/ is a public URL), city and activity.
    subsets = [(f.url, f.name, f"主题为“{f.name}”", "theme_slug", f.slug) for f in facets["themes"]]
    subsets += [(f.url, f.name, f"{f.name}各脱贫村", "city_slug", f.slug) for f in facets["cities"]]
    subsets += [
        (
            f.url,
            f.name,
            f"“{f.name}”活动中拍下",
            "activity_slug",
            f.slug,
        )
        for f in facets["activities"]
    ]
    for first, name, whose, attribute, slug in subsets:
        pages += _paginate(
            first,
            f"{TITLE} · {name}",
            f"{whose}的今昔对比照片，按时间从新到旧排列。",
            [item for item in items if getattr(item, attribute) == slug],
            per_page,
            facets,
        )
    return pages


def _paginate(
    first: str,
    title: str,
    intro: str,
    items: list[GalleryItem],
    per_page: int,
    facets: dict[str, Any],
) -> list[GeneratedPage]:
    pages = []
    for slot in page_slots(first, title, items, per_page):
        listing = GalleryListing(
            title,
            intro,
            slot.number,
            slot.page_urls,
            len(items),
            items=slot.items,
            base_url=slot.page_urls[0],
            **facets,
        )
        context = {"gallery": listing, "new_load_order": LoadOrder}
        pages.append(GeneratedPage(slot.url, slot.title, "gallery.html", context))
    return pages
