"""What a release says about itself, for the deploy (deploy/releases.py), written by the build
into `urls.RELEASE_FACTS`:

- which story URLs it publishes, and the derived media files and media cache keys of each, so
  a later takedown can remove exactly those files from this release and the cache;
- which story URLs are withdrawn (with the date) and which old URLs lead where, so a deploy
  can refuse a release in which a live URL vanishes;
- the corrections' dates and notes (already public on the story pages).

No titles and no reasons: the file lies in the published folder, and a host without our
nginx configuration would serve it. Sorted, so the same site gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import urls
from .catalog import Catalog
from .media.pipeline import MediaPublication

FORMAT = 1


def release_facts(catalog: Catalog, media: MediaPublication) -> dict[str, Any]:
    """The facts of a build's release, as the JSON object written to `urls.RELEASE_FACTS`."""
    stories = {
        story.url: {
            "media": list(media.story_files.get(story.source_path, ())),
            "cache": list(media.story_keys.get(story.source_path, ())),
        }
        for story in catalog.stories
    }
    every_key = {key for keys in media.story_keys.values() for key in keys}
    every_key.update(media.member_keys)
    corrections = {
        story.url: [
            {"date": correction.date.isoformat(), "note": correction.note}
            for correction in story.corrections
        ]
        for story in catalog.stories
        if story.corrections
    }
    return {
        "format": FORMAT,
        "stories": dict(sorted(stories.items())),
        "withdrawn": dict(sorted((w.url, w.date.isoformat()) for w in catalog.withdrawn)),
        "redirects": dict(sorted((r.old, r.new) for r in catalog.redirects)),
        "corrections": dict(sorted(corrections.items())),
        "media": sorted(media.outputs),
        "cache": sorted(every_key),
    }


def write_release_facts(site_dir: Path, facts: dict[str, Any]) -> Path:
    target = site_dir / urls.RELEASE_FACTS
    target.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(facts, ensure_ascii=False, indent=1, sort_keys=True)
    target.write_text(text + "\n", encoding="utf-8")
    return target
