"""Every ffmpeg run of the site, and the only module that knows about ffmpeg.

Command lines are built with ffmpeg-python (old and unmaintained: kept behind this module so
it can be replaced by plain argument lists without touching anything else); they are run
here with a timeout. The binary is the system `ffmpeg`, else the one in the imageio-ffmpeg
wheel. There is no ffprobe in that wheel: streams are read from ffmpeg's own report of its
input, and durations from its `-progress` lines while it reads each stream to the end.

Hostile inputs: the input may only be a local file (`protocol_whitelist=file`) read by one of
the demuxers of real audio and video formats (`format_whitelist`): a playlist disguised as a
video (HLS, concat) cannot make ffmpeg read other files or the network. A header's duration
is never believed, decoders refuse pictures over the pixel limit (`-max_pixels`), and every
encode stops at the length limit (`-t`).
"""

from __future__ import annotations

import functools
import math
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
    f"audio={AUDIO_BITRATE} fps<={MAX_FPS} v3"
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
            "或运行 make 重新安装依赖（imageio-ffmpeg 自带 ffmpeg）",
            transient=True,
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
            f"{what}超过 {timeout:.0f} 秒仍未完成，已停止；文件可能已损坏或过长，请检查后重新导出",
            transient=True,
        ) from None
    except OSError as error:
        raise MediaError(
            f"无法运行 ffmpeg（{error.strerror}）；请检查 ffmpeg 是否安装完整", transient=True
        ) from error


_FILE_PREFIX = re.compile(r"file:[^\n]*?: ")
_CONTEXT = re.compile(r"\[[^\]\n]* @ 0x[0-9a-f]+\] ")  # "[out#0/null @ 0x55d…] ": a memory address


def _last_error(stderr: bytes) -> str:
    """ffmpeg's last complaint, without the file's absolute path."""
    text = _FILE_PREFIX.sub("", stderr.decode("utf-8", "replace"))
    text = _CONTEXT.sub("", text)
    lines = [line.strip() for line in text.splitlines()]
    noise = ("frame=", "size=", "Last message repeated", "Conversion failed", "Stream #")
    lines = [line for line in lines if line and not line.startswith(noise)]
    complaints = [line for line in lines if _COMPLAINT.search(line)]
    chosen = complaints or lines
    return chosen[-1][:200] if chosen else "无输出"


_COMPLAINT = re.compile(r"error|invalid|could not|failed|unsupported|not found|no such", re.I)


# -- probing -------------------------------------------------------------------------------

# ffmpeg's report on its input. The input's streams are indented by two spaces; metadata keys
# and values, which the file controls, by four or more, so they cannot pass for a stream.
_STREAM = re.compile(r"^  Stream #0:(\d+)(?:\[0x[0-9a-f]+\])?(?:\([^)]*\))?: (\w+): (.*)$")
_SIZE = re.compile(r", (\d+)x(\d+)\b")
_FPS = re.compile(r", (\d+(?:\.\d+)?)(k?) fps\b")  # ffmpeg writes 1000 fps as "1k fps"
_ROTATION = re.compile(
    r"^\s+(?:displaymatrix|Display Matrix): rotation of (-?\d+(?:\.\d+)?) degrees",
    re.IGNORECASE,
)
_INPUT = re.compile(r"^Input #0, ([^ ]+), from ", re.MULTILINE)
_OUT_TIME = re.compile(r"^out_time_us=(\d+)\s*$", re.MULTILINE)


def probe(
    path: Path, timeout: float = PROBE_TIMEOUT_SECONDS, max_pixels: int | None = None
) -> dict[str, Any]:
    """Container, streams and duration: what a video or audio job would publish.

    The streams come from ffmpeg's report on its input; the duration does not, since a header
    can say anything: each stream is read to its end, packet by packet without decoding
    (`-c copy`), and its last timestamp is its length. `max_pixels` keeps the decoders that
    ffmpeg runs while probing from allocating a hostile header's picture size.

    Raises MediaError when ffmpeg cannot open or read the file.
    """
    limit = min(timeout, PROBE_TIMEOUT_SECONDS)
    options = {"max_pixels": max_pixels} if max_pixels else {}
    # Copied, not decoded: only the few frames ffmpeg decodes to learn the streams' formats
    # are, and those within `max_pixels`.
    stream = _input(path, **options).output("-", format="null", c="copy", t=0)
    completed = _run(stream, limit, what="读取视频/音频信息")
    report = completed.stderr.decode("utf-8", "replace")
    container = _INPUT.search(report)
    if completed.returncode != 0 or container is None:
        raise unreadable(completed.stderr)
    facts = parse_report(report, container.group(1))
    durations = []
    for kind in ("video", "audio"):
        if facts[kind] is None:
            continue
        seconds = stream_seconds(path, facts[kind]["index"], limit)
        if not seconds:
            facts[kind] = None  # declared, but without a single frame or sample
            continue
        facts[kind]["duration"] = seconds
        durations.append(seconds)
    facts["duration"] = max(durations) if durations else None
    facts["max_pixels"] = max_pixels  # what the probe allowed: a higher limit probes again
    return facts


def stream_seconds(path: Path, index: int | None, timeout: float) -> float | None:
    """How long stream `index` (None: the longest stream) runs: the end time of its packets,
    read without decoding."""
    source = _input(path)
    if index is None:
        selected = source.output("-", format="null", c="copy", map="0")
    else:
        selected = source[str(index)].output("-", format="null", c="copy")
    stream = selected.global_args("-progress", "pipe:1")
    completed = _run(stream, timeout, what="读取视频/音频时长")
    if completed.returncode != 0:
        raise unreadable(completed.stderr)
    progress = completed.stdout.decode("ascii", "replace")
    if "progress=end" not in progress:
        # Not the file's fault: this ffmpeg does not report as expected.
        raise MediaError(
            "无法读取时长：ffmpeg 没有按预期报告进度；请换用较新的 ffmpeg（4.4 或以上）",
            transient=True,
        )
    times = _OUT_TIME.findall(progress)  # "N/A" for a stream without packets
    return int(times[-1]) / 1e6 if times else None


