"""A story's media references, each probed and checked against the limits of mkdocs.yml.

The story loader notes where each file is named (`story_media`); validation then checks them
(`check_story_media`), so `make check` and `make build` report the same media problems at
the same lines. Nothing is encoded here; a probe reads a file's header (and
a 1/8-scale preview of a photo, to find truncated files), and its result is cached by the
file's size and mtime, so a second check does not read the file again.
"""

from __future__ import annotations

import dataclasses
import posixpath
from pathlib import Path
from typing import Any

from ..mediapaths import body_image_references, media_message
from ..problems import Problem
from ..sourcefile import MarkdownSource
from . import ffmpeg
from .cache import MediaCache, SourceRecord, cache_root, sha256_of
from .images import probe_image, too_large_to_write, too_many_pixels
from .records import BODY_FIELD, Kind, MediaError, MediaRef, StoryMedia
from .settings import MediaSettings
from .sniff import FORMAT_NAMES, STILL_IMAGES, sniff
from .subtitles import personal_data_in_cues, read_webvtt

SUBTITLES_FIELD = "字幕"

# One cache object (and its counters) per project and cache folder for the life of the
# process; projects that share a folder still count their own builds.
_CACHES: dict[tuple[Path, Path], MediaCache] = {}


def cache_for(project_root: Path, settings: MediaSettings) -> MediaCache:
    """The media cache of a project, where mkdocs.yml and the environment put it."""
    root = project_root.resolve()
    location = cache_root(root, settings.cache_dir).resolve()
    if (root, location) not in _CACHES:
        _CACHES[root, location] = MediaCache(location)
    return _CACHES[root, location]


def story_media(folder: Path, source: MarkdownSource) -> StoryMedia:
    """Every media file the story names that exists inside its folder, with its line.

    Reads no media file: paths only (the story's own validation reports bad paths).
    """
    data = source.front_matter.value
    lines = source.front_matter.lines
    refs: list[MediaRef] = []

    def add(field: str, kind: Kind, name: Any, line: int | None = None) -> None:
        if not isinstance(name, str) or not name.strip():
            return
        name = name.strip()
        if media_message(folder, name) is not None:
            return  # already reported by the story's own validation
        if line is None:
            parent = field.rsplit(".", 1)[0]
            line = lines.get(field, lines.get(parent, source.opening_line))
        refs.append(MediaRef(field, line, kind, name, folder / name))

    if not isinstance(data, dict):
        return StoryMedia(tuple(refs))
    add("cover", "image", data.get("cover"))
    for key, kinds in (
        ("pairs", (("before", "image"), ("after", "image"))),
        ("videos", (("file", "video"), ("subtitles", "subtitles"))),
        ("audios", (("file", "audio"),)),
    ):
        items = data.get(key)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            for subkey, kind in kinds:
                name = item.get(subkey)
                if kind == "subtitles" and not (
                    isinstance(name, str) and name.lower().endswith(".vtt")
                ):
                    continue
                add(f"{key}[{index}].{subkey}", kind, name)  # type: ignore[arg-type]
    for offset, target in body_image_references(source.body):
        add(BODY_FIELD, "image", target, source.body_first_line + offset)
    return StoryMedia(tuple(refs))


def check_story_media(
    project_root: Path, source_path: str, media: StoryMedia, settings: MediaSettings
) -> tuple[StoryMedia, list[Problem]]:
    """Open every media file of a story: the media with what each probe found, and a Problem
    for each unusable file."""
    if not media.refs:  # most stories of a province are text: no cache to find
        return media, []
    cache = cache_for(project_root, settings)
    refs: list[MediaRef] = []
    problems: list[Problem] = []
    for ref in media.refs:
        probed, message = probe_reference(ref, cache, settings)
        refs.append(probed)
        if message:
            problems.append(Problem(source_path, ref.line, ref.field, f"“{ref.name}”{message}"))
        elif ref.kind == "subtitles":
            problems.extend(_subtitle_problems(source_path, probed))
    return StoryMedia(tuple(refs)), problems


