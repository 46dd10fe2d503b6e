"""The typed records of the Catalog."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from . import urls


@dataclass(frozen=True)
class Place:
    city: str
    county: str
    township: str | None
    village: str
    city_slug: str
    county_slug: str

    @property
    def key(self) -> tuple[str, str, str]:
        """A place is identified by city, county and village."""
        return (self.city, self.county, self.village)

    @property
    def trail(self) -> list[str]:
        """市 › 县 › 乡镇 › 村, leaving out what is not given (济源示范区 has no county)."""
        parts = [self.city]
        if self.county != self.city:
            parts.append(self.county)
        if self.township:
            parts.append(self.township)
        parts.append(self.village)
        return parts


@dataclass(frozen=True)
class Author:
    name: str
    role: str
    org: str | None = None


@dataclass(frozen=True)
class Pair:
    before: str
    after: str
    before_year: int
    after_year: int
    theme: str
    caption: str


@dataclass(frozen=True)
class Video:
    file: str
    caption: str
    subtitles: str | None = None


@dataclass(frozen=True)
class Audio:
    file: str
    caption: str


@dataclass
class Story:
    folder: str  # the permanent URL part: YYYY-MM-DD-slug
    source_path: str  # relative to the project root, for problems
    src_uri: str  # relative to docs/, as MkDocs names the file
    title: str
    date: dt.date
    activity: str
    place: Place
    form: str
    authors: list[Author]
    summary: str
    cover: str | None = None
    pairs: list[Pair] = field(default_factory=list)
    videos: list[Video] = field(default_factory=list)
    audios: list[Audio] = field(default_factory=list)
    body_images: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    consent: bool = False
    draft: bool = False
    sample: bool = False
    village_line: int = 1  # where `village` is written, for problems about the village
    # media.records.StoryMedia: the media files with their field lines, probed; their derived
    # files once the build has made them. None for a story built without the media step.
    media: Any = None

    @property
    def url(self) -> str:
        """Site-relative URL, no leading slash."""
        return urls.story(self.folder)

    @property
    def sort_key(self) -> tuple[dt.date, str]:
        return (self.date, self.folder)