def unreadable(stderr: bytes) -> MediaError:
    return MediaError(
        "无法读取（文件已损坏，或不是 ffmpeg 能识别的视频/音频格式："
        f"{_last_error(stderr)}）；请重新导出为 MP4（视频）或 M4A/MP3（音频）"
    )


def parse_report(report: str, container: str) -> dict[str, Any]:
    """The first picture stream (not cover art) and the first sound stream of the input.

    Each keeps its `index` in the file, which the encoders map, so that what was probed is
    what gets encoded.
    """
    # Only the input's part of the report: the output's streams follow "Output #0".
    report = report.split("\nOutput #0", 1)[0].split("\nStream mapping:", 1)[0]
    video: dict[str, Any] | None = None
    audio: dict[str, Any] | None = None
    lines = report.splitlines()
    described: dict[int, set[str]] = {}
    for line in lines:
        if found := _STREAM.match(line):
            described.setdefault(int(found.group(1)), set()).add(line)
    if sorted(described) != list(range(len(described))) or any(
        len(texts) > 1 for texts in described.values()
    ):
        # ffmpeg numbers the streams 0, 1, 2 … and describes each the same way each time (a
        # stream in two programs of a TS file is listed twice); anything else is text from
        # the file (a metadata key may hold a line break) dressed up as a stream.
        raise MediaError(
            "的文件信息自相矛盾（流的编号重复或缺失），可能被人为改动过；请用手机或剪辑软件重新导出"
        )
    for number, line in enumerate(lines):
        found = _STREAM.match(line)
        if not found:
            continue
        index, kind, rest = int(found.group(1)), found.group(2), found.group(3)
        codec = rest.split(" ", 1)[0].rstrip(",")
        if kind == "Video" and video is None and "(attached pic)" not in rest:
            size = _SIZE.search(rest)
            fps = _FPS.search(rest)
            rotation = 0.0
            for following in lines[number + 1 :]:
                if _STREAM.match(following):
                    break
                turned = _ROTATION.match(following)
                if turned:
                    rotation = float(turned.group(1))
            width, height = (int(size.group(1)), int(size.group(2))) if size else (0, 0)
            if _quarter_turn(rotation):
                width, height = height, width
            video = {
                "index": index,
                "codec": codec,
                "width": width,
                "height": height,
                "fps": float(fps.group(1)) * (1000 if fps.group(2) else 1) if fps else None,
            }
        elif kind == "Audio" and audio is None:
            channels = 1 if " mono" in rest else 2
            audio = {"index": index, "codec": codec, "channels": channels}
    return {"container": container, "video": video, "audio": audio}


def _quarter_turn(degrees: float) -> bool:
    """Whether ffmpeg's autorotation swaps width and height: it rounds the angle to whole
    degrees and turns the picture for exactly 90 or 270."""
    return math.floor(abs(degrees) + 0.5) % 180 == 90


# -- encoding ------------------------------------------------------------------------------


def output_size(width: int, height: int) -> tuple[int, int]:
    """At most 720p (the short side), even numbers as H.264 wants."""
    short = min(width, height)
    factor = min(1.0, VIDEO_SHORT_SIDE / short) if short else 1.0
    return max(2, round(width * factor / 2) * 2), max(2, round(height * factor / 2) * 2)


def encode_video(
    src: Path,
    dst: Path,
    facts: dict[str, Any],
    timeout: float,
    *,
    max_seconds: float,
    max_pixels: int,
) -> tuple[int, int]:
    """H.264 + AAC in MP4 with the index first (`+faststart`); returns the frame size.

    The probed streams are encoded (by index), for at most `max_seconds`, and the decoder
    refuses pictures over `max_pixels`: a file replaced or lying since its probe cannot make
    a longer video or allocate a huge picture.
    """
    video = facts["video"]
    width, height = output_size(video["width"], video["height"])
    source = _input(src, max_pixels=max_pixels)
    picture = source[str(video["index"])].filter("scale", width, height).filter("setsar", 1)
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
        "t": f"{max_seconds:.3f}",
        "format": "mp4",
    }
    if facts.get("audio"):
        streams.append(source[str(facts["audio"]["index"])])
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


def encode_audio(
    src: Path, dst: Path, facts: dict[str, Any], timeout: float, *, max_seconds: float
) -> None:
    """AAC in an M4A file, without metadata, cover art or chapters, at most `max_seconds`."""
    command = ffmpeg_python.output(
        _input(src)[str(facts["audio"]["index"])],
        str(dst),
        **MP4_OUTPUT,
        vn=None,
        **{
            "c:a": "aac",
            "b:a": AUDIO_BITRATE,
            "ac": min(2, facts["audio"]["channels"]),
            "flags:a": "+bitexact",
        },
        t=f"{max_seconds:.3f}",
        format="ipod",
    ).overwrite_output()
    completed = _run(command, timeout, what="音频转码")
    if completed.returncode != 0 or not dst.is_file() or dst.stat().st_size == 0:
        raise MediaError(
            f"音频转码失败（{_last_error(completed.stderr)}）；"
            "文件可能已损坏，请重新导出为 M4A 或 MP3"
        )
