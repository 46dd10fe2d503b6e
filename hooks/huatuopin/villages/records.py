"""The village records: a profile as written, and a village with its page.

A village is identified by (city, county, village name). It has a page when it has a profile
(`docs/villages/<city-slug>/<county-slug>/<village-slug>.md`, whose path is the page's URL) or
when a story names it (the slug is then the pinyin of its name).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from .. import urls
from ..models import Pair, Place, Story
from ..vocab import ACTIVITIES, Activity

PlaceKey = tuple[str, str, str]  # (city, county, village), names as in the gazetteer


# -- records ---------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class YearMonth:
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class FirstSecretary:
    """驻村第一书记: `end` None means still serving."""

    name: str
    unit: str
    start: YearMonth
    end: YearMonth | None = None

    @property
    def serving(self) -> bool:
        return self.end is None


@dataclass(frozen=True)
class IncomeYear:
    year: int
    amount: float  # 万元


@dataclass
class VillageProfile:
    """A valid `docs/villages/<city>/<county>/<slug>.md`."""

    source_path: str  # relative to the project root, for problems
    src_uri: str  # relative to docs/, as MkDocs names the file
    slug: str
    name: str
    township: str
    city: str
    county: str
    city_slug: str
    county_slug: str
    exit_year: int | None = None
    households: int | None = None
    population: int | None = None
    industries: list[str] = field(default_factory=list)
    support_units: list[str] = field(default_factory=list)
    first_secretaries: list[FirstSecretary] = field(default_factory=list)  # earliest first
    income: list[IncomeYear] = field(default_factory=list)  # by year
    sample: bool = False

    @property
    def key(self) -> PlaceKey:
        return (self.city, self.county, self.name)


@dataclass
class Village:
    """One village's page: its profile when there is one, and every story that names it."""

    city: str
    county: str
    name: str
    city_slug: str
    county_slug: str
    slug: str
    township: str | None = None
    profile: VillageProfile | None = None
    stories: list[Story] = field(default_factory=list)  # newest first

    @property
    def key(self) -> PlaceKey:
        return (self.city, self.county, self.name)

    @property
    def url(self) -> str:
        """Site-relative URL, no leading slash (as `Story.url`)."""
        return urls.village(self.city_slug, self.county_slug, self.slug)

    @property
    def src_uri(self) -> str:
        """The profile file, or the generated page of a village known only from stories."""
        if self.profile is not None:
            return self.profile.src_uri
        return urls.source_of(self.url)

    @property
    def place(self) -> Place:
        return Place(
            city=self.city,
            county=self.county,
            township=self.township,
            village=self.name,
            city_slug=self.city_slug,
            county_slug=self.county_slug,
        )

    @property
    def sample(self) -> bool:
        return self.profile is not None and self.profile.sample

    @property
    def title(self) -> str:
        where = self.city if self.county == self.city else f"{self.city}{self.county}"
        return f"{self.name}（{where}）"

    def stories_by_activity(self) -> list[tuple[Activity, list[Story]]]:
        """The village's stories grouped by activity in campaign order, newest first in each."""
        groups: dict[str, list[Story]] = defaultdict(list)
        for story in self.stories:
            groups[story.activity].append(story)
        return [(a, groups[a.name]) for a in ACTIVITIES if a.name in groups]

    @property
    def pairs(self) -> list[tuple[Story, Pair]]:
        """Before-and-after pairs of the village's stories, newest story first."""
        return [(story, pair) for story in self.stories for pair in story.pairs]


class VillageMap(dict[PlaceKey, Village]):
    """Every village of the site, keyed by (city, county, village)."""

    @cached_property
    def _by_src_uri(self) -> dict[str, Village]:
        return {v.src_uri: v for v in self.values()}

    def for_src_uri(self, src_uri: str) -> Village | None:
        return self._by_src_uri.get(src_uri)

    def for_place(self, place: Place | PlaceKey) -> Village | None:
        key = place.key if isinstance(place, Place) else tuple(place)
        return self.get(key)  # type: ignore[arg-type]

    def profile_src_uris(self) -> set[str]:
        return {v.profile.src_uri for v in self.values() if v.profile is not None}

    def in_county(self, city: str, county: str) -> list[Village]:
        return [v for v in self.values() if v.city == city and v.county == county]

    def ordered(self) -> list[Village]:
        """In a stable order: by city and county slug, then village slug."""
        return sorted(self.values(), key=lambda v: (v.city_slug, v.county_slug, v.slug))
