"""What a reader's first search costs, for the province bench to weigh two kinds of index.

- `first_query_cost`: the site as built (its own index, hooks/huatuopin/search/indexer.py),
  served by nginx with the repository's configuration, its search page opened on the phone
  every check uses (scripts/phonebrowser.py), the query typed, the results waited for.
  Counted: every request the search made (every file of /search-index/ fetched from typing
  the query until the network is quiet: the manifest, the shards of the query's tokens and
  the records of the results shown; the search page itself and its own script are the page's
  cost, not the query's), each at the size nginx sends it: gzip level 6 for the text types
  deploy/precompress.py compresses, the bytes as they are otherwise.
- `sharded_material_estimate`: what a term-sharded Material/lunr-style index would cost for
  the same query on the same site, computed offline from the same indexed text (the records
  the index holds, split into the same tokens). Stated rule, see `ShardedIndex`: the postings
  of every term are put in one of N shards by a stable hash of the term, N chosen so a shard
  holds about SHARD_TARGET_BYTES of JSON; the documents (location, title, text: what
  Material's search_index.json holds per page) in chunks of DOC_CHUNK pages in URL order. A
  first query fetches Material's search worker (it carries lunr), a manifest, the shard of
  each of its terms and the document chunks of the 10 results it shows; it is ranked by
  tf-idf with a village's page boosted as Material's `search.boost` did.
(Pagefind's extended build was measured the same way before the site's own index replaced it:
737.7 KB for a first query at 50,000 stories, most of it a metadata file listing every page.)

Usage: python -m benchmarks.search_cost SITE_DIR QUERY (from scripts/), or import it.
"""

from __future__ import annotations

import gzip
import json
import math
import socket
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import _project
from huatuopin import urls
from huatuopin.search.indexer import MANIFEST
from huatuopin.search.tokens import document_tokens, query_tokens
from phonebrowser import PHONE, launch_options

sys.path.insert(0, str(_project.ROOT))

from deploy.precompress import COMPRESSED_SUFFIXES
from deploy.server import HOST, find_nginx, render_foreground

if TYPE_CHECKING:
    from playwright.sync_api import Browser

GZIP_LEVEL = 6  # nginx's gzip_comp_level in deploy/nginx/site.conf.in
SHOWN = 10  # results shown at once (docs/assets/search.js)
RESULT_TIMEOUT_MS = 60_000
QUIET_MS = 1_000  # after the results: late page records of the first ten
STARTUP_SECONDS = 15

SHARD_TARGET_BYTES = 64_000  # raw JSON per postings shard in the Material estimate
DOC_CHUNK = 200  # pages per document chunk in the Material estimate
VILLAGE_BOOST = 10.0  # Material's search.boost the village pages had
MATERIAL_WORKER = "assets/javascripts/workers/search.*.min.js"
# The search page has answered: results, or its status line says nothing was found.
ANSWERED = """() => document.querySelector('.hp-search__results > li')
    || /没有找到/.test(document.querySelector('[data-hp-search-status]').textContent)"""


@dataclass(frozen=True)
class Fetched:
    path: str  # site-relative, as requested
    bytes: int  # as nginx sends it


@dataclass(frozen=True)
class SearchCost:
    """One first query: what it fetched and what it found."""

    query: str
    files: tuple[Fetched, ...]
    top_urls: tuple[str, ...]  # site paths of the results shown, best first
    note: str = ""

    @property
    def bytes(self) -> int:
        return sum(file.bytes for file in self.files)

    @property
    def requests(self) -> int:
        return len(self.files)


def served_size(path: Path) -> int:
    """The bytes nginx sends for `path`: gzip-6 for the text types, else the file as it is."""
    data = path.read_bytes()
    if path.suffix in COMPRESSED_SUFFIXES:
        return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))
    return len(data)


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


