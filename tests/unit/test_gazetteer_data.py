"""Checks on the hand-written gazetteer of Henan's divisions (2021 campaign period).

The data file is read directly with ``yaml.safe_load``; the expected table below is
written out by hand so that a missing or extra county-level division fails loudly.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

DATA_FILE = (
    Path(__file__).resolve().parents[2] / "hooks" / "huatuopin" / "data" / "henan-divisions.yml"
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# City-level division -> its county-level divisions (市辖区, 县级市, 县),
# as they stood in January–July 2021.
EXPECTED_DIVISIONS: dict[str, set[str]] = {
    "郑州市": {
        "中原区", "二七区", "管城回族区", "金水区", "上街区", "惠济区",
        "中牟县", "巩义市", "荥阳市", "新密市", "新郑市", "登封市",
    },
    "开封市": {
        "龙亭区", "顺河回族区", "鼓楼区", "禹王台区", "祥符区",
        "杞县", "通许县", "尉氏县", "兰考县",
    },
    "洛阳市": {
        "老城区", "西工区", "瀍河回族区", "涧西区", "偃师区", "孟津区", "洛龙区",
        "新安县", "栾川县", "嵩县", "汝阳县", "宜阳县", "洛宁县", "伊川县",
    },
    "平顶山市": {
        "新华区", "卫东区", "石龙区", "湛河区",
        "宝丰县", "叶县", "鲁山县", "郏县", "舞钢市", "汝州市",
    },
    "安阳市": {
        "文峰区", "北关区", "殷都区", "龙安区",
        "安阳县", "汤阴县", "滑县", "内黄县", "林州市",
    },
    "鹤壁市": {"鹤山区", "山城区", "淇滨区", "浚县", "淇县"},
    "新乡市": {
        "红旗区", "卫滨区", "凤泉区", "牧野区",
        "新乡县", "获嘉县", "原阳县", "延津县", "封丘县",
        "卫辉市", "辉县市", "长垣市",
    },
    "焦作市": {
        "解放区", "中站区", "马村区", "山阳区",
        "修武县", "博爱县", "武陟县", "温县", "沁阳市", "孟州市",
    },
    "濮阳市": {"华龙区", "清丰县", "南乐县", "范县", "台前县", "濮阳县"},
    "许昌市": {"魏都区", "建安区", "鄢陵县", "襄城县", "禹州市", "长葛市"},
    "漯河市": {"源汇区", "郾城区", "召陵区", "舞阳县", "临颍县"},
    "三门峡市": {"湖滨区", "陕州区", "渑池县", "卢氏县", "义马市", "灵宝市"},
    "南阳市": {
        "宛城区", "卧龙区",
        "南召县", "方城县", "西峡县", "镇平县", "内乡县", "淅川县",
        "社旗县", "唐河县", "新野县", "桐柏县", "邓州市",
    },
    "商丘市": {
        "梁园区", "睢阳区",
        "民权县", "睢县", "宁陵县", "柘城县", "虞城县", "夏邑县", "永城市",
    },
    "信阳市": {
        "浉河区", "平桥区",
        "罗山县", "光山县", "新县", "商城县", "固始县", "潢川县", "淮滨县", "息县",
    },
    "周口市": {
        "川汇区", "淮阳区",
        "扶沟县", "西华县", "商水县", "沈丘县", "郸城县", "太康县", "鹿邑县", "项城市",
    },
    "驻马店市": {
        "驿城区",
        "西平县", "上蔡县", "平舆县", "正阳县", "确山县",
        "泌阳县", "汝南县", "遂平县", "新蔡县",
    },
    "济源示范区": {"济源示范区"},
}  # fmt: skip

EXPECTED_TOTAL = 157

SPOT_CHECKS: list[tuple[str, str | None, str]] = [
    ("开封市", None, "kaifeng"),
    ("开封市", "兰考县", "lankao"),
    ("鹤壁市", "浚县", "xunxian"),
    ("郑州市", None, "zhengzhou"),
    ("郑州市", "中牟县", "zhongmu"),
    ("洛阳市", "瀍河回族区", "chanhe"),
    ("平顶山市", "郏县", "jiaxian"),
    ("漯河市", "召陵区", "shaoling"),
    ("新乡市", "长垣市", "changyuan"),
    ("驻马店市", "泌阳县", "biyang"),
    ("济源示范区", None, "jiyuan"),
    ("济源示范区", "济源示范区", "jiyuan"),
]


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as fh:
        loaded = yaml.safe_load(fh)
    assert isinstance(loaded, dict), f"{DATA_FILE} must hold a mapping at the top level"
    return loaded


@pytest.fixture(scope="module")
def cities(data: dict[str, Any]) -> list[dict[str, Any]]:
    entries = data.get("cities")
    assert isinstance(entries, list), "`cities` must be a list"
    for entry in entries:
        assert isinstance(entry, dict), f"city entry must be a mapping, got {entry!r}"
        assert set(entry) == {"name", "slug", "counties"}, (
            f"city entry {entry.get('name')!r} must have exactly "
            f"name/slug/counties, got {sorted(entry)}"
        )
        assert isinstance(entry["counties"], list), f"{entry['name']}: `counties` must be a list"
        for county in entry["counties"]:
            assert isinstance(county, dict) and set(county) == {"name", "slug"}, (
                f"{entry['name']}: county entry must have exactly name/slug, got {county!r}"
            )
    return entries


@pytest.fixture(scope="module")
def by_name(cities: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {city["name"]: city for city in cities}


def county_names(city: dict[str, Any]) -> list[str]:
    return [county["name"] for county in city["counties"]]


def test_expected_table_is_consistent() -> None:
    assert len(EXPECTED_DIVISIONS) == 18
    total = sum(len(names) for names in EXPECTED_DIVISIONS.values())
    assert total == EXPECTED_TOTAL, f"expected table lists {total} divisions"


def test_exactly_the_eighteen_cities(cities: list[dict[str, Any]]) -> None:
    names = [city["name"] for city in cities]
    assert len(names) == 18, f"expected 18 city-level entries, got {len(names)}"
    assert len(set(names)) == len(names), f"duplicate city names: {names}"
    missing = set(EXPECTED_DIVISIONS) - set(names)
    extra = set(names) - set(EXPECTED_DIVISIONS)
    assert not missing, f"missing city-level divisions: {sorted(missing)}"
    assert not extra, f"unexpected city-level divisions: {sorted(extra)}"


@pytest.mark.parametrize("city_name", list(EXPECTED_DIVISIONS))
def test_county_divisions_are_complete(city_name: str, by_name: dict[str, dict[str, Any]]) -> None:
    assert city_name in by_name, f"city {city_name} is missing from the data file"
    names = county_names(by_name[city_name])
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert not duplicates, f"{city_name}: duplicate county-level divisions {duplicates}"
    expected = EXPECTED_DIVISIONS[city_name]
    missing = sorted(expected - set(names))
    extra = sorted(set(names) - expected)
    assert not missing and not extra, (
        f"{city_name}: missing county-level divisions {missing}, "
        f"unexpected county-level divisions {extra}"
    )


def test_total_county_divisions(cities: list[dict[str, Any]]) -> None:
    total = sum(len(city["counties"]) for city in cities)
    assert total == EXPECTED_TOTAL, f"expected {EXPECTED_TOTAL} county-level divisions, got {total}"


def test_city_slugs_are_valid_and_unique(cities: list[dict[str, Any]]) -> None:
    slugs = [city["slug"] for city in cities]
    for city in cities:
        assert isinstance(city["slug"], str) and SLUG_RE.match(city["slug"]), (
            f"{city['name']}: invalid city slug {city['slug']!r}"
        )
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    assert not duplicates, f"duplicate city slugs: {duplicates}"


def test_county_slugs_are_valid_and_unique_within_city(
    cities: list[dict[str, Any]],
) -> None:
    for city in cities:
        slugs = [county["slug"] for county in city["counties"]]
        for county in city["counties"]:
            assert isinstance(county["slug"], str) and SLUG_RE.match(county["slug"]), (
                f"{city['name']} {county['name']}: invalid slug {county['slug']!r}"
            )
        duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        assert not duplicates, f"{city['name']}: duplicate county slugs {duplicates}"


@pytest.mark.parametrize(("city_name", "county_name", "slug"), SPOT_CHECKS)
def test_slug_spot_checks(
    city_name: str,
    county_name: str | None,
    slug: str,
    by_name: dict[str, dict[str, Any]],
) -> None:
    city = by_name[city_name]
    if county_name is None:
        assert city["slug"] == slug, f"{city_name}: slug {city['slug']!r}, expected {slug!r}"
        return
    slugs = {county["name"]: county["slug"] for county in city["counties"]}
    assert slugs.get(county_name) == slug, (
        f"{city_name} {county_name}: slug {slugs.get(county_name)!r}, expected {slug!r}"
    )


@pytest.mark.parametrize("key", ["renamed", "merged"])
def test_old_county_entries(
    data: dict[str, Any], by_name: dict[str, dict[str, Any]], key: str
) -> None:
    entries = data.get(key)
    assert isinstance(entries, list) and entries, f"`{key}` must be a non-empty list"
    current_names = {name for city in by_name.values() for name in county_names(city)}
    for entry in entries:
        assert isinstance(entry, dict) and set(entry) == {"old", "new", "city"}, (
            f"{key} entry must have exactly old/new/city, got {entry!r}"
        )
        city_name, old, new = entry["city"], entry["old"], entry["new"]
        assert city_name in by_name, f"{key} {old}: unknown city {city_name}"
        assert new in county_names(by_name[city_name]), (
            f"{key} {old} -> {new}: {new} is not a current division of {city_name}"
        )
        assert old not in current_names, (
            f"{key} {old} -> {new}: {old} still appears as a current division"
        )


def test_old_county_names_are_listed_once(data: dict[str, Any]) -> None:
    keys = [(e["city"], e["old"]) for name in ("renamed", "merged") for e in data[name]]
    assert len(keys) == len(set(keys)), f"an old name is listed twice: {keys}"


def test_old_names_cover_the_changes_contributors_meet(data: dict[str, Any]) -> None:
    renamed = {(e["old"], e["new"], e["city"]) for e in data["renamed"]}
    merged = {(e["old"], e["new"], e["city"]) for e in data["merged"]}
    # 2021 in 洛阳市: two renamed, 吉利区 merged into 孟津区; 金明区 joined 龙亭区 in 2014.
    assert {("偃师市", "偃师区", "洛阳市"), ("孟津县", "孟津区", "洛阳市")} <= renamed
    assert {("吉利区", "孟津区", "洛阳市"), ("金明区", "龙亭区", "开封市")} <= merged


def test_city_aliases(data: dict[str, Any], by_name: dict[str, dict[str, Any]]) -> None:
    aliases = data.get("city_aliases")
    assert aliases == [{"old": "济源市", "new": "济源示范区"}]
    for entry in aliases:
        assert entry["new"] in by_name and entry["old"] not in by_name
