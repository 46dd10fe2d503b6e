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
from .media.check import cache_for
from .media.pipeline import MediaPublication, job_for
from .media.settings import MediaSettings

FORMAT = 1


def release_facts(
    catalog: Catalog, media: MediaPublication, project_root: Path, settings: MediaSettings
) -> dict[str, Any]:
    """The facts of a build's release, as the JSON object written to `urls.RELEASE_FACTS`."""
    cache = cache_for(project_root, settings)
    stories: dict[str, dict[str, list[str]]] = {}
    every_key: set[str] = set()
    for story in catalog.stories:
        keys: set[str] = set()
        files: set[str] = set()
        published = story.source_path in media.assets  # its media were made and are published
        for ref in story.media.refs if story.media and published else ():
            if ref.sha256 is None:
                continue  # not probed: no derived files
            key, _ = job_for(ref, cache, settings)
            manifest = cache.entry(key) or {}
            keys.add(key)
            files.update(urls.media(name) for name in manifest.get("files", ()))
        every_key |= keys
        stories[story.url] = {"media": sorted(files), "cache": sorted(keys)}
    for member in catalog.troupe.members:
        if member.photo_ref is not None and member.photo_ref.sha256 is not None:
            every_key.add(job_for(member.photo_ref, cache, settings)[0])
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
