"""Henan's city- and county-level divisions (as of the 2021 campaign) and their URL slugs."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).parent / "data" / "henan-divisions.yml"

# How an old name became the current one, as the hint tells the contributor.
RENAMED = "已更名为"
MERGED = "已并入"
ALIAS = "在本站统一写作"


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
class OldName:
    """A name contributors still write (偃师市, 金明区, 济源市) and what it stands for now."""

    old: str
    new: str
    change: str  # RENAMED, MERGED or ALIAS

    def hint(self) -> str:
        return f"“{self.old}”{self.change}“{self.new}”，按新名称归类；方便时请改成新名称"


@dataclass(frozen=True)
class CityMatch:
    """The city a contributor's name refers to; `old_name` is set for an old name."""

    city: City
    old_name: OldName | None = None


@dataclass(frozen=True)
class CountyMatch:
    """The county a contributor's name refers to; `old_name` is set for an old name."""

    county: County
    old_name: OldName | None = None


class Gazetteer:
    def __init__(
        self,
        cities: list[City],
        old_counties: dict[tuple[str, str], OldName],
        old_cities: dict[str, OldName] | None = None,
    ) -> None:
        self.cities: dict[str, City] = {c.name: c for c in cities}
        self.cities_by_slug: dict[str, City] = {c.slug: c for c in cities}
        self._old_counties = old_counties
        self._old_cities = old_cities or {}

    def city(self, name: str) -> City | None:
        return self.cities.get(name)

    def city_match(self, name: str) -> CityMatch | None:
        """The city of a current or an old name (济源市 → 济源示范区)."""
        if name in self.cities:
            return CityMatch(self.cities[name])
        old = self._old_cities.get(name)
        return CityMatch(self.cities[old.new], old) if old is not None else None

    def county(self, city_name: str, county_name: str) -> CountyMatch | None:
        city = self.cities.get(city_name)
        if city is None:
            return None
        if county_name in city.counties:
            return CountyMatch(city.counties[county_name])
        old = self._old_counties.get((city_name, county_name))
        if old is None:
            # A city that is its own county (济源示范区) takes the city's old name there too.
            alias = self._old_cities.get(county_name)
            if alias is not None and alias.new == city_name and city_name in city.counties:
                old = alias
        if old is not None:
            return CountyMatch(city.counties[old.new], old)
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
    old_counties = {
        (r["city"], r["old"]): OldName(r["old"], r["new"], change)
        for key, change in (("renamed", RENAMED), ("merged", MERGED))
        for r in data.get(key, [])
    }
    old_cities = {
        r["old"]: OldName(r["old"], r["new"], ALIAS) for r in data.get("city_aliases", [])
    }
    return Gazetteer(cities, old_counties, old_cities)
