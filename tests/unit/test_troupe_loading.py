"""The troupe's sources: every validation rule, each problem at its file, line and field."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from huatuopin.catalog import build_catalog
from huatuopin.media.settings import MediaSettings
from huatuopin.settings import CampaignSettings
from huatuopin.troupe.models import CATEGORIES
from troupekit import (
    MEMBERS,
    STORY_FOLDER,
    Written,
    load,
    only_problem,
    talk,
    talk_ids,
    talks_yaml,
    write,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
KAIFENG = "docs/troupe/schedule/kaifeng.yml"
MEMBERS_FILE = "docs/troupe/members.yml"


def test_a_valid_schedule_loads_without_problems(tmp_path: Path) -> None:
    written = write(
        tmp_path, {"kaifeng.yml": [talk("a"), talk("b", start='"11:00"', end='"12:00"')]}
    )

    result = load(written)

    assert result.problems == ()
    assert talk_ids(result) == ["a", "b"]
    first = result.troupe.talks[0]
    assert (first.start, first.end) == (dt.time(9, 30), dt.time(10, 30))
    assert first.village is not None and first.village.key == ("开封市", "兰考县", "张庄村")
    assert [m.id for m in result.troupe.members] == [m["id"] for m in MEMBERS]


def test_no_troupe_folder_is_an_empty_troupe(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    result = load(write_nothing(tmp_path))
    assert (result.troupe.talks, result.troupe.members, result.problems) == ((), (), ())


def write_nothing(root: Path):  # type: ignore[no-untyped-def]
    from troupekit import Written

    return Written(root)


# -- times --------------------------------------------------------------------------------


def test_unquoted_time_that_yaml_reads_as_sexagesimal_is_accepted(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", start="9:05", end="10:30")]})

    result = load(written)

    assert result.problems == ()
    assert (result.troupe.talks[0].start, result.troupe.talks[0].end) == (
        dt.time(9, 5),
        dt.time(10, 30),
    )


def test_a_plain_number_is_not_a_time(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", start="630")]})

    problem = only_problem(load(written))

    assert (problem.path, problem.line, problem.field) == (
        KAIFENG,
        written.line(KAIFENG, "start: 630"),
        "[0].start",
    )
    assert "数字 630不是时间" in problem.message
    assert 'start: "09:30"' in problem.message


@pytest.mark.parametrize("value", ['"9.30"', '"上午九点"', "true", "10:30:00"])
def test_text_that_is_not_a_time_is_reported(tmp_path: Path, value: str) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", end=value)]})

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (written.line(KAIFENG, f"end: {value}"), "[0].end")
    assert "不是时间" in problem.message


@pytest.mark.parametrize("value", ["25:00", '"25:00"', "10:75", "24:00"])
def test_an_impossible_time_is_reported_as_a_time_not_a_number(tmp_path: Path, value: str) -> None:
    """YAML 1.1 reads an unquoted 25:00 as the number 1500; the message names 25:00."""
    written = write(tmp_path, {"kaifeng.yml": [talk("a", end=value)]})

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (written.line(KAIFENG, f"end: {value}"), "[0].end")
    assert f"{value.strip(chr(34))} 不是有效的时间（小时是 0～23，分钟是 00～59）" in (
        problem.message
    )
    assert "数字" not in problem.message


def test_unquoted_times_are_read_from_the_text_as_written(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", start="10:30", end="11:45")]})

    result = load(written)

    assert result.problems == ()
    talk_read = result.troupe.talks[0]
    assert (talk_read.start, talk_read.end) == (dt.time(10, 30), dt.time(11, 45))


@pytest.mark.parametrize("end", ['"09:30"', '"09:00"'])
def test_end_must_be_after_start(tmp_path: Path, end: str) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a"), talk("b", end=end)]})

    problem = only_problem(load(written))

    assert (problem.path, problem.line, problem.field) == (
        KAIFENG,
        written.line(KAIFENG, f"end: {end}"),
        "[1].end",
    )
    assert f"结束时间 {end.strip(chr(34))} 不晚于开始时间 09:30" in problem.message


@pytest.mark.parametrize("date", ["2020-12-31", "2021-08-01"])
def test_date_outside_the_campaign_window(tmp_path: Path, date: str) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", date=date)]})

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (written.line(KAIFENG, f"date: {date}"), "[0].date")
    assert "不在活动时间内（2021-01-01 至 2021-07-31）" in problem.message


# -- ids ----------------------------------------------------------------------------------


def test_duplicate_talk_id_across_files_names_the_first(tmp_path: Path) -> None:
    written = write(
        tmp_path,
        {
            "kaifeng.yml": [talk("kf-01")],
            "xinxiang.yml": [talk("other", date="2021-03-20"), talk("kf-01", date="2021-04-01")],
        },
    )

    problem = only_problem(load(written))

    second = "docs/troupe/schedule/xinxiang.yml"
    assert (problem.path, problem.line, problem.field) == (
        second,
        written.line(second, "- id: kf-01"),
        "[1].id",
    )
    assert f"与 {KAIFENG}:{written.line(KAIFENG, '- id: kf-01')} 的宣讲重复" in problem.message


@pytest.mark.parametrize("bad", ["KF-01", "kf_01", "开封-01", "kf--01"])
def test_talk_id_must_be_lower_case_ascii(tmp_path: Path, bad: str) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk(bad)]})

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (written.line(KAIFENG, f"- id: {bad}"), "[0].id")
    assert "只用小写英文字母、数字和连字符" in problem.message


def test_duplicate_member_id(tmp_path: Path) -> None:
    members = [*MEMBERS, {**MEMBERS[1], "name": "李建军"}]
    written = write(tmp_path, {"kaifeng.yml": [talk("a")]}, members=members)

    problem = only_problem(load(written))

    assert (problem.path, problem.line, problem.field) == (
        MEMBERS_FILE,
        written.line(MEMBERS_FILE, "- id: li-jianguo", occurrence=2),
        "[3].id",
    )
    assert f"与 {MEMBERS_FILE}:{written.line(MEMBERS_FILE, '- id: li-jianguo')} 重复" in (
        problem.message
    )


# -- members ------------------------------------------------------------------------------


def test_unknown_speaker_suggests_the_closest_id(tmp_path: Path) -> None:
    written = write(
        tmp_path, {"kaifeng.yml": [talk("a", speakers=["wang-xiaohong", "li-jianguoo"])]}
    )

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (
        written.line(KAIFENG, "- li-jianguoo"),
        "[0].speakers[1]",
    )
    assert "“li-jianguoo”不是宣讲团成员的 id；是不是想写“li-jianguo”？" in problem.message


def test_a_speaker_written_by_name_is_told_the_id(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", speakers=["赵铁柱"])]})

    problem = only_problem(load(written))

    assert problem.field == "[0].speakers[0]"
    assert "“赵铁柱”是成员的姓名；这里要写成员的 id：zhao-tiezhu" in problem.message


def test_a_speaker_twice_in_one_talk(tmp_path: Path) -> None:
    written = write(
        tmp_path, {"kaifeng.yml": [talk("a", speakers=["wang-xiaohong", "wang-xiaohong"])]}
    )

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (
        written.line(KAIFENG, "- wang-xiaohong", occurrence=2),
        "[0].speakers[1]",
    )


def test_member_fields_are_checked(tmp_path: Path) -> None:
    members = [
        {**MEMBERS[0], "category": "第一书记"},
        {**MEMBERS[1], "city": "新乡"},
        {**MEMBERS[2], "phone": "none"},
    ]
    written = write(tmp_path, {}, members=members)

    problems = sorted(load(written).problems)

    assert [(p.line, p.field) for p in problems] == [
        (written.line(MEMBERS_FILE, "category: 第一书记"), "[0].category"),
        (written.line(MEMBERS_FILE, "city: 新乡"), "[1].city"),
        (written.line(MEMBERS_FILE, "phone: none"), "[2].phone"),
    ]
    assert f"可选：{'、'.join(CATEGORIES)}" in problems[0].message
    assert "是不是想写“新乡市”？" in problems[1].message
    assert "不认识这个字段" in problems[2].message


def test_member_missing_bio_is_reported_at_its_item(tmp_path: Path) -> None:
    members = [{k: v for k, v in MEMBERS[0].items() if k != "bio"}, *MEMBERS[1:]]
    written = write(tmp_path, {}, members=members)

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (
        written.line(MEMBERS_FILE, "- id: wang-xiaohong"),
        "[0].bio",
    )
    assert "缺少必填字段" in problem.message


# -- places -------------------------------------------------------------------------------


def test_unknown_city_and_county_are_checked_against_the_gazetteer(tmp_path: Path) -> None:
    written = write(
        tmp_path,
        {
            "kaifeng.yml": [
                talk("a", city="开封", village=None),
                talk("b", county="辉县市", village=None),
            ]
        },
    )

    problems = sorted(load(written).problems)

    assert [(p.line, p.field) for p in problems] == [
        (written.line(KAIFENG, "city: 开封"), "[0].city"),
        (written.line(KAIFENG, "county: 辉县市"), "[1].county"),
    ]
    assert "“开封”不是河南省的省辖市；是不是想写“开封市”？" in problems[0].message
    assert "“辉县市”属于新乡市，不属于开封市" in problems[1].message


def test_unknown_village_suggests_a_known_one_in_the_county(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", village="张家庄村")]})

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (
        written.line(KAIFENG, "village: 张家庄村"),
        "[0].village",
    )
    assert "“张家庄村”不是兰考县已知的村庄" in problem.message
    assert "是不是想写“张庄村”？" in problem.message


def test_known_villages_include_village_profiles(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", village="东坝头村")]})
    villages = {("开封市", "兰考县", "东坝头村")}

    assert load(written, villages=villages).problems == ()


def test_a_talk_without_a_village_needs_only_a_venue(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", village=None, venue="县委党校礼堂")]})

    result = load(written)

    assert result.problems == ()
    assert result.troupe.talks[0].village is None
    assert result.troupe.talks[0].trail == ["开封市", "兰考县"]


def test_missing_venue_is_reported_at_the_talk(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", venue=None)]})

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (written.line(KAIFENG, "- id: a"), "[0].venue")


def test_renamed_county_is_accepted_with_a_hint(tmp_path: Path) -> None:
    written = write(
        tmp_path,
        {"luoyang.yml": [talk("a", city="洛阳市", county="孟津县", village=None)]},
    )

    result = load(written)

    assert result.problems == ()
    assert result.troupe.talks[0].county == "孟津区"
    line = written.line("docs/troupe/schedule/luoyang.yml", "county: 孟津县")
    assert any(
        hint.startswith(f"docs/troupe/schedule/luoyang.yml:{line}: [0].county: ")
        and "“孟津县”已更名为“孟津区”" in hint
        for hint in result.hints
    ), result.hints


# -- vocabularies and stories -------------------------------------------------------------


def test_invalid_status_lists_the_options(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", status="完成")]})

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (written.line(KAIFENG, "status: 完成"), "[0].status")
    assert "“完成”不是宣讲状态；是不是想写“已完成”？可选：计划、已完成、取消" in problem.message


def test_invalid_form_lists_the_options(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", form="文章")]})

    problem = only_problem(load(written))

    assert problem.field == "[0].form"
    assert "可选：微宣讲、戏剧、歌曲、曲艺、其他" in problem.message


def test_a_held_talk_links_its_stories(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", status="已完成", stories=[STORY_FOLDER])]})

    result = load(written)

    assert result.problems == ()
    assert [s.folder for s in result.troupe.talks[0].stories] == [STORY_FOLDER]


def test_story_that_does_not_exist(tmp_path: Path) -> None:
    written = write(
        tmp_path,
        {"kaifeng.yml": [talk("a", status="已完成", stories=["2021-03-12-zhangzhuang-guangfuu"])]},
    )

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (
        written.line(KAIFENG, "- 2021-03-12-zhangzhuang-guangfuu"),
        "[0].stories[0]",
    )
    assert "找不到稿件“2021-03-12-zhangzhuang-guangfuu”；是不是想写“" in problem.message


def test_story_that_exists_but_is_not_published(tmp_path: Path) -> None:
    folder = "2021-04-01-caogao"
    (tmp_path / "docs" / "stories" / folder).mkdir(parents=True)
    (tmp_path / "docs" / "stories" / folder / "index.md").write_text("---\n", encoding="utf-8")
    written = write(tmp_path, {"kaifeng.yml": [talk("a", status="已完成", stories=[folder])]})

    problem = only_problem(load(written))

    assert problem.field == "[0].stories[0]"
    assert "目前没有发布（是草稿，或还有待修正的问题）" in problem.message


def test_stories_only_on_held_talks(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", stories=[STORY_FOLDER])]})

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (written.line(KAIFENG, "stories:"), "[0].stories")
    assert "只有已经举行的宣讲（status: 已完成）才关联稿件" in problem.message


# -- personal data and malformed files ----------------------------------------------------


def test_phone_number_in_a_talk_field(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", title="报名电话13812345678")]})

    problem = only_problem(load(written))

    assert (problem.path, problem.line, problem.field) == (
        KAIFENG,
        written.line(KAIFENG, "title: 报名电话"),
        "[0].title",
    )
    assert "手机号码“138****5678”" in problem.message


def test_phone_number_in_a_comment_and_in_a_bio(tmp_path: Path) -> None:
    schedule = "# 联系人 139-1234-5678\n" + write_text_of([talk("a")])
    members = [{**MEMBERS[0], "bio": "有事打 +86 137 0000 1111"}, *MEMBERS[1:]]
    written = write(tmp_path, {"kaifeng.yml": schedule}, members=members)

    problems = sorted(load(written).problems)

    personal = [p for p in problems if "个人联系方式" in p.message]
    assert [(p.path, p.line, p.field) for p in personal] == [
        (MEMBERS_FILE, written.line(MEMBERS_FILE, "bio: 有事打"), "[0].bio"),
        (KAIFENG, 1, "注释"),
    ]
    # The member is not published, so neither is the talk that names it.
    (unpublished,) = [p for p in problems if p not in personal]
    assert (unpublished.path, unpublished.field) == (KAIFENG, "[0].speakers[0]")
    assert "wang-xiaohong" in unpublished.message and "目前没有发布" in unpublished.message


def write_text_of(talks: list[dict[str, object]]) -> str:
    from troupekit import talks_yaml

    return talks_yaml(talks)


def test_unknown_talk_field(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", speaker="wang-xiaohong")]})

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (
        written.line(KAIFENG, "speaker: wang-xiaohong"),
        "[0].speaker",
    )
    assert "是不是想写 speakers？" in problem.message


def test_a_schedule_that_is_not_a_list(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": "id: a\ndate: 2021-03-12\n"})

    problem = only_problem(load(written))

    assert (problem.path, problem.line, problem.field) == (KAIFENG, 1, "YAML")
    assert "应该是一个列表" in problem.message


def test_yaml_syntax_error_has_its_line(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": "- id: a\n  title: 张庄: 变化\n"})

    problem = only_problem(load(written))

    assert (problem.path, problem.line, problem.field) == (KAIFENG, 2, "YAML")


def test_stray_files_in_the_troupe_folder_are_named(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a")]})
    (written.docs / "troupe" / "schedule" / "xinxiang.txt").write_text("x", encoding="utf-8")
    (written.docs / "troupe" / "index.md").write_text("# 宣讲团", encoding="utf-8")

    problems = sorted(load(written).problems)

    assert [(p.path, p.field) for p in problems] == [
        ("docs/troupe/index.md", "文件"),
        ("docs/troupe/schedule/xinxiang.txt", "文件"),
    ]
    assert "要以 .yml 结尾" in problems[1].message


def test_a_talk_with_problems_is_left_out_and_the_others_stay(tmp_path: Path) -> None:
    written = write(
        tmp_path, {"kaifeng.yml": [talk("a", status="完成"), talk("b", date="2021-04-02")]}
    )

    result = load(written)

    assert len(result.problems) == 1
    assert talk_ids(result) == ["b"]


# -- the repository's sample data --------------------------------------------------------


def test_the_sample_troupe_is_valid_and_covers_the_contract() -> None:
    catalog = build_catalog(REPO_ROOT, REPO_ROOT / "docs", CampaignSettings(), include_drafts=False)
    troupe = catalog.troupe
    troupe_problems = [p for p in catalog.problems if p.path.startswith("docs/troupe/")]

    assert troupe_problems == []
    assert len(troupe.members) >= 8
    assert {m.category for m in troupe.members} == set(CATEGORIES)
    assert len(troupe.talks) >= 25
    assert len({t.city for t in troupe.talks}) >= 4
    weeks = {t.date.isocalendar()[:2] for t in troupe.talks}
    assert len(weeks) >= 8
    held_with_stories = [t for t in troupe.talks if t.held and t.stories]
    assert len(held_with_stories) >= 3
    assert sum(t.cancelled for t in troupe.talks) >= 2


# -- photos -------------------------------------------------------------------------------


def jpeg_with_exif(width: int, height: int, color: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    import io

    from PIL import Image

    image = Image.new("RGB", (width, height), color)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2021:03:12 09:30:00"  # DateTime
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def members_with_photo(tmp_path: Path, photo: bytes) -> Written:
    """王小红 with `photos/wang.jpg`; the other members without a photo."""
    members = [{**MEMBERS[0], "photo": "photos/wang.jpg"}, *MEMBERS[1:]]
    written = write(tmp_path, {}, members=members)
    (written.docs / "troupe" / "photos").mkdir()
    (written.docs / "troupe" / "photos" / "wang.jpg").write_bytes(photo)
    return written


def unique_photo(width: int = 1200, height: int = 900) -> bytes:
    """A photo no other test has encoded: its derived files cannot already be in a cache."""
    seed = int.from_bytes(os.urandom(3), "big")
    return jpeg_with_exif(width, height, ((seed >> 16) & 255, (seed >> 8) & 255, seed & 255))


def test_a_member_photo_is_published_small_and_without_metadata(tmp_path: Path) -> None:
    import io

    from huatuopin.media.pipeline import publish_media
    from PIL import Image

    written = members_with_photo(tmp_path, jpeg_with_exif(1200, 900))
    catalog = build_catalog(tmp_path, written.docs, CampaignSettings(), include_drafts=False)
    assert catalog.problems == ()
    member = catalog.troupe.members[0]
    assert member.photo == "photos/wang.jpg"

    published = publish_media(catalog, tmp_path, MediaSettings(), workers=1)

    assert published.member_photos == {"wang-xiaohong": "troupe/members/wang-xiaohong.jpg"}
    photo = published.outputs["troupe/members/wang-xiaohong.jpg"].read_bytes()
    with Image.open(io.BytesIO(photo)) as image:
        assert (image.format, image.size) == ("JPEG", (480, 360))
        assert not image.getexif()


def test_a_member_photo_goes_through_the_media_cache_and_a_warm_build_encodes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from huatuopin.media import pipeline
    from huatuopin.media.check import cache_for

    written = members_with_photo(tmp_path, unique_photo())
    catalog = build_catalog(tmp_path, written.docs, CampaignSettings(), include_drafts=False)
    cold = pipeline.publish_media(catalog, tmp_path, MediaSettings(), workers=1)
    assert cold.stats.encoded == 1
    # The key a story's photo of the same file has: what `make clean-cache` keeps.
    ref = catalog.troupe.members[0].photo_ref
    assert ref is not None and ref.field == "[0].photo"
    key, _ = pipeline.job_for(ref, cache_for(tmp_path, MediaSettings()), MediaSettings())
    assert cache_for(tmp_path, MediaSettings()).entry(key) is not None

    def no_encoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm build encoded a member photo")

    monkeypatch.setattr(pipeline, "_run_pool", no_encoding)
    monkeypatch.setattr(pipeline, "run_job", no_encoding)
    again = build_catalog(tmp_path, written.docs, CampaignSettings(), include_drafts=False)
    warm = pipeline.publish_media(again, tmp_path, MediaSettings(), workers=1)

    assert (warm.stats.encoded, warm.stats.reused) == (0, 1)
    assert warm.outputs == cold.outputs and warm.member_photos == cold.member_photos


def test_a_member_photo_damaged_after_the_check_stops_the_build_in_chinese(
    tmp_path: Path,
) -> None:
    from huatuopin.site import SiteBuild
    from mkdocs.exceptions import Abort

    written = members_with_photo(tmp_path, unique_photo())
    photo = written.docs / "troupe" / "photos" / "wang.jpg"
    catalog = build_catalog(tmp_path, written.docs, CampaignSettings(), include_drafts=False)
    assert catalog.problems == ()
    # Copied over with bytes that are no picture, keeping size and time: the check's probe
    # of the file is still taken as valid, so only the build's encoder meets the damage.
    stat = photo.stat()
    photo.write_bytes(b"x" * stat.st_size)
    os.utime(photo, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    build = SiteBuild(project_root=tmp_path, docs_dir=written.docs)

    with pytest.raises(Abort) as stopped:
        build._final_catalog()

    first_line = str(stopped.value).splitlines()[0]
    line = written.line(MEMBERS_FILE, "photo: photos/wang.jpg")
    assert first_line.startswith(f"{MEMBERS_FILE}:{line}: [0].photo: “photos/wang.jpg”")
    assert "不是图片" in first_line and "构建中止" in str(stopped.value)


@pytest.mark.parametrize(
    ("photo", "content", "words"),
    [
        ("photos/missing.jpg", None, "找不到文件“photos/missing.jpg”"),
        ("photos/notes.txt", b"hello", "不是照片"),
        ("photos/broken.jpg", b"\xff\xd8\xff\xe0 not really", "文件头已损坏"),
        ("../members.yml", None, "含有 ..，指向"),
    ],
)
def test_a_bad_member_photo_is_reported(
    tmp_path: Path, photo: str, content: bytes | None, words: str
) -> None:
    members = [{**MEMBERS[0], "photo": photo}, *MEMBERS[1:]]
    written = write(tmp_path, {}, members=members)
    (written.docs / "troupe" / "photos").mkdir()
    if content is not None:
        (written.docs / "troupe" / photo).write_bytes(content)

    problems = [p for p in load(written).problems if p.field == "[0].photo"]

    assert len(problems) == 1
    assert problems[0].line == written.line(MEMBERS_FILE, f"photo: {photo}")
    assert words in problems[0].message


def test_a_photo_no_member_uses_is_named(tmp_path: Path) -> None:
    written = write(tmp_path, {})
    (written.docs / "troupe" / "photos").mkdir()
    (written.docs / "troupe" / "photos" / "old.jpg").write_bytes(jpeg_with_exif(10, 10))

    problem = only_problem(load(written))

    assert (problem.path, problem.field) == ("docs/troupe/photos/old.jpg", "文件")
    assert "没有成员的 photo 用到这张照片" in problem.message


# -- positions, plain text and valid characters ----------------------------------------------


def test_messages_count_talks_from_one_while_the_field_keeps_the_index(tmp_path: Path) -> None:
    talks = [talk(f"t{n}", date=f"2021-03-{10 + n}") for n in range(4)]
    talks.append(talk("t4", date="2021-03-20", venue=None))
    written = write(tmp_path, {"kaifeng.yml": talks})

    problem = only_problem(load(written))

    assert (problem.field, problem.line) == ("[4].venue", written.line(KAIFENG, "- id: t4"))
    assert problem.message.startswith("第 5 场宣讲：缺少必填字段")


def test_a_member_that_is_not_fields_is_counted_from_one(tmp_path: Path) -> None:
    members = "\n".join(
        [
            "- id: wang-xiaohong",
            "  name: 王小红",
            "  category: 驻村第一书记",
            "  unit: 兰考县农业农村局",
            "  city: 开封市",
            "  bio: 在张庄村驻村四年。",
            "- 李建国",
        ]
    )
    written = write(tmp_path, {}, members=members + "\n")

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (written.line(MEMBERS_FILE, "- 李建国"), "[1]")
    assert problem.message.startswith("第 2 位成员应该是“字段: 值”的组合")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("venue", "<b>村委会广场</b>"),
        ("title", "张庄的变化<!-- 注释 -->"),
        ("venue", "村委会&lt;广场&gt;"),
        ("title", "<svg onload=alert(1)>"),
    ],
)
def test_markup_in_a_talk_field_is_a_problem(tmp_path: Path, field: str, value: str) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", **{field: f"'{value}'"})]})

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (written.line(KAIFENG, f"{field}: "), f"[0].{field}")
    assert "这里只能写文字，不能写 HTML 标记" in problem.message


@pytest.mark.parametrize("field", ["name", "unit", "bio"])
def test_markup_in_a_member_field_is_a_problem(tmp_path: Path, field: str) -> None:
    members = [{**MEMBERS[0], field: "'<i>王</i>'"}, *MEMBERS[1:]]
    written = write(tmp_path, {}, members=members)

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (
        written.line(MEMBERS_FILE, f"{field}: '<i>"),
        f"[0].{field}",
    )
    assert problem.message.startswith("第 1 位成员：这里只能写文字，不能写 HTML 标记")


@pytest.mark.parametrize(
    ("escape", "shown"), [("\\x01", "U+0001"), ("\\x7f", "U+007F"), ("\\ud800", "U+D800")]
)
def test_control_characters_and_surrogates_in_a_venue_are_problems(
    tmp_path: Path, escape: str, shown: str
) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", venue=f'"村委会{escape}广场"')]})

    result = load(written)

    problem = only_problem(result)
    assert (problem.line, problem.field) == (written.line(KAIFENG, "venue: "), "[0].venue")
    assert f"含有不能发布的字符 {shown}" in problem.message
    assert result.troupe.talks == ()


def test_full_width_comma_between_speakers_is_named(tmp_path: Path) -> None:
    schedule = talks_yaml([talk("a", speakers=None)]).replace(
        "  title:", "  speakers: [wang-xiaohong，li-jianguo]\n  title:"
    )
    written = write(tmp_path, {"kaifeng.yml": schedule})

    problem = only_problem(load(written))

    assert (problem.line, problem.field) == (
        written.line(KAIFENG, "speakers: ["),
        "[0].speakers[0]",
    )
    assert "用了中文逗号“，”" in problem.message
    assert "要用英文逗号 , 分开，例如 [wang-xiaohong, li-jianguo]" in problem.message


def test_text_after_a_hash_in_a_talk_is_a_hint(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("a", venue="村委会 #2 会议室")]})

    result = load(written)

    assert result.problems == ()
    assert result.troupe.talks[0].venue == "村委会"
    line = written.line(KAIFENG, "venue: ")
    assert [h for h in result.hints if h.startswith(f"{KAIFENG}:{line}: [0].venue: ")] == [
        f"{KAIFENG}:{line}: [0].venue: # 和它后面的文字被当作注释，没有算进值里"
        "（读到的只有“村委会”）；"
        '如果 # 是内容的一部分，请给整个值加上引号，写成 "村委会 #2 会议室"'
    ]


def test_talk_text_fields_keep_what_was_written(tmp_path: Path) -> None:
    written = write(tmp_path, {"kaifeng.yml": [talk("010", title="yes", venue="1.50")]})

    result = load(written)

    assert result.problems == ()
    read = result.troupe.talks[0]
    assert (read.id, read.title, read.venue) == ("010", "yes", "1.50")


def test_a_second_document_in_a_schedule_is_explained(tmp_path: Path) -> None:
    schedule = talks_yaml([talk("a")]) + "---\n" + talks_yaml([talk("b")])
    written = write(tmp_path, {"kaifeng.yml": schedule})

    problem = only_problem(load(written))

    assert (problem.path, problem.line, problem.field) == (
        KAIFENG,
        written.line(KAIFENG, "---"),
        "YAML",
    )
    assert "这一行的 --- 把文件分成了两份" in problem.message
