"""Everything the troupe adds to the site, for the hooks: pages, calendars, schedules, photos."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import Abort
from PIL import Image

from ..gazetteer import Gazetteer
from ..media.images import DEFAULT_PIPELINE, decode_for_web, encode
from ..media.records import MediaError
from ..pages import GeneratedPage
from ..problems import Problem
from .feeds import FeedContext, feed_files
from .loading import TROUPE_DIR
from .models import Member
from .pages import troupe_pages

if TYPE_CHECKING:
    from ..catalog import Catalog

# `mkdocs serve` sets site_url to its own address; a build without one still needs absolute URLs.
FALLBACK_SITE_URL = "http://127.0.0.1:8000/"
PHOTO_WIDTH = 480


def troupe_outputs(
    catalog: Catalog, gazetteer: Gazetteer, site_url: str | None, docs_dir: Path
) -> tuple[list[GeneratedPage], list[tuple[str, str | bytes]]]:
    """The troupe's generated pages, and (site-relative path, content) of its other files."""
    troupe = catalog.troupe
    base = site_url or FALLBACK_SITE_URL
    context = FeedContext(troupe, base if base.endswith("/") else base + "/", catalog.settings)
    files: list[tuple[str, str | bytes]] = list(feed_files(context, gazetteer))
    max_pixels = catalog.settings.media.max_image_pixels
    for member in troupe.members:
        if member.photo and member.photo_path:
            try:
                photo = member_photo(docs_dir / TROUPE_DIR, member, max_pixels)
            except MediaError as error:
                # It passed the check minutes ago: the file was replaced or damaged since.
                message = f"“{member.photo}”{error.message}"
                problem = Problem(member.source_path, member.line, "photo", message)
                raise Abort(f"{problem}\n构建中止：照片在检查之后变了；请核对后重新构建") from None
            files.append((member.photo_path, photo))
    return troupe_pages(troupe, gazetteer, context), files


def member_photo(troupe_dir: Path, member: Member, max_pixels: int) -> bytes:
    """The member's photo as published: at most 480 px wide, upright, sRGB JPEG, no metadata.

    Made by the story photos' decoder and encoder; the original never reaches site/.
    """
    assert member.photo is not None
    image = decode_for_web(troupe_dir / member.photo, max_pixels, PHOTO_WIDTH)
    if image.width > PHOTO_WIDTH:
        height = round(image.height * PHOTO_WIDTH / image.width)
        image = image.resize((PHOTO_WIDTH, height), Image.Resampling.LANCZOS)
    return encode(image, "jpeg", DEFAULT_PIPELINE)
