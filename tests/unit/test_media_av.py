"""Video and audio: H.264 + AAC at most 720p with the index first, no metadata, a poster;
ffmpeg from the system or from the imageio-ffmpeg wheel; every run has a timeout."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import mediakit
import pytest
from huatuopin.media import ffmpeg
from huatuopin.media.av import AudioJob, VideoJob, run_audio_job, run_video_job
from huatuopin.media.records import MediaError
from PIL import Image


@pytest.fixture
def imageio_ffmpeg_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """As on a machine without a system ffmpeg: the binary of the imageio-ffmpeg wheel."""
    ffmpeg.executable.cache_clear()
    monkeypatch.setattr(ffmpeg.shutil, "which", lambda name: None)
    yield ffmpeg.executable()
    ffmpeg.executable.cache_clear()


def streams(path: Path) -> str:
    """ffmpeg's own report on a file (there is no ffprobe in the wheel)."""
    completed = subprocess.run(
        [ffmpeg.executable(), "-hide_banner", "-i", str(path)], capture_output=True, text=True
    )
    return completed.stderr


LIMITS = {"max_seconds": 900, "max_pixels": 10_000_000}


def encode(tmp_path: Path, source: Path, max_seconds: float = 900) -> tuple[dict, Path]:
    facts = ffmpeg.probe(source)
    out = tmp_path / "files"
    job = VideoJob(str(source), "12" * 32, str(out), facts, 120, max_seconds, 10_000_000)
    return run_video_job(job), out


@pytest.mark.parametrize("binary", ["system", "wheel"])
def test_video_becomes_clean_h264_aac_720p(
    tmp_path: Path, binary: str, request: pytest.FixtureRequest
) -> None:
    if binary == "wheel":
        request.getfixturevalue("imageio_ffmpeg_only")
    elif shutil.which("ffmpeg") is None:
        pytest.skip("no system ffmpeg here; the wheel's binary is tested")
    source = mediakit.make_video(tmp_path / "phone.mp4", size="1920x1080", seconds=2)
    assert mediakit.mp4_location(source.read_bytes()), "the test input must carry a location"
    manifest, out = encode(tmp_path, source)
    video = out / manifest["file"]
    data = video.read_bytes()
    boxes = mediakit.mp4_boxes(data)
    assert boxes.index(b"moov") < boxes.index(b"mdat"), f"not faststart: {boxes}"
    assert mediakit.mp4_location(data) == []
    assert b"TestPhone" not in data
    report = streams(video)
    assert "Video: h264" in report and "Audio: aac" in report
    assert (manifest["width"], manifest["height"]) == (1280, 720)
    assert "1280x720" in report
    poster = out / manifest["poster"]
    assert mediakit.image_metadata(poster) == []
    with Image.open(poster) as image:
        assert image.size == (1280, 720)


def test_portrait_video_keeps_its_short_side_at_720(tmp_path: Path) -> None:
    source = mediakit.make_video(tmp_path / "tall.mp4", size="1080x1920", seconds=1)
    manifest, _ = encode(tmp_path, source)
    assert (manifest["width"], manifest["height"]) == (720, 1280)


def test_small_video_is_not_upscaled(tmp_path: Path) -> None:
    source = mediakit.make_video(tmp_path / "small.mp4", size="320x240", seconds=1, audio=False)
    manifest, out = encode(tmp_path, source)
    assert (manifest["width"], manifest["height"]) == (320, 240)
    assert "Audio:" not in streams(out / manifest["file"])


def test_audio_becomes_m4a_without_metadata(tmp_path: Path) -> None:
    source = mediakit.make_audio(tmp_path / "song.m4a", video=True)
    facts = ffmpeg.probe(source)
    assert facts["video"] is not None and facts["audio"] is not None
    out = tmp_path / "files"
    manifest = run_audio_job(AudioJob(str(source), "34" * 32, str(out), facts, 120, 900, 0))
    data = (out / manifest["file"]).read_bytes()
    boxes = mediakit.mp4_boxes(data)
    assert boxes.index(b"moov") < boxes.index(b"mdat")
    assert mediakit.mp4_location(data) == []
    assert "快板".encode() not in data
    report = streams(out / manifest["file"])
    assert "Audio: aac" in report and "Video:" not in report
    assert manifest["duration"] == pytest.approx(2, abs=0.2)


