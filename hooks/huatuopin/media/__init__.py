"""Photos, videos, audio and subtitles: validation, derived files, cache and markup.

One module per concern:

- `settings`: limits from `extra.media` in mkdocs.yml;
- `sniff`: what a file really is, from its first bytes;
- `images`: probing and the responsive variants (Pillow);
- `ffmpeg`: the only module that runs ffmpeg (through ffmpeg-python);
- `av`: video and audio jobs built on `ffmpeg`;
- `subtitles`: WebVTT validation;
- `cache`: the content-addressed cache (`.cache/media/` unless configured) and its upkeep;
- `check`: a story's media references, probed, with problems at their field's line;
- `pipeline`: derived files for the published stories, in parallel, with a progress line;
- `markup`: `<picture>`, video, audio and pair markup from the `overrides/partials/media-*`
  templates, and the body images of a story.

This file imports nothing on purpose: `huatuopin.settings` imports `media.settings`, and
must not pull in Pillow or ffmpeg with it.
"""
