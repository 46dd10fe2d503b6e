"""The troupe's pages as views, and its calendars, schedules and member photos."""

from __future__ import annotations

from pathlib import Path

from ..catalog import Catalog
from ..gazetteer import Gazetteer
from ..troupe.publish import troupe_outputs
from . import PlainView, View


def troupe_views(
    catalog: Catalog, gazetteer: Gazetteer, site_url: str | None, docs_dir: Path
) -> tuple[list[View], list[tuple[str, str | bytes]]]:
    pages, files = troupe_outputs(catalog, gazetteer, site_url, docs_dir)
    views: list[View] = [
        PlainView(
            url=page.url,
            title=page.title,
            template=page.template,
            searchable=page.searchable,
            values=page.context,
        )
        for page in pages
    ]
    return views, files