def test_report_gives_streams_and_rotation() -> None:
    report = """Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:/x/phone.mov':
  Metadata:
    location        : +34.7504+113.6523/
  Duration: 00:01:05.50, start: 0.000000, bitrate: 9000 kb/s
  Stream #0:0[0x1](und): Video: hevc (Main) (hvc1 / 0x31637668), yuv420p(tv), 1920x1080, 30 fps
    Side data:
      displaymatrix: rotation of -90.00 degrees
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, mono, fltp, 96 kb/s
Stream mapping:
  Stream #0:0 -> #0:0 (hevc (native) -> wrapped_avframe (native))
Output #0, null, to 'pipe:':
  Stream #0:0: Video: wrapped_avframe, 1920x1080
"""
    facts = ffmpeg.parse_report(report, "mov,mp4,m4a,3gp,3g2,mj2")
    assert facts["video"] == {
        "index": 0,
        "codec": "hevc",
        "width": 1080,
        "height": 1920,
        "fps": 30.0,
    }
    assert facts["audio"] == {"index": 1, "codec": "aac", "channels": 1}
    cover_art = "  Stream #0:1: Video: mjpeg, yuvj420p, 600x600 (attached pic)\n"
    only_audio = (
        "  Duration: 00:00:03.00\n  Stream #0:0: Audio: mp3, 44100 Hz, stereo\n" + cover_art
    )
    assert ffmpeg.parse_report(only_audio, "mp3")["video"] is None


def test_a_playlist_cannot_make_ffmpeg_read_other_files(tmp_path: Path) -> None:
    """An HLS playlist renamed .mp4 (a known way to leak local files) is refused."""
    secret = tmp_path / "secret.txt"
    secret.write_text("private\n")
    playlist = tmp_path / "evil.mp4"
    playlist.write_text(
        f"#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.0,\nfile://{secret}\n#EXT-X-ENDLIST\n"
    )
    with pytest.raises(MediaError) as caught:
        ffmpeg.probe(playlist)
    assert "无法读取" in caught.value.message
    assert str(tmp_path) not in caught.value.message, "the message leaks an absolute path"


def test_every_ffmpeg_run_has_a_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = mediakit.make_video(tmp_path / "clip.mp4", size="320x240", seconds=1)
    facts = ffmpeg.probe(source)
    seen: list[float] = []

    def timed_out(*args: object, timeout: float | None = None, **kwargs: object) -> object:
        seen.append(timeout or 0)
        raise subprocess.TimeoutExpired(cmd="ffmpeg", timeout=timeout or 0)

    monkeypatch.setattr(ffmpeg.subprocess, "run", timed_out)
    with pytest.raises(MediaError) as caught:
        ffmpeg.encode_video(source, tmp_path / "out.mp4", facts, 7, **LIMITS)
    assert "7 秒" in caught.value.message
    with pytest.raises(MediaError):
        ffmpeg.probe(source, 5)
    assert seen == [7, 5]


# -- durations from the streams, limits on what is published --------------------------------------


def tiny_clip(path: Path, seconds: float = 10) -> Path:
    return mediakit.make_video(path, size="64x48", seconds=seconds, location=False)


