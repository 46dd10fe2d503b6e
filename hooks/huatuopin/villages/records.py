"""The village records: a profile as written, and a village with its page.

A village is identified by (city, county, village name). It has a page when it has a profile
(`docs/villages/<city-slug>/<county-slug>/<village-slug>.md`, whose path is the page's URL) or
when a story names it (the slug is then the pinyin of its name). A village does not hold its
stories: each story holds its village, and the Catalog finds a village's stories.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .. import urls
from ..models import Place, VillageKey

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


@dataclass(frozen=True)
class RejectedPlace:
    """The place of a story rejected for its own mistakes: its village is checked too, so the
    contributor hears about it now rather than on the next try."""

    source_path: str
    line: int  # of `village`
    place: Place


@dataclass(frozen=True, eq=False)
class VillageProfile:
    """A valid `docs/villages/<city>/<county>/<slug>.md`."""

    source_path: str  # relative to the project root, for problems
    src_uri: str  # relative to docs/, as MkDocs names the file
    place: Place  # the township is required in a profile
    slug: str
    name_line: int = 1  # where `name` is written, for problems between two profiles
    exit_year: int | None = None
    households: int | None = None
    population: int | None = None
    industries: tuple[str, ...] = ()
    support_units: tuple[str, ...] = ()
    first_secretaries: tuple[FirstSecretary, ...] = ()  # earliest first
    income: tuple[IncomeYear, ...] = ()  # by year
    sample: bool = False

    @property
    def key(self) -> VillageKey:
        return self.place.key

    @property
    def name(self) -> str:
        return self.place.village


@dataclass(frozen=True, eq=False)
class Village:
    """One village's page: a village with a profile, or one that published stories name."""

    place: Place
    slug: str
    profile: VillageProfile | None = None

    @property
    def key(self) -> VillageKey:
        return self.place.key

    @property
    def name(self) -> str:
        return self.place.village

    @property
    def city(self) -> str:
        return self.place.city

    @property
    def county(self) -> str:
        return self.place.county

    @property
    def city_slug(self) -> str:
        return self.place.city_slug

    @property
    def county_slug(self) -> str:
        return self.place.county_slug

    @property
    def township(self) -> str | None:
        return self.place.township

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
    def sample(self) -> bool:
        return self.profile is not None and self.profile.sample

    @property
    def title(self) -> str:
        where = self.city if self.county == self.city else f"{self.city}{self.county}"
        return f"{self.name}（{where}）"


@dataclass(frozen=True, eq=False)
class Villages(Mapping[VillageKey, Village]):
    """Every village of the site by its key, in a stable order: by city and county slug, then
    village slug."""

    by_key: dict[VillageKey, Village] = field(default_factory=dict)

    @classmethod
    def of(cls, villages: list[Village]) -> Villages:
        ordered = sorted(villages, key=lambda v: (v.city_slug, v.county_slug, v.slug))
        return cls({village.key: village for village in ordered})

    def __getitem__(self, key: tuple[str, str, str]) -> Village:
        return self.by_key[key]  # type: ignore[index]  # a plain tuple finds a VillageKey

    def __iter__(self) -> Iterator[VillageKey]:
        return iter(self.by_key)

    def __len__(self) -> int:
        return len(self.by_key)

    @cached_property
    def _by_src_uri(self) -> dict[str, Village]:
        return {v.src_uri: v for v in self.by_key.values()}

    def for_src_uri(self, src_uri: str) -> Village | None:
        return self._by_src_uri.get(src_uri)

    def profile_src_uris(self) -> set[str]:
        return {v.profile.src_uri for v in self.by_key.values() if v.profile is not None}