# -- the site as built: its own index in a real browser through nginx -------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def nginx_serving(site_dir: Path) -> Iterator[str]:
    """The repository's nginx configuration serving `site_dir` on a free port."""
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="search-cost-nginx-") as folder:
        run_dir = Path(folder)
        config = render_foreground(site_dir.resolve(), port, run_dir)
        process = subprocess.Popen(
            [find_nginx(), "-p", f"{run_dir}/", "-e", "stderr", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                if process.poll() is not None:
                    said = process.stderr.read().decode() if process.stderr else ""
                    raise RuntimeError(f"nginx exited: {said}")
                with suppress(OSError), socket.create_connection((HOST, port), 1):
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start within {STARTUP_SECONDS} s")
                time.sleep(0.1)
            yield f"http://{HOST}:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def first_query_cost(site_dir: Path, query: str, browser: Browser | None = None) -> SearchCost:
    """Open /search/ on the phone, type `query`, wait for the results: what the search fetched.
    In a browser of its own, or in `browser` (Playwright allows one per thread: the tests')."""
    from playwright.sync_api import sync_playwright

    with nginx_serving(site_dir) as base_url:
        if browser is not None:
            hrefs, note, requested = _search_on_phone(browser, base_url, query)
        else:
            with sync_playwright() as playwright:
                own = playwright.chromium.launch(**launch_options())
                try:
                    hrefs, note, requested = _search_on_phone(own, base_url, query)
                finally:
                    own.close()
    files = []
    for url in requested:
        path = unquote(urlsplit(url).path).lstrip("/")
        local = site_dir / path
        # Only the search's own files: a late favicon request is the page's.
        if path.startswith(urls.SEARCH_INDEX) and local.is_file():
            files.append(Fetched(path, served_size(local)))
    top = tuple(urlsplit(href).path for href in hrefs)
    return SearchCost(query, tuple(files), top, note)


def _search_on_phone(
    browser: Browser, base_url: str, query: str
) -> tuple[list[str], str, list[str]]:
    """(result links, status line, URLs requested from typing the query on)."""
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/{urls.SEARCH}", wait_until="load")
        page.wait_for_load_state("networkidle")
        requested: list[str] = []
        page.on("requestfinished", lambda request: requested.append(request.url))
        page.get_by_role("search").locator("input[name=q]").fill(query)
        page.wait_for_function(ANSWERED, timeout=RESULT_TIMEOUT_MS)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(QUIET_MS)
        links = page.locator(".hp-search__results > li a")
        hrefs = links.evaluate_all("links => links.map(a => a.href)")
        note = page.locator("[data-hp-search-status]").inner_text()
        return hrefs, note, requested
    finally:
        context.close()


# -- the estimate: a term-sharded Material/lunr-style index --------------------------------------


@dataclass(frozen=True)
class Document:
    location: str  # site path, "/stories/x/"
    title: str
    text: str
    words: tuple[str, ...]  # its tokens, as the site's index splits it
    village: bool


def indexed_documents(site_dir: Path) -> list[Document]:
    """Every page in the site's index, from the records the index holds."""
    index = site_dir / urls.SEARCH_INDEX
    manifest = json.loads((index / MANIFEST).read_text("utf-8"))
    documents = []
    for number in range(manifest["documents"]):
        path = index / manifest["build"] / f"d{number}.json"
        record = json.loads(path.read_text("utf-8"))
        documents.append(
            Document(
                location="/" + record["u"],
                title=record["t"],
                text=record["x"],
                words=tuple(document_tokens(record["x"])),
                village=record["l"] == "村庄",
            )
        )
    return sorted(documents, key=lambda document: document.location)


@dataclass
class ShardedIndex:
    """Postings by term, sharded by crc32(term) % shard_count; documents in fixed chunks."""

    documents: list[Document]
    postings: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    shard_count: int = 1

    @classmethod
    def of(cls, documents: list[Document]) -> ShardedIndex:
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for number, document in enumerate(documents):
            for word, count in Counter(document.words).items():
                postings[word].append((number, count))
        size = len(json.dumps(postings, ensure_ascii=False, separators=(",", ":")).encode())
        return cls(documents, dict(postings), max(1, math.ceil(size / SHARD_TARGET_BYTES)))

    def shard_of(self, term: str) -> int:
        return zlib.crc32(term.encode("utf-8")) % self.shard_count

    def shard(self, number: int) -> bytes:
        terms = {t: p for t, p in self.postings.items() if self.shard_of(t) == number}
        return json.dumps(terms, ensure_ascii=False, separators=(",", ":")).encode()

    def chunk(self, number: int) -> bytes:
        part = self.documents[number * DOC_CHUNK : (number + 1) * DOC_CHUNK]
        docs = [{"location": d.location, "title": d.title, "text": d.text} for d in part]
        return json.dumps({"docs": docs}, ensure_ascii=False, separators=(",", ":")).encode()

    def manifest(self) -> bytes:
        return json.dumps(
            {"shards": self.shard_count, "chunk": DOC_CHUNK, "docs": len(self.documents)}
        ).encode()

    def rank(self, terms: list[str]) -> list[int]:
        """Pages holding every term, by tf-idf, a village's page boosted."""
        total = len(self.documents)
        scores: dict[int, float] = {}
        for position, term in enumerate(terms):
            found = dict(self.postings.get(term, []))
            idf = math.log(1 + total / (1 + len(found)))
            if position == 0:
                scores = {number: 0.0 for number in found}
            scores = {n: s + found[n] * idf for n, s in scores.items() if n in found}
        for number in scores:
            if self.documents[number].village:
                scores[number] *= VILLAGE_BOOST
        return sorted(scores, key=lambda n: (-scores[n], self.documents[n].location))


def sharded_material_estimate(site_dir: Path, query: str) -> SearchCost:
    """What a term-sharded Material/lunr index would fetch for `query` (see the module)."""
    index = ShardedIndex.of(indexed_documents(site_dir))
    terms = query_tokens(query)
    ranked = index.rank(terms)[:SHOWN]
    worker = sorted(site_dir.glob(MATERIAL_WORKER))
    files = [Fetched(path.relative_to(site_dir).as_posix(), served_size(path)) for path in worker]
    files.append(Fetched("search/manifest.json", gzip_size(index.manifest())))
    for shard in sorted({index.shard_of(term) for term in terms}):
        files.append(Fetched(f"search/shard-{shard}.json", gzip_size(index.shard(shard))))
    for chunk in sorted({number // DOC_CHUNK for number in ranked}):
        files.append(Fetched(f"search/docs-{chunk}.json", gzip_size(index.chunk(chunk))))
    top = tuple(index.documents[number].location for number in ranked)
    note = f"{index.shard_count} shards, terms {terms}, worker {'found' if worker else 'absent'}"
    return SearchCost(query, tuple(files), top, note)


def describe(label: str, cost: SearchCost) -> str:
    top = ", ".join(cost.top_urls[:3]) or "nothing"
    return (
        f"{label}: {cost.bytes:,} bytes in {cost.requests} requests for {cost.query!r}; "
        f"first results {top} ({cost.note})"
    )


def main(argv: list[str]) -> int:
    site_dir, query = Path(argv[0]), argv[1]
    started = time.perf_counter()
    print(describe("the site's index (measured)", first_query_cost(site_dir, query)))
    print(f"  measured in {time.perf_counter() - started:.1f} s")
    print(describe("sharded Material (estimate)", sharded_material_estimate(site_dir, query)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
