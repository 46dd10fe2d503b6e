"""The search index as Pagefind wrote it, read back for tests: which pages it holds, with
their text and metadata (the fragments a reader's browser would fetch, decompressed)."""

from __future__ import annotations

import gzip
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huatuopin import urls
from huatuopin.search.pagefind import index_site

# Pagefind's fragments are gzip files whose text starts with this marker, then JSON.
FRAGMENT_MARKER = "pagefind_dcd"
# Pagefind puts a zero-width space between the words it segmented.
WORD_BREAK = "\u200b"


@dataclass(frozen=True)
class IndexedPage:
    url: str  # as Pagefind gives it: "/stories/x/"
    text: str  # what a query is matched against, without Pagefind's word breaks
    meta: dict[str, Any]


def indexed_pages(site_dir: Path) -> dict[str, IndexedPage]:
    """Every page in the index of a built site, by URL."""
    pages = {}
    for path in (site_dir / urls.PAGEFIND / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes()).decode("utf-8")
        record = json.loads(data.removeprefix(FRAGMENT_MARKER))
        text = record["content"].replace(WORD_BREAK, "")
        pages[record["url"]] = IndexedPage(record["url"], text, record["meta"])
    return pages


def indexed_text(html: str) -> str:
    """What the real indexer keeps of `html`: a page's record (overrides/search-record.html)
    or a piece of page content, indexed on its own."""
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        page = html if "<html" in html else f'<html lang="zh"><body>{html}</body></html>'
        (site / "index.html").write_text(page, encoding="utf-8")
        index_site(site)
        return indexed_pages(site)["/"].text
