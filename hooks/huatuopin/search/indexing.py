"""Running the search indexer (search/indexer.py) at the end of a build, in a process of its
own: the build waits for it; `make serve` runs it in the background after each rebuild, ends
it when the preview stops, and swaps each new index in whole.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from .. import urls

log = logging.getLogger("mkdocs.plugins.huatuopin")

# hooks/: where the indexer's package is imported from in its own process.
HOOKS = Path(__file__).resolve().parents[2]
INDEXER_MODULE = "huatuopin.search.indexer"
# Far beyond what 50,000 pages take: only a hung process reaches it.
TIMEOUT_SECONDS = 1800
BACKGROUND_NICENESS = 10
_PAGES = re.compile(r"Indexed (\d+) pages?")


class IndexerError(Exception):
    """The index could not be made; the message says why, in Chinese, for the build's log."""


@dataclass(frozen=True)
class IndexReport:
    pages: int  # pages indexed
    seconds: float = 0.0  # how long it took, for the build's log and the bench

    def __str__(self) -> str:
        return f"搜索索引：已收录 {self.pages} 个页面（{self.seconds:.1f} 秒）"


def indexer_command(records: Path, output: Path) -> list[str]:
    """The indexer, run by this Python from this checkout's hooks/."""
    return [sys.executable, "-m", INDEXER_MODULE, str(records), str(output)]


# Indexers running now (the preview's run in a thread of their own) and how long one may take
# to end once told to.
_RUNNING: set[subprocess.Popen[str]] = set()
_RUNNING_LOCK = threading.Lock()
_STOPPING = threading.Event()  # set for good by stop_indexing: the process is ending
STOP_SECONDS = 5
STOPPED = "预览已停止，搜索索引没有再建"


def index_site(site_dir: Path, records: Path, *, background: bool = False) -> IndexReport:
    """Write the index of the pages whose records are in `records` to `site_dir/search-index/`.

    The new index is written beside the old one and swapped in, so a server (`make serve`)
    never hands out a half-written index: readers get the old one or the new one. In the
    `background` (a preview) it runs at a lower priority than the preview's next rebuild.
    """
    started = time.perf_counter()
    target = site_dir / urls.SEARCH_INDEX
    staging = Path(tempfile.mkdtemp(prefix=".search-index-new-", dir=site_dir))
    try:
        output = _run(indexer_command(records, staging), background=background)
        _swap_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    found = _PAGES.search(output)
    return IndexReport(int(found.group(1)) if found else 0, time.perf_counter() - started)


def _run(command: list[str], *, background: bool = False) -> str:
    environment = dict(os.environ)
    paths = [str(HOOKS), environment.get("PYTHONPATH", "")]
    environment["PYTHONPATH"] = os.pathsep.join(path for path in paths if path)
    with _RUNNING_LOCK:  # no indexer starts once the preview is stopping
        if _STOPPING.is_set():
            raise IndexerError(STOPPED)
        try:
            process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=environment,
            )
        except OSError as error:
            raise IndexerError(f"搜索索引程序无法运行：{error.strerror}") from error
        _RUNNING.add(process)
        if background:
            # A save made while the index is made again: its rebuild goes first.
            with contextlib.suppress(OSError):
                niceness = os.getpriority(os.PRIO_PROCESS, 0) + BACKGROUND_NICENESS
                os.setpriority(os.PRIO_PROCESS, process.pid, niceness)
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
        raise IndexerError(f"搜索索引没有建成（索引程序退出码 {process.returncode}）：{detail}")
    return stdout


def stop_indexing() -> None:
    """End every indexer still running: a preview stopped with Ctrl-C (or any exit) leaves
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
        old = Path(tempfile.mkdtemp(prefix=".search-index-old-", dir=target.parent))
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
        threading.Thread(target=self._work, name="search-index", daemon=True).start()

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
            report = index_site(site_dir, records, background=True)
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