def probe_reference(
    ref: MediaRef, cache: MediaCache, settings: MediaSettings
) -> tuple[MediaRef, str | None]:
    """The reference with its hash and what the probe found, and what is wrong with the file,
    if anything."""
    try:
        stat = ref.path.stat()
    except OSError as error:
        return ref, f"无法读取（{error.strerror}）；请检查文件权限"
    cache.stats.sources += 1
    too_big = _size_message(ref.kind, stat.st_size, settings)
    if too_big:
        return ref, too_big  # not even read: it could be many gigabytes
    probe_kind = _PROBE_OF[ref.kind]
    record = cache.known_source(ref.path, stat.st_size, stat.st_mtime_ns)
    if record is None or _needs_probe(record.facts.get(probe_kind), probe_kind, settings):
        facts = dict(record.facts) if record else {}
        try:
            facts[probe_kind] = _probe(ref.path, probe_kind, settings)
            sha256 = sha256_of(ref.path)
        except MediaError as error:
            if error.transient:  # about this machine, not the file: try again next time
                return ref, error.message
            facts[probe_kind] = _failure(error.message, probe_kind, settings)
            sha256 = _sha256_or_none(ref.path)
        except OSError as error:
            return ref, f"无法读取（{error.strerror}）；请检查文件权限"
        except MemoryError:
            return ref, "处理时内存不足；请把文件缩小后再放入"
        except Exception as error:  # a decoder's own failure on a hostile file is no crash
            message = f"无法处理（{type(error).__name__}）；请重新导出这个文件"
            facts[probe_kind] = _failure(message, probe_kind, settings)
            sha256 = _sha256_or_none(ref.path)
        if sha256 is None:
            return ref, "读取时文件消失或无法读取；请检查文件是否还在、权限是否正确"
        record = SourceRecord(stat.st_size, stat.st_mtime_ns, sha256, facts)
        cache.stats.read += 1
        cache.remember_source(ref.path, record)
    probed = dataclasses.replace(ref, sha256=record.sha256, facts=record.facts[probe_kind])
    return probed, facts_message(ref.kind, probed.facts, settings)


def _subtitle_problems(story_path: str, ref: MediaRef) -> list[Problem]:
    """Personal numbers in the cues, at the .vtt file's own lines: that is where to edit."""
    vtt_path = posixpath.normpath(posixpath.join(posixpath.dirname(story_path), ref.name))
    return [
        Problem(vtt_path, line, SUBTITLES_FIELD, message)
        for line, message in ref.facts.get("personal", [])
    ]


def _failure(message: str, probe_kind: str, settings: MediaSettings) -> dict[str, Any]:
    facts: dict[str, Any] = {"error": message}
    if probe_kind == "av":
        facts["max_pixels"] = settings.max_video_pixels  # as `ffmpeg.probe` records it
    return facts


def _sha256_or_none(path: Path) -> str | None:
    try:
        return sha256_of(path)
    except OSError:
        return None


_PROBE_OF: dict[str, str] = {"image": "image", "video": "av", "audio": "av", "subtitles": "vtt"}


def _needs_probe(facts: dict[str, Any] | None, probe_kind: str, settings: MediaSettings) -> bool:
    if facts is None:
        return True
    if probe_kind == "image" and not facts.get("error") and not facts.get("verified"):
        # Not decoded because it was over the pixel limit then; the limit may be higher now.
        return facts["width"] * facts["height"] <= settings.max_image_pixels
    if probe_kind == "vtt":
        # A file read before its cues were scanned for personal numbers is read again.
        return not facts.get("error") and "personal" not in facts
    # Probed under another pixel limit, which may have hidden the picture's size.
    return probe_kind == "av" and facts.get("max_pixels") != settings.max_video_pixels


