"""The villages as the index, city and county pages group them: every city of the gazetteer,
its counties that have villages (in the gazetteer's order), each village as a card, with the
counts the pages print."""

from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..catalog import Catalog
from ..gazetteer import Gazetteer
from ..villages.records import Village


@dataclass(frozen=True)
class VillageCard:
    """A village in a list: its name and link, where it is, and what there is to read."""

    name: str
    url: str
    township: str | None
    story_count: int
    exit_year: int | None
    pending: bool  # no profile yet: 资料待补充
    sample: bool

    @classmethod
    def of(cls, village: Village, story_count: int) -> VillageCard:
        profile = village.profile
        return cls(
            name=village.name,
            url=village.url,
            township=village.township,
            story_count=story_count,
            exit_year=profile.exit_year if profile is not None else None,
            pending=profile is None,
            sample=village.sample,
        )


@dataclass(frozen=True)
class CountyGroup:
    name: str
    slug: str  # its section's anchor on the city page
    url: str  # its own page: where a reader lands who trims a village URL
    villages: tuple[VillageCard, ...]  # by slug: stable, and close to pinyin order
    story_count: int  # of all its villages

    @property
    def village_count(self) -> int:
        return len(self.villages)


@dataclass(frozen=True)
class CityGroup:
    name: str
    slug: str
    url: str  # its villages' page
    stories_url: str  # its stories' listing
    counties: tuple[CountyGroup, ...]  # in the gazetteer's order, only those with villages

    @property
    def village_count(self) -> int:
        return sum(county.village_count for county in self.counties)

    @property
    def story_count(self) -> int:
        return sum(county.story_count for county in self.counties)


@dataclass(frozen=True)
class VillageDirectory:
    """Every city of the gazetteer, so each city's page exists from the start."""

    cities: tuple[CityGroup, ...]

    @property
    def with_villages(self) -> tuple[CityGroup, ...]:
        return tuple(city for city in self.cities if city.counties)

    @property
    def without_villages(self) -> tuple[CityGroup, ...]:
        return tuple(city for city in self.cities if not city.counties)

    @property
    def village_count(self) -> int:
        return sum(city.village_count for city in self.cities)

    @property
    def story_count(self) -> int:
        return sum(city.story_count for city in self.cities)


def village_directory(catalog: Catalog, gazetteer: Gazetteer) -> VillageDirectory:
    by_county: dict[tuple[str, str], list[Village]] = {}
    for village in catalog.villages.values():  # by city, county and village slug
        by_county.setdefault((village.city, village.county), []).append(village)
    cities = []
    for city in gazetteer.cities.values():
        counties = []
        for county in city.counties.values():
            cards = tuple(
                VillageCard.of(village, len(catalog.stories_of(village)))
                for village in by_county.get((city.name, county.name), ())
            )
            if cards:
                counties.append(
                    CountyGroup(
                        name=county.name,
                        slug=county.slug,
                        url=urls.county_villages(city.slug, county.slug),
                        villages=cards,
                        story_count=sum(card.story_count for card in cards),
                    )
                )
        cities.append(
            CityGroup(
                name=city.name,
                slug=city.slug,
                url=urls.city_villages(city.slug),
                stories_url=urls.city_stories(city.slug),
                counties=tuple(counties),
            )
        )
    return VillageDirectory(tuple(cities))
