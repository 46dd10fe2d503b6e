"""Conflicts between two talks: reported at the first place, naming the second and both ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from troupekit import load, only_problem, talk, write

KAIFENG = "docs/troupe/schedule/kaifeng.yml"
XINXIANG = "docs/troupe/schedule/xinxiang.yml"


def peizhai(talk_id: str, **fields: object) -> dict[str, object]:
    """A talk at 裴寨村 (another county, another city) on 2021-03-12."""
    base = {"city": "新乡市", "county": "辉县市", "village": "裴寨村", "venue": "文化广场"}
    return talk(talk_id, **{**base, **fields})


# -- a member in two talks at once --------------------------------------------------------


def test_double_booked_member_names_both_talks_with_file_and_line(tmp_path: Path) -> None:
    written = write(
        tmp_path,
        {
            "kaifeng.yml": [talk("kf-a", speakers=["zhao-tiezhu", "wang-xiaohong"])],
            "xinxiang.yml": [
                peizhai("xx-b", start='"10:00"', end='"11:00"', speakers=["wang-xiaohong"])
            ],
        },
    )

    problem = only_problem(load(written))

    # At the first place (kaifeng.yml sorts first), the member's line in that talk…
    assert (problem.path, problem.line, problem.field) == (
        KAIFENG,
        written.line(KAIFENG, "- wang-xiaohong"),
        "[0].speakers[1]",
    )
    # …naming the second place as path:line, and both talk ids.
    assert f"{XINXIANG}:{written.line(XINXIANG, '- wang-xiaohong')} 的 xx-b" in problem.message
    assert "本场 kf-a（第 1 场，2021-03-12 09:30–10:30" in problem.message
    assert "wang-xiaohong（王小红）同时排在两场宣讲里" in problem.message
    assert "时间重叠" in problem.message


def test_the_first_place_is_by_file_and_line_not_by_time(tmp_path: Path) -> None:
    written = write(
        tmp_path,
        {
            "kaifeng.yml": [
                talk("later", start='"14:00"', end='"15:00"', venue="会议室"),
                talk("earlier", start='"13:00"', end='"14:30"'),
            ]
        },
    )

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (
        written.line(KAIFENG, "- wang-xiaohong"),
        "[0].speakers[0]",
    )
    assert "本场 later（第 1 场" in problem.message
    assert f"{KAIFENG}:{written.line(KAIFENG, '- wang-xiaohong', 2)} 的 earlier（第 2 场" in (
        problem.message
    )
    assert "[1]" not in problem.message  # positions in the message count from 1, not from 0


def test_back_to_back_talks_do_not_overlap(tmp_path: Path) -> None:
    written = write(
        tmp_path,
        {"kaifeng.yml": [talk("a"), talk("b", start='"10:30"', end='"11:30"', venue="会议室")]},
    )

    assert load(written).problems == ()


def test_a_talk_inside_another_overlaps(tmp_path: Path) -> None:
    written = write(
        tmp_path,
        {
            "kaifeng.yml": [
                talk("long", start='"08:00"', end='"12:00"'),
                talk("short", start='"09:00"', end='"09:30"', venue="会议室"),
            ]
        },
    )

    problem = only_problem(load(written))
    assert "本场 long" in problem.message and "的 short" in problem.message


def test_each_overlapping_pair_is_reported_once(tmp_path: Path) -> None:
    written = write(
        tmp_path,
        {
            "kaifeng.yml": [
                talk("a", venue="甲"),
                talk("b", venue="乙"),
                talk("c", venue="丙"),
            ]
        },
    )

    problems = load(written).problems

    pairs = sorted(
        (p.message.split("本场 ")[1].split("（")[0], p.message.split(" 的 ")[1].split("（")[0])
        for p in problems
    )
    assert pairs == [("a", "b"), ("a", "c"), ("b", "c")]


# -- two talks at one venue --------------------------------------------------------------


def test_venue_clash_names_both_talks(tmp_path: Path) -> None:
    written = write(
        tmp_path,
        {
            "kaifeng.yml": [
                talk("a"),
                talk("b", start='"10:00"', end='"11:00"', speakers=["zhao-tiezhu"]),
            ]
        },
    )

    problem = only_problem(load(written))

    assert (problem.path, problem.line, problem.field) == (
        KAIFENG,
        written.line(KAIFENG, "venue: 村委会广场"),
        "[0].venue",
    )
    assert f"{KAIFENG}:{written.line(KAIFENG, 'venue: 村委会广场', 2)} 的 b" in problem.message
    assert "开封市兰考县张庄村的“村委会广场”同一时间安排了两场宣讲：本场 a" in problem.message


def test_same_venue_name_in_another_village_is_another_venue(tmp_path: Path) -> None:
    written = write(
        tmp_path,
        {
            "kaifeng.yml": [talk("a")],
            "xinxiang.yml": [peizhai("b", venue="村委会广场", speakers=["li-jianguo"])],
        },
    )

    assert load(written).problems == ()


def test_venues_without_a_village_clash_when_all_else_is_equal(tmp_path: Path) -> None:
    written = write(
        tmp_path,
        {
            "kaifeng.yml": [
                talk("a", village=None, venue="县委党校礼堂"),
                talk("b", village=None, venue="县委党校礼堂", speakers=["zhao-tiezhu"]),
                talk("c", venue="县委党校礼堂", speakers=["li-jianguo"]),  # at 张庄村
            ]
        },
    )

    problem = only_problem(load(written))

    assert problem.field == "[0].venue"
    assert "本场 a" in problem.message and "的 b" in problem.message


# -- a too-tight trip between two counties -----------------------------------------------


def test_too_tight_trip_reports_the_gap_and_the_required_gap(tmp_path: Path) -> None:
    written = write(
        tmp_path,
        {
            "kaifeng.yml": [talk("kf-a")],
            "xinxiang.yml": [peizhai("xx-b", start='"11:00"', end='"12:00"')],
        },
    )

    problem = only_problem(load(written))

    assert (problem.path, problem.line, problem.field) == (
        KAIFENG,
        written.line(KAIFENG, "- wang-xiaohong"),
        "[0].speakers[0]",
    )
    where = f"{XINXIANG}:{written.line(XINXIANG, '- wang-xiaohong')}"
    assert f"本场 kf-a（第 1 场）与 {where} 的 xx-b（第 1 场）" in (problem.message)
    assert "先在兰考县讲 kf-a（10:30 结束），再到辉县市讲 xx-b（11:00 开始）" in problem.message
    assert "中间只有 30 分钟，跨县（市、区）至少要留 60 分钟" in problem.message
    assert "extra.troupe.travel_buffer_minutes" in problem.message
    assert "推后至少 30 分钟" in problem.message


@pytest.mark.parametrize(
    ("start", "buffer", "conflict"),
    [
        ('"11:29"', 60, True),
        ('"11:30"', 60, False),
        ('"11:00"', 20, False),
        ('"11:00"', 45, True),
    ],
)
def test_the_travel_buffer_comes_from_the_settings(
    tmp_path: Path, start: str, buffer: int, conflict: bool
) -> None:
    written = write(
        tmp_path,
        {"kaifeng.yml": [talk("a"), peizhai("b", start=start, end='"13:00"')]},
    )

    problems = load(written, buffer=buffer).problems

    assert bool(problems) == conflict
    if conflict:
        assert f"至少要留 {buffer} 分钟" in problems[0].message


def test_same_county_needs_no_travel_buffer(tmp_path: Path) -> None:
    written = write(
        tmp_path,
        {
            "kaifeng.yml": [
                talk("a"),
                talk("b", village=None, venue="县委党校礼堂", start='"10:30"', end='"11:00"'),
            ]
        },
    )

    assert load(written).problems == ()


def test_talks_on_different_days_need_no_travel_buffer(tmp_path: Path) -> None:
    written = write(
        tmp_path,
        {
            "kaifeng.yml": [
                talk("a", start='"22:00"', end='"23:30"'),
                peizhai("b", date="2021-03-13", start='"00:00"'),
            ]
        },
    )

    assert load(written).problems == ()


# -- cancelled talks ----------------------------------------------------------------------


def test_cancelled_talks_take_part_in_no_conflict(tmp_path: Path) -> None:
    written = write(
        tmp_path,
        {
            "kaifeng.yml": [
                talk("a"),
                talk("same-time-same-member-same-venue", status="取消"),
            ],
            "xinxiang.yml": [peizhai("too-close", start='"10:45"', end='"11:30"', status="取消")],
        },
    )

    result = load(written)

    assert result.problems == ()
    assert len(result.troupe.talks) == 3
