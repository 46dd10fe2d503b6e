"""Henan's city- and county-level divisions (as of the 2021 campaign) and their URL slugs."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).parent / "data" / "henan-divisions.yml"


@dataclass(frozen=True)
class County:
    name: str
    slug: str
    city: str


@dataclass(frozen=True)
class City:
    name: str
    slug: str
    counties: dict[str, County] = field(hash=False, compare=False)


@dataclass(frozen=True)
class CountyMatch:
    """The county a contributor's name refers to; `renamed_from` is set for an old name."""

    county: County
    renamed_from: str | None = None


class Gazetteer:
    def __init__(self, cities: list[City], renamed: dict[tuple[str, str], str]) -> None:
        self.cities: dict[str, City] = {c.name: c for c in cities}
        self.cities_by_slug: dict[str, City] = {c.slug: c for c in cities}
        self._renamed = renamed

    def city(self, name: str) -> City | None:
        return self.cities.get(name)

    def county(self, city_name: str, county_name: str) -> CountyMatch | None:
        city = self.cities.get(city_name)
        if city is None:
            return None
        if county_name in city.counties:
            return CountyMatch(city.counties[county_name])
        current = self._renamed.get((city_name, county_name))
        if current is not None:
            return CountyMatch(city.counties[current], renamed_from=county_name)
        return None

    def city_holding_county(self, county_name: str) -> list[City]:
        """Cities that have a county of this name: used to suggest the right city."""
        return [c for c in self.cities.values() if county_name in c.counties]


@cache
def load_gazetteer(path: Path = DATA_FILE) -> Gazetteer:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cities = []
    for entry in data["cities"]:
        counties = {
            c["name"]: County(name=c["name"], slug=c["slug"], city=entry["name"])
            for c in entry["counties"]
        }
        cities.append(City(name=entry["name"], slug=entry["slug"], counties=counties))
    renamed = {(r["city"], r["old"]): r["new"] for r in data.get("renamed", [])}
    return Gazetteer(cities, renamed)
