"""Media limits, the gallery's page size and the cache's place, from `extra.media` in mkdocs.yml."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import PurePath
from typing import Any

MB = 1024 * 1024
# The project's one cache folder by default (`extra.cache_dir`), relative to the project;
# the media cache is its `media/` part.
PROJECT_CACHE_DIR = PurePath(".cache")
MEDIA_PART = "media"
CACHE_DIR = PROJECT_CACHE_DIR / MEDIA_PART


class MediaSettingsError(ValueError):
    pass


@dataclass(frozen=True)
class MediaSettings:
    # A camera original is 5–10 MB and 12–50 megapixels; more is a mistake or an attack.
    max_image_mb: float = 40
    max_image_megapixels: float = 60
    max_video_mb: float = 500
    max_video_minutes: float = 15
    # A 4K phone video is 8.3 megapixels (3840×2160); 8K and hostile headers are not decoded.
    max_video_megapixels: float = 10
    max_audio_mb: float = 100
    max_audio_minutes: float = 30
    max_subtitles_kb: float = 512
    # One ffmpeg run (probe, encode, poster) is stopped after this long.
    ffmpeg_timeout_seconds: float = 900
    # Pairs on one gallery page; fixed, so that page URLs stay stable.
    gallery_per_page: int = 12
    # The derived files and probe records, relative to the project: `media/` in the
    # project's cache folder (`extra.cache_dir`; cache.cache_root says what overrides it).
    cache_dir: str = CACHE_DIR.as_posix()

    @property
    def max_image_bytes(self) -> int:
        return int(self.max_image_mb * MB)

    @property
    def max_image_pixels(self) -> int:
        return int(self.max_image_megapixels * 1_000_000)

    @property
    def max_video_bytes(self) -> int:
        return int(self.max_video_mb * MB)

    @property
    def max_video_pixels(self) -> int:
        return int(self.max_video_megapixels * 1_000_000)

    @property
    def max_video_seconds(self) -> float:
        return self.max_video_minutes * 60

    @property
    def max_audio_bytes(self) -> int:
        return int(self.max_audio_mb * MB)

    @property
    def max_audio_seconds(self) -> float:
        return self.max_audio_minutes * 60

    @property
    def max_subtitles_bytes(self) -> int:
        return int(self.max_subtitles_kb * 1024)

    @classmethod
    def from_extra(cls, extra: dict[str, Any]) -> MediaSettings:
        media = extra.get("media") or {}
        if not isinstance(media, dict):
            raise MediaSettingsError("mkdocs.yml: extra.media 应为“名称: 数值”的映射")
        known = {f.name: f for f in fields(cls) if f.name != "cache_dir"}
        values: dict[str, Any] = {
            "cache_dir": (PurePath(project_cache_dir(extra)) / MEDIA_PART).as_posix()
        }
        for key, value in media.items():
            if key == "cache_dir":
                raise MediaSettingsError(
                    "mkdocs.yml: extra.media.cache_dir 已改为 extra.cache_dir：所有缓存放在"
                    "同一个文件夹里，媒体缓存是其中的 media/；请把这一行移到 extra 下，"
                    "写成 cache_dir: .cache"
                )
            if key not in known:
                raise MediaSettingsError(
                    f"mkdocs.yml: extra.media.{key} 不是可用的设置；可用：{'、'.join(known)}"
                )
            integer = known[key].type in ("int", int)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or value <= 0
                or (integer and not isinstance(value, int))
            ):
                kind = "正整数" if integer else "正数"
                raise MediaSettingsError(f"mkdocs.yml: extra.media.{key} 应为{kind}")
            values[key] = value
        return cls(**values)


def project_cache_dir(extra: dict[str, Any]) -> str:
    """`extra.cache_dir`: the one folder for every cache (media, stories already read)."""
    value = extra.get("cache_dir", PROJECT_CACHE_DIR.as_posix())
    if not isinstance(value, str) or not value.strip():
        raise MediaSettingsError("mkdocs.yml: extra.cache_dir 应为一个文件夹路径，例如 .cache")
    if PurePath(value.strip()).parts[:1] == ("docs",):
        # Generators never write into docs/: `mkdocs serve` would rebuild forever.
        raise MediaSettingsError(
            "mkdocs.yml: extra.cache_dir 不能放在 docs/ 里（预览会不停地重新构建）；"
            "请用 docs/ 以外的文件夹，例如 .cache"
        )
    return value.strip()
