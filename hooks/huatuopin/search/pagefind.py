"""The search index: Pagefind (extended, for Chinese) run at the end of the build.

Pagefind splits the index into chunks and fragments, so a reader's first query fetches only
what it needs, whatever the size of the site. It reads the searchable pages' records
(search/records.py: each page's searchable content as the hooks rendered it, marked by
overrides/search-record.html), within `data-pagefind-body` and leaving out what is marked
`data-pagefind-ignore`, and writes the index into the site. The command-line program reading
files is used rather than Pagefind's Python API: fed the same 2,001 records one message at a
time, the API took 206 s against 3 s for the program reading the built site (1,000 stories).

The binary comes with the `pagefind_bin_extended` wheel (pinned in requirements.lock); it is
found through that package, never on PATH, so the build uses the pinned version.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .. import urls

log = logging.getLogger("mkdocs.plugins.huatuopin")

BINARY_PACKAGE = "pagefind_bin_extended"
BINARY_NAME = "pagefind_extended"
# Every page is Chinese: one index, segmented as Chinese, whatever a page's lang says.
LANGUAGE = "zh"
# Far beyond what 50,000 pages take (Pagefind indexes thousands of pages a second): only a
# hung process reaches it.
TIMEOUT_SECONDS = 1800
_PAGES = re.compile(r"Indexed (\d+) pages?")
# Pagefind also writes its ready-made search interfaces; ours is docs/assets/search.js, and
# only the index, pagefind.js with its worker and the WebAssembly are fetched.
UNUSED = (
    "pagefind-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-component-ui.*",
    "pagefind-highlight.js",
)


class IndexerError(Exception):
    """The index could not be made; the message says why, in Chinese, for the build's log."""


@dataclass(frozen=True)
class IndexReport:
    pages: int  # pages Pagefind indexed
    seconds: float = 0.0  # how long it took, for the build's log and the bench

    def __str__(self) -> str:
        return f"搜索索引：已收录 {self.pages} 个页面（{self.seconds:.1f} 秒）"


def indexer_binary() -> Path:
    """Pagefind's extended binary, from its wheel."""
    spec = importlib.util.find_spec(BINARY_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        binary = Path(location) / BINARY_NAME
        if binary.is_file() and os.access(binary, os.X_OK):
            return binary
    raise IndexerError(
        "找不到搜索索引程序 Pagefind（pagefind[extended]）；"
        "请运行 make build，它会按 requirements.lock 装好"
    )


# Indexers running now (the preview's run in a thread of their own) and how long one may take
# to end once told to.
_RUNNING: set[subprocess.Popen[str]] = set()
_RUNNING_LOCK = threading.Lock()
_STOPPING = threading.Event()  # set for good by stop_indexing: the process is ending
STOP_SECONDS = 5
STOPPED = "预览已停止，搜索索引没有再建"


def index_site(site_dir: Path, records: Path | None = None) -> IndexReport:
    """Write the index of the pages in `records` (default: the site's own pages) to
    `site_dir/pagefind/`.

    The new index is written beside the old one and swapped in, so a server (`make serve`)
    never hands out a half-written index: readers get the old one or the new one.
    """
    started = time.perf_counter()
    binary = indexer_binary()
    target = site_dir / urls.PAGEFIND
    staging = Path(tempfile.mkdtemp(prefix=".pagefind-new-", dir=site_dir))
    try:
        output = _run(binary, records or site_dir, staging)
        for pattern in UNUSED:
            for path in staging.glob(pattern):
                path.unlink()
        _swap_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    found = _PAGES.search(output)
    return IndexReport(int(found.group(1)) if found else 0, time.perf_counter() - started)


def _run(binary: Path, pages: Path, output: Path) -> str:
    command = [
        str(binary),
        "--site",
        str(pages),
        "--output-path",
        str(output),
        "--force-language",
        LANGUAGE,
    ]
    with _RUNNING_LOCK:  # no indexer starts once the preview is stopping
        if _STOPPING.is_set():
            raise IndexerError(STOPPED)
        try:
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        except OSError as error:
            raise IndexerError(f"搜索索引程序 Pagefind 无法运行：{error.strerror}") from error
        _RUNNING.add(process)
    try:
        stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as error:
        process.kill()
        process.communicate()
        raise IndexerError(f"搜索索引 {TIMEOUT_SECONDS} 秒还没有建好，已停止") from error
    finally:
        with _RUNNING_LOCK:
            _RUNNING.discard(process)
    if _STOPPING.is_set():
        raise IndexerError(STOPPED)
    if process.returncode != 0:
        said = (stderr.strip() or stdout.strip()).splitlines()[-5:]
        detail = "；".join(said) or "没有输出"
        raise IndexerError(f"搜索索引没有建成（Pagefind 退出码 {process.returncode}）：{detail}")
    return stdout


def stop_indexing() -> None:
    """End every Pagefind still running: a preview stopped with Ctrl-C (or any exit) leaves
    no indexer behind, working on a site folder that is being removed."""
    with _RUNNING_LOCK:
        _STOPPING.set()
        running = list(_RUNNING)
    for process in running:
        process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_SECONDS)


# MkDocs' on_shutdown calls it too (site_hooks.py); this covers an exit that skips it.
atexit.register(stop_indexing)


def _swap_in(staging: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=".pagefind-old-", dir=target.parent))
        os.replace(target, old / target.name)
    os.replace(staging, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


class BackgroundIndexer:
    """`make serve`: the first index before the site is served, then one after each rebuild
    in a thread of its own, so a reader's preview is never held up by the index (search may
    lag a few seconds behind an edit). Rebuilds that come while it runs make one more run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: tuple[Path, Path] | None = None
        self._running = False
        self._indexed_once = False

    def request(self, site_dir: Path, records: Path) -> None:
        if not self._indexed_once:
            self._indexed_once = True
            self._index(site_dir, records)
            return
        with self._lock:
            self._pending = (site_dir, records)
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._work, name="pagefind", daemon=True).start()

    def _work(self) -> None:
        try:
            while True:
                with self._lock:
                    pending, self._pending = self._pending, None
                    if pending is None:
                        return
                self._index(*pending)
        finally:  # whatever ended the thread, the next rebuild starts another
            with self._lock:
                self._running = False

    @staticmethod
    def _index(site_dir: Path, records: Path) -> None:
        try:
            report = index_site(site_dir, records)
        except (IndexerError, OSError) as error:
            if not _STOPPING.is_set():  # Ctrl-C ending a run is no failure
                # The preview goes on without a fresh index; the log says why.
                log.error(f"搜索索引：{error}")
            return
        except Exception as error:  # a preview keeps serving whatever happened
            log.error(
                f"搜索索引没有建成（{type(error).__name__}：{error}）；预览照常，搜索用上一次的索引"
            )
            return
        log.info(str(report))
