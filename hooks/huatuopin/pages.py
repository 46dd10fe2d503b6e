"""Generated pages: what each one is called, where it lives, and the records it shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from . import urls
from .catalog import Catalog
from .gazetteer import Gazetteer
from .models import Story
from .vocab import ACTIVITIES

Item = TypeVar("Item")


@dataclass
class GeneratedPage:
    url: str  # e.g. `stories/page/2/`
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    searchable: bool = False

    @property
    def src_uri(self) -> str:
        return urls.source_of(self.url)


@dataclass
class Paginated:
    """Where one page sits in a paginated listing; templates render the pager from it."""

    title: str
    intro: str
    number: int  # 1-based
    page_urls: list[str]  # site-relative URL of every page of this listing
    total: int  # items over all pages

    @property
    def previous_url(self) -> str | None:
        return self.page_urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.page_urls[self.number] if self.number < len(self.page_urls) else None


@dataclass
class PageSlot(Generic[Item]):
    url: str
    title: str
    number: int
    items: list[Item]
    page_urls: list[str]


def page_slots(first: str, title: str, items: list[Item], per_page: int) -> list[PageSlot[Item]]:
    """The pages of a listing whose first page is at `first` (`urls.paged`); an empty list
    still gets page 1.

    A fixed page size keeps every page's URL stable as items are added at the front.
    """
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]
    page_urls = [urls.paged(first, number) for number in range(1, len(chunks) + 1)]
    titles = [title] + [f"{title}（第 {number} 页）" for number in range(2, len(chunks) + 1)]
    return [
        PageSlot(url, page_title, number, chunk, page_urls)
        for number, (url, page_title, chunk) in enumerate(
            zip(page_urls, titles, chunks, strict=True), start=1
        )
    ]


@dataclass
class Listing(Paginated):
    """One page of a paginated list of stories."""

    stories: list[Story] = field(default_factory=list)


def paginated_listing(
    first: str, title: str, intro: str, stories: list[Story], per_page: int
) -> list[GeneratedPage]:
    pages = []
    for slot in page_slots(first, title, stories, per_page):
        listing = Listing(title, intro, slot.number, slot.page_urls, len(stories), slot.items)
        pages.append(GeneratedPage(slot.url, slot.title, "story-list.html", {"listing": listing}))
    return pages


def story_listings(catalog: Catalog, gazetteer: Gazetteer) -> list[GeneratedPage]:
    per_page = catalog.settings.stories_per_page
    pages = paginated_listing(
        urls.STORIES,
        "采风作品",
        "媒体和文艺工作者深入脱贫村采风写下的文章、摄影、视频和文艺作品，按时间从新到旧排列。",
        catalog.stories,
        per_page,
    )
    by_activity = catalog.stories_by_activity()
    for activity in ACTIVITIES:
        pages += paginated_listing(
            urls.activity_stories(activity.slug),
            f"{activity.name}",
            activity.purpose,
            by_activity.get(activity.name, []),
            per_page,
        )
    by_city = catalog.stories_by_city()
    for city in gazetteer.cities.values():
        pages += paginated_listing(
            urls.city_stories(city.slug),
            f"{city.name}的采风作品",
            f"来自{city.name}各县（市、区）脱贫村的采风作品。",
            by_city.get(city.slug, []),
            per_page,
        )
    return pages


def problems_page(catalog: Catalog) -> GeneratedPage:
    return GeneratedPage(
        urls.PROBLEMS,
        "待修正",
        "problems.html",
        {"report": catalog},
    )
