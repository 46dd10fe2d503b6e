"""Personal numbers in every channel that reaches the site, each a problem at `path:line:
field`: story fields and body (alt text and image names included), the story's folder name,
village profile names, fields and body, subtitle cues, and the troupe's files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import mediakit
import pytest
import troupekit
import yaml
from huatuopin.catalog import build_catalog
from huatuopin.media.cache import CACHE_DIR
from huatuopin.problems import Problem
from huatuopin.settings import CampaignSettings
from personalkit import CARD_16, ID, ID_X, UNIONPAY_19, full_width, grouped
from storykit import BASE_BODY, FAKE_JPEG, only_one, problems_text, write_story

SETTINGS = CampaignSettings()
NBSP = "\u00a0"
MEDIA = {"cover.jpg": FAKE_JPEG, "before.jpg": FAKE_JPEG, "after.jpg": FAKE_JPEG}


def catalog_problems(root: Path) -> list[Problem]:
    return list(build_catalog(root, root / "docs", SETTINGS, include_drafts=True).problems)


def assert_personal(problem: Problem, noun: str) -> None:
    assert noun in problem.message, problem
    assert "请删除" in problem.message
    assert "***" in problem.message  # masked


def pair(caption: str = "危房改造前后") -> dict[str, Any]:
    return {
        "before": "before.jpg",
        "after": "after.jpg",
        "before_year": 2016,
        "after_year": 2021,
        "theme": "住房",
        "caption": caption,
    }


# -- story front-matter -------------------------------------------------------------------


STORY_FIELDS = [
    # (overrides, text of the field's line, field, kind)
    pytest.param({"title": "老李 138 1234 5678"}, "title:", "title", "手机号码", id="title"),
    pytest.param(
        {"summary": f"联系：{full_width('13812345678')}"},
        "summary:",
        "summary",
        "手机号码",
        id="summary-full-width",
    ),
    pytest.param({"tags": ["光伏", "138.1234.5678"]}, "138.1234", "tags[1]", "手机号码", id="tag"),
    pytest.param(
        {"authors": [{"name": "王小红 +86 13812345678", "role": "媒体记者"}]},
        "name:",
        "authors[0].name",
        "手机号码",
        id="author-name",
    ),
    pytest.param(
        {
            "authors": [
                {"name": "王小红", "role": "媒体记者", "org": f"开封日报 {grouped(ID, (6, 8, 4))}"}
            ]
        },
        "org:",
        "authors[0].org",
        "身份证号码",
        id="author-org-id-in-groups",
    ),
    pytest.param(
        {"township": "东坝头镇 0086-138-1234-5678"},
        "township:",
        "township",
        "手机号码",
        id="township",
    ),
    pytest.param(
        {"village": "张庄村\u3000138\u30001234\u30005678"},
        "village:",
        "village",
        "手机号码",
        id="village-ideographic-spaces",
    ),
    pytest.param(
        {"pairs": [pair(f"卡号 {grouped(UNIONPAY_19, (4, 4, 4, 4, 3), '.')}")], "consent": True},
        "caption:",
        "pairs[0].caption",
        "银行卡号",
        id="pair-caption-alt-text",
    ),
    pytest.param(
        {"cover": "138-1234-5678.jpg", "consent": True},
        "cover:",
        "cover",
        "手机号码",
        id="media-file-name",
    ),
    pytest.param({"summary": 13812345678}, "summary:", "summary", "手机号码", id="yaml-number"),
]


@pytest.mark.parametrize(("overrides", "needle", "field", "noun"), STORY_FIELDS)
def test_personal_number_in_a_story_field(
    tmp_path: Path, overrides: dict[str, Any], needle: str, field: str, noun: str
) -> None:
    files = {**MEDIA, "138-1234-5678.jpg": FAKE_JPEG}
    story = write_story(tmp_path, overrides, files=files)

    problems = [p for p in story.load().problems if p.field == field]

    problem = only_one([p for p in problems if noun in p.message])
    assert (problem.path, problem.line) == (story.rel, story.line(needle))
    assert_personal(problem, noun)


def test_escaped_digits_in_a_double_quoted_value(tmp_path: Path) -> None:
    """YAML turns "\\u0031\\u0033\\u0038…" into 138…: what is published is what counts."""
    story = write_story(tmp_path, {"summary": "SUMMARY"})
    escaped = "".join(f"\\u{ord(c):04x}" for c in "13812345678")
    story.index.write_text(story.text.replace("SUMMARY", f'"{escaped}"'), encoding="utf-8")

    problem = only_one(story.load().problems)
    assert (problem.line, problem.field) == (story.line("summary:"), "summary")
    assert_personal(problem, "手机号码")


# -- story body -----------------------------------------------------------------------------


BODY_CASES = [
    pytest.param("![李大爷，电话 138 1234 5678](cover.jpg)", "![李大爷", "手机号码", id="alt-text"),
    pytest.param(
        "![照片](zhang-13812345678.jpg)", "![照片](zhang", "手机号码", id="image-file-name"
    ),
    pytest.param(
        f"他的身份证号是 {ID_X[:6]}\n{ID_X[6:]}，不能登。",
        "他的身份证号",
        "身份证号码",
        id="id-over-two-lines",
    ),
    pytest.param(
        f"分红打到 {grouped(CARD_16, (4, 4, 4, 4), NBSP)} 上。",
        "分红打到",
        "银行卡号",
        id="card-no-break-spaces",
    ),
    pytest.param(
        "电话：１３８·１２３４·５６７８", "电话：", "手机号码", id="mobile-full-width-dots"
    ),
]


@pytest.mark.parametrize(("text", "needle", "noun"), BODY_CASES)
def test_personal_number_in_the_body(tmp_path: Path, text: str, needle: str, noun: str) -> None:
    files = {**MEDIA, "zhang-13812345678.jpg": FAKE_JPEG}
    story = write_story(tmp_path, {"consent": True}, f"{BASE_BODY}\n{text}\n", files=files)

    problem = only_one(story.load().problems)
    assert (problem.path, problem.line, problem.field) == (story.rel, story.line(needle), "正文")
    assert_personal(problem, noun)


# -- story folder name ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "folder",
    ["2021-03-12-13812345678", "2021-03-12-zhang-138-1234-5678", "2021-03-12-lao8613812345678"],
)
def test_personal_number_in_the_folder_name(tmp_path: Path, folder: str) -> None:
    story = write_story(tmp_path, folder=folder)

    problem = only_one(story.load().problems)
    assert str(problem).startswith(f"docs/stories/{folder}/index.md:1: 文件夹名: 含有手机号码")
    assert "网址" in problem.message
    assert_personal(problem, "手机号码")


def test_a_dated_folder_name_is_not_a_number(tmp_path: Path) -> None:
    story = write_story(tmp_path, folder="2021-03-12-zhangzhuang-2016-2021")

    assert story.load().problems == ()


# -- village profiles -----------------------------------------------------------------------

PROFILE: dict[str, Any] = {
    "name": "张庄村",
    "township": "东坝头镇",
    "county": "兰考县",
    "city": "开封市",
    "industries": ["光伏发电"],
    "first_secretaries": [{"name": "韩立群", "unit": "兰考县农业农村局", "from": "2017-09"}],
}


def write_profile(
    root: Path, path: str, overrides: dict[str, Any] | None = None, body: str = "## 村情\n\n好。\n"
) -> tuple[str, list[str]]:
    target = root / "docs" / "villages" / path
    target.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump({**PROFILE, **(overrides or {})}, allow_unicode=True, sort_keys=False)
    text = f"---\n{front}---\n\n{body}"
    target.write_text(text, encoding="utf-8")
    return target.relative_to(root).as_posix(), text.split("\n")


def line_of(lines: list[str], needle: str) -> int:
    return next(n for n, text in enumerate(lines, start=1) if needle in text)


@pytest.mark.parametrize(
    "path",
    [
        "kaifeng/lankao/zhang-13812345678.md",
        "kaifeng/lankao/zhang-138-1234-5678.md",
        "kaifeng/lankao/zhang-8613812345678.md",
    ],
)
def test_personal_number_in_a_village_file_name(tmp_path: Path, path: str) -> None:
    rel, _ = write_profile(tmp_path, path)

    problem = only_one([p for p in catalog_problems(tmp_path) if p.path == rel])
    assert str(problem).startswith(f"{rel}:1: 文件名: 含有手机号码")
    assert_personal(problem, "手机号码")


def test_personal_numbers_in_a_village_profile_text(tmp_path: Path) -> None:
    body = "## 村情\n\n村里的服务热线：\n+86 138 1234\n5678。\n"
    overrides = {
        "industries": ["光伏发电", "联系 １３９．１２３４．５６７８"],
        "first_secretaries": [
            {
                "name": "韩立群",
                "unit": f"农业农村局 {grouped(ID, (6, 4, 4, 4), '-')}",
                "from": "2017-09",
            }
        ],
    }
    rel, lines = write_profile(tmp_path, "kaifeng/lankao/zhangzhuang.md", overrides, body)

    found = sorted(p for p in catalog_problems(tmp_path) if p.path == rel)
    assert [(p.line, p.field) for p in found] == [
        (line_of(lines, "联系 "), "industries[1]"),
        (line_of(lines, "unit:"), "first_secretaries[0].unit"),
        (line_of(lines, "+86 138"), "正文"),
    ], problems_text(found)
    assert "身份证号码" in found[1].message


# -- subtitles ------------------------------------------------------------------------------

VTT = """WEBVTT - 村民合唱

