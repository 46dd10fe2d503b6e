"""The search page (/search/): a form that works as a link (`?q=…`), results drawn by
docs/assets/search.js from the search index made after the build (search/indexer.py)."""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from . import View

SEARCH_TEMPLATE = "search-page.html"
SEARCH_TITLE = "搜索"
# What its link says when shared; the page itself has nothing for search engines (noindex).
SEARCH_DESCRIPTION = "搜索村庄和采风作品：输入村名、标题、作者或拼音。"


@dataclass(frozen=True, kw_only=True)
class SearchPageView(View):
    """The search page: nothing computed, everything happens in the reader's browser."""


def search_views() -> list[View]:
    return [SearchPageView(url=urls.SEARCH, title=SEARCH_TITLE, template=SEARCH_TEMPLATE)]
