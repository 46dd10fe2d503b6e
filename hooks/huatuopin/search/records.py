"""Each searchable page's record for the search index: a small HTML document of the page's
searchable content (overrides/search-record.html), written beside the build while the page is
rendered, for the indexer (search/indexer.py) to read instead of the whole page.

At 10,000 stories the pages hold about 550 MB of HTML (headers, navigation, footers, posters)
for a few kilobytes of searchable text each: reading the records instead takes a fraction of
the time.

One folder per build (`mkdocs build`), removed when the index is made or when the process
ends; under `mkdocs serve` the same folder lasts from one rebuild to the next, pages that are
no longer searchable (a story deleted, now a draft with a problem) taken out at each rebuild.
Writes are atomic (temp file + rename): the index made in the background never reads half a
record.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

PAGE_FILE = "index.html"


class SearchRecords:
    def __init__(self) -> None:
        self._folder: Path | None = None
        self._written: set[str] = set()  # URLs with a record in the folder

    @property
    def folder(self) -> Path:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="huatuopin-search-"))
            atexit.register(shutil.rmtree, self._folder, ignore_errors=True)
        return self._folder

    def path_of(self, url: str) -> Path:
        """Where the record of the page at `url` goes: the indexer gives a result the URL of
        its folder (`stories/x/index.html` → stories/x/), so the record sits where the page
        does."""
        return self.folder / url / PAGE_FILE

    def write(self, url: str, html: str) -> None:
        path = self.path_of(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".record-", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(html)
        os.replace(temporary, path)
        self._written.add(url)

    def keep_only(self, searchable: Iterable[str]) -> None:
        """Take out the records of pages that are not searchable in this build."""
        if self._folder is None:
            return
        # Only this object writes into its folder: what it wrote is what is there, without
        # walking ~20,000 records at each rebuild of a province-size preview.
        stale = self._written - set(searchable)
        for url in stale:
            self.path_of(url).unlink(missing_ok=True)
        self._written -= stale

    def remove(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
            self._written = set()


__all__ = ["SearchRecords"]
