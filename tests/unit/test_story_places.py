"""`city` and `county` checked against the gazetteer of Henan's divisions (2021)."""

from __future__ import annotations

from pathlib import Path

import pytest
from huatuopin.gazetteer import load_gazetteer
from storykit import DELETE, load, only_problem


def test_unknown_city_suggests_the_full_name_and_lists_all_eighteen(tmp_path: Path) -> None:
    story, result = load(tmp_path, {"city": "开封"})

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line("city:"), "city")
    assert "“开封”不是河南省的省辖市" in problem.message
    assert "是不是想写“开封市”？" in problem.message
    options = problem.message.split("可选：")[1].split("、")
    assert len(options) == 18
    assert set(options) == set(load_gazetteer().cities)
    assert "济源示范区" in options


def test_city_outside_henan_is_rejected(tmp_path: Path) -> None:
    story, result = load(tmp_path, {"city": "北京市", "county": "朝阳区"})

    problem = only_problem(result)  # the county is not second-guessed under a wrong city
    assert (problem.line, problem.field) == (story.line("city:"), "city")
    assert "可选：郑州市、开封市" in problem.message


def test_county_of_another_city_names_that_city(tmp_path: Path) -> None:
    story, result = load(tmp_path, {"city": "郑州市", "county": "兰考县"})

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line("county:"), "county")
    assert "“兰考县”属于开封市，不属于郑州市" in problem.message
    assert "请核对 city 和 county" in problem.message


def test_county_without_suffix_suggests_the_full_name(tmp_path: Path) -> None:
    story, result = load(tmp_path, {"county": "兰考"})

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line("county:"), "county")
    assert "“兰考”不是开封市的县级行政区" in problem.message
    assert "是不是想写“兰考县”？" in problem.message


def test_unknown_county_lists_the_counties_of_the_city(tmp_path: Path) -> None:
    _, result = load(tmp_path, {"county": "东坝头"})

    problem = only_problem(result)
    assert "可选：龙亭区、顺河回族区" in problem.message
    assert "兰考县" in problem.message


def test_jiyuan_written_twice_is_valid(tmp_path: Path) -> None:
    _, result = load(tmp_path, {"city": "济源示范区", "county": "济源示范区", "township": DELETE})

    assert result.problems == ()
    assert result.story is not None
    assert result.story.place.key == ("济源示范区", "济源示范区", "张庄村")
    assert result.story.place.trail == ["济源示范区", "张庄村"]
    assert result.story.place.city_slug == "jiyuan"


@pytest.mark.parametrize(
    ("old", "new"),
    [("偃师市", "偃师区"), ("孟津县", "孟津区")],
)
def test_old_county_name_is_accepted_with_a_hint(tmp_path: Path, old: str, new: str) -> None:
    story, result = load(tmp_path, {"city": "洛阳市", "county": old})

    assert result.problems == ()
    assert result.story is not None
    assert result.story.place.county == new
    assert list(result.hints) == [
        f"{story.rel}:{story.line('county:')}: county: “{old}”已更名为“{new}”，"
        "按新名称归类；方便时请改成新名称"
    ]


def test_current_county_name_gives_no_hint(tmp_path: Path) -> None:
    _, result = load(tmp_path, {"city": "洛阳市", "county": "偃师区"})

    assert result.problems == ()
    assert result.hints == ()


def test_old_name_only_counts_in_its_own_city(tmp_path: Path) -> None:
    story, result = load(tmp_path, {"city": "郑州市", "county": "偃师市"})

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line("county:"), "county")
    assert result.hints == ()
