"""Keeps Material's search index within budget: every first page load fetches all of it."""

from __future__ import annotations

import json
import os
from pathlib import Path

INDEX_PATH = Path("search") / "search_index.json"


def prune_search_index(site_dir: Path) -> None:
    """Drop section entries that carry no text of their own.

    Story bodies are kept out of the index, so the body's headings leave entries that only
    repeat the page title; each would cost bytes on every page load and find nothing new.
    """
    path = site_dir / INDEX_PATH
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    index["docs"] = [
        entry for entry in index["docs"] if entry.get("text") or "#" not in entry["location"]
    ]
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(index, separators=(",", ":"), ensure_ascii=False), "utf-8")
    os.replace(temporary, path)


# Material's search parser matches a closing tag by its name alone, so an excluded <div> would
# end at the first nested </div> and the rest of the body would be indexed after all. A custom
# element that no content uses cannot be closed early.
UNINDEXED_TAG = "hp-unindexed"


def unindexed(html: str, css_class: str) -> str:
    """Wrap rendered HTML so the search index leaves it out."""
    return f'<{UNINDEXED_TAG} class="{css_class}" data-search-exclude>{html}</{UNINDEXED_TAG}>'