@pytest.mark.parametrize("binary", ["system", "wheel"])
@pytest.mark.parametrize("claimed", [1, 3600])
def test_duration_is_measured_from_the_streams(
    tmp_path: Path, binary: str, claimed: float, request: pytest.FixtureRequest
) -> None:
    """Every duration in the MP4's headers says `claimed` seconds; the streams run 10."""
    if binary == "wheel":
        request.getfixturevalue("imageio_ffmpeg_only")
    elif shutil.which("ffmpeg") is None:
        pytest.skip("no system ffmpeg here; the wheel's binary is tested")
    source = tiny_clip(tmp_path / "clip.mp4")
    liar = tmp_path / "liar.mp4"
    liar.write_bytes(mediakit.lie_about_duration(source.read_bytes(), claimed))
    if claimed == 1:  # (ffmpeg 9 no longer believes a header longer than the samples)
        assert "Duration: 00:00:01.00" in streams(liar), "the lie must reach ffmpeg's report"
    facts = ffmpeg.probe(liar)
    assert facts["duration"] == pytest.approx(10, abs=0.3)
    assert facts["video"]["duration"] == pytest.approx(10, abs=0.3)
    assert facts["audio"]["duration"] == pytest.approx(10, abs=0.3)


def output_seconds(path: Path) -> float:
    return ffmpeg.probe(path)["duration"]


@pytest.mark.parametrize("binary", ["system", "wheel"])
def test_published_video_and_audio_stop_at_the_limit(
    tmp_path: Path, binary: str, request: pytest.FixtureRequest
) -> None:
    """Whatever the probe found (a file may change after it), the encode is cut at the limit."""
    if binary == "wheel":
        request.getfixturevalue("imageio_ffmpeg_only")
    elif shutil.which("ffmpeg") is None:
        pytest.skip("no system ffmpeg here; the wheel's binary is tested")
    source = tiny_clip(tmp_path / "clip.mp4")
    manifest, out = encode(tmp_path, source, max_seconds=3)
    assert manifest["duration"] == 3
    assert output_seconds(out / manifest["file"]) <= 3.1
    facts = ffmpeg.probe(source)
    audio = run_audio_job(AudioJob(str(source), "56" * 32, str(out), facts, 120, 3, 0))
    assert audio["duration"] == 3
    assert output_seconds(out / audio["file"]) <= 3.1


def test_a_clip_trimmed_by_its_edit_list_gets_a_poster_and_its_real_length(
    tmp_path: Path,
) -> None:
    """The streams run 10 s, the edit list shows 1 s: the probe reads the longer length (a
    published video can only be shorter), the page and the poster follow what was published."""
    source = tiny_clip(tmp_path / "clip.mp4")
    trimmed = tmp_path / "trimmed.mp4"
    trimmed.write_bytes(mediakit.trim_with_edit_list(source.read_bytes(), 1))
    manifest, out = encode(tmp_path, trimmed)
    assert manifest["duration"] == pytest.approx(1, abs=0.3)
    assert output_seconds(out / manifest["file"]) == pytest.approx(1, abs=0.3)
    with Image.open(out / manifest["poster"]) as poster:
        assert poster.size == (64, 48)


def test_a_rotated_video_is_published_upright(tmp_path: Path) -> None:
    """A phone filming upright stores landscape pixels and a rotation; the site's video is
    portrait, at the size the probe announced."""
    source = mediakit.make_video(tmp_path / "flat.mp4", size="320x240", seconds=1)
    rotated = tmp_path / "upright.mp4"
    rotated.write_bytes(mediakit.rotate(source.read_bytes(), 90))
    facts = ffmpeg.probe(rotated)
    assert (facts["video"]["width"], facts["video"]["height"]) == (240, 320)
    manifest, out = encode(tmp_path, rotated)
    assert (manifest["width"], manifest["height"]) == (240, 320)
    assert "240x320" in streams(out / manifest["file"])
    with Image.open(out / manifest["poster"]) as poster:
        assert poster.size == (240, 320)


def test_rotation_is_found_after_many_metadata_lines() -> None:
    tags = "".join(f"      tag{n}            : value\n" for n in range(9))
    report = (
        "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:/x/phone.mov':\n"
        "  Duration: 00:00:05.00, start: 0.000000, bitrate: 9000 kb/s\n"
        "  Stream #0:0[0x1](und): Video: h264 (High), yuv420p, 1920x1080, 30 fps\n"
        f"    Metadata:\n{tags}    Side data:\n"
        "      displaymatrix: rotation of -90.00 degrees\n"
    )
    video = ffmpeg.parse_report(report, "mov")["video"]
    assert (video["width"], video["height"]) == (1080, 1920)