NOTE 字幕由驻村工作队整理

1
00:00:00.000 --> 00:00:01.000
大家好，有事打 138 1234 5678

2
00:00:01.000 --> 00:00:02.000 line:0
卡号 {card}
结束

00:00:02.000 --> 00:00:03.500
谢谢 2016 2017 2018 2019
"""


def subtitled_story(root: Path, vtt: str) -> tuple[Path, str]:
    clip = mediakit.make_video(root / "clip.mp4", size="160x120", seconds=1)
    item = {"file": "clip.mp4", "caption": "合唱", "subtitles": "sub/clip.vtt"}
    story = write_story(
        root,
        {"videos": [item], "consent": True},
        files={"clip.mp4": clip.read_bytes(), "sub/clip.vtt": vtt.encode("utf-8")},
    )
    return story.folder / "sub" / "clip.vtt", story.rel


def vtt_line(path: Path, needle: str) -> int:
    return line_of(path.read_text(encoding="utf-8").split("\n"), needle)


def test_personal_numbers_in_subtitles_are_at_the_vtt_lines(tmp_path: Path) -> None:
    vtt, story_rel = subtitled_story(
        tmp_path, VTT.format(card=grouped(UNIONPAY_19, (4, 4, 4, 4, 3)))
    )
    vtt_rel = vtt.relative_to(tmp_path).as_posix()

    catalog = build_catalog(tmp_path, tmp_path / "docs", SETTINGS, include_drafts=True)

    assert [(p.path, p.line, p.field) for p in sorted(catalog.problems)] == [
        (vtt_rel, vtt_line(vtt, "有事打"), "字幕"),
        (vtt_rel, vtt_line(vtt, "卡号"), "字幕"),
    ], problems_text(catalog.problems)
    assert "手机号码" in sorted(catalog.problems)[0].message
    assert "银行卡号" in sorted(catalog.problems)[1].message
    assert catalog.stories == ()  # rejected: never published, its subtitles neither
    assert story_rel not in {p.path for p in catalog.problems}


def test_timestamps_and_the_header_are_not_numbers(tmp_path: Path) -> None:
    vtt = (
        "WEBVTT 20210312\n\n01:38:12.345 --> 01:38:15.678\n第一句\n\n"
        "13:81:23.456 --> 13:81:25.000\n第二句\n"
    )
    subtitled_story(tmp_path, vtt)

    assert catalog_problems(tmp_path) == []


def test_a_header_comment_in_subtitles_is_scanned_too(tmp_path: Path) -> None:
    subtitled_story(tmp_path, "WEBVTT 联系 13812345678\n\n00:00:00.000 --> 00:00:01.000\n好\n")

    problem = only_one(catalog_problems(tmp_path))
    assert (problem.line, problem.field) == (1, "字幕")


@pytest.mark.usefixtures("private_media_cache")
def test_subtitles_read_before_this_check_are_read_again(tmp_path: Path) -> None:
    """A cache entry from before cues were scanned must not hide a number in them."""
    subtitled_story(tmp_path, VTT.format(card="无"))
    assert len(catalog_problems(tmp_path)) == 1
    records = list((tmp_path / CACHE_DIR / "sources").rglob("*.json"))
    for record in records:
        data = json.loads(record.read_text(encoding="utf-8"))
        if "vtt" in data["facts"]:
            data["facts"]["vtt"] = {"valid": True}  # what the cache held before
            record.write_text(json.dumps(data), encoding="utf-8")

    problem = only_one(catalog_problems(tmp_path))
    assert (problem.field, "手机号码" in problem.message) == ("字幕", True)


# -- troupe ---------------------------------------------------------------------------------


def test_personal_numbers_in_troupe_files(tmp_path: Path) -> None:
    members = [
        {**troupekit.MEMBERS[0], "bio": "有事打 138 1234 5678"},
        {**troupekit.MEMBERS[1], "unit": f"扶贫办 {full_width(ID)}"},
        *troupekit.MEMBERS[2:],
    ]
    schedule = "# 联系人 139.1234.5678\n" + troupekit.talks_yaml(
        [troupekit.talk("a", venue="村委会广场（0086 137 0000 1111）")]
    )
    written = troupekit.write(tmp_path, {"kaifeng.yml": schedule}, members=members)
    kaifeng = "docs/troupe/schedule/kaifeng.yml"
    members_file = "docs/troupe/members.yml"

    result = troupekit.load(written)
    problems = sorted(result.problems)

    assert [(p.path, p.line, p.field) for p in problems] == [
        (members_file, written.line(members_file, "bio: 有事打"), "[0].bio"),
        (members_file, written.line(members_file, "unit: 扶贫办"), "[1].unit"),
        (kaifeng, 1, "注释"),
        (kaifeng, written.line(kaifeng, "venue:"), "[0].venue"),
    ], problems_text(problems)
    assert "身份证号码" in problems[1].message
    # Never published, not even by `make serve`, which publishes what has no problem.
    assert [m.id for m in result.troupe.members] == [troupekit.MEMBERS[2]["id"]]
    assert result.troupe.talks == ()


def test_escaped_digits_in_a_troupe_file(tmp_path: Path) -> None:
    escaped = "".join(f"\\u{ord(c):04x}" for c in "13812345678")
    schedule = troupekit.talks_yaml([troupekit.talk("a", title=f'"报名 {escaped}"')])
    written = troupekit.write(tmp_path, {"kaifeng.yml": schedule})
    kaifeng = "docs/troupe/schedule/kaifeng.yml"

    problem = only_one(troupekit.load(written).problems)
    assert (problem.path, problem.line, problem.field) == (
        kaifeng,
        written.line(kaifeng, "title:"),
        "[0].title",
    )
    assert_personal(problem, "手机号码")
