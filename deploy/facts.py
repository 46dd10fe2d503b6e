"""A release's facts (`.huatuopin/release.json`, written by the build: releasefacts.py), as the
deploy reads and updates them; and the check that no live URL vanishes in a new release."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from huatuopin import urls

FORMAT = 1


class FactsError(Exception):
    """A facts file that cannot be read, in one Chinese sentence."""


@dataclass
class StoryFacts:
    media: list[str] = field(default_factory=list)  # site paths of its derived files
    cache: list[str] = field(default_factory=list)  # media cache keys


@dataclass
class ReleaseFacts:
    stories: dict[str, StoryFacts]  # site-relative story URL →
    withdrawn: dict[str, str]  # story URL → YYYY-MM-DD
    redirects: dict[str, str]  # old story URL → new one
    corrections: dict[str, list[dict[str, str]]]
    media: list[str]
    cache: list[str]

    def urls(self) -> set[str]:
        """Every story URL the release answers: published, withdrawn (410) or moved (301)."""
        return set(self.stories) | set(self.withdrawn) | set(self.redirects)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "stories": {
                url: {"media": sorted(story.media), "cache": sorted(story.cache)}
                for url, story in sorted(self.stories.items())
            },
            "withdrawn": dict(sorted(self.withdrawn.items())),
            "redirects": dict(sorted(self.redirects.items())),
            "corrections": dict(sorted(self.corrections.items())),
            "media": sorted(self.media),
            "cache": sorted(self.cache),
        }


def facts_path(release: Path) -> Path:
    return release / urls.RELEASE_FACTS


def read_facts(release: Path) -> ReleaseFacts | None:
    """The facts of the release folder; None for a release made before they were written."""
    path = facts_path(release)
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}")
        return ReleaseFacts(
            stories={
                str(url): StoryFacts(list(story["media"]), list(story["cache"]))
                for url, story in data["stories"].items()
            },
            withdrawn={str(url): str(date) for url, date in data["withdrawn"].items()},
            redirects={str(old): str(new) for old, new in data["redirects"].items()},
            corrections={str(url): list(notes) for url, notes in data["corrections"].items()},
            media=list(data["media"]),
            cache=list(data["cache"]),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise FactsError(
            f"{path} 读不出来（{error}）；这个版本的文件可能被改动过，"
            "请检查或删掉这个版本后再发布。"
        ) from error


def write_facts(release: Path, facts: ReleaseFacts) -> None:
    """Replace the release's facts whole (a rename), dropping a `.gz` made of the old ones."""
    path = facts_path(release)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    text = json.dumps(facts.to_json(), ensure_ascii=False, indent=1, sort_keys=True)
    temporary.write_text(text + "\n", "utf-8")
    os.replace(temporary, path)
    path.with_name(path.name + ".gz").unlink(missing_ok=True)


def vanished(live: ReleaseFacts, new: ReleaseFacts | None) -> list[str]:
    """The live release's story URLs the new one neither publishes, withdraws nor redirects,
    as readers write them (`/stories/x/`)."""
    kept = new.urls() if new is not None else set()
    return sorted(f"/{url}" for url in live.urls() - kept)
