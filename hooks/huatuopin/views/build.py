"""Every view of a build, made once from the frozen Catalog and its published media."""

from __future__ import annotations

from pathlib import Path

from ..catalog import Catalog
from ..gazetteer import Gazetteer
from ..media.pipeline import MediaPublication
from . import ViewSet
from .chrome import site_chrome
from .gallery import gallery_views
from .stories import story_views
from .troupe import troupe_views
from .villages import village_views


def build_views(
    catalog: Catalog,
    media: MediaPublication,
    gazetteer: Gazetteer,
    *,
    serving: bool,
    site_url: str | None,
    docs_dir: Path,
) -> ViewSet:
    views = ViewSet()
    views.add(story_views(catalog, media, gazetteer, serving=serving))
    views.chrome = site_chrome(catalog, gazetteer, serving=serving)
    views.add(village_views(catalog, media, gazetteer))
    views.add(gallery_views(catalog, media, gazetteer, catalog.settings.media.gallery_per_page))
    troupe_pages, troupe_files = troupe_views(catalog, media, gazetteer, site_url)
    views.add(troupe_pages)
    views.files += troupe_files
    return views
