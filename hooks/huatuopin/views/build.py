"""Every view of a build, made once from the frozen Catalog and its published media."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment

from ..catalog import Catalog
from ..gazetteer import Gazetteer
from ..media.pipeline import MediaPublication
from . import ViewSet
from .address import SiteAddress
from .changes import changes_views
from .chrome import site_chrome
from .gallery import gallery_views
from .posters import poster_views
from .progress import progress_views
from .redirects import redirect_files
from .robots import robots_txt
from .search import search_views
from .sharing import Sharer, share_views
from .stories import story_views
from .story_feeds import story_feeds
from .troupe import troupe_views
from .villages import village_views
from .withdrawn import withdrawn_views


def build_views(
    catalog: Catalog,
    media: MediaPublication,
    gazetteer: Gazetteer,
    *,
    serving: bool,
    site_url: str | None,
    docs_dir: Path,
    env: Environment,
    site_name: str = "",
) -> ViewSet:
    views = ViewSet()
    views.add(story_views(catalog, media, gazetteer, serving=serving))
    notices, markers = withdrawn_views(catalog)
    views.add(notices)
    views.files += markers
    views.add(changes_views(catalog, serving=serving))
    views.chrome = site_chrome(catalog, gazetteer, serving=serving)
    views.add(village_views(catalog, media, gazetteer))
    views.add(gallery_views(catalog, media, gazetteer, catalog.settings.media.gallery_per_page))
    troupe_pages, troupe_files = troupe_views(catalog, media, gazetteer, site_url)
    views.add(troupe_pages)
    views.files += troupe_files
    progress_pages, progress_files = progress_views(catalog, gazetteer)
    views.add(progress_pages)
    views.add(search_views())
    views.files += progress_files
    # What is read off the site: shared links, feeds, posters' QR codes, robots.txt.
    address = SiteAddress.of(site_url)
    sharer = Sharer(address, site_name, media)
    views.add(poster_views(catalog, gazetteer, sharer))
    share_views(views, catalog, sharer)
    views.files += story_feeds(catalog, media, address, site_name)
    views.files.append(robots_txt(address))
    views.files += redirect_files(catalog, env, site_url)  # moved stories' old addresses
    return views
