"""Paginated listings, shared by every area that lists things page by page (stories, gallery).

A listing of `items` whose first page is at `first` is cut into `page_slots`: one `PageSlot`
per page, with its URL (`urls.paged`), title ("…（第 2 页）" after the first), its items and a
`Pager` that says where the page sits. A view keeps the slot's `pager` in its context and the
template shows it with the shared macro (partials/hp-macros.html):

    {{ m.pager(listing.pager, base_url) }}

A fixed page size keeps every page's URL stable as items are added at the front.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from .. import urls

Item = TypeVar("Item")


@dataclass(frozen=True)
class Pager:
    """Where one page sits in its listing: what the pager at its foot shows and links to."""

    number: int  # 1-based
    page_urls: tuple[str, ...]  # site-relative URL of every page of the listing

    @property
    def page_count(self) -> int:
        return len(self.page_urls)

    @property
    def shown(self) -> bool:
        """A listing of one page has no pager."""
        return self.page_count > 1

    @property
    def first_url(self) -> str:
        return self.page_urls[0]

    @property
    def previous_url(self) -> str | None:
        return self.page_urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.page_urls[self.number] if self.number < self.page_count else None


@dataclass(frozen=True)
class PageSlot(Generic[Item]):
    """One page of a listing: its URL, title, the items it shows and its pager."""

    url: str
    title: str
    items: tuple[Item, ...]
    pager: Pager

    @property
    def number(self) -> int:
        return self.pager.number


def page_title(title: str, number: int) -> str:
    """A listing's title on its page `number`: the first page has the bare title."""
    return title if number == 1 else f"{title}（第 {number} 页）"


def page_slots(
    first: str, title: str, items: Sequence[Item], per_page: int
) -> list[PageSlot[Item]]:
    """The pages of a listing whose first page is at `first`; an empty list still gets page 1."""
    chunks = [tuple(items[i : i + per_page]) for i in range(0, len(items), per_page)] or [()]
    page_urls = tuple(urls.paged(first, number) for number in range(1, len(chunks) + 1))
    return [
        PageSlot(url, page_title(title, number), chunk, Pager(number, page_urls))
        for number, (url, chunk) in enumerate(zip(page_urls, chunks, strict=True), start=1)
    ]
