"""Village names as the province writes them: which near misses are typos, which new villages.

A county has 张庄村, 李庄村, 王庄村 and 刘庄村 side by side, so a story naming a village one
character away from a profiled one is refused only where the name looks like a typo (the same
name with or without 村, the same pinyin and so the same web address, a look-alike character);
any other is a new village, published with a hint. Each test writes profiles and stories into
`tmp_path` and builds the Catalog as the build and `make check` do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import storykit
from huatuopin.catalog import Catalog, build_catalog
from huatuopin.models import Area, Place
from huatuopin.problems import Problem
from huatuopin.settings import CampaignSettings
from huatuopin.villages import names, resolve
from huatuopin.villages.names import CountyNames, Resemblance
from huatuopin.villages.records import VillageProfile
from huatuopin.villages.slugs import pinyin_slug

CITY, COUNTY, CITY_SLUG, COUNTY_SLUG = "焦作市", "修武县", "jiaozuo", "xiuwu"
FOLDER = f"docs/villages/{CITY_SLUG}/{COUNTY_SLUG}/"


def write_profile(root: Path, name: str, slug: str, county: str = COUNTY) -> str:
    """A minimal valid profile of `name` in 焦作市 at `<county>/<slug>.md`; its path."""
    county_slug = {"修武县": COUNTY_SLUG, "博爱县": "boai"}[county]
    data = {"name": name, "township": "七贤镇", "county": county, "city": CITY}
    path = root / "docs" / "villages" / CITY_SLUG / county_slug / f"{slug}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(storykit.render(data, f"## 村情\n\n{name}在太行山下。\n"), "utf-8")
    return path.relative_to(root).as_posix()


def write_story(root: Path, folder: str, village: str, **overrides: Any) -> storykit.WrittenStory:
    fields = {"city": CITY, "county": COUNTY, "township": "七贤镇", "village": village}
    return storykit.write_story(root, {**fields, **overrides}, folder=folder)


def catalog(root: Path) -> Catalog:
    return build_catalog(root, root / "docs", CampaignSettings(), include_drafts=False)


def only_problem(result: Catalog) -> Problem:
    assert len(result.problems) == 1, storykit.problems_text(list(result.problems))
    return result.problems[0]


def village_hints(result: Catalog) -> list[str]:
    return [hint for hint in result.hints if ": village: " in hint]


def assert_published(result: Catalog, story: storykit.WrittenStory, village: str) -> None:
    assert result.problems == (), storykit.problems_text(list(result.problems))
    assert [s.source_path for s in result.stories] == [story.rel]
    page = result.villages[(CITY, COUNTY, village)]
    assert page.profile is None and page.url == f"villages/{CITY_SLUG}/{COUNTY_SLUG}/{page.slug}/"


# -- a different character is a different village --------------------------------------------


def test_a_new_village_beside_a_similar_profiled_one_is_published_with_a_hint(
    tmp_path: Path,
) -> None:
    write_profile(tmp_path, "岸上村", "anshang")
    story = write_story(tmp_path, "2021-03-12-longshang", "龙上村")
    result = catalog(tmp_path)
    assert_published(result, story, "龙上村")
    assert result.villages[(CITY, COUNTY, "龙上村")].url.endswith("/longshang/")
    assert village_hints(result) == [
        f"{story.rel}:{story.line('village:')}: village: "
        "修武县的“龙上村”还没有村庄资料，按新村庄发布（本县已有“岸上村”）；"
        "如果是写错了村名，请改成已有的村名"
    ]


def test_another_surname_in_a_patterned_name_is_another_village(tmp_path: Path) -> None:
    for name, slug in [
        ("李庄村", "lizhuang"),
        ("王庄村", "wangzhuang"),
        ("刘庄村", "liuzhuang"),
        ("赵庄村", "zhaozhuang"),
    ]:
        write_profile(tmp_path, name, slug)
    story = write_story(tmp_path, "2021-03-12-zhangzhuang", "张庄村")
    result = catalog(tmp_path)
    assert_published(result, story, "张庄村")
    (hint,) = village_hints(result)
    # At most three names, then how many: a county can have dozens of such villages.
    assert "（本县已有“刘庄村”、“李庄村”、“王庄村”等 4 个村）" in hint


def test_the_hint_is_given_once_per_village_at_its_first_story(tmp_path: Path) -> None:
    write_profile(tmp_path, "岸上村", "anshang")
    first = write_story(tmp_path, "2021-03-12-longshang", "龙上村")
    write_story(tmp_path, "2021-04-01-longshang", "龙上村")
    result = catalog(tmp_path)
    assert result.problems == ()
    assert len(result.stories) == 2
    assert [hint.split(": ", 1)[0] for hint in village_hints(result)] == [
        f"{first.rel}:{first.line('village:')}"
    ]


def test_a_story_rejected_for_other_mistakes_is_not_told_a_new_village_is_a_typo(
    tmp_path: Path,
) -> None:
    write_profile(tmp_path, "岸上村", "anshang")
    story = write_story(tmp_path, "2021-03-12-longshang", "龙上村", activity="回乡看")
    problem = only_problem(catalog(tmp_path))
    assert (problem.path, problem.field) == (story.rel, "activity")


def test_similar_names_in_another_county_are_not_compared(tmp_path: Path) -> None:
    write_profile(tmp_path, "杨庄村", "yangzhuang", county="博爱县")
    story = write_story(tmp_path, "2021-03-12-yangzhuang", "扬庄村")
    result = catalog(tmp_path)
    assert_published(result, story, "扬庄村")
    assert village_hints(result) == []


# -- typos: refused with the guess -----------------------------------------------------------


@pytest.mark.parametrize(
    ("profiled", "slug", "written"),
    [
        ("杨庄村", "yangzhuang", "扬庄村"),
        ("田铺大塆", "tianpudawan", "田铺大湾"),
        ("圪垱村", "gedang", "疙垱村"),
        ("裴寨村", "peizhai", "裴塞村"),  # not a homophone: only the look-alike table knows
        ("李洼村", "liwa", "李注村"),
    ],
)
def test_a_look_alike_character_asks_did_you_mean(
    tmp_path: Path, profiled: str, slug: str, written: str
) -> None:
    profile = write_profile(tmp_path, profiled, slug)
    story = write_story(tmp_path, "2021-03-12-a", written)
    result = catalog(tmp_path)
    problem = only_problem(result)
    assert (problem.path, problem.line, problem.field) == (
        story.rel,
        story.line("village:"),
        "village",
    )
    assert f"修武县没有叫“{written}”的村庄资料；是不是想写“{profiled}”？" in problem.message
    assert f"请在 {FOLDER} 为“{written}”建一份村庄资料" in problem.message
    assert problem.involves == (profile,)
    assert result.stories == ()


def test_a_look_alike_is_a_typo_even_where_the_profile_has_a_web_address_of_its_own(
    tmp_path: Path,
) -> None:
    write_profile(tmp_path, "杨庄村", "yangzhuang-xi")
    write_story(tmp_path, "2021-03-12-a", "扬庄村")
    assert "是不是想写“杨庄村”？" in only_problem(catalog(tmp_path)).message


@pytest.mark.parametrize(
    ("profiled", "slug", "written"),
    [
        ("李庄村", "lizhuang", "李庄"),
        ("李庄", "lizhuang", "李庄村"),
        ("李庄村", "lizhuang-x", "李庄"),
    ],
)
def test_the_same_name_with_or_without_cun_asks_did_you_mean(
    tmp_path: Path, profiled: str, slug: str, written: str
) -> None:
    write_profile(tmp_path, profiled, slug)
    story = write_story(tmp_path, "2021-03-12-a", written)
    problem = only_problem(catalog(tmp_path))
    assert (problem.path, problem.field) == (story.rel, "village")
    assert f"是不是想写“{profiled}”？" in problem.message


def test_a_homophone_sharing_the_profiles_web_address_asks_for_a_profile_and_says_why(
    tmp_path: Path,
) -> None:
    profile = write_profile(tmp_path, "闫韦村", "yanwei")
    story = write_story(tmp_path, "2021-03-12-yanwei", "严魏村")
    result = catalog(tmp_path)
    problem = only_problem(result)
    assert (problem.path, problem.line, problem.field) == (
        story.rel,
        story.line("village:"),
        "village",
    )
    assert problem.message == (
        "修武县没有叫“严魏村”的村庄资料；是不是想写“闫韦村”？"
        "如果确实是另一个村：没有村庄资料的村按村名拼音取网址，"
        "“严魏村”会是 /villages/jiaozuo/xiuwu/yanwei/，"
        f"和“闫韦村”（{profile}）的网址相同，网站分不开这两个村；"
        f"请在 {FOLDER} 为“严魏村”建一份村庄资料，文件名另取一个"
        "（文件名就是网址，例如 yanwei-<乡镇拼音>.md）"
    )
    assert result.stories == ()


def test_a_homophone_of_a_profile_with_its_own_web_address_is_another_village(
    tmp_path: Path,
) -> None:
    # The profile's file name is how a county tells two homophones apart.
    write_profile(tmp_path, "闫韦村", "yanwei-dongzhuang")
    story = write_story(tmp_path, "2021-03-12-yanwei", "严魏村")
    result = catalog(tmp_path)
    assert_published(result, story, "严魏村")
    assert result.villages[(CITY, COUNTY, "严魏村")].url.endswith("/yanwei/")
    (hint,) = village_hints(result)
    assert "（本县已有“闫韦村”）" in hint


def test_a_profile_for_the_new_homophone_settles_it(tmp_path: Path) -> None:
    write_profile(tmp_path, "闫韦村", "yanwei")
    write_profile(tmp_path, "严魏村", "yanwei-xizhuang")
    write_story(tmp_path, "2021-03-12-yanwei", "严魏村")
    result = catalog(tmp_path)
    assert result.problems == (), storykit.problems_text(list(result.problems))
    assert result.villages[(CITY, COUNTY, "严魏村")].url.endswith("/yanwei-xizhuang/")


# -- how names compare -----------------------------------------------------------------------


def profile(name: str, slug: str | None = None) -> VillageProfile:
    area = Area(CITY, COUNTY, CITY_SLUG, COUNTY_SLUG)
    slug = slug or pinyin_slug(name) or "x"
    return VillageProfile(f"{FOLDER}{slug}.md", "", Place(area, name, "七贤镇"), slug)


@pytest.mark.parametrize(
    ("profiled", "written", "resemblance"),
    [
        ("张庄村", "张庄", Resemblance.SUFFIX),
        ("张庄", "张庄村", Resemblance.SUFFIX),
        ("张庄村", "章庄村", Resemblance.HOMOPHONE),
        ("闫韦村", "严魏村", Resemblance.HOMOPHONE),
        ("裴寨村", "裴塞村", Resemblance.LOOKALIKE),
        ("冢头村", "家头村", Resemblance.LOOKALIKE),
        ("岸上村", "龙上村", Resemblance.SIMILAR),
        ("李庄村", "张庄村", Resemblance.SIMILAR),
        ("张庄村", "张家庄村", Resemblance.SIMILAR),
        ("张家庄村", "张庄村", Resemblance.SIMILAR),
        ("张庄村", "李家庄村", None),
        ("东村", "西坡村", None),
        ("张庄村", "张庄村", None),
    ],
)
def test_how_a_name_resembles_a_profiled_one(
    profiled: str, written: str, resemblance: Resemblance | None
) -> None:
    found = CountyNames([profile(profiled)]).compare(written, pinyin_slug(written))
    assert [m.resemblance for m in found] == ([resemblance] if resemblance else [])


def test_typo_signals_come_first() -> None:
    county = CountyNames([profile("李庄村"), profile("章庄村"), profile("张家庄村")])
    found = county.compare("张庄村", pinyin_slug("张庄村"))
    assert [(m.profile.name, m.resemblance.typo) for m in found] == [
        ("章庄村", True),
        ("张家庄村", False),
        ("李庄村", False),
    ]


def test_every_look_alike_pair_is_two_different_characters_with_a_reason() -> None:
    for a, b, reason in names.LOOKALIKE_PAIRS:
        assert len(a) == len(b) == 1 and a != b and reason
    assert len(names.LOOKALIKES) == len(names.LOOKALIKE_PAIRS)


def test_pinyin_is_read_once_per_name_and_counties_are_indexed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At province scale a county has ~100 profiles and a build ~50,000 stories: the pinyin of
    a profile's name is read once, and only for a county with a new village to compare;
    a village's name once, however many stories name it."""
    read: list[str] = []

    def counted(name: str) -> str | None:
        read.append(name)
        return pinyin_slug(name)

    monkeypatch.setattr(names, "pinyin_slug", counted)
    monkeypatch.setattr(resolve, "pinyin_slug", counted)
    indexed: list[tuple[str, ...]] = []

    class CountedCountyNames(CountyNames):
        def __init__(self, profiles: list[VillageProfile]) -> None:
            indexed.append(tuple(p.name for p in profiles))
            super().__init__(profiles)

    monkeypatch.setattr(resolve, "CountyNames", CountedCountyNames)
    profiled = ["李庄村", "王庄村", "刘庄村", "岸上村"]
    for number, name in enumerate(profiled):
        write_profile(tmp_path, name, f"v{number}")
    write_profile(tmp_path, "杨庄村", "yangzhuang", county="博爱县")  # no new village there
    new = ["张庄村", "赵庄村", "龙上村", "孙庄村", "周庄村", "吴庄村"]
    for day, name in enumerate(new * 3):
        write_story(tmp_path, f"2021-03-{day + 1:02d}-s", name)
    result = catalog(tmp_path)
    assert result.problems == (), storykit.problems_text(list(result.problems))
    assert len(result.stories) == len(new) * 3
    assert len(indexed) == 1 and sorted(indexed[0]) == sorted(profiled)
    assert sorted(read) == sorted(profiled + new)
