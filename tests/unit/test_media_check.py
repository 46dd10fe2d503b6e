"""Hostile and broken media: each gets its own clear problem at its field's line, via the same
Catalog that `make check` and `make build` use; nothing crashes, nothing hangs."""

from __future__ import annotations

import struct
from dataclasses import replace
from pathlib import Path
from typing import Any

import mediakit
import pytest
from huatuopin.catalog import build_catalog
from huatuopin.media import check as media_check
from huatuopin.media import ffmpeg as media_ffmpeg
from huatuopin.media.settings import MediaSettings
from huatuopin.problems import Problem
from huatuopin.settings import CampaignSettings
from storykit import BASE_BODY, WrittenStory, problems_text, write_story

SETTINGS = CampaignSettings()


def catalog_problems(root: Path, settings: CampaignSettings = SETTINGS) -> list[Problem]:
    catalog = build_catalog(root, root / "docs", settings, include_drafts=True)
    return list(catalog.problems)


def pair(before: str = "before.jpg", after: str = "after.jpg") -> dict[str, Any]:
    return {
        "before": before,
        "after": after,
        "before_year": 2016,
        "after_year": 2021,
        "theme": "住房",
        "caption": "危房改造前后",
    }


GOOD = {"before.jpg": mediakit.small_jpeg(), "after.jpg": mediakit.small_jpeg()}


def media_story(
    root: Path, overrides: dict[str, Any], files: dict[str, bytes], body: str = BASE_BODY
) -> WrittenStory:
    return write_story(root, {**overrides, "consent": True}, body, files={**GOOD, **files})


