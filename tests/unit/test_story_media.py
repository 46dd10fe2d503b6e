"""Media references (cover, pairs, videos, audios, body images) and the consent they need."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from storykit import (
    BASE_BODY,
    DELETE,
    WrittenStory,
    only_problem,
    problems_text,
    write_story,
)

# Files every media test story has beside its index.md.
MEDIA_FILES = {
    "cover.jpg": b"jpg",
    "house-2016.jpg": b"jpg",
    "house-2021.jpg": b"jpg",
    "song.mp4": b"mp4",
    "song.vtt": b"WEBVTT\n",
    "song.srt": b"1\n",
    "kuaiban.m4a": b"m4a",
    "photos/road.jpg": b"jpg",
}


def pair(**changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "before": "house-2016.jpg",
        "after": "house-2021.jpg",
        "before_year": 2016,
        "after_year": 2021,
        "theme": "住房",
        "caption": "危房改造前后",
    }
    for key, value in changes.items():
        if value is DELETE:
            del item[key]
        else:
            item[key] = value
    return item


def video(**changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"file": "song.mp4", "caption": "村民合唱", "subtitles": "song.vtt"}
    item.update(changes)
    return item


def audio(**changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"file": "kuaiban.m4a", "caption": "快板《脱贫路上》"}
    item.update(changes)
    return item


def with_body(line: str) -> str:
    return f"{BASE_BODY}\n{line}\n\n结尾一段。\n"


@dataclass(frozen=True)
class Place:
    """Where a media reference is written, and where its problem is reported."""

    name: str
    overrides: Callable[[str], dict[str, Any]]
    body: Callable[[str], str]
    field: str
    needle: Callable[[str], str]  # the text on the line the problem points at
    prefix: str = ""  # body images prefix the message with 图片


PLACES = [
    Place("cover", lambda ref: {"cover": ref}, lambda _: BASE_BODY, "cover", lambda _: "cover:"),
    Place(
        "pair-before",
        lambda ref: {"pairs": [pair(before=ref)]},
        lambda _: BASE_BODY,
        "pairs[0].before",
        lambda _: "before:",
    ),
    Place(
        "pair-after",
        lambda ref: {"pairs": [pair(after=ref)]},
        lambda _: BASE_BODY,
        "pairs[0].after",
        lambda _: "after:",
    ),
    Place(
        "video-file",
        lambda ref: {"videos": [video(file=ref)]},
        lambda _: BASE_BODY,
        "videos[0].file",
        lambda _: "file:",
    ),
    Place(
        "video-subtitles",
        lambda ref: {"videos": [video(subtitles=ref)]},
        lambda _: BASE_BODY,
        "videos[0].subtitles",
        lambda _: "subtitles:",
    ),
    Place(
        "audio-file",
        lambda ref: {"audios": [audio(file=ref)]},
        lambda _: BASE_BODY,
        "audios[0].file",
        lambda _: "file:",
    ),
    Place(
        "body-markdown-image",
        lambda _: {},
        lambda ref: with_body(f"![村口的路]({ref})"),
        "正文",
        lambda _: "![村口的路]",
        prefix="图片",
    ),
    Place(
        "body-html-image",
        lambda _: {},
        lambda ref: with_body(f'<img src="{ref}" alt="村口的路">'),
        "正文",
        lambda _: "<img src=",
        prefix="图片",
    ),
]


def write_media_story(root: Path, place: Place, reference: str) -> WrittenStory:
    overrides = {"consent": True, **place.overrides(reference)}
    story = write_story(root, overrides, place.body(reference), files=MEDIA_FILES)
    (root / "outside.jpg").write_bytes(b"jpg")
    (story.folder / "escape.jpg").symlink_to(root / "outside.jpg")
    (story.folder / "inside-link.jpg").symlink_to(story.folder / "cover.jpg")
    return story


# (reference, phrase the message must contain)
BAD_REFERENCES = [
    pytest.param("nothere.jpg", "找不到文件“nothere.jpg”", id="missing"),
    pytest.param("/etc/passwd.jpg", "是绝对路径", id="absolute"),
    pytest.param("~/photos/a.jpg", "是绝对路径", id="home"),
    pytest.param("../2021-01-01-other/a.jpg", "含有 ..，指向稿件文件夹之外", id="dotdot"),
    pytest.param("photos/../../../outside.jpg", "含有 ..", id="dotdot-inside"),
    pytest.param("escape.jpg", "是指向稿件文件夹之外的链接", id="symlink-outside"),
    pytest.param("https://example.com/a.jpg", "是网络地址", id="url"),
    pytest.param("//cdn.example.com/a.jpg", "是网络地址", id="scheme-relative-url"),
    pytest.param("data:image/png;base64,AAAA", "是网络地址", id="data-url"),
    pytest.param("photos", "是文件夹，不是文件", id="directory"),
    pytest.param("photos\\road.jpg", "用了反斜杠", id="backslash"),
    pytest.param("长" * 200 + ".jpg", "不是可用的文件名", id="name-too-long"),
]


@pytest.mark.parametrize("place", PLACES, ids=lambda p: p.name)
@pytest.mark.parametrize(("reference", "phrase"), BAD_REFERENCES)
def test_bad_media_reference_is_placed_at_its_field(
    tmp_path: Path, place: Place, reference: str, phrase: str
) -> None:
    story = write_media_story(tmp_path, place, reference)

    problem = only_problem(story.load())
    assert (problem.path, problem.field) == (story.rel, place.field)
    assert problem.line == story.line(place.needle(reference))
    assert problem.message.startswith(place.prefix)
    assert phrase in problem.message


@pytest.mark.parametrize("place", PLACES, ids=lambda p: p.name)
@pytest.mark.parametrize("reference", ["photos/road.jpg", "inside-link.jpg"])
def test_file_inside_the_folder_is_accepted(tmp_path: Path, place: Place, reference: str) -> None:
    if place.name == "video-subtitles":
        reference = "song.vtt"
    story = write_media_story(tmp_path, place, reference)

    result = story.load()
    assert result.problems == (), problems_text(result.problems)
    assert result.story is not None


def test_nul_character_in_a_file_name_is_a_problem(tmp_path: Path) -> None:
    story = write_story(tmp_path, {"cover": "cover\x00.jpg", "consent": True}, files=MEDIA_FILES)

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line("cover:"), "cover")
    assert "含有不能发布的字符 U+0000" in problem.message


def test_missing_file_suggests_a_similar_name(tmp_path: Path) -> None:
    story = write_story(tmp_path, {"cover": "covr.jpg", "consent": True}, files=MEDIA_FILES)

    problem = only_problem(story.load())
    assert "是不是“cover.jpg”？" in problem.message
    assert f"文件要放在 {story.folder.name}/ 文件夹里，文件名区分大小写" in problem.message


def test_valid_media_reach_the_story(tmp_path: Path) -> None:
    story = write_story(
        tmp_path,
        {
            "cover": "cover.jpg",
            "pairs": [pair()],
            "videos": [video()],
            "audios": [audio()],
            "consent": True,
        },
        with_body("![村口的路](photos/road.jpg)"),
        files=MEDIA_FILES,
    )

    result = story.load()
    assert result.problems == (), problems_text(result.problems)
    record = result.story
    assert record is not None
    assert record.cover == "cover.jpg"
    assert [(p.before, p.after, p.before_year, p.theme) for p in record.pairs] == [
        ("house-2016.jpg", "house-2021.jpg", 2016, "住房")
    ]
    assert [(v.file, v.subtitles) for v in record.videos] == [("song.mp4", "song.vtt")]
    assert [a.file for a in record.audios] == ["kuaiban.m4a"]
    assert record.body_images == ("photos/road.jpg",)
    assert record.consent is True


# -- consent ------------------------------------------------------------------------------------

MEDIA_KINDS = [
    pytest.param({"cover": "cover.jpg"}, BASE_BODY, id="cover"),
    pytest.param({"pairs": [pair()]}, BASE_BODY, id="pair"),
    pytest.param({"videos": [video()]}, BASE_BODY, id="video"),
    pytest.param({"audios": [audio()]}, BASE_BODY, id="audio"),
    pytest.param({}, with_body("![村口](photos/road.jpg)"), id="body-markdown-image"),
    pytest.param({}, with_body('<img src="photos/road.jpg" alt="村口">'), id="body-html-image"),
]


@pytest.mark.parametrize(("overrides", "body"), MEDIA_KINDS)
def test_media_without_consent_is_placed_at_opening_fence(
    tmp_path: Path, overrides: dict[str, Any], body: str
) -> None:
    story = write_story(tmp_path, overrides, body, files=MEDIA_FILES)

    problem = only_problem(story.load())
    assert (problem.path, problem.line, problem.field) == (story.rel, 1, "consent")
    assert "需要写 consent: true" in problem.message
    assert "同意公开发布" in problem.message


@pytest.mark.parametrize(("overrides", "body"), MEDIA_KINDS)
def test_media_with_consent_false_is_placed_at_consent(
    tmp_path: Path, overrides: dict[str, Any], body: str
) -> None:
    story = write_story(tmp_path, {**overrides, "consent": False}, body, files=MEDIA_FILES)

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line("consent:"), "consent")
    assert "需要写 consent: true" in problem.message


@pytest.mark.parametrize(("overrides", "body"), MEDIA_KINDS)
def test_media_with_consent_true_is_accepted(
    tmp_path: Path, overrides: dict[str, Any], body: str
) -> None:
    story = write_story(tmp_path, {**overrides, "consent": True}, body, files=MEDIA_FILES)

    assert story.load().problems == ()


def test_story_without_media_needs_no_consent(tmp_path: Path) -> None:
    story = write_story(tmp_path, files=MEDIA_FILES)  # files present but not shown

    assert story.load().problems == ()


# -- pairs, videos, audios ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "key", ["before", "after", "before_year", "after_year", "theme", "caption"]
)
def test_every_pair_key_is_required(tmp_path: Path, key: str) -> None:
    story = write_story(
        tmp_path, {"pairs": [pair(**{key: DELETE})], "consent": True}, files=MEDIA_FILES
    )

    problem = only_problem(story.load())
    # A missing key is placed at the start of its pair: the line after `pairs:`.
    assert (problem.line, problem.field) == (story.line("pairs:") + 1, f"pairs[0].{key}")
    assert "缺少必填字段" in problem.message


@pytest.mark.parametrize(
    ("changes", "field", "phrase"),
    [
        ({"before_year": "二〇一六"}, "before_year", "应该是整数，现在是“二〇一六”"),
        ({"before_year": "2016年"}, "before_year", "请只写数字"),
        ({"after_year": 2021.5}, "after_year", "应该是整数"),
        ({"before_year": 1800}, "before_year", "1800 超出合理范围（1949～2030）"),
        ({"before_year": 2021, "after_year": 2016}, "after_year", "2016 早于 before_year 2021"),
        ({"theme": "房子"}, "theme", "可选：住房、道路、饮水、产业、教育、医疗、村容、其他"),
        ({"theme": "住房条件"}, "theme", "是不是想写“住房”？"),
        ({"caption": "长" * 121}, "caption", "最多 120 个字"),
    ],
)
def test_pair_values_are_checked(
    tmp_path: Path, changes: dict[str, Any], field: str, phrase: str
) -> None:
    story = write_story(tmp_path, {"pairs": [pair(**changes)], "consent": True}, files=MEDIA_FILES)

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line(f"{field}:"), f"pairs[0].{field}")
    assert phrase in problem.message


def test_second_pair_is_named_with_its_index(tmp_path: Path) -> None:
    pairs = [pair(), pair(before="road-2015.jpg", theme="道路")]
    story = write_story(tmp_path, {"pairs": pairs, "consent": True}, files=MEDIA_FILES)

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line("road-2015.jpg"), "pairs[1].before")


def test_misspelt_pair_key_suggests_the_right_one(tmp_path: Path) -> None:
    item = pair(caption=DELETE)
    item["captoin"] = "危房改造前后"
    story = write_story(tmp_path, {"pairs": [item], "consent": True}, files=MEDIA_FILES)

    by_field = {p.field: p for p in story.load().problems}
    assert set(by_field) == {"pairs[0].captoin", "pairs[0].caption"}
    assert by_field["pairs[0].captoin"].line == story.line("captoin:")
    assert "是不是想写 caption？" in by_field["pairs[0].captoin"].message


def test_pairs_written_as_a_mapping_asks_for_a_list(tmp_path: Path) -> None:
    story = write_story(tmp_path, {"pairs": pair(), "consent": True}, files=MEDIA_FILES)

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line("pairs:"), "pairs")
    assert "应该是列表" in problem.message


def test_subtitles_must_be_webvtt(tmp_path: Path) -> None:
    story = write_story(
        tmp_path, {"videos": [video(subtitles="song.srt")], "consent": True}, files=MEDIA_FILES
    )

    problem = only_problem(story.load())
    assert (problem.line, problem.field) == (story.line("subtitles:"), "videos[0].subtitles")
    assert "“song.srt”不是 WebVTT 字幕" in problem.message


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"videos": [{"file": "song.mp4"}]}, "videos[0].caption"),
        ({"audios": [{"caption": "快板"}]}, "audios[0].file"),
    ],
)
def test_video_and_audio_keys_are_required(
    tmp_path: Path, overrides: dict[str, Any], field: str
) -> None:
    story = write_story(tmp_path, {**overrides, "consent": True}, files=MEDIA_FILES)

    problem = only_problem(story.load())
    assert problem.field == field
    list_key = field.split("[")[0]
    assert problem.line == story.line(f"{list_key}:") + 1  # the start of the item
    assert "缺少必填字段" in problem.message
