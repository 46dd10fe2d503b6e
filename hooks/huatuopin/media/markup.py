"""Media markup: rendered from the `overrides/partials/media-*.html` templates, never built here.

Also the story body's images: the Markdown points at the original files, which are never
published, so before rendering their targets are switched to the derived JPEG (MkDocs then
finds a file and does not warn), and after rendering each `<img>` becomes a `<picture>`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from .. import safehtml
from ..mediapaths import _HTML_IMAGE, _MARKDOWN_IMAGE
from .records import ImageAsset, StoryAssets

if TYPE_CHECKING:
    from jinja2 import Environment

    from ..models import Pair, Story

# The image's width in the layout, for the browser to pick a variant: Material's content
# column is the window less 2 × 0.8rem (16 px) up to 1219 px, then at most about 720 px.
STORY_SIZES = "(max-width: 1219px) calc(100vw - 32px), 720px"
# Gallery cards: one column on a phone, two on a tablet, two beside the sidebars on a desktop.
GALLERY_SIZES = (
    "(max-width: 599px) calc(100vw - 32px), (max-width: 1219px) calc(50vw - 40px), 340px"
)
# Story cards' thumbnails: a fixed box (docs/assets/site.css .hp-card__thumb), the photo
# fitted to its width and cropped to the box by CSS, so DPR 2 picks the 320 variant.
THUMBNAIL_SIZES = "7rem"

PICTURE_TEMPLATE = "partials/media-picture.html"
STORY_MEDIA_TEMPLATE = "partials/media-story.html"


class LoadOrder:
    """Which image of a page loads at once, with high priority: the one the view names as the
    first a reader sees, or, when it names none, the first one rendered. Every other image
    loads lazily. A pair's "after" photo is the one its slider shows whole, while its "before"
    photo comes first in the markup, so the view has to say."""

    def __init__(self, first: ImageAsset | None = None) -> None:
        self.first = first
        self.claimed = False

    def claim(self, image: ImageAsset) -> bool:
        if self.claimed or (self.first is not None and image != self.first):
            return False
        self.claimed = True
        return True


@dataclass(frozen=True)
class PairView:
    """One before-and-after pair with its derived images, as the pair partial shows it."""

    story: Story
    index: int
    pair: Pair
    before: ImageAsset
    after: ImageAsset

    @property
    def anchor(self) -> str:
        return f"pair-{self.index + 1}"


def first_seen(story: Story, assets: StoryAssets) -> ImageAsset | None:
    """The image a reader sees first on a story's page: the cover, above everything, else the
    first pair's "after" photo; None when neither (then the first body image)."""
    cover = assets.get("cover")
    if isinstance(cover, ImageAsset):
        return cover
    pairs = story_pairs(story, assets)
    return pairs[0].after if pairs else None


def story_pairs(story: Story, assets: StoryAssets) -> list[PairView]:
    """The story's pairs whose two images were both derived."""
    views = []
    for index, pair in enumerate(story.pairs):
        before, after = assets.pair_images(index)
        if before is not None and after is not None:
            views.append(PairView(story, index, pair, before, after))
    return views


def render_story_media(
    env: Environment, story: Story, assets: StoryAssets, base_url: str, order: LoadOrder
) -> Markup:
    """Cover, videos, audio and pairs of a story page."""
    if story.media is None or not story.media.refs:
        return escape("")
    return safehtml.render(
        env,
        STORY_MEDIA_TEMPLATE,
        story=story,
        media=assets,
        pairs=story_pairs(story, assets),
        base_url=base_url,
        order=order,
        sizes=STORY_SIZES,
    )


# -- body images ---------------------------------------------------------------------------


def rewrite_body_markdown(markdown: str, story_assets: StoryAssets) -> str:
    """Point each body image at its derived JPEG (relative to the story's index.md)."""
    assets = story_assets.body_images()
    if not assets:
        return markdown

    def swap(match: re.Match[str]) -> str:
        asset = assets.get(match.group(1))
        if asset is None:
            return match.group(0)
        start, end = match.span(1)
        offset = match.start()
        text = match.group(0)
        target = f"../../{asset.fallback.url}"
        return text[: start - offset] + target + text[end - offset :]

    for pattern in (_MARKDOWN_IMAGE, _HTML_IMAGE):
        markdown = pattern.sub(swap, markdown)
    return markdown


_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs = {name: value or "" for name, value in attrs}

    handle_startendtag = handle_starttag


def _attributes(tag: str) -> dict[str, str]:
    parser = _Attributes()
    parser.feed(tag)
    parser.close()
    return parser.attrs


def rewrite_body_html(
    html: Markup, story_assets: StoryAssets, env: Environment, base_url: str, order: LoadOrder
) -> Markup:
    """Every body `<img>` of a derived image becomes a `<picture>` (alt from the Markdown).

    `html` is the sanitized body: its `<img>` tags are as the sanitizer wrote them.
    """
    assets = story_assets.body_images()
    if not assets:
        return html
    by_fallback = {asset.fallback.url.rsplit("/", 1)[-1]: asset for asset in assets.values()}

    def swap(tag: Markup) -> Markup | None:
        attrs = _attributes(tag)
        name = attrs.get("src", "").rsplit("/", 1)[-1]
        asset = by_fallback.get(name)
        if asset is None:
            return None
        alt = attrs.get("alt") or attrs.get("title") or ""
        return safehtml.render(
            env,
            PICTURE_TEMPLATE,
            image=asset,
            alt=alt,
            sizes=STORY_SIZES,
            base_url=base_url,
            order=order,
            class_name="hp-picture--body",
        )

    return safehtml.replace_each(html, _IMG_TAG, swap)
