"""Pages as typed views, as Material's blog plugin has Post, View and Archive pages.

Every page of the site is one `View`, made once from the frozen Catalog after the media are
published: it knows its URL (from `urls`), its template, its title, and the finished context its
template shows. A view either has a source in docs/ (a story's index.md, a village profile,
a hand-written page), whose sanitized body it may wrap in `content`, or it is generated and
MkDocs gets a stub file for it. The hooks only dispatch: on_files adds the generated views'
files, and each page event asks the page's view (`ViewSet.of`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from .. import safehtml, urls
from .chrome import SiteChrome
from .share import Share


@dataclass(frozen=True)
class Rendering:
    """What a view needs to put our own partials into its page content."""

    env: Environment
    base_url: str  # from the page to the site's root, as MkDocs gives templates
    full_text: bool  # extra.campaign.search_full_text: bodies go into the search index

    def render(self, template: str, **context: Any) -> Markup:
        return safehtml.render(self.env, template, base_url=self.base_url, **context)


@dataclass(frozen=True)
class SearchEntry:
    """What the search index holds of a page beyond the text its content marks
    (overrides/search-record.html: the page's record the index reads, hooks/huatuopin/search/)."""

    label: str  # shown beside each result: 稿件, 村庄
    title: str  # the result's title
    # Words the page is found by beyond its text (a village by its pinyin); no reader sees
    # them on the page.
    terms: tuple[str, ...] = ()
    # Words that outweigh the same words elsewhere: a village's name finds its page before
    # the stories naming it in their place line (weights run from 1 to 10; a
    # heading counts 7 by default, other text 1).
    names: tuple[str, ...] = ()
    name_weight: int = 1


@dataclass(frozen=True, kw_only=True)
class View:
    """One page: where it lives, which template shows it, and what the template gets."""

    url: str  # site-relative, from `urls`
    title: str
    template: str
    # How the page goes into the site's search index; None: it stays out (listings, posters,
    # /problems/ and the like).
    search: SearchEntry | None = None
    source: str | None = None  # the docs/ file it is rendered from; None: a generated page
    share: Share | None = None  # what its link shows when shared (views/sharing.py)

    @property
    def src_uri(self) -> str:
        return self.source or urls.source_of(self.url)

    @property
    def searchable(self) -> bool:
        return self.search is not None

    @property
    def generated(self) -> bool:
        return self.source is None

    def stub(self) -> str:
        """The Markdown file MkDocs gets for a generated page: front-matter only."""
        meta: dict[str, Any] = {"title": self.title, "template": self.template}
        # JSON is YAML too, and written in C: ~30,000 stubs at province size, on every build.
        # ASCII only: every other character as a \u escape, which YAML reads back as written
        # (a raw U+2028 or U+0085 would be a line break to it).
        return f"---\n{json.dumps(meta, sort_keys=True)}\n---\n"

    def markdown(self, markdown: str) -> str:
        """The page's Markdown before it is rendered (a story points its images at the
        derived files here)."""
        return markdown

    def content(self, body: Markup, rendering: Rendering) -> Markup:
        """The page's content from its sanitized body; a generated page has an empty one."""
        return body

    def context(self) -> Mapping[str, Any]:
        """What the template shows, finished: counts, groups and texts, never the Catalog."""
        return {}


@dataclass(frozen=True, kw_only=True)
class PlainView(View):
    """A page whose template needs nothing computed beyond a fixed context."""

    values: Mapping[str, Any] = field(default_factory=dict)

    def context(self) -> Mapping[str, Any]:
        return self.values


@dataclass
class ViewSet:
    """Every page of the build by its source path, the other files it publishes, and what
    every page shows around its content."""

    views: dict[str, View] = field(default_factory=dict)
    files: list[tuple[str, str | bytes]] = field(default_factory=list)  # (output path, content)
    chrome: SiteChrome = field(default_factory=SiteChrome)  # around every page's content

    def add(self, views: Iterable[View]) -> None:
        for view in views:
            if view.src_uri in self.views:
                raise ValueError(f"two views at {view.src_uri}")
            self.views[view.src_uri] = view

    def of(self, src_uri: str) -> View | None:
        return self.views.get(src_uri)

    def generated(self) -> list[View]:
        return [view for view in self.views.values() if view.generated]

    def sources(self) -> set[str]:
        """docs/ files some view is rendered from."""
        return {view.src_uri for view in self.views.values() if not view.generated}