def the_problem(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems_text(problems)
    return problems[0]


def test_valid_media_have_no_problem(tmp_path: Path) -> None:
    video = mediakit.make_video(tmp_path / "clip.mp4", size="320x240")
    audio = mediakit.make_audio(tmp_path / "song.m4a")
    media_story(
        tmp_path,
        {
            "cover": "before.jpg",
            "pairs": [pair()],
            "videos": [{"file": "clip.mp4", "caption": "合唱", "subtitles": "clip.vtt"}],
            "audios": [{"file": "song.m4a", "caption": "快板"}],
        },
        {
            "clip.mp4": video.read_bytes(),
            "song.m4a": audio.read_bytes(),
            "clip.vtt": "WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n大家好\n".encode(),
            "photos/road.jpg": mediakit.small_jpeg(),
        },
        body=f"{BASE_BODY}\n![村口的路](photos/road.jpg)\n",
    )
    catalog = build_catalog(tmp_path, tmp_path / "docs", SETTINGS, include_drafts=True)
    assert catalog.problems == (), problems_text(catalog.problems)
    (story,) = catalog.stories
    fields = [ref.field for ref in story.media.refs]
    assert fields == [
        "cover",
        "pairs[0].before",
        "pairs[0].after",
        "videos[0].file",
        "videos[0].subtitles",
        "audios[0].file",
        "正文",
    ]
    assert all(ref.sha256 for ref in story.media.refs)


# (file name, bytes or a factory, phrase in the message) for the pair's `before` photo.
HOSTILE_IMAGES = [
    pytest.param("bomb.png", mediakit.png_bomb, "30000×30000", id="decompression-bomb"),
    pytest.param("cut.jpg", mediakit.truncated_jpeg, "不完整", id="truncated-jpeg"),
    pytest.param("note.jpg", mediakit.text_as_jpeg, "文本文件", id="text-named-jpg"),
    pytest.param("scan.bmp", lambda: mediakit.image_bytes("BMP"), "BMP 格式", id="bmp"),
    pytest.param("scan.tif", lambda: mediakit.image_bytes("TIFF"), "TIFF 格式", id="tiff"),
    pytest.param("iphone.heic", lambda: mediakit.HEIC_HEAD, "HEIC", id="heic"),
    pytest.param("zero.jpg", lambda: b"", "空文件", id="empty"),
]


@pytest.mark.parametrize(("name", "make", "phrase"), HOSTILE_IMAGES)
def test_hostile_image_is_reported_at_its_field(
    tmp_path: Path, name: str, make: Any, phrase: str
) -> None:
    story = media_story(tmp_path, {"pairs": [pair(before=name)]}, {name: make()})
    problem = the_problem(catalog_problems(tmp_path))
    assert (problem.path, problem.line, problem.field) == (
        story.rel,
        story.line("before:"),
        "pairs[0].before",
    )
    assert problem.message.startswith(f"“{name}”")
    assert phrase in problem.message


def test_hostile_body_image_is_reported_at_its_line(tmp_path: Path) -> None:
    body = f"{BASE_BODY}\n![村口](note.jpg)\n"
    story = media_story(tmp_path, {}, {"note.jpg": mediakit.text_as_jpeg()}, body=body)
    problem = the_problem(catalog_problems(tmp_path))
    assert (problem.line, problem.field) == (story.line("![村口](note.jpg)"), "正文")
    assert "文本文件" in problem.message


def test_oversized_files_are_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = replace(SETTINGS, media=MediaSettings(max_image_mb=0.01))
    story = media_story(
        tmp_path,
        {"cover": "big.jpg"},
        {"big.jpg": mediakit.small_jpeg((1600, 1200), (1, 2, 3)) + b"\0" * 20_000},
    )

    def no_reading(*args: object) -> None:
        raise AssertionError("an oversized file was read")

    monkeypatch.setattr(media_check, "sha256_of", no_reading)
    monkeypatch.setattr(media_check, "_probe", no_reading)
    problem = the_problem(catalog_problems(tmp_path, settings))
    assert (problem.line, problem.field) == (story.line("cover:"), "cover")
    assert "超过照片文件上限" in problem.message and "extra.media" in problem.message


@pytest.mark.usefixtures("private_media_cache")
def test_pixel_limit_comes_from_settings(tmp_path: Path) -> None:
    settings = replace(SETTINGS, media=MediaSettings(max_image_megapixels=0.1))
    media_story(tmp_path, {"cover": "before.jpg"}, {})
    problem = the_problem(catalog_problems(tmp_path, settings))
    assert "640×480" in problem.message and "超过上限" in problem.message
    # Raising the limit again finds the file usable (the cached probe is not trusted blindly).
    assert catalog_problems(tmp_path) == []


def video_story(tmp_path: Path, name: str, data: bytes, key: str = "videos") -> WrittenStory:
    item = {"file": name, "caption": "片段"}
    return media_story(tmp_path, {key: [item]}, {name: data})


def test_corrupt_video(tmp_path: Path) -> None:
    story = video_story(
        tmp_path, "broken.mp4", b"\x00\x00\x00\x20ftypisom" + bytes(range(256)) * 40
    )
    problem = the_problem(catalog_problems(tmp_path))
    assert (problem.line, problem.field) == (story.line("file: broken.mp4"), "videos[0].file")
    assert "无法读取" in problem.message


def test_truncated_video(tmp_path: Path) -> None:
    clip = mediakit.make_video(tmp_path / "clip.mp4", size="320x240").read_bytes()
    video_story(tmp_path, "cut.mp4", clip[: len(clip) // 2])
    problem = the_problem(catalog_problems(tmp_path))
    assert "无法读取" in problem.message


def test_text_and_photo_named_as_video(tmp_path: Path) -> None:
    video_story(tmp_path, "note.mp4", mediakit.text_as_jpeg())
    assert "文本文件" in the_problem(catalog_problems(tmp_path)).message


def test_photo_under_videos(tmp_path: Path) -> None:
    video_story(tmp_path, "photo.mp4", mediakit.small_jpeg())
    assert "照片请写在" in the_problem(catalog_problems(tmp_path)).message


def test_audio_only_file_under_videos_suggests_audios(tmp_path: Path) -> None:
    audio = mediakit.make_audio(tmp_path / "song.m4a")
    story = video_story(tmp_path, "song.m4a", audio.read_bytes())
    problem = the_problem(catalog_problems(tmp_path))
    assert (problem.line, problem.field) == (story.line("file: song.m4a"), "videos[0].file")
    assert "只有声音" in problem.message and "audios:" in problem.message


def test_video_without_sound_is_fine_but_audio_needs_sound(tmp_path: Path) -> None:
    silent = mediakit.make_video(tmp_path / "silent.mp4", size="320x240", audio=False)
    video_story(tmp_path, "silent.mp4", silent.read_bytes(), key="audios")
    assert "没有声音" in the_problem(catalog_problems(tmp_path)).message


def test_video_over_the_duration_limit(tmp_path: Path) -> None:
    settings = replace(SETTINGS, media=MediaSettings(max_video_minutes=0.01))
    clip = mediakit.make_video(tmp_path / "clip.mp4", size="320x240", seconds=2)
    video_story(tmp_path, "clip.mp4", clip.read_bytes())
    problem = the_problem(catalog_problems(tmp_path, settings))
    assert "时长 0 分 02 秒" in problem.message and "超过视频上限" in problem.message


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        pytest.param(b"1\n00:00:01,000 --> 00:00:02,000\nhi\n", "SRT", id="srt"),
        pytest.param(b"hello\n", "第一行必须是 WEBVTT", id="no-header"),
        pytest.param(b"WEBVTT\n\n00:01 --> 2\nhi\n", "时间轴格式不对", id="bad-timing"),
        pytest.param(b"WEBVTT\n\n\xff\xfe bad\n", "UTF-8", id="not-utf8"),
        pytest.param(b"WEBVTT\n", "没有任何字幕", id="empty"),
    ],
)
def test_bad_subtitles(tmp_path: Path, content: bytes, phrase: str) -> None:
    clip = mediakit.make_video(tmp_path / "clip.mp4", size="320x240")
    item = {"file": "clip.mp4", "caption": "片段", "subtitles": "clip.vtt"}
    story = media_story(
        tmp_path, {"videos": [item]}, {"clip.mp4": clip.read_bytes(), "clip.vtt": content}
    )
    problem = the_problem(catalog_problems(tmp_path))
    assert (problem.line, problem.field) == (story.line("subtitles:"), "videos[0].subtitles")
    assert phrase in problem.message


def test_every_hostile_file_has_its_own_problem(tmp_path: Path) -> None:
    """One story with many broken files: all reported at once, each at its own line."""
    names = {
        "bomb.png": mediakit.png_bomb(),
        "cut.jpg": mediakit.truncated_jpeg(),
        "note.jpg": mediakit.text_as_jpeg(),
        "scan.bmp": mediakit.image_bytes("BMP"),
    }
    pairs = [pair("bomb.png", "cut.jpg"), pair("note.jpg", "scan.bmp")]
    story = media_story(tmp_path, {"pairs": pairs}, names)
    problems = catalog_problems(tmp_path)
    assert [p.field for p in problems] == [
        "pairs[0].before",
        "pairs[0].after",
        "pairs[1].before",
        "pairs[1].after",
    ], problems_text(problems)
    assert len({p.line for p in problems}) == 4
    assert all(p.path == story.rel for p in problems)


@pytest.mark.usefixtures("private_media_cache")
def test_a_second_check_reads_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    media_story(tmp_path, {"pairs": [pair()]}, {})
    assert catalog_problems(tmp_path) == []

    def no_reading(*args: object) -> None:
        raise AssertionError("a file with unchanged size and mtime was read again")

    monkeypatch.setattr(media_check, "sha256_of", no_reading)
    monkeypatch.setattr(media_check, "_probe", no_reading)
    assert catalog_problems(tmp_path) == []


@pytest.mark.usefixtures("private_media_cache")
def test_changed_file_is_read_again(tmp_path: Path) -> None:
    story = media_story(tmp_path, {"pairs": [pair()]}, {})
    assert catalog_problems(tmp_path) == []
    (story.folder / "after.jpg").write_bytes(mediakit.text_as_jpeg())
    assert "文本文件" in the_problem(catalog_problems(tmp_path)).message


@pytest.mark.usefixtures("private_media_cache")
def test_no_asset_before_the_build(tmp_path: Path) -> None:
    """Checking makes no derived file: assets appear only when the build publishes."""
    media_story(tmp_path, {"cover": "before.jpg"}, {})
    catalog = build_catalog(tmp_path, tmp_path / "docs", SETTINGS, include_drafts=True)
    (story,) = catalog.stories
    assert story.media is not None and story.media.refs[0].sha256  # probed, not encoded
    assert not (tmp_path / ".cache" / "media" / "files").exists()


# -- what the build will do, checked before it does it ------------------------------------------


def test_image_too_tall_for_webp_is_reported_at_its_field(tmp_path: Path) -> None:
    """A 200×20000 strip is published at its own width, 20000 px tall: more than WebP holds."""
    story = media_story(
        tmp_path,
        {"pairs": [pair(after="strip.png")]},
        {"strip.png": mediakit.strip_png((200, 20000))},
    )
    problem = the_problem(catalog_problems(tmp_path))
    assert (problem.path, problem.line, problem.field) == (
        story.rel,
        story.line("after:"),
        "pairs[0].after",
    )
    assert problem.message.startswith("“strip.png”有 200×20000 像素")
    assert "16383" in problem.message and "裁成几张" in problem.message


def test_a_decoder_failure_of_any_kind_is_a_problem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pillow's decoders raise struct.error, IndexError … on damaged files, not only OSError."""

    def damaged(path: Path, max_pixels: int) -> dict[str, Any]:
        raise struct.error("unpack requires a buffer of 4 bytes")

    monkeypatch.setattr(media_check, "probe_image", damaged)
    story = media_story(tmp_path, {"cover": "before.jpg"}, {})
    problem = the_problem(catalog_problems(tmp_path))
    assert (problem.line, problem.field) == (story.line("cover:"), "cover")
    assert "无法处理" in problem.message and "重新导出" in problem.message


def tiny_clip(tmp_path: Path, seconds: float = 10) -> bytes:
    """A small 64×48 clip with sound, quick to make and to read."""
    path = tmp_path / "source.mp4"
    mediakit.make_video(path, size="64x48", seconds=seconds, location=False)
    return path.read_bytes()


def test_duration_limit_holds_for_a_header_that_lies_short(tmp_path: Path) -> None:
    settings = replace(SETTINGS, media=MediaSettings(max_video_minutes=0.05))  # 3 seconds
    liar = mediakit.lie_about_duration(tiny_clip(tmp_path), 1)
    story = video_story(tmp_path, "liar.mp4", liar)
    problem = the_problem(catalog_problems(tmp_path, settings))
    assert (problem.line, problem.field) == (story.line("file: liar.mp4"), "videos[0].file")
    assert "时长 0 分 10 秒" in problem.message and "超过视频上限 0 分 03 秒" in problem.message


def test_a_header_that_lies_long_does_not_refuse_a_short_video(tmp_path: Path) -> None:
    liar = mediakit.lie_about_duration(tiny_clip(tmp_path), 3600)
    video_story(tmp_path, "liar.mp4", liar)
    assert catalog_problems(tmp_path) == []


def test_audio_duration_limit_uses_the_measured_length(tmp_path: Path) -> None:
    settings = replace(SETTINGS, media=MediaSettings(max_audio_minutes=0.05))
    recording = mediakit.make_audio(tmp_path / "song.m4a", seconds=6).read_bytes()
    video_story(tmp_path, "song.m4a", mediakit.lie_about_duration(recording, 1), key="audios")
    problem = the_problem(catalog_problems(tmp_path, settings))
    assert problem.field == "audios[0].file"
    assert "时长 0 分 06 秒" in problem.message and "超过音频上限" in problem.message


def test_video_pixel_limit_comes_from_settings(tmp_path: Path) -> None:
    settings = replace(SETTINGS, media=MediaSettings(max_video_megapixels=0.05))
    clip = mediakit.make_video(tmp_path / "clip.mp4", size="320x240", seconds=1)
    story = video_story(tmp_path, "clip.mp4", clip.read_bytes())
    problem = the_problem(catalog_problems(tmp_path, settings))
    assert (problem.line, problem.field) == (story.line("file: clip.mp4"), "videos[0].file")
    assert "320×240" in problem.message and "max_video_megapixels" in problem.message
    # The default admits it again: the probe is not trusted from a stricter limit.
    assert catalog_problems(tmp_path) == []


def test_a_header_claiming_a_huge_picture_is_refused_at_check(tmp_path: Path) -> None:
    """A 4 KB file whose headers say 8000×8000 (64 megapixels): nothing is decoded at that
    size, and the story is refused by the check, not by a failing encode in the build."""
    giant = mediakit.video_claiming_size(tmp_path / "giant.avi", 8000, 8000).read_bytes()
    story = video_story(tmp_path, "giant.avi", giant)
    problem = the_problem(catalog_problems(tmp_path))
    assert (problem.line, problem.field) == (story.line("file: giant.avi"), "videos[0].file")
    assert problem.message.startswith("“giant.avi”")


def test_a_declared_but_empty_picture_stream_is_no_video(tmp_path: Path) -> None:
    video_story(tmp_path, "empty.mp4", mediakit.empty_track(tiny_clip(tmp_path, 2)))
    assert "只有声音" in the_problem(catalog_problems(tmp_path)).message


def test_a_fake_stream_line_in_the_metadata_is_refused(tmp_path: Path) -> None:
    fake = mediakit.video_with_fake_stream(tmp_path / "fake.mkv").read_bytes()
    video_story(tmp_path, "fake.mkv", fake)
    assert "自相矛盾" in the_problem(catalog_problems(tmp_path)).message


def test_missing_ffmpeg_is_not_remembered_as_a_fact_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once ffmpeg is installed, the same unchanged file checks clean."""
    import imageio_ffmpeg

    clip = mediakit.make_video(tmp_path / "clip.mp4", size="64x48", seconds=1)
    video_story(tmp_path, "clip.mp4", clip.read_bytes())

    def no_binary() -> str:
        raise RuntimeError("no ffmpeg binary for this platform")

    media_ffmpeg.executable.cache_clear()
    with monkeypatch.context() as patch:
        patch.setattr(media_ffmpeg.shutil, "which", lambda name: None)
        patch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", no_binary)
        assert "找不到 ffmpeg" in the_problem(catalog_problems(tmp_path)).message
    media_ffmpeg.executable.cache_clear()
    assert catalog_problems(tmp_path) == []


REAL_REPORT = """Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:clip.mp4':
  Stream #0:0[0x1](und): Video: h264 (High), yuv420p(progressive), 64x48, 5 fps
"""


@pytest.mark.parametrize(
    ("script", "phrase"),
    [
        pytest.param("echo 'something else entirely' >&2", "无法读取", id="unexpected-output"),
        pytest.param("exit 0", "无法读取", id="no-output"),
        pytest.param("kill -SEGV $$", "无法读取", id="crash"),
        pytest.param("sleep 30", "超过 1 秒仍未完成", id="hang"),
        pytest.param(f'printf %s "{REAL_REPORT}" >&2', "没有按预期报告进度", id="no-progress"),
    ],
)
def test_a_misbehaving_ffmpeg_is_a_problem_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str, phrase: str
) -> None:
    clip = mediakit.make_video(tmp_path / "clip.mp4", size="64x48", seconds=1)
    fake = tmp_path / "bin" / "ffmpeg"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\n{script}\n")
    fake.chmod(0o755)
    media_ffmpeg.executable.cache_clear()
    monkeypatch.setattr(media_ffmpeg.shutil, "which", lambda name: str(fake))
    settings = replace(SETTINGS, media=MediaSettings(ffmpeg_timeout_seconds=1))
    try:
        story = video_story(tmp_path, "clip.mp4", clip.read_bytes())
        problem = the_problem(catalog_problems(tmp_path, settings))
    finally:
        media_ffmpeg.executable.cache_clear()
    assert (problem.line, problem.field) == (story.line("file: clip.mp4"), "videos[0].file")
    assert phrase in problem.message