def test_text_that_only_looks_like_a_stream_is_not_one() -> None:
    """Metadata is printed four spaces in; a value cannot pass for a stream or a rotation."""
    report = (
        "Input #0, matroska,webm, from 'file:/x/clip.mkv':\n"
        "  Metadata:\n"
        "    comment         : x\n"
        "                    : Stream #0:0: Video: h264, 16x16\n"
        "  Stream #0:0: Video: h264 (High), yuv420p, 320x240, 25 fps\n"
        "    Metadata:\n"
        "      note            : displaymatrix: rotation of -90.00 degrees\n"
    )
    video = ffmpeg.parse_report(report, "matroska")["video"]
    assert (video["width"], video["height"]) == (320, 240)


def test_a_stream_without_packets_is_not_published(tmp_path: Path) -> None:
    """The sound track is declared (codec, rate) but empty: the video is published silent."""
    source = tiny_clip(tmp_path / "clip.mp4", seconds=2)
    silent = tmp_path / "silent.mp4"
    silent.write_bytes(mediakit.empty_track(source.read_bytes(), b"soun"))
    assert "Audio: aac" in streams(silent)
    facts = ffmpeg.probe(silent)
    assert facts["audio"] is None and facts["video"] is not None
    manifest, out = encode(tmp_path, silent)
    assert "Audio:" not in streams(out / manifest["file"])


def test_absurd_frame_rates_are_published_at_30_at_most(tmp_path: Path) -> None:
    fast = tmp_path / "fast.mp4"
    mediakit.ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=64x48:rate=1000:duration=1",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(fast),
    )  # fmt: skip
    facts = ffmpeg.probe(fast)
    assert facts["video"]["fps"] == 1000
    manifest, out = encode(tmp_path, fast)
    report = streams(out / manifest["file"])
    fps = float(re.search(r", (\d+(?:\.\d+)?) fps", report).group(1))  # type: ignore[union-attr]
    assert fps <= 30


def test_a_video_replaced_after_the_probe_cannot_decode_a_bigger_picture(tmp_path: Path) -> None:
    """Probed at 64×48; by the time of the encode the file holds 320×240 pictures, over the
    limit the decoder is given: the encode fails cleanly instead of decoding them."""
    source = tiny_clip(tmp_path / "clip.mp4", seconds=1)
    facts = ffmpeg.probe(source)
    mediakit.make_video(source, size="320x240", seconds=1)
    job = VideoJob(str(source), "78" * 32, str(tmp_path / "files"), facts, 120, 900, 64 * 48)
    with pytest.raises(MediaError) as caught:
        run_video_job(job)
    assert "视频转码失败" in caught.value.message
    assert not list((tmp_path / "files").glob("*.mp4")), "a failed encode left a file behind"


def test_a_clip_whose_pictures_end_early_still_gets_a_poster(tmp_path: Path) -> None:
    """One picture, then three seconds of sound: at 1 s there is no picture to take."""
    source = tmp_path / "still.mp4"
    mediakit.ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=64x48:rate=1:duration=1",
        "-f", "lavfi", "-i", "sine=duration=3",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
        str(source),
    )  # fmt: skip
    manifest, out = encode(tmp_path, source)
    assert manifest["duration"] == pytest.approx(3, abs=0.3)
    with Image.open(out / manifest["poster"]) as poster:
        assert poster.size == (64, 48)


@pytest.mark.parametrize(
    ("seconds", "shown"), [(59.6, "1:00"), (59.4, "0:59"), (125.0, "2:05"), (0.2, "0:00")]
)
def test_a_length_is_shown_as_a_player_shows_it(seconds: float, shown: str) -> None:
    from huatuopin.media.records import AudioAsset, VideoAsset

    assert AudioAsset("media/a.m4a", seconds).duration_text == shown
    assert VideoAsset("media/v.mp4", 1280, 720, seconds, "media/p.jpg").duration_text == shown
