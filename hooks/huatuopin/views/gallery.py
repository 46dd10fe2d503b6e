"""The before-and-after gallery: every pair of the published stories, newest first, as views.

Listings (a fixed page size, so page URLs stay stable; DESIGN.md "URLs"), each paginated:

- `/gallery/`: all pairs;
- `/gallery/<theme-slug>/`: one per theme of `vocab.PAIR_THEMES`, always present;
- `/gallery/city/<city-slug>/`, `/gallery/activity/<activity-slug>/`: for the cities and
  activities that have pairs, so that filtering works without JavaScript too.

Each page also carries what the script that filters the page in place needs (assets/pairs.js):
the `data-` values of every pair and the choices present on the page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from .. import urls
from ..catalog import Catalog
from ..gazetteer import Gazetteer
from ..media.markup import GALLERY_SIZES, LoadOrder, PairView, story_pairs
from ..media.pipeline import MediaPublication
from ..villages.records import Village
from ..vocab import ACTIVITIES, ACTIVITY_BY_NAME, PAIR_THEMES
from . import View
from .pagination import Pager, page_slots

TEMPLATE = "gallery.html"
TITLE = "前后对比"
INTRO = "同一个地方，脱贫前后的样子。按稿件时间从新到旧排列；拖动照片中间的滑块比较前后。"


@dataclass(frozen=True)
class GalleryItem:
    """One pair as a gallery card shows it: its photos, the pages it links to (the story's at
    the pair, through `pair.story.url`, and the village's), and the values it is filtered by."""

    pair: PairView
    village: Village
    theme_slug: str
    city_slug: str
    activity_slug: str

    @classmethod
    def of(cls, pair: PairView) -> GalleryItem:
        story = pair.story
        return cls(
            pair=pair,
            village=story.village,
            theme_slug=PAIR_THEMES[pair.pair.theme],
            city_slug=story.place.city_slug,
            activity_slug=ACTIVITY_BY_NAME[story.activity].slug,
        )


@dataclass(frozen=True)
class Facet:
    """One filter choice (a theme, city or activity, or all pairs): its listing's first page,
    its number of pairs, and whether the page shown is one of that listing's."""

    name: str
    slug: str
    url: str  # site-relative
    count: int
    current: bool = False


@dataclass(frozen=True)
class Facets:
    """Every filter choice with its count, as each gallery page links them."""

    everything: Facet  # 全部
    themes: tuple[Facet, ...]  # every theme, with pairs or not: each has its page
    cities: tuple[Facet, ...]  # those with pairs, in the gazetteer's order
    activities: tuple[Facet, ...]  # those with pairs, in the campaign's order

    def at(self, url: str) -> Facets:
        """The same choices, the one whose listing starts at `url` marked current."""

        def mark(facets: tuple[Facet, ...]) -> tuple[Facet, ...]:
            return tuple(replace(f, current=True) if f.url == url else f for f in facets)

        (everything,) = mark((self.everything,))
        return Facets(everything, mark(self.themes), mark(self.cities), mark(self.activities))


@dataclass(frozen=True)
class GalleryListing:
    """What gallery.html shows of one page of a listing."""

    title: str
    intro: str
    items: tuple[GalleryItem, ...]  # this page's
    total: int  # pairs over every page of this listing
    paged: bool  # the listing has more than one page: the count says how many are on this one
    facets: Facets
    # Cities and activities fold away under 更多筛选 unless the page is one of theirs.
    more_open: bool
    # The in-page filter (shown by assets/pairs.js when the page has pairs to filter): by
    # `data-` name (city, theme, activity), the (slug, name) of each value present on the page.
    filterable: bool
    options: Mapping[str, tuple[tuple[str, str], ...]]
    pager: Pager
    sizes: str = GALLERY_SIZES

    @property
    def shown(self) -> int:
        return len(self.items)


@dataclass(frozen=True, kw_only=True)
class GalleryPage(View):
    """One page of the gallery, of all pairs or of one theme's, city's or activity's."""

    gallery: GalleryListing

    def context(self) -> Mapping[str, Any]:
        # The template makes the page's LoadOrder (one per rendering): the first card's
        # "after" photo, the one its slider shows whole, loads at once.
        items = self.gallery.items
        first = items[0].pair.after if items else None
        return {"gallery": self.gallery, "new_load_order": partial(LoadOrder, first)}


def gallery_items(catalog: Catalog, media: MediaPublication) -> list[GalleryItem]:
    """Every pair whose two photos were derived, newest story first, in the story's order."""
    return [
        GalleryItem.of(pair)
        for story in catalog.stories  # newest first
        for pair in story_pairs(story, media.of(story))
    ]


def gallery_facets(items: list[GalleryItem], gazetteer: Gazetteer) -> Facets:
    themes = Counter(item.theme_slug for item in items)
    cities = Counter(item.city_slug for item in items)
    activities = Counter(item.activity_slug for item in items)
    return Facets(
        everything=Facet("全部", "", urls.GALLERY, len(items)),
        themes=tuple(
            Facet(name, slug, urls.gallery_theme(slug), themes[slug])
            for name, slug in PAIR_THEMES.items()
        ),
        cities=tuple(
            Facet(city.name, city.slug, urls.gallery_city(city.slug), cities[city.slug])
            for city in gazetteer.cities.values()
            if cities[city.slug]
        ),
        activities=tuple(
            Facet(a.name, a.slug, urls.gallery_activity(a.slug), activities[a.slug])
            for a in ACTIVITIES
            if activities[a.slug]
        ),
    )


def gallery_views(
    catalog: Catalog, media: MediaPublication, gazetteer: Gazetteer, per_page: int
) -> list[GalleryPage]:
    items = gallery_items(catalog, media)
    facets = gallery_facets(items, gazetteer)
    pages = _listing(facets.everything, TITLE, INTRO, items, facets, per_page)
    # A listing for every theme (each /gallery/<theme>/ is a public URL), city and activity.
    subsets: list[tuple[tuple[Facet, ...], Callable[[GalleryItem], str], str]] = [
        (facets.themes, lambda item: item.theme_slug, "主题为“{}”"),
        (facets.cities, lambda item: item.city_slug, "{}各脱贫村"),
        (facets.activities, lambda item: item.activity_slug, "“{}”活动中拍下"),
    ]
    for choices, value, whose in subsets:
        for facet in choices:
            pages += _listing(
                facet,
                f"{TITLE} · {facet.name}",
                f"{whose.format(facet.name)}的今昔对比照片，按时间从新到旧排列。",
                [item for item in items if value(item) == facet.slug],
                facets,
                per_page,
            )
    return pages


def _listing(
    facet: Facet,
    title: str,
    intro: str,
    items: list[GalleryItem],
    facets: Facets,
    per_page: int,
) -> list[GalleryPage]:
    """The pages of the listing of `facet`'s pairs (the one use of the shared pagination)."""
    here = facets.at(facet.url)
    more_open = facet in facets.cities or facet in facets.activities
    pages: list[GalleryPage] = []
    for slot in page_slots(facet.url, title, items, per_page):
        listing = GalleryListing(
            title=title,
            intro=intro,
            items=tuple(slot.items),
            total=len(items),
            paged=slot.pager.shown,
            facets=here,
            more_open=more_open,
            filterable=len(slot.items) > 1,
            options=_options(slot.items, here),
            pager=slot.pager,
        )
        pages.append(
            GalleryPage(url=slot.url, title=slot.title, template=TEMPLATE, gallery=listing)
        )
    return pages


def _options(items: list[GalleryItem], facets: Facets) -> dict[str, tuple[tuple[str, str], ...]]:
    """For each filter of the page, the (slug, name) of the values its pairs have."""

    def present(choices: tuple[Facet, ...], slugs: set[str]) -> tuple[tuple[str, str], ...]:
        return tuple((f.slug, f.name) for f in choices if f.slug in slugs)

    return {
        "city": present(facets.cities, {item.city_slug for item in items}),
        "theme": present(facets.themes, {item.theme_slug for item in items}),
        "activity": present(facets.activities, {item.activity_slug for item in items}),
    }
