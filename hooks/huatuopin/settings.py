"""Campaign settings read from `extra:` in mkdocs.yml."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .media.settings import PROJECT_CACHE_DIR, MediaSettings, project_cache_dir

DEFAULT_START = dt.date(2021, 1, 1)
DEFAULT_END = dt.date(2021, 7, 31)
DEFAULT_STORIES_PER_PAGE = 20
DEFAULT_TRAVEL_BUFFER_MINUTES = 60


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class CampaignSettings:
    start: dt.date = DEFAULT_START
    end: dt.date = DEFAULT_END
    stories_per_page: int = DEFAULT_STORIES_PER_PAGE
    search_full_text: bool = False
    # The troupe's least gap between a member's talks in two counties (extra.troupe).
    travel_buffer_minutes: int = DEFAULT_TRAVEL_BUFFER_MINUTES
    # Limits on photos, videos and audio, and the gallery's page size (extra.media).
    media: MediaSettings = field(default_factory=MediaSettings)
    # Every cache of the project (media, stories already read), relative to it (extra.cache_dir).
    cache_dir: str = PROJECT_CACHE_DIR.as_posix()

    @classmethod
    def from_extra(cls, extra: dict[str, Any]) -> CampaignSettings:
        campaign = extra.get("campaign") or {}
        start = campaign.get("start", DEFAULT_START)
        end = campaign.get("end", DEFAULT_END)
        if not isinstance(start, dt.date) or not isinstance(end, dt.date) or end < start:
            raise SettingsError(
                "mkdocs.yml: extra.campaign.start 和 end 应为日期（YYYY-MM-DD），"
                "且 end 不早于 start"
            )
        per_page = campaign.get("stories_per_page", DEFAULT_STORIES_PER_PAGE)
        if isinstance(per_page, bool) or not isinstance(per_page, int) or per_page < 1:
            raise SettingsError("mkdocs.yml: extra.campaign.stories_per_page 应为正整数")
        full_text = campaign.get("search_full_text", False)
        if not isinstance(full_text, bool):
            raise SettingsError("mkdocs.yml: extra.campaign.search_full_text 只能是 true 或 false")
        troupe = extra.get("troupe") or {}
        buffer = troupe.get("travel_buffer_minutes", DEFAULT_TRAVEL_BUFFER_MINUTES)
        if isinstance(buffer, bool) or not isinstance(buffer, int) or buffer < 0:
            raise SettingsError(
                "mkdocs.yml: extra.troupe.travel_buffer_minutes 应为不小于 0 的整数（分钟）"
            )
        try:
            media = MediaSettings.from_extra(extra)
            cache_dir = project_cache_dir(extra)
        except ValueError as error:
            raise SettingsError(str(error)) from error
        return cls(start, end, per_page, full_text, buffer, media=media, cache_dir=cache_dir)
