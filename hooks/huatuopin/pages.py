"""Generated pages: what each one is called, where it lives, and the records it shows.

What is left of the generators' pages until each area has its views; listings paginate with
`views.pagination`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from . import urls

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
    def page_count(self) -> int:
        return len(self.page_urls)

    @property
    def shown(self) -> bool:
        """Whether the shared pager macro shows a pager (as `views.pagination.Pager`)."""
        return self.page_count > 1

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