def _probe(path: Path, probe_kind: str, settings: MediaSettings) -> dict[str, Any]:
    if probe_kind == "image":
        return probe_image(path, settings.max_image_pixels)
    if probe_kind == "vtt":
        text = read_webvtt(path, settings.max_subtitles_bytes)
        personal = [[f.line_offset + 1, f.message] for f in personal_data_in_cues(text)]
        return {"valid": True, "personal": personal}
    kind = sniff(path)
    if kind in STILL_IMAGES:
        raise MediaError(
            f"是 {FORMAT_NAMES[kind]} 图片，不是视频或音频；照片请写在 cover、pairs 或正文里"
        )
    if kind == "text":
        raise MediaError("不是视频或音频，而是一个文本文件；请换成 MP4 视频或 M4A/MP3 音频")
    if kind == "empty":
        raise MediaError("是空文件（0 字节）；请重新复制原始文件")
    return ffmpeg.probe(path, settings.ffmpeg_timeout_seconds, settings.max_video_pixels)


def _size_message(kind: Kind, size: int, settings: MediaSettings) -> str | None:
    limit, noun = {
        "image": (settings.max_image_bytes, "照片"),
        "video": (settings.max_video_bytes, "视频"),
        "audio": (settings.max_audio_bytes, "音频"),
        "subtitles": (settings.max_subtitles_bytes, "字幕"),
    }[kind]
    if size <= limit:
        return None
    return (
        f"有 {_size_text(size)}，超过{noun}文件上限 {_size_text(limit)}"
        "（mkdocs.yml 的 extra.media）；请压缩或剪短后再放入"
    )


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, size // 1024)} KB"


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60} 分 {whole % 60:02d} 秒"


def facts_message(kind: Kind, facts: dict[str, Any], settings: MediaSettings) -> str | None:
    """What is wrong with a probed file for its use, judged by today's limits."""
    if facts.get("error"):
        return str(facts["error"])
    if kind == "image":
        if facts["width"] * facts["height"] > settings.max_image_pixels:
            return too_many_pixels(
                facts["width"], facts["height"], settings.max_image_pixels
            ).message
        unwritable = too_large_to_write(facts["width"], facts["height"])
        return unwritable.message if unwritable else None
    if kind == "subtitles":
        return None
    duration = facts.get("duration")  # what a video job publishes: its longest stream
    if kind == "video":
        if facts.get("video") is None:
            if facts.get("audio") is not None:
                return (
                    "只有声音，没有画面；请把它写在 audios: 下面（例如 audios: - file: "
                    "song.m4a，再写 caption），而不是 videos:"
                )
            return "里面没有画面也没有声音；请换成 MP4 视频"
        width, height = facts["video"].get("width"), facts["video"].get("height")
        if not width or not height:
            return "读不出画面尺寸，文件可能已损坏；请重新导出为 MP4"
        if width * height > settings.max_video_pixels:
            return (
                f"的画面有 {width}×{height} 像素（{width * height / 1e6:.1f} 百万像素），超过视频"
                f"上限 {settings.max_video_megapixels:g} 百万像素（mkdocs.yml 的 extra.media."
                "max_video_megapixels）；请导出为 4K（3840×2160）或更小的视频后再放入"
            )
        limit = settings.max_video_seconds
        noun = "视频"
    else:
        if facts.get("audio") is None:
            return "里面没有声音；请换成 M4A 或 MP3 音频"
        duration = facts["audio"].get("duration")  # an audio job publishes this stream only
        limit = settings.max_audio_seconds
        noun = "音频"
    if duration is None:
        return "读不出时长，文件可能已损坏；请重新导出"
    if duration > limit:
        return (
            f"时长 {_minutes(duration)}，超过{noun}上限 {_minutes(limit)}"
            "（mkdocs.yml 的 extra.media）；请剪短后再放入"
        )
    return None
