"""Old place names contributors still write: accepted, filed under the current name, with a hint.

金明区 was merged into 龙亭区 (开封市); 济源市 is written 济源示范区 on this site, at city level
and in the county field that 济源示范区 repeats.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import troupekit
from huatuopin.gazetteer import load_gazetteer
from huatuopin.newstory import check_answers
from huatuopin.settings import CampaignSettings
from storykit import DELETE, load, only_problem


def test_merged_county_is_filed_under_the_district_it_joined(tmp_path: Path) -> None:
    story, result = load(tmp_path, {"city": "开封市", "county": "金明区"})

    assert result.problems == ()
    assert result.story is not None
    assert result.story.place.county == "龙亭区"
    assert result.story.place.county_slug == "longting"
    assert list(result.hints) == [
        f"{story.rel}:{story.line('county:')}: county: “金明区”已并入“龙亭区”，"
        "按新名称归类；方便时请改成新名称"
    ]


def test_jili_is_a_merger_too(tmp_path: Path) -> None:
    _, result = load(tmp_path, {"city": "洛阳市", "county": "吉利区"})

    assert result.story is not None
    assert result.story.place.county == "孟津区"
    assert "“吉利区”已并入“孟津区”" in result.hints[0]


def test_merged_name_counts_only_in_its_own_city(tmp_path: Path) -> None:
    story, result = load(tmp_path, {"city": "郑州市", "county": "金明区"})

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line("county:"), "county")


@pytest.mark.parametrize(
    ("city", "county", "hinted"),
    [
        pytest.param("济源市", "济源市", ["city", "county"], id="both-old"),
        pytest.param("济源市", "济源示范区", ["city"], id="old-city"),
        pytest.param("济源示范区", "济源市", ["county"], id="old-county"),
    ],
)
def test_jiyuan_city_is_accepted_as_the_demonstration_zone(
    tmp_path: Path, city: str, county: str, hinted: list[str]
) -> None:
    story, result = load(tmp_path, {"city": city, "county": county, "township": DELETE})

    assert result.problems == ()
    assert result.story is not None
    assert result.story.place.key == ("济源示范区", "济源示范区", "张庄村")
    assert result.story.place.city_slug == "jiyuan"
    assert list(result.hints) == [
        f"{story.rel}:{story.line(f'{key}:')}: {key}: “济源市”在本站统一写作“济源示范区”，"
        "按新名称归类；方便时请改成新名称"
        for key in hinted
    ]


def test_jiyuan_city_is_not_a_county_of_another_city(tmp_path: Path) -> None:
    story, result = load(tmp_path, {"city": "开封市", "county": "济源市"})

    problem = only_problem(result)
    assert (problem.line, problem.field) == (story.line("county:"), "county")


def test_member_from_jiyuan_city_is_accepted_with_a_hint(tmp_path: Path) -> None:
    member = dict(troupekit.MEMBERS[0], city="济源市")
    written = troupekit.write(tmp_path, {}, members=[member, *troupekit.MEMBERS[1:]])

    result = troupekit.load(written)

    assert result.problems == ()
    (member_city,) = [m.city for m in result.troupe.members if m.id == "wang-xiaohong"]
    assert member_city == "济源示范区"
    line = written.line("docs/troupe/members.yml", "city: 济源市")
    assert list(result.hints) == [
        f"docs/troupe/members.yml:{line}: [0].city: “济源市”在本站统一写作“济源示范区”，"
        "按新名称归类；方便时请改成新名称"
    ]


def test_talk_in_merged_county_is_accepted(tmp_path: Path) -> None:
    talk = troupekit.talk("kf-1", county="金明区", village=None)
    written = troupekit.write(tmp_path, {"kaifeng.yml": [talk]})

    result = troupekit.load(written)

    assert result.problems == ()
    assert [t.county for t in result.troupe.talks] == ["龙亭区"]
    assert any("“金明区”已并入“龙亭区”" in hint for hint in result.hints)


def test_new_story_accepts_old_names() -> None:
    answers = {
        "title": "济源的新日子",
        "date": "2021-03-12",
        "city": "济源市",
        "county": "济源市",
        "village": "张庄村",
        "activity": "入户访",
        "form": "文章",
        "author": "王小红",
        "role": "媒体记者",
    }

    assert check_answers(answers, CampaignSettings()) == {}
    assert (
        check_answers({**answers, "city": "开封市", "county": "金明区"}, CampaignSettings()) == {}
    )


def test_city_match_of_current_and_old_names() -> None:
    gazetteer = load_gazetteer()

    current = gazetteer.city_match("开封市")
    assert current is not None and current.old_name is None
    old = gazetteer.city_match("济源市")
    assert old is not None and old.city.name == "济源示范区"
    assert gazetteer.city_match("济源") is None
