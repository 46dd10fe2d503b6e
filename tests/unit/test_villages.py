"""Village profiles and every story's village: each rule with its file, line and field.

A test writes profiles into `tmp_path/docs/villages/` and stories with storykit, builds the
Catalog as the build does, and reads the problems back. Lines are looked up in the written
text (`Written.line`), so a test names the text it means rather than a number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import storykit
from huatuopin.catalog import Catalog, build_catalog
from huatuopin.problems import Problem
from huatuopin.settings import CampaignSettings
from huatuopin.villages.records import FirstSecretary, IncomeYear, YearMonth
from huatuopin.villages.slugs import pinyin_slug
from sitekit import line_of

PROFILE_PATH = "kaifeng/lankao/zhangzhuang.md"
DELETE: Any = storykit.DELETE

# A valid profile in the field order of the contract (DESIGN.md).
BASE_PROFILE: dict[str, Any] = {
    "name": "张庄村",
    "township": "东坝头镇",
    "county": "兰考县",
    "city": "开封市",
    "exit_year": 2017,
    "households": 766,
    "population": 3012,
    "industries": ["光伏发电", "民族乐器加工"],
    "support_units": ["兰考县农业农村局"],
    "first_secretaries": [
        {"name": "韩立群", "unit": "兰考县农业农村局", "from": "2017-09", "to": "2020-12"},
        {"name": "赵明远", "unit": "开封市农业农村局", "from": "2014-03", "to": "2017-08"},
        {"name": "郭文静", "unit": "兰考县供电公司", "from": "2021-01"},
    ],
    "income": {2016: 0.5, 2017: 8.2, 2018: 17.6, 2020: 43.6},
}
BASE_BODY = """## 村情

张庄村在黄河故道的最后一道弯上。

## 话未来

