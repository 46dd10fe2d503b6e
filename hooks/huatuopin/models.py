"""The typed records of a story, and the places every record shares.

Validation makes a `CheckedStory` of each story folder that is valid on its own; resolution
makes it a `Story`, which also holds its `Village`. Records are frozen and hold tuples: once
the Catalog exists nothing changes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, NamedTuple

from . import urls

if TYPE_CHECKING:
    from .media.records import StoryMedia
    from .villages.records import Village


class VillageKey(NamedTuple):
    """What identifies a village: city, county and village, named as in the gazetteer."""

    city: str
    county: str
    village: str


@dataclass(frozen=True)
class Area:
    """A county-level division of a city: where a talk is, and a place above its village."""

    city: str
    county: str
    city_slug: str
    county_slug: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.city, self.county)

    @property
    def trail(self) -> list[str]:
        """市 › 县, leaving out a county that is its city (济源示范区 has none)."""
        return [self.city] if self.county == self.city else [self.city, self.county]


@dataclass(frozen=True)
class Place:
    """A village in its area, with the township when it is known."""

    area: Area
    village: str
    township: str | None = None

    @property
    def city(self) -> str:
        return self.area.city

    @property
    def county(self) -> str:
        return self.area.county

    @property
    def city_slug(self) -> str:
        return self.area.city_slug

    @property
    def county_slug(self) -> str:
        return self.area.county_slug

    @property
    def key(self) -> VillageKey:
        """A place is identified by city, county and village."""
        return VillageKey(self.city, self.county, self.village)

    @property
    def trail(self) -> list[str]:
        """市 › 县 › 乡镇 › 村, leaving out what is not given (济源示范区 has no county)."""
        parts = self.area.trail
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


@dataclass(frozen=True)
class Correction:
    """A dated 更正 note shown at the end of a published story (`corrections:`)."""

    date: dt.date
    note: str  # one line, plain text
    line: int  # where it is written, for problems


@dataclass(frozen=True)
class Withdrawal:
    """A story taken down (`withdrawn:` in its front-matter): its URL answers a short notice
    with HTTP 410, and nothing else of it is published. The reason is for the maintainers'
    record (the log page, the build and deploy output), never shown to readers."""

    folder: str
    source_path: str
    date: dt.date
    reason: str  # one line
    line: int  # where `withdrawn:` is written

    @property
    def url(self) -> str:
        return urls.story(self.folder)


@dataclass(frozen=True)
class Redirect:
    """An old story URL that now lives at another one (redirects.yml): a static redirect page
    at the old URL, and a 301 in the nginx configuration."""

    old: str  # site-relative story URL, `stories/<old-folder>/`
    new: str  # site-relative story URL of a published story
    source_path: str  # the file that says so, for problems
    line: int


@dataclass(frozen=True, eq=False)
class CheckedStory:
    """A story folder whose own fields and media are valid; its village is not linked yet."""

    folder: str  # the permanent URL part: YYYY-MM-DD-slug
    source_path: str  # relative to the project root, for problems
    src_uri: str  # relative to docs/, as MkDocs names the file
    title: str
    date: dt.date
    activity: str
    place: Place
    form: str
    authors: tuple[Author, ...]
    summary: str
    cover: str | None = None
    pairs: tuple[Pair, ...] = ()
    videos: tuple[Video, ...] = ()
    audios: tuple[Audio, ...] = ()
    body_images: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    consent: bool = False
    draft: bool = False
    sample: bool = False
    village_line: int = 1  # where `village` is written, for problems about the village
    corrections: tuple[Correction, ...] = ()  # oldest first
    # media.records.StoryMedia: the media files with their field lines and what their probe
    # found. None for a story checked without its media.
    media: StoryMedia | None = None

    @property
    def url(self) -> str:
        """Site-relative URL, no leading slash."""
        return urls.story(self.folder)

    @property
    def sort_key(self) -> tuple[dt.date, str]:
        return (self.date, self.folder)


@dataclass(frozen=True, eq=False, kw_only=True)
class Story(CheckedStory):
    """A published story: a checked story with its village."""

    village: Village

    @classmethod
    def of(cls, checked: CheckedStory, village: Village) -> Story:
        values = {f.name: getattr(checked, f.name) for f in fields(CheckedStory)}
        return cls(**values, village=village)
