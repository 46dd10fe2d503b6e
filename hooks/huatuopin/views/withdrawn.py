"""The notice at a withdrawn story's URL, and the empty marker file beside it.

A story taken down (`withdrawn:`) keeps its URL, since links to it travel through WeChat and
printed posters, but the URL says only that it was taken down and when: no title, photo,
name, place or reason. The marker (`urls.withdrawn_marker`) makes nginx answer the URL with
410 Gone (deploy/nginx/site.conf.in); a host without it serves the notice with 200.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import urls
from ..catalog import Catalog
from . import View
from .cards import DateText

WITHDRAWN_TEMPLATE = "withdrawn.html"
WITHDRAWN_TITLE = "本文已撤下"
# What its link says when shared: nothing of the story, as on the page.
WITHDRAWN_DESCRIPTION = "应当事人要求，本文已撤下。"


@dataclass(frozen=True)
class WithdrawnNotice:
    date: DateText
    home_url: str  # site-relative
    all_stories_url: str  # site-relative


@dataclass(frozen=True, kw_only=True)
class WithdrawnView(View):
    """Generated in place of the story's own page (its index.md is not rendered)."""

    notice: WithdrawnNotice

    def context(self) -> Mapping[str, Any]:
        return {"notice": self.notice}


def withdrawn_views(catalog: Catalog) -> tuple[list[View], list[tuple[str, str | bytes]]]:
    """A notice page and a marker file for each withdrawal."""
    views: list[View] = [
        WithdrawnView(
            url=withdrawal.url,
            title=WITHDRAWN_TITLE,
            template=WITHDRAWN_TEMPLATE,
            notice=WithdrawnNotice(DateText.of(withdrawal.date), urls.HOME, urls.STORIES),
        )
        for withdrawal in catalog.withdrawn
    ]
    markers: list[tuple[str, str | bytes]] = [
        (urls.withdrawn_marker(withdrawal.folder), b"") for withdrawal in catalog.withdrawn
    ]
    return views, markers
