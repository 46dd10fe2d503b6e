"""The media records: a story's references with their field lines, and the derived assets."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Kind = Literal["image", "video", "audio", "subtitles"]


class MediaError(Exception):
    """A file we cannot publish; the message is Chinese and says what to do.

    `transient` marks a failure of the machine rather than of the file (ffmpeg missing or
    stopped after its time limit): it is reported, but not remembered as a fact of the file.
    """

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient


@dataclass(frozen=True)
class Variant:
    """One derived image file: `media/<digest>-<width>.<ext>` under the site root."""

    url: str  # site-relative, no leading slash
    width: int
    height: int
    format: str  # "webp" | "jpeg"


@dataclass(frozen=True)
class ImageAsset:
    width: int  # of the largest variant, for the `width`/`height` attributes
    height: int
    variants: tuple[Variant, ...]  # every width, both formats, smallest first

    def of_format(self, fmt: str) -> list[Variant]:
        return [v for v in self.variants if v.format == fmt]

    @property
    def webp(self) -> list[Variant]:
        return self.of_format("webp")

    @property
    def jpeg(self) -> list[Variant]:
        return self.of_format("jpeg")

    @property
    def fallback(self) -> Variant:
        """The JPEG an old browser shows: the one nearest a phone's content column."""
        jpegs = self.jpeg
        fitting = [v for v in jpegs if v.width <= 1080]
        return fitting[-1] if fitting else jpegs[0]


def clock_text(seconds: float) -> str:
    """`3:05`, as a player shows a length: whole seconds, rounded before they are split, so
    59.6 s is 1:00, not 0:60."""
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


@dataclass(frozen=True)
class VideoAsset:
    url: str
    width: int
    height: int
    duration: float
    poster: str  # site-relative URL of a JPEG

    @property
    def duration_text(self) -> str:
        return clock_text(self.duration)


@dataclass(frozen=True)
class AudioAsset:
    url: str
    duration: float

    @property
    def duration_text(self) -> str:
        return clock_text(self.duration)


@dataclass(frozen=True)
class SubtitlesAsset:
    url: str


Asset = ImageAsset | VideoAsset | AudioAsset | SubtitlesAsset


@dataclass(frozen=True, eq=False)
class MediaRef:
    """One file a story uses, where the contributor named it, and what its probe found."""

    field: str  # `cover`, `pairs[0].before`, `videos[1].subtitles`, `正文`
    line: int
    kind: Kind
    name: str  # as written, relative to the story folder
    path: Path  # absolute
    sha256: str | None = None  # set by the probe
    facts: dict[str, Any] = field(default_factory=dict)  # what the probe found


@dataclass(frozen=True)
class StoryMedia:
    """Every media reference of one story, by field (body images by their name)."""

    refs: tuple[MediaRef, ...] = ()


@dataclass(frozen=True)
class StoryAssets:
    """The derived files of one story's media, by field (body images by their name too).

    Made by the media step after the Catalog is final (media.pipeline); a story built without
    that step has none, and its pages show the media as text only.
    """

    by_field: dict[tuple[str, str], Asset] = field(default_factory=dict)  # (field, name)

    def get(self, field_name: str) -> Asset | None:
        for (ref_field, _name), asset in self.by_field.items():
            if ref_field == field_name:
                return asset
        return None

    def body(self, name: str) -> ImageAsset | None:
        asset = self.by_field.get((BODY_FIELD, name))
        return asset if isinstance(asset, ImageAsset) else None

    def body_images(self) -> dict[str, ImageAsset]:
        return {
            name: asset
            for (ref_field, name), asset in self.by_field.items()
            if ref_field == BODY_FIELD and isinstance(asset, ImageAsset)
        }

    def pair_images(self, index: int) -> tuple[ImageAsset | None, ImageAsset | None]:
        before = self.get(f"pairs[{index}].before")
        after = self.get(f"pairs[{index}].after")
        return (
            before if isinstance(before, ImageAsset) else None,
            after if isinstance(after, ImageAsset) else None,
        )


BODY_FIELD = "正文"
