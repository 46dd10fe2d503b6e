"""A moved story's old address: a static page that leads to the new one, and nginx's map.

The page is what mkdocs-redirects writes (a meta refresh, a canonical link, a visible link),
without its inline script, which the site's CSP refuses; it works on any host, nginx or not.
nginx answers the same addresses with a 301 before the page is ever read: the map file is
included by deploy/nginx/site.conf.in, and always written, so the include always finds it.
Neither is a page of the site: no sitemap entry, no search record, no share part.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jinja2 import Environment
from mkdocs.utils import get_relative_url

from .. import safehtml, urls
from ..catalog import Catalog
from ..models import Redirect
from .address import SiteAddress

TEMPLATE = "redirect.html"
MAP_HEADER = (
    "# 旧稿件地址 → 新地址（由构建根据 redirects.yml 生成，请勿手改）：nginx map $uri 的内容"
)
# Folder names are checked to this (stories.FOLDER_NAME): nothing in a map line needs quoting.
_PLAIN_URL = re.compile(rf"{urls.STORIES}[a-z0-9-]+/")


@dataclass(frozen=True)
class RedirectPage:
    """What overrides/redirect.html shows."""

    target: str  # relative to the old page
    canonical: str  # absolute; empty without site_url
    title: str  # the story's, at its new address; empty when it was taken down


def redirect_files(
    catalog: Catalog, env: Environment, site_url: str | None
) -> list[tuple[str, str]]:
    """A page at every old address, and the nginx map of them all."""
    titles = {story.url: story.title for story in catalog.stories}
    address = SiteAddress.of(site_url) if site_url else None
    files = []
    for redirect in catalog.redirects:
        page = RedirectPage(
            target=get_relative_url(redirect.new, redirect.old),
            canonical=address.absolute(redirect.new) if address else "",
            title=titles.get(redirect.new, ""),  # a withdrawn story shows nothing of itself
        )
        html = safehtml.render(env, TEMPLATE, page=page)
        files.append((urls.page_file(redirect.old), str(html)))
    files.append((urls.REDIRECTS_MAP, nginx_map(catalog.redirects)))
    return files


def nginx_map(redirects: Sequence[Redirect]) -> str:
    """One `"/stories/old/" "/stories/new/";` line per old address: nginx looks it up by the
    page a request asks for in any form (`/x/`, `/x`, `/x/index.html`: `$huatuopin_page` in
    deploy/nginx/site.conf.in), so one line covers them all."""
    lines = [MAP_HEADER]
    for redirect in redirects:
        assert _PLAIN_URL.fullmatch(redirect.old) and _PLAIN_URL.fullmatch(redirect.new)
        lines.append(f'"/{redirect.old}" "/{redirect.new}";')
    return "\n".join(lines) + "\n"
