"""What every exporter shares: the published URLs and the text both schedule formats show."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import ClassVar

from ... import urls
from ...settings import CampaignSettings
from ..models import Talk, Troupe

TROUPE_TITLE = "脱贫故事宣讲团"


@dataclass(frozen=True)
class FeedContext:
    """The Catalog's troupe plus what a feed needs to write absolute, stable URLs."""

    troupe: Troupe
    site_url: str  # absolute, with a trailing slash
    settings: CampaignSettings

    def absolute(self, path: str) -> str:
        return self.site_url + path

    def talk_url(self, talk: Talk) -> str:
        return self.absolute(urls.talk(talk.anchor))

    def speaker_names(self, talk: Talk) -> str:
        return "、".join(member.name for member in talk.speakers)

    @property
    def stamp(self) -> dt.datetime:
        """A deterministic DTSTAMP: the campaign's first day, midnight UTC."""
        return dt.datetime.combine(self.settings.start, dt.time(0), dt.UTC)


def summary_line(talk: Talk, context: FeedContext) -> str:
    """One line for apps: who speaks where (the title is shown separately)."""
    return f"{context.speaker_names(talk)} · {''.join(talk.trail)} {talk.venue}"


def description(talk: Talk, context: FeedContext) -> str:
    speakers = "；".join(f"{m.name}（{m.category}，{m.unit}）" for m in talk.speakers)
    lines = [f"宣讲人：{speakers}"]
    lines.append(f"形式：{talk.form}")
    lines.append(f"状态：{talk.status}")
    lines.append(f"地点：{talk.location}")
    for story in talk.stories:
        lines.append(f"相关稿件：{story.title} {context.absolute(story.url)}")
    lines.append(f"详情：{context.talk_url(talk)}")
    return "\n".join(lines)


def schedule_version(talks: list[Talk]) -> str:
    """Changes whenever a talk changes, and only then: apps show it to tell versions apart."""
    canonical = [
        [
            t.id,
            t.date.isoformat(),
            f"{t.start:%H:%M}",
            f"{t.end:%H:%M}",
            *t.trail,
            t.venue,
            list(t.speaker_ids),
            t.title,
            t.form,
            t.status,
            [s.folder for s in t.stories],
        ]
        for t in talks
    ]
    digest = hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode()).hexdigest()
    return f"{len(talks)}-{digest[:12]}"


class Exporter:
    """One output format (after pretalx's schedule exporters)."""

    identifier: ClassVar[str]
    content_type: ClassVar[str]
    extension: ClassVar[str]
