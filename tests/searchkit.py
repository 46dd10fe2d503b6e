"""The search index as the indexer wrote it, read back for tests: which pages it holds, with
the text a result shows and every token a query can find the page by."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from huatuopin import urls
from huatuopin.search.indexer import MANIFEST, read_record
from huatuopin.search.tokens import query_tokens


@dataclass(frozen=True)
class IndexedPage:
    url: str  # as a result links it: "/stories/x/"
    title: str
    label: str
    text: str  # what a result shows of it
    tokens: frozenset[str]  # everything a query finds it by

    def found_by(self, query: str) -> bool:
        """Whether a query for `query` finds this page (it holds every token of it)."""
        wanted = query_tokens(query)
        return bool(wanted) and all(token in self.tokens for token in wanted)


def indexed_pages(site_dir: Path) -> dict[str, IndexedPage]:
    """Every page in the index of a built site, by URL."""
    index = site_dir / urls.SEARCH_INDEX
    manifest = json.loads((index / MANIFEST).read_text("utf-8"))
    folder = index / manifest["build"]
    tokens: dict[int, set[str]] = {}
    for number in range(manifest["shards"]):
        shard = json.loads((folder / f"t{number}.json").read_text("utf-8"))
        for token, entry in shard.items():
            doc_id = 0
            for gap in entry[1::2]:
                doc_id += gap
                tokens.setdefault(doc_id, set()).add(token)
    pages = {}
    for doc_id in range(manifest["documents"]):
        record = json.loads((folder / f"d{doc_id}.json").read_text("utf-8"))
        url = "/" + record["u"]
        found = frozenset(tokens.get(doc_id, ()))
        pages[url] = IndexedPage(url, record["t"], record["l"], record["x"], found)
    return pages


def indexed(html: str) -> IndexedPage:
    """What the indexer keeps of `html`: a page's record (overrides/search-record.html), or a
    piece of page content indexed as a page's body."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "index.html"
        body = html if "<html" in html else f"<html><body><div data-search-body>{html}</div>"
        page.write_text(body, encoding="utf-8")
        document = read_record(page, "")
    tokens = frozenset(document.scores)
    return IndexedPage("/", document.title, document.label, document.shown, tokens)
