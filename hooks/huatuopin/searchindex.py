"""Keeps Material's search index within budget: every first page load fetches all of it."""

from __future__ import annotations

import json
import os
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from . import safehtml

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


def search_scope(env: Environment, html: Markup, css_class: str, *, indexed: bool) -> Markup:
    """Wrap page content (safe HTML) in a block the search index leaves out, unless `indexed`."""
    return safehtml.render(
        env, "partials/search-scope.html", html=html, css_class=css_class, indexed=indexed
    )
