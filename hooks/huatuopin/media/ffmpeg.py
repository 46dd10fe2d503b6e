"""Every ffmpeg run of the site, and the only module that knows about ffmpeg.

Command lines are built with ffmpeg-python (old and unmaintained: kept behind this module so
it can be replaced by plain argument lists without touching anything else); they are run
here with a timeout. The binary is the system `ffmpeg`, else the one in the imageio-ffmpeg
wheel. There is no ffprobe in that wheel: streams and duration are read from ffmpeg's own
report of its input.

Hostile inputs: the input may only be a local file (`protocol_whitelist=file`) read by one of
the demuxers of real audio and video formats (`format_whitelist`): a playlist disguised as a
video (HLS, concat) cannot make ffmpeg read other files or the network.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import ffmpeg as ffmpeg_python

from .records import MediaError

# Demuxers of the containers phones, cameras and editing software write.
DEMUXERS = (
    "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,flv,asf,mp3,aac,wav,flac,ogg,amr,caf,aiff,w64"
)
PROBE_TIMEOUT_SECONDS = 60
VIDEO_SHORT_SIDE = 720
VIDEO_CRF = 26
VIDEO_PRESET = "veryfast"
AUDIO_BITRATE = "96k"
MAX_FPS = 30
# Every output is written without metadata, chapters or encoder strings: nothing about the
# phone, the place or the time of recording reaches site/.
CLEAN_OUTPUT: dict[str, Any] = {
    "map_metadata": -1,
    "map_chapters": -1,
    "fflags": "+bitexact",
    "sn": None,
    "dn": None,
}
MP4_OUTPUT: dict[str, Any] = {**CLEAN_OUTPUT, "movflags": "+faststart"}
SIGNATURE = (
    f"ffmpeg short={VIDEO_SHORT_SIDE} crf={VIDEO_CRF} preset={VIDEO_PRESET} "
    f"audio={AUDIO_BITRATE} fps<={MAX_FPS} v2"
)


@functools.cache
def executable() -> str:
    """The ffmpeg binary: the system's, else the imageio-ffmpeg wheel's."""
    system = shutil.which("ffmpeg")
    if system:
        return system
    try:
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as error:
        raise MediaError(
            "找不到 ffmpeg，无法处理视频和音频；请安装 ffmpeg（apt install ffmpeg），"
            "或运行 make 重新安装依赖（imageio-ffmpeg 自带 ffmpeg）"
        ) from error


def _input(path: Path, **options: Any) -> Any:
    return ffmpeg_python.input(
        f"file:{path.resolve()}",
        protocol_whitelist="file",
        format_whitelist=DEMUXERS,
        **options,
    )


def _run(stream: Any, timeout: float, *, what: str) -> subprocess.CompletedProcess[bytes]:
    args = stream.global_args("-hide_banner", "-nostdin").compile(cmd=executable())
    try:
        return subprocess.run(
            args, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise MediaError(
            f"{what}超过 {timeout:.0f} 秒仍未完成，已停止；文件可能已损坏或过长，请检查后重新导出"
        ) from None
    except OSError as error:
        raise MediaError(
            f"无法运行 ffmpeg（{error.strerror}）；请检查 ffmpeg 是否安装完整"
        ) from error


_FILE_PREFIX = re.compile(r"file:[^\n]*?: ")


def _last_error(stderr: bytes) -> str:
    """ffmpeg's last complaint, without the file's absolute path."""
    text = _FILE_PREFIX.sub("", stderr.decode("utf-8", "replace"))
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith(("frame=", "size="))]
    return lines[-1][:200] if lines else "无输出"


# -- probing -------------------------------------------------------------------------------

_DURATION = re.compile(r"^\s*Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)", re.MULTILINE)
_STREAM = re.compile(r"^\s*Stream #0:(\d+)\S*: (Video|Audio|Subtitle|Data|Attachment): (.*)$")
_SIZE = re.compile(r"\b(\d{2,5})x(\d{2,5})\b")
_FPS = re.compile(r"([\d.]+) fps")
_ROTATION = re.compile(r"rotation of (-?\d+(?:\.\d+)?) degrees")
_INPUT = re.compile(r"^Input #0, ([^ ]+), from ", re.MULTILINE)


def probe(path: Path, timeout: float = PROBE_TIMEOUT_SECONDS) -> dict[str, Any]:
    """Container, duration and streams, from ffmpeg's report on its input.

    Raises MediaError when ffmpeg cannot open or decode the file.
    """
    stream = _input(path).output("-", format="null", t=0)
    completed = _run(stream, min(timeout, PROBE_TIMEOUT_SECONDS), what="读取视频/音频信息")
    report = completed.stderr.decode("utf-8", "replace")
    container = _INPUT.search(report)
    if completed.returncode != 0 or container is None:
        raise MediaError(
            "无法读取（文件已损坏，或不是 ffmpeg 能识别的视频/音频格式："
            f"{_last_error(completed.stderr)}）；请重新导出为 MP4（视频）或 M4A/MP3（音频）"
        )
    return parse_report(report, container.group(1))


def parse_report(report: str, container: str) -> dict[str, Any]:
    # Only the input's part of the report: the output's streams follow "Output #0".
    report = report.split("\nOutput #0", 1)[0].split("\nStream mapping:", 1)[0]
    duration = None
    match = _DURATION.search(report)
    if match:
        hours, minutes, seconds = match.groups()
        duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    video: dict[str, Any] | None = None
    audio: dict[str, Any] | None = None
    lines = report.splitlines()
    for number, line in enumerate(lines):
        found = _STREAM.match(line)
        if not found:
            continue
        kind, rest = found.group(2), found.group(3)
        codec = rest.split(" ", 1)[0].rstrip(",")
        if kind == "Video" and video is None and "(attached pic)" not in rest:
            size = _SIZE.search(rest)
            fps = _FPS.search(rest)
            rotation = 0.0
            for following in lines[number + 1 : number + 8]:
                if _STREAM.match(following):
                    break
                turned = _ROTATION.search(following)
                if turned:
                    rotation = float(turned.group(1))
            width, height = (int(size.group(1)), int(size.group(2))) if size else (0, 0)
            if round(abs(rotation)) % 180 == 90:
                width, height = height, width
            video = {
                "codec": codec,
                "width": width,
                "height": height,
                "fps": float(fps.group(1)) if fps else None,
            }
        elif kind == "Audio" and audio is None:
            channels = 1 if " mono" in rest else 2
            audio = {"codec": codec, "channels": channels}
    return {"container": container, "duration": duration, "video": video, "audio": audio}


# -- encoding ------------------------------------------------------------------------------


def output_size(width: int, height: int) -> tuple[int, int]:
    """At most 720p (the short side), even numbers as H.264 wants."""
    short = min(width, height)
    factor = min(1.0, VIDEO_SHORT_SIDE / short) if short else 1.0
    return max(2, round(width * factor / 2) * 2), max(2, round(height * factor / 2) * 2)


def encode_video(src: Path, dst: Path, facts: dict[str, Any], timeout: float) -> tuple[int, int]:
    """H.264 + AAC in MP4 with the index first (`+faststart`); returns the frame size."""
    video = facts["video"]
    width, height = output_size(video["width"], video["height"])
    source = _input(src)
    picture = source["v:0"].filter("scale", width, height).filter("setsar", 1)
    streams = [picture]
    options: dict[str, Any] = {
        **MP4_OUTPUT,
        "c:v": "libx264",
        "preset": VIDEO_PRESET,
        "crf": VIDEO_CRF,
        "pix_fmt": "yuv420p",
        "profile:v": "high",
        "flags:v": "+bitexact",
        "fpsmax": MAX_FPS,
        "format": "mp4",
    }
    if facts.get("audio"):
        streams.append(source["a:0"])
        options.update(
            {
                "c:a": "aac",
                "b:a": AUDIO_BITRATE,
                "ac": min(2, facts["audio"]["channels"]),
                "flags:a": "+bitexact",
            }
        )
    command = ffmpeg_python.output(*streams, str(dst), **options).overwrite_output()
    completed = _run(command, timeout, what="视频转码")
    if completed.returncode != 0 or not dst.is_file() or dst.stat().st_size == 0:
        raise MediaError(
            f"视频转码失败（{_last_error(completed.stderr)}）；文件可能已损坏，请重新导出为 MP4"
        )
    return width, height


def frame_png(src: Path, at: float, timeout: float) -> bytes:
    """One frame of a (derived) video as PNG bytes, for the poster."""
    command = _input(src, ss=f"{at:.3f}").output(
        "pipe:", vframes=1, format="image2pipe", vcodec="png", **CLEAN_OUTPUT
    )
    completed = _run(command, timeout, what="截取封面")
    if completed.returncode != 0 or not completed.stdout:
        raise MediaError(f"无法截取视频封面（{_last_error(completed.stderr)}）")
    return completed.stdout


def encode_audio(src: Path, dst: Path, facts: dict[str, Any], timeout: float) -> None:
    """AAC in an M4A file, without metadata, cover art or chapters."""
    command = ffmpeg_python.output(
        _input(src)["a:0"],
        str(dst),
        **MP4_OUTPUT,
        vn=None,
        **{
            "c:a": "aac",
            "b:a": AUDIO_BITRATE,
            "ac": min(2, facts["audio"]["channels"]),
            "flags:a": "+bitexact",
        },
        format="ipod",
    ).overwrite_output()
    completed = _run(command, timeout, what="音频转码")
    if completed.returncode != 0 or not dst.is_file() or dst.stat().st_size == 0:
        raise MediaError(
            f"音频转码失败（{_last_error(completed.stderr)}）；"
            "文件可能已损坏，请重新导出为 M4A 或 MP3"
        )
