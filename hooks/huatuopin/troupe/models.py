"""The troupe's typed records: members, talks as checked and as published, and the Troupe that
holds and indexes the published ones."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, fields
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .. import urls
from ..media.records import MediaRef
from ..models import Area, VillageKey

if TYPE_CHECKING:
    from ..models import Story
    from ..villages.records import Village

TIME_ZONE_NAME = "Asia/Shanghai"
TIME_ZONE = ZoneInfo(TIME_ZONE_NAME)

# The contract's vocabularies (DESIGN.md, "Troupe"); the slugs are used in filters and CSS.
CATEGORIES: tuple[str, ...] = (
    "优秀扶贫干部",
    "驻村第一书记",
    "农村党支部书记",
    "脱贫励志典型",
    "文艺工作者",
)
TALK_FORMS: dict[str, str] = {
    "微宣讲": "weixuanjiang",
    "戏剧": "xiju",
    "歌曲": "gequ",
    "曲艺": "quyi",
    "其他": "qita",
}
PLANNED, HELD, CANCELLED = "计划", "已完成", "取消"
STATUSES: dict[str, str] = {PLANNED: "planned", HELD: "held", CANCELLED: "cancelled"}


@dataclass(frozen=True)
class Member:
    id: str  # lower-case ASCII, digits and hyphens; part of the member's URLs
    name: str
    category: str
    unit: str
    city: str
    city_slug: str
    bio: str
    source_path: str
    line: int
    # The photo as probed in validation (its hash keys the media cache), field `[i].photo`.
    photo_ref: MediaRef | None = None
    sample: bool = False
    # When what calendars show of the member (name, category, unit) took its current form;
    # None without git history (history.py).
    revised: dt.datetime | None = None

    @property
    def url(self) -> str:
        """Site-relative URL of the member's page, no leading slash."""
        return urls.member(self.id)

    @property
    def photo(self) -> str | None:
        """The photo as members.yml names it, relative to docs/troupe/."""
        return self.photo_ref.name if self.photo_ref else None


@dataclass(frozen=True, eq=False)
class CheckedTalk:
    """A talk whose own fields are valid: members, village and stories named, not linked."""

    id: str  # stable, lower-case ASCII: UIDs and GUIDs are derived from it
    source_path: str  # relative to the project root
    index: int  # position in its file: fields are named `[index].field`
    line: int  # the line of the list item
    field_lines: dict[str, int]  # `speakers[1]` → line, for problems between two talks
    date: dt.date
    start: dt.time
    end: dt.time
    area: Area
    village_name: str | None  # as written; a known village (checked when resolved)
    venue: str
    speaker_ids: tuple[str, ...]  # ids of members.yml
    title: str
    form: str
    status: str
    story_folders: tuple[str, ...] = ()  # only on a held talk
    sample: bool = False
    # When the talk, or the title of a story it names, took its current form; None without
    # git history (history.py).
    revised: dt.datetime | None = None

    # -- time ------------------------------------------------------------------------------

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start, TIME_ZONE)

    @property
    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end, TIME_ZONE)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def time_range(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def sort_key(self) -> tuple[dt.date, dt.time, dt.time, str]:
        return (self.date, self.start, self.end, self.id)

    # -- status ----------------------------------------------------------------------------

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def held(self) -> bool:
        return self.status == HELD

    @property
    def status_slug(self) -> str:
        return STATUSES[self.status]

    @property
    def form_slug(self) -> str:
        return TALK_FORMS[self.form]

    # -- place -----------------------------------------------------------------------------

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
    def county_key(self) -> tuple[str, str]:
        return self.area.key

    @property
    def village_key(self) -> VillageKey | None:
        """The village the talk names, as the Catalog identifies villages; None without one."""
        if self.village_name is None:
            return None
        return VillageKey(self.city, self.county, self.village_name)

    @property
    def venue_key(self) -> tuple[str, str, str | None, str]:
        """Two talks are at the same venue when city, county, village and venue are equal."""
        return (self.city, self.county, self.village_name, self.venue)

    @property
    def trail(self) -> list[str]:
        """市 › 县 › 村 (济源示范区 has no county; a talk need not name a village)."""
        parts = self.area.trail
        if self.village_name:
            parts.append(self.village_name)
        return parts

    @property
    def location(self) -> str:
        """One line for calendars: 河南省开封市兰考县张庄村 村委会广场."""
        return "河南省" + "".join(self.trail) + " " + self.venue

    @property
    def anchor(self) -> str:
        return f"t-{self.id}"

    # -- places in the source, for problems ------------------------------------------------

    def field_name(self, key: str) -> str:
        return f"[{self.index}].{key}"

    @property
    def position(self) -> str:
        """Its place in its file as people count, for messages: the field path's `[4]` is
        “第 5 场”."""
        return f"第 {self.index + 1} 场"

    def line_of(self, key: str) -> int:
        return self.field_lines.get(key, self.line)

    def where(self, key: str) -> str:
        """`path:line` of one of the talk's fields, as a problem names a second place."""
        return f"{self.source_path}:{self.line_of(key)}"


@dataclass(frozen=True, eq=False, kw_only=True)
class Talk(CheckedTalk):
    """A published talk: its members, village and stories linked, each one published."""

    speakers: tuple[Member, ...]
    village: Village | None
    stories: tuple[Story, ...]

    @classmethod
    def of(
        cls,
        checked: CheckedTalk,
        speakers: tuple[Member, ...],
        village: Village | None,
        stories: tuple[Story, ...],
    ) -> Talk:
        values = {f.name: getattr(checked, f.name) for f in fields(CheckedTalk)}
        return cls(**values, speakers=speakers, village=village, stories=stories)

    @property
    def changed_at(self) -> dt.datetime | None:
        """When anything a calendar shows of the talk last changed: its own fields, its
        stories' titles, its speakers' names, categories and units. None: no history."""
        moments = [m for m in (self.revised, *(s.revised for s in self.speakers)) if m]
        return max(moments) if moments else None


@dataclass(frozen=True, eq=False)
class Troupe:
    members: tuple[Member, ...] = ()  # in file order
    talks: tuple[Talk, ...] = ()  # by date and time

    @cached_property
    def _by_member(self) -> dict[str, list[Talk]]:
        groups: dict[str, list[Talk]] = defaultdict(list)
        for talk in self.talks:
            for speaker in talk.speakers:
                groups[speaker.id].append(talk)
        return groups

    @cached_property
    def _by_city(self) -> dict[str, list[Talk]]:
        groups: dict[str, list[Talk]] = defaultdict(list)
        for talk in self.talks:
            groups[talk.city_slug].append(talk)
        return groups

    @cached_property
    def _by_village(self) -> dict[VillageKey, list[Talk]]:
        groups: dict[VillageKey, list[Talk]] = defaultdict(list)
        for talk in self.talks:
            if talk.village is not None:
                groups[talk.village.key].append(talk)
        return groups

    def talks_of_member(self, member_id: str) -> list[Talk]:
        return self._by_member.get(member_id, [])

    def talks_in_city(self, city_slug: str) -> list[Talk]:
        return self._by_city.get(city_slug, [])

    def talks_at(self, village_key: tuple[str, str, str]) -> list[Talk]:
        """Talks held or planned in one village (city, county, village): for village pages."""
        return self._by_village.get(village_key, [])  # type: ignore[call-overload]
