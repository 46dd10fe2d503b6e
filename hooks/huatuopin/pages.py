"""Generated pages: what each one is called, where it lives, and the records it shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from .catalog import Catalog
from .gazetteer import Gazetteer
from .models import Story
from .vocab import ACTIVITIES

Item = TypeVar("Item")


@dataclass
class GeneratedPage:
    src_uri: str  # e.g. `stories/page/2/index.md`
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    searchable: bool = False

    @property
    def url(self) -> str:
        return self.src_uri.removesuffix("index.md")


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
    src_uri: str
    title: str
    number: int
    items: list[Item]
    page_urls: list[str]


def page_slots(base: str, title: str, items: list[Item], per_page: int) -> list[PageSlot[Item]]:
    """`<base>/` for page 1 and `<base>/page/<N>/` after it; an empty list still gets page 1.

    A fixed page size keeps every page's URL stable as items are added at the front.
    """
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]
    uris = [f"{base}/index.md"] + [f"{base}/page/{n}/index.md" for n in range(2, len(chunks) + 1)]
    urls = [uri.removesuffix("index.md") for uri in uris]
    return [
        PageSlot(uri, title if number == 1 else f"{title}（第 {number} 页）", number, chunk, urls)
        for number, (uri, chunk) in enumerate(zip(uris, chunks, strict=True), start=1)
    ]


@dataclass
class Listing(Paginated):
    """One page of a paginated list of stories."""

    stories: list[Story] = field(default_factory=list)


def paginated_listing(
    base: str, title: str, intro: str, stories: list[Story], per_page: int
) -> list[GeneratedPage]:
    pages = []
    for slot in page_slots(base, title, stories, per_page):
        listing = Listing(title, intro, slot.number, slot.page_urls, len(stories), slot.items)
        pages.append(
            GeneratedPage(slot.src_uri, slot.title, "story-list.html", {"listing": listing})
        )
    return pages


def story_listings(catalog: Catalog, gazetteer: Gazetteer) -> list[GeneratedPage]:
    per_page = catalog.settings.stories_per_page
    pages = paginated_listing(
        "stories",
        "采风作品",
        "媒体和文艺工作者深入脱贫村采风写下的文章、摄影、视频和文艺作品，按时间从新到旧排列。",
        catalog.stories,
        per_page,
    )
    by_activity = catalog.stories_by_activity()
    for activity in ACTIVITIES:
        pages += paginated_listing(
            f"stories/activity/{activity.slug}",
            f"{activity.name}",
            activity.purpose,
            by_activity.get(activity.name, []),
            per_page,
        )
    by_city = catalog.stories_by_city()
    for city in gazetteer.cities.values():
        pages += paginated_listing(
            f"stories/city/{city.slug}",
            f"{city.name}的采风作品",
            f"来自{city.name}各县（市、区）脱贫村的采风作品。",
            by_city.get(city.slug, []),
            per_page,
        )
    return pages


def problems_page(catalog: Catalog) -> GeneratedPage:
    return GeneratedPage(
        "problems/index.md",
        "待修正",
        "problems.html",
        {"report": catalog},
    )
