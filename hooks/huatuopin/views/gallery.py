"""The before-and-after gallery's pages, as views."""

from __future__ import annotations

from ..catalog import Catalog
from ..gallery import gallery_pages
from ..gazetteer import Gazetteer
from ..media.pipeline import MediaPublication
from . import PlainView, View


def gallery_views(
    catalog: Catalog, media: MediaPublication, gazetteer: Gazetteer, per_page: int
) -> list[View]:
    return [
        PlainView(
            url=page.url,
            title=page.title,
            template=page.template,
            searchable=page.searchable,
            values=page.context,
        )
        for page in gallery_pages(catalog, media, gazetteer, per_page)
    ]