再改造二十个闲置院落。
"""


def render(data: Mapping[str, Any], body: str = BASE_BODY) -> str:
    return storykit.render(data, body)


def profile_data(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return storykit.with_overrides(BASE_PROFILE, overrides)


@dataclass
class Written:
    root: Path
    path: Path

    @property
    def rel(self) -> str:
        return self.path.relative_to(self.root).as_posix()

    def line(self, needle: str, occurrence: int = 1) -> int:
        return line_of(self.path.read_text("utf-8"), needle, occurrence)


def write_profile(
    root: Path,
    overrides: Mapping[str, Any] | None = None,
    body: str = BASE_BODY,
    *,
    path: str = PROFILE_PATH,
    raw: str | None = None,
) -> Written:
    """A profile at docs/villages/<path>: the base with `overrides`, or exactly `raw`."""
    target = root / "docs" / "villages" / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(raw if raw is not None else render(profile_data(overrides), body), "utf-8")
    return Written(root, target)


def write_story(
    root: Path, folder: str, village: str = "张庄村", **overrides: Any
) -> storykit.WrittenStory:
    return storykit.write_story(root, {"village": village, **overrides}, folder=folder)


def catalog(root: Path) -> Catalog:
    return build_catalog(root, root / "docs", CampaignSettings(), include_drafts=False)


def problems_of(result: Catalog, rel: str) -> list[Problem]:
    return [p for p in result.problems if p.path == rel]


def only_problem(result: Catalog, rel: str) -> Problem:
    found = problems_of(result, rel)
    assert len(found) == 1, storykit.problems_text(result.problems)
    return found[0]


# -- a valid profile -------------------------------------------------------------------------


def test_valid_profile_is_loaded_typed_and_is_its_villages_page(tmp_path: Path) -> None:
    write_profile(tmp_path)
    write_story(tmp_path, "2021-03-12-zhangzhuang")
    result = catalog(tmp_path)
    assert result.problems == (), storykit.problems_text(result.problems)
    village = result.villages[("开封市", "兰考县", "张庄村")]
    assert village.url == "villages/kaifeng/lankao/zhangzhuang/"
    assert village.src_uri == "villages/kaifeng/lankao/zhangzhuang.md"
    profile = village.profile
    assert profile is not None
    assert (profile.exit_year, profile.households, profile.population) == (2017, 766, 3012)
    assert profile.industries == ("光伏发电", "民族乐器加工")
    assert profile.income == (
        IncomeYear(2016, 0.5),
        IncomeYear(2017, 8.2),
        IncomeYear(2018, 17.6),
        IncomeYear(2020, 43.6),
    )
    # Earliest term first, whatever the order written; no `to` means still serving.
    assert [s.name for s in profile.first_secretaries] == ["赵明远", "韩立群", "郭文静"]
    assert profile.first_secretaries[-1] == FirstSecretary(
        "郭文静", "兰考县供电公司", YearMonth(2021, 1), None
    )
    assert profile.first_secretaries[-1].serving
    assert [s.folder for s in result.stories_of(village)] == ["2021-03-12-zhangzhuang"]
    assert result.villages.for_src_uri(village.src_uri) is village


def test_only_the_contract_fields_are_required(tmp_path: Path) -> None:
    minimal = {k: BASE_PROFILE[k] for k in ("name", "township", "county", "city")}
    write_profile(tmp_path, raw=render(minimal, ""))
    result = catalog(tmp_path)
    assert result.problems == (), storykit.problems_text(result.problems)
    profile = result.villages[("开封市", "兰考县", "张庄村")].profile
    assert profile is not None
    assert profile.income == () and profile.first_secretaries == ()


def test_full_date_as_term_month_is_read_as_its_month(tmp_path: Path) -> None:
    secretaries = [{"name": "赵明远", "unit": "开封市农业农村局", "from": dt.date(2014, 3, 1)}]
    write_profile(tmp_path, {"first_secretaries": secretaries})
    result = catalog(tmp_path)
    assert result.problems == (), storykit.problems_text(result.problems)
    profile = result.villages[("开封市", "兰考县", "张庄村")].profile
    assert profile is not None
    assert profile.first_secretaries[0].start == YearMonth(2014, 3)


# -- each rule, with file, line and field ----------------------------------------------------


def test_missing_required_field_is_placed_at_the_opening_fence(tmp_path: Path) -> None:
    written = write_profile(tmp_path, {"township": DELETE})
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (1, "township")
    assert "缺少必填字段" in problem.message


def test_unknown_county_for_the_city(tmp_path: Path) -> None:
    written = write_profile(tmp_path, {"county": "兰考"})
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (written.line("county:"), "county")
    assert "不是开封市的县级行政区" in problem.message
    assert "是不是想写“兰考县”" in problem.message


def test_county_of_another_city(tmp_path: Path) -> None:
    written = write_profile(tmp_path, {"county": "栾川县"})
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (written.line("county:"), "county")
    assert "属于洛阳市" in problem.message


def test_file_in_another_citys_folder(tmp_path: Path) -> None:
    written = write_profile(tmp_path, path="luoyang/lankao/zhangzhuang.md")
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (written.line("city:"), "city")
    assert "docs/villages/luoyang/" in problem.message
    assert "docs/villages/kaifeng/lankao/zhangzhuang.md" in problem.message


def test_file_in_another_countys_folder(tmp_path: Path) -> None:
    written = write_profile(tmp_path, path="kaifeng/qixian/zhangzhuang.md")
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (written.line("county:"), "county")
    assert "docs/villages/kaifeng/lankao/" in problem.message


def test_file_not_in_a_county_folder(tmp_path: Path) -> None:
    written = write_profile(tmp_path, path="kaifeng/zhangzhuang.md")
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (1, "文件位置")
    assert "docs/villages/kaifeng/lankao/zhangzhuang.md" in problem.message


@pytest.mark.parametrize(
    "file_name", ["张庄村.md", "ZhangZhuang.md", "zhang_zhuang.md", "index.md"]
)
def test_file_name_must_be_an_ascii_slug(tmp_path: Path, file_name: str) -> None:
    written = write_profile(tmp_path, path=f"kaifeng/lankao/{file_name}")
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (1, "文件名")
    assert "zhangzhuang.md" in problem.message  # the suggested name: the pinyin of 张庄村


def test_other_files_in_the_villages_folder_are_named(tmp_path: Path) -> None:
    photo = tmp_path / "docs" / "villages" / "kaifeng" / "lankao" / "photo.jpg"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(storykit.FAKE_JPEG)
    result = catalog(tmp_path)
    problem = only_problem(result, "docs/villages/kaifeng/lankao/photo.jpg")
    assert (problem.line, problem.field) == (1, "文件")


def test_two_profiles_for_the_same_village(tmp_path: Path) -> None:
    first = write_profile(tmp_path)
    second = write_profile(tmp_path, path="kaifeng/lankao/zhangzhuangcun.md")
    result = catalog(tmp_path)
    assert problems_of(result, first.rel) == []
    problem = only_problem(result, second.rel)
    assert (problem.line, problem.field) == (second.line("name:"), "name")
    assert f"{first.rel}:{first.line('name:')}" in problem.message
    assert "只能有一份村庄资料" in problem.message
    # The first one is still the village's page; the second is named as not published.
    village = result.villages[("开封市", "兰考县", "张庄村")]
    assert village.profile is not None and village.profile.source_path == first.rel
    assert second.rel in result.rejected


def test_same_name_in_two_counties_is_two_villages(tmp_path: Path) -> None:
    write_profile(tmp_path)
    write_profile(
        tmp_path, {"county": "杞县", "township": "城关镇"}, path="kaifeng/qixian/zhangzhuang.md"
    )
    write_story(tmp_path, "2021-03-12-lankao")
    write_story(tmp_path, "2021-03-13-qixian", county="杞县")
    result = catalog(tmp_path)
    assert result.problems == (), storykit.problems_text(result.problems)
    lankao = result.villages[("开封市", "兰考县", "张庄村")]
    qixian = result.villages[("开封市", "杞县", "张庄村")]
    assert lankao.url != qixian.url
    assert [s.folder for s in result.stories_of(lankao)] == ["2021-03-12-lankao"]
    assert [s.folder for s in result.stories_of(qixian)] == ["2021-03-13-qixian"]


def test_term_that_ends_before_it_starts(tmp_path: Path) -> None:
    secretaries = [
        {"name": "赵明远", "unit": "开封市农业农村局", "from": "2017-08", "to": "2014-03"}
    ]
    written = write_profile(tmp_path, {"first_secretaries": secretaries})
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (written.line("to: 2014-03"), "first_secretaries[0].to")
    assert "早于 from 2017-08" in problem.message


@pytest.mark.parametrize(
    ("value", "phrase"),
    [("2017年3月", "请写成 YYYY-MM"), ("2017-13", "月份 13 不存在"), (2017, "请写成 YYYY-MM")],
)
def test_term_month_that_is_not_a_month(tmp_path: Path, value: Any, phrase: str) -> None:
    secretaries = [
        {"name": "赵明远", "unit": "开封市农业农村局", "from": "2014-03", "to": "2017-08"},
        {"name": "韩立群", "unit": "兰考县农业农村局", "from": value},
    ]
    written = write_profile(tmp_path, {"first_secretaries": secretaries})
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (
        written.line("from:", occurrence=2),
        "first_secretaries[1].from",
    )
    assert phrase in problem.message


def test_secretary_without_a_start_is_placed_at_the_item(tmp_path: Path) -> None:
    secretaries = [{"name": "赵明远", "unit": "开封市农业农村局"}]
    written = write_profile(tmp_path, {"first_secretaries": secretaries})
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (
        written.line("- name: 赵明远"),
        "first_secretaries[0].from",
    )


def test_misspelt_secretary_field_suggests_the_right_one(tmp_path: Path) -> None:
    secretaries = [{"name": "赵明远", "units": "开封市农业农村局", "from": "2014-03"}]
    written = write_profile(tmp_path, {"first_secretaries": secretaries})
    found = problems_of(catalog(tmp_path), written.rel)
    assert any(
        (p.line, p.field) == (written.line("  units:"), "first_secretaries[0].units")
        and "是不是想写 unit" in p.message
        for p in found
    ), storykit.problems_text(found)


@pytest.mark.parametrize("year", ["2020年", "二〇二〇", "20"])
def test_income_year_that_is_not_a_year(tmp_path: Path, year: str) -> None:
    written = write_profile(tmp_path, {"income": {2019: 30, year: 43.6}})
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (written.line("43.6"), f"income.{year}")
    assert "不是年份" in problem.message


def test_income_amount_that_is_not_a_number(tmp_path: Path) -> None:
    written = write_profile(tmp_path, {"income": {2019: 30, 2020: "43.6万元"}})
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (written.line("2020:"), "income.2020")
    assert "请只写数字" in problem.message


def test_income_written_in_yuan_is_caught(tmp_path: Path) -> None:
    written = write_profile(tmp_path, {"income": {2020: 436000}})
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (written.line("2020:"), "income.2020")
    assert "单位是万元" in problem.message


def test_income_as_a_list_says_how_to_write_it(tmp_path: Path) -> None:
    written = write_profile(tmp_path, {"income": [30, 43.6]})
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (written.line("income:"), "income")
    assert "年份: 金额" in problem.message


def test_exit_year_outside_the_campaign_years(tmp_path: Path) -> None:
    written = write_profile(tmp_path, {"exit_year": 2025})
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (written.line("exit_year:"), "exit_year")


def test_more_households_than_people(tmp_path: Path) -> None:
    written = write_profile(tmp_path, {"households": 900, "population": 800})
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (written.line("households:"), "households")


def test_misspelt_field_suggests_the_right_one(tmp_path: Path) -> None:
    written = write_profile(tmp_path, {"industry": ["光伏"]})
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (written.line("industry:"), "industry")
    assert "是不是想写 industries" in problem.message


def test_personal_data_in_profile_text(tmp_path: Path) -> None:
    body = "## 村情\n\n村里的服务热线是 13812345678。\n"
    written = write_profile(tmp_path, {"support_units": ["联系人 13912345678"]}, body)
    found = sorted(problems_of(catalog(tmp_path), written.rel))
    assert [(p.line, p.field) for p in found] == [
        (written.line("联系人"), "support_units[0]"),
        (written.line("服务热线"), "正文"),
    ], storykit.problems_text(found)
    assert all("手机号码" in p.message for p in found)


def test_script_in_profile_body(tmp_path: Path) -> None:
    body = "## 村情\n\n<script>alert(1)</script>\n"
    written = write_profile(tmp_path, body=body)
    problem = only_problem(catalog(tmp_path), written.rel)
    assert (problem.line, problem.field) == (written.line("<script>"), "正文")


def test_invalid_profile_is_not_published_and_named(tmp_path: Path) -> None:
    written = write_profile(tmp_path, {"income": {"2020年": 1}})
    write_story(tmp_path, "2021-03-12-zhangzhuang")
    result = catalog(tmp_path)
    assert written.rel in result.rejected
    assert result.villages.profile_src_uris() == set()
    # Its stories still have their village's page, without the profile.
    village = result.villages[("开封市", "兰考县", "张庄村")]
    assert village.profile is None and len(result.stories_of(village)) == 1


# -- stories and villages agree --------------------------------------------------------------


def test_story_one_character_off_a_profile_asks_did_you_mean(tmp_path: Path) -> None:
    write_profile(tmp_path)
    story = write_story(tmp_path, "2021-03-12-zhangzhuang", village="张庄")
    result = catalog(tmp_path)
    problem = only_problem(result, story.rel)
    assert (problem.line, problem.field) == (story.line("village:"), "village")
    assert "是不是想写“张庄村”" in problem.message
    assert "docs/villages/kaifeng/lankao/" in problem.message  # the way out: its own profile
    assert story.rel in result.rejected
    assert result.stories == ()


def test_one_character_changed_is_also_caught(tmp_path: Path) -> None:
    write_profile(tmp_path)
    story = write_story(tmp_path, "2021-03-12-zhangzhuang", village="章庄村")
    problem = only_problem(catalog(tmp_path), story.rel)
    assert "是不是想写“张庄村”" in problem.message


@pytest.mark.parametrize("only", [False, True], ids=["full check", "one story"])
def test_a_story_rejected_for_other_mistakes_still_hears_about_its_village(
    tmp_path: Path, only: bool
) -> None:
    write_profile(tmp_path)
    story = write_story(tmp_path, "2021-03-12-zhangzhuang", village="张庄", activity="回乡看")
    result = catalog(tmp_path)
    problems = result.problems_involving(story.folder_rel) if only else result.problems
    found = {(p.line, p.field): p.message for p in problems if p.path == story.rel}
    assert (story.line("activity:"), "activity") in found
    assert "是不是想写“张庄村”" in found[(story.line("village:"), "village")]


def test_similar_name_in_another_county_is_another_village(tmp_path: Path) -> None:
    write_profile(tmp_path)
    write_story(tmp_path, "2021-03-12-qixian", village="张庄", county="杞县")
    result = catalog(tmp_path)
    assert result.problems == (), storykit.problems_text(result.problems)
    assert ("开封市", "杞县", "张庄") in result.villages


def test_story_only_villages_that_would_share_a_slug_ask_for_a_profile(tmp_path: Path) -> None:
    first = write_story(tmp_path, "2021-03-12-a", village="张庄村")
    second = write_story(tmp_path, "2021-03-13-b", village="张庄")
    result = catalog(tmp_path)
    for story, other in ((first, second), (second, first)):
        problem = only_problem(result, story.rel)
        assert (problem.line, problem.field) == (story.line("village:"), "village")
        assert "/villages/kaifeng/lankao/zhangzhuang/" in problem.message
        assert "建一份村庄资料" in problem.message
        assert f"{other.rel}:{other.line('village:')}" in problem.message
    assert result.stories == ()


def test_story_village_sharing_a_profiles_slug_asks_for_a_profile(tmp_path: Path) -> None:
    write_profile(tmp_path)  # 张庄村 at zhangzhuang.md
    story = write_story(tmp_path, "2021-03-12-a", village="漳庄")  # zhang-zhuang as well
    problem = only_problem(catalog(tmp_path), story.rel)
    assert (problem.line, problem.field) == (story.line("village:"), "village")
    assert "docs/villages/kaifeng/lankao/zhangzhuang.md" in problem.message
    assert "建一份村庄资料" in problem.message


def test_a_profile_settles_a_slug_clash(tmp_path: Path) -> None:
    write_story(tmp_path, "2021-03-12-a", village="张庄村")
    write_story(tmp_path, "2021-03-13-b", village="漳庄")
    write_profile(tmp_path, {"name": "漳庄"}, path="kaifeng/lankao/zhangzhuang-dong.md")
    result = catalog(tmp_path)
    assert result.problems == (), storykit.problems_text(result.problems)
    assert result.villages[("开封市", "兰考县", "漳庄")].url.endswith("/zhangzhuang-dong/")
    assert result.villages[("开封市", "兰考县", "张庄村")].url.endswith("/zhangzhuang/")


def test_checking_one_story_checks_its_village_but_not_the_profiles(tmp_path: Path) -> None:
    write_profile(tmp_path)
    broken = write_profile(
        tmp_path, {"name": "岸上村", "income": {"2020年": 1}}, path="kaifeng/lankao/anshang.md"
    )
    story = write_story(tmp_path, "2021-03-12-zhangzhuang", village="张庄")
    result = catalog(tmp_path)
    (problem,) = result.problems_involving(story.folder_rel)
    assert problem.path == story.rel and "是不是想写“张庄村”" in problem.message
    assert problem.involves == (f"docs/villages/{PROFILE_PATH}",)
    assert problems_of(result, broken.rel) != []  # reported by the full check


def test_village_lists_exactly_the_stories_that_name_it_newest_first(tmp_path: Path) -> None:
    write_profile(tmp_path)
    write_story(tmp_path, "2021-03-12-a", date=dt.date(2021, 3, 12))
    write_story(tmp_path, "2021-05-01-b", date=dt.date(2021, 5, 1), activity="亮成果")
    write_story(tmp_path, "2021-04-01-c", date=dt.date(2021, 4, 1))
    write_story(tmp_path, "2021-04-02-other", village="裴寨村", city="新乡市", county="辉县市")
    result = catalog(tmp_path)
    assert result.problems == (), storykit.problems_text(result.problems)
    village = result.villages[("开封市", "兰考县", "张庄村")]
    stories_of = result.stories_of(village)
    assert [s.folder for s in stories_of] == ["2021-05-01-b", "2021-04-01-c", "2021-03-12-a"]
    by_activity = result.village_stories_by_activity(village)
    groups = [(a.name, [s.folder for s in stories]) for a, stories in by_activity]
    assert groups == [("回村看", ["2021-04-01-c", "2021-03-12-a"]), ("亮成果", ["2021-05-01-b"])]
    other = result.villages[("新乡市", "辉县市", "裴寨村")]
    assert [s.folder for s in result.stories_of(other)] == ["2021-04-02-other"]
    assert other.profile is None and other.township == "东坝头镇"  # the story's township


# -- slugs and URLs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("张庄村", "zhangzhuang"),
        ("田铺大塆", "tianpudawan"),
        ("寨子村", "zhaizi"),
        ("太清宫村", "taiqinggong"),
        ("绿水村", "lvshui"),
        ("东村", "dongcun"),
        ("张庄", "zhangzhuang"),
        ("A3 村", "a3"),
        ("新庄（一组）", "xinzhuang-yizu"),
    ],
)
def test_pinyin_slug(name: str, slug: str) -> None:
    # Pinned: a village page without a profile keeps this URL across rebuilds and upgrades.
    assert pinyin_slug(name) == slug


def test_name_pinyin_cannot_read_has_no_slug() -> None:
    assert pinyin_slug("𠀋村") is None
    assert pinyin_slug("！！") is None


def test_name_without_slug_asks_for_a_profile(tmp_path: Path) -> None:
    story = write_story(tmp_path, "2021-03-12-a", village="𠀋村")
    problem = only_problem(catalog(tmp_path), story.rel)
    assert (problem.line, problem.field) == (story.line("village:"), "village")
    assert "建一份村庄资料" in problem.message


def test_adding_stories_never_moves_a_village(tmp_path: Path) -> None:
    write_profile(tmp_path)
    write_story(tmp_path, "2021-03-12-a")
    write_story(tmp_path, "2021-03-13-b", village="寨子村", city="三门峡市", county="卢氏县")
    before = {key: v.url for key, v in catalog(tmp_path).villages.items()}
    # New stories: earlier and later dates, existing and new villages, a namesake elsewhere.
    write_story(
        tmp_path,
        "2021-01-05-c",
        village="寨子村",
        city="三门峡市",
        county="卢氏县",
        date=dt.date(2021, 1, 5),
    )
    write_story(
        tmp_path,
        "2021-07-01-d",
        village="寨子村",
        city="三门峡市",
        county="陕州区",
        date=dt.date(2021, 7, 1),
    )
    write_story(
        tmp_path,
        "2021-02-01-e",
        village="太清宫村",
        city="周口市",
        county="鹿邑县",
        date=dt.date(2021, 2, 1),
    )
    after = catalog(tmp_path)
    assert after.problems == (), storykit.problems_text(after.problems)
    for key, url in before.items():
        assert after.villages[key].url == url
    assert len(after.villages) == len(before) + 2


def test_village_urls_are_ascii(tmp_path: Path) -> None:
    write_profile(tmp_path)
    write_story(tmp_path, "2021-03-12-a", village="田铺大塆", city="信阳市", county="新县")
    for village in catalog(tmp_path).villages.values():
        assert village.url.isascii(), village.url


def test_every_known_village_has_its_url_in_the_catalog(tmp_path: Path) -> None:
    write_profile(tmp_path)
    write_story(tmp_path, "2021-03-12-a", village="寨子村", city="三门峡市", county="卢氏县")
    # An old county name (陕县) is the renamed county's (陕州区) village.
    write_story(tmp_path, "2021-03-13-b", village="寨根村", city="三门峡市", county="陕县")
    result = catalog(tmp_path)
    assert {key: village.url for key, village in result.villages.items()} == {
        ("开封市", "兰考县", "张庄村"): "villages/kaifeng/lankao/zhangzhuang/",
        ("三门峡市", "卢氏县", "寨子村"): "villages/sanmenxia/lushi/zhaizi/",
        ("三门峡市", "陕州区", "寨根村"): "villages/sanmenxia/shanzhou/zhaigen/",
    }


# -- plain text, valid characters, values as written -----------------------------------------


def profile_with_line(root: Path, key: str, new: str, body: str = BASE_BODY) -> Written:
    """The base profile with the first line that starts with `key` (after its indentation)
    replaced by raw YAML at the same indentation."""
    lines = render(profile_data(), body).split("\n")
    index = next(i for i, line in enumerate(lines) if line.lstrip().startswith(key.lstrip()))
    indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
    lines[index] = indent + new.lstrip()
    return write_profile(root, raw="\n".join(lines))


@pytest.mark.parametrize(
    ("key", "new", "field"),
    [
        ("township:", "township: <b>东坝头镇</b>", "township"),
        ("- 光伏发电", "- 光伏发电&amp;储能", "industries[0]"),
        ("- 兰考县农业农村局", "- </span>兰考县农业农村局", "support_units[0]"),
        ("- name: 韩立群", "- name: 韩立群<!--", "first_secretaries[0].name"),
        ("  unit: 兰考县农业农村局", "  unit: <?php 兰考县农业农村局", "first_secretaries[0].unit"),
    ],
)
def test_markup_in_a_profile_field_is_a_problem(
    tmp_path: Path, key: str, new: str, field: str
) -> None:
    written = profile_with_line(tmp_path, key, new)

    problem = only_problem(catalog(tmp_path), written.rel)

    assert (problem.line, problem.field) == (written.line(new.strip()), field)
    assert problem.message.startswith("这里只能写文字，不能写 HTML 标记")


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("households:", "010", "households"),
        ("households:", "1_000", "households"),
        ("population:", "0x1F", "population"),
        ("population:", "9" * 5000, "population"),
        ("exit_year:", "33:37", "exit_year"),
        ("  2016:", ".inf", "income.2016"),
        ("  2017:", ".nan", "income.2017"),
        ("  2018:", "1_7.6", "income.2018"),
        ("  2020:", "4.36e+1", "income.2020"),
    ],
)
def test_a_number_yaml_would_read_as_another_number_is_a_problem(
    tmp_path: Path, key: str, value: str, field: str
) -> None:
    written = profile_with_line(tmp_path, key, f"{key} {value}")

    problem = only_problem(catalog(tmp_path), written.rel)

    assert (problem.line, problem.field) == (written.line(f"{key} {value[:10]}"), field)
    assert "不是普通写法的" in problem.message
    assert "请只写普通的十进制数字" in problem.message
    assert len(problem.message) < 200


def test_an_income_year_thousands_of_digits_long_is_a_problem(tmp_path: Path) -> None:
    written = profile_with_line(tmp_path, "  2016:", f"? {'2' * 5000}\n  : 0.5")

    problem = only_problem(catalog(tmp_path), written.rel)

    assert (problem.line, problem.field) == (written.line("? 2222"), f"income.{'2' * 5000}")
    assert "不是年份" in problem.message
    assert len(problem.message) < 200


def test_profile_text_keeps_what_was_typed(tmp_path: Path) -> None:
    profile_with_line(tmp_path, "- 光伏发电", "- 010")
    written = Written(tmp_path, tmp_path / "docs" / "villages" / PROFILE_PATH)
    text = written.path.read_text("utf-8").replace("- 民族乐器加工", "- yes")
    written.path.write_text(text, "utf-8")

    result = catalog(tmp_path)

    assert problems_of(result, written.rel) == []
    profile = result.villages[("开封市", "兰考县", "张庄村")].profile
    assert profile is not None and profile.industries == ("010", "yes")


def test_control_character_in_a_profile_is_a_problem_at_its_line(tmp_path: Path) -> None:
    written = profile_with_line(
        tmp_path, "township:", 'township: "东坝头\\x1b镇"', body="## 村情\n\n张庄\x0c村。\n"
    )

    found = sorted(problems_of(catalog(tmp_path), written.rel))

    assert [(p.line, p.field) for p in found] == [(written.line("township:"), "township")]
    assert "含有不能发布的字符 U+001B" in found[0].message


def test_control_character_in_a_profile_body_is_a_problem_at_its_line(tmp_path: Path) -> None:
    written = write_profile(tmp_path, body="## 村情\n\n张庄\x0c村。\n")

    problem = only_problem(catalog(tmp_path), written.rel)

    assert (problem.line, problem.field) == (written.line("张庄\x0c"), "正文")
    assert "这一行含有不能发布的字符 U+000C" in problem.message


def test_text_cut_by_a_hash_in_a_profile_is_a_hint(tmp_path: Path) -> None:
    written = profile_with_line(tmp_path, "- 光伏发电", "- 光伏发电 #1 号站")

    result = catalog(tmp_path)

    assert problems_of(result, written.rel) == []
    line = written.line("- 光伏发电")
    assert [h for h in result.hints if h.startswith(f"{written.rel}:{line}:")] == [
        f"{written.rel}:{line}: industries[0]: # 和它后面的文字被当作注释，没有算进值里"
        "（读到的只有“光伏发电”）；"
        '如果 # 是内容的一部分，请给整个值加上引号，写成 "光伏发电 #1 号站"'
    ]


def test_a_quoted_number_is_told_to_drop_the_quotes(tmp_path: Path) -> None:
    written = profile_with_line(tmp_path, "households:", 'households: "766"')

    problem = only_problem(catalog(tmp_path), written.rel)

    assert (problem.line, problem.field) == (written.line("households:"), "households")
    assert "“766”加了引号，成了文字；数字请不加引号直接写" in problem.message


def test_groupings_are_made_once_and_cannot_be_changed(tmp_path: Path) -> None:
    """Every listing, feed and the chrome of every page read the groupings: they are made once
    from the frozen Catalog, newest first in each group, and no reader can alter them."""
    write_story(tmp_path, "2021-03-12-a", date=dt.date(2021, 3, 12))
    write_story(tmp_path, "2021-05-01-b", date=dt.date(2021, 5, 1), activity="亮成果")
    write_story(tmp_path, "2021-04-01-c", date=dt.date(2021, 4, 1))
    write_story(
        tmp_path,
        "2021-04-02-d",
        date=dt.date(2021, 4, 2),
        village="裴寨村",
        city="新乡市",
        county="辉县市",
    )
    result = catalog(tmp_path)

    by_activity = result.stories_by_activity
    assert by_activity is result.stories_by_activity
    assert {a: [s.folder for s in stories] for a, stories in by_activity.items()} == {
        "回村看": ["2021-04-02-d", "2021-04-01-c", "2021-03-12-a"],
        "亮成果": ["2021-05-01-b"],
    }
    by_city = result.stories_by_city
    assert by_city is result.stories_by_city
    assert [s.folder for s in by_city["xinxiang"]] == ["2021-04-02-d"]
    assert all(isinstance(stories, tuple) for stories in [*by_city.values(), *by_activity.values()])
