"""Keeps Material's search index within budget: every first page load fetches all of it."""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup
from pypinyin import Style, lazy_pinyin

from . import safehtml

INDEX_PATH = Path("search") / "search_index.json"
# A village's page outranks the stories that name it (Material multiplies the page's scores).
VILLAGE_BOOST = 10.0
VILLAGE_SUFFIX = "村"


def pinyin_terms(name: str, slug: str = "") -> tuple[str, ...]:
    """What a reader typing a village's name in pinyin may write, as words for the index:
    张庄村 → `zhangzhuang`, `zhangzhuangcun` and `zhang zhuang cun` (the index splits the
    last into its syllables, so `zhang zhuang` finds it too). The page's slug comes too: a
    profile's file name gives the reading a machine gets wrong (重渡沟 is chongdugou, not
    zhongdugou). Empty for a name without Chinese characters: its own letters find it."""
    name = name.strip()
    if name.isascii():
        return ()
    full = _syllables(name)
    base = _syllables(name.removesuffix(VILLAGE_SUFFIX)) or full
    terms = ["".join(base), "".join(full), " ".join(full)]
    if slug:
        terms.append(slug.replace("-", ""))
    return tuple(dict.fromkeys(term for term in terms if term))


@functools.cache  # every village on every build and preview rebuild
def _syllables(text: str) -> tuple[str, ...]:
    pieces = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    return tuple(piece.lower() for piece in pieces if piece.isascii() and piece.isalnum())


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
