"""The search index is made by its own process after the build: swapped in whole, a failure told in
Chinese (the build stops, the preview goes on), and in `make serve` made again in the
background after each rebuild."""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import searchkit
from huatuopin import site
from huatuopin.search import indexing
from huatuopin.search.indexing import BackgroundIndexer, IndexerError, IndexReport, index_site
from huatuopin.search.records import SearchRecords
from mkdocs.exceptions import Abort


def write_page(records: Path, url: str, text: str) -> None:
    folder = records / url
    folder.mkdir(parents=True, exist_ok=True)
    html = f'<html lang="zh"><body><div data-search-body><h1>{text}</h1></div></body></html>'
    (folder / "index.html").write_text(html, encoding="utf-8")


def shell_indexer(monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    monkeypatch.setattr(indexing, "indexer_command", lambda records, output: ["sh", "-c", script])


def test_the_index_is_written_whole_and_replaced_on_the_next_build(tmp_path: Path) -> None:
    records, site_dir = tmp_path / "records", tmp_path / "site"
    site_dir.mkdir()
    write_page(records, "a/", "光伏板上的新日子")
    write_page(records, "b/", "合作社里的新工人")
    report = index_site(site_dir, records)

    assert report.pages == 2 and str(report).startswith("搜索索引：已收录 2 个页面（")
    pages = searchkit.indexed_pages(site_dir)
    assert {url: page.text for url, page in pages.items()} == {
        "/a/": "光伏板上的新日子",
        "/b/": "合作社里的新工人",
    }
    first = {path.name for path in (site_dir / "search-index").iterdir()}

    write_page(records, "b/", "槐树下的石碾子")
    index_site(site_dir, records)
    assert {page.text for page in searchkit.indexed_pages(site_dir).values()} == {
        "光伏板上的新日子",
        "槐树下的石碾子",
    }
    assert searchkit.indexed_pages(site_dir)["/b/"].found_by("石碾子")
    # The old build's pieces are gone with it: the new folder has a new name.
    second = {path.name for path in (site_dir / "search-index").iterdir()}
    assert len(second) == 2 and "manifest.json" in second and first != second
    assert sorted(path.name for path in site_dir.iterdir()) == ["search-index"]


def test_a_failing_indexer_is_a_chinese_message_and_the_old_index_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records, site_dir = tmp_path / "records", tmp_path / "site"
    site_dir.mkdir()
    write_page(records, "a/", "光伏板上的新日子")
    index_site(site_dir, records)
    index = site_dir / "search-index"
    before = sorted(p.relative_to(site_dir) for p in index.rglob("*"))
    shell_indexer(monkeypatch, "echo 'OSError: the disk is full' >&2; exit 3")

    with pytest.raises(IndexerError) as raised:
        index_site(site_dir, records)

    assert str(raised.value) == "搜索索引没有建成（索引程序退出码 3）：OSError: the disk is full"
    assert sorted(p.relative_to(site_dir) for p in index.rglob("*")) == before
    assert sorted(path.name for path in site_dir.iterdir()) == ["search-index"]


def test_the_previews_indexer_yields_to_its_rebuilds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the background the indexer runs at a lower priority; a build's runs at its own."""
    said = tmp_path / "niceness"
    shell_indexer(monkeypatch, f"sleep 0.5; nice >> {said}")
    index_site(tmp_path, tmp_path, background=True)
    index_site(tmp_path, tmp_path)

    own = os.getpriority(os.PRIO_PROCESS, 0)
    assert said.read_text("utf-8").split() == [str(own + indexing.BACKGROUND_NICENESS), str(own)]


def test_a_stopped_preview_leaves_no_indexer_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C on make serve while the index is made again: the indexer ends with it."""
    write_page(tmp_path, "a/", "光伏板上的新日子")
    started = tmp_path.parent / "indexer-started"
    shell_indexer(monkeypatch, f"touch {started}; exec sleep 300")
    monkeypatch.setattr(indexing, "_STOPPING", threading.Event())  # this test's own ending
    failures: list[IndexerError] = []

    def index() -> None:
        try:
            index_site(tmp_path, tmp_path)
        except IndexerError as error:
            failures.append(error)

    worker = threading.Thread(target=index)
    worker.start()
    deadline = time.monotonic() + 30
    while not started.exists():
        assert time.monotonic() < deadline, "the indexer did not start"
        time.sleep(0.05)

    indexing.stop_indexing()
    worker.join(timeout=10)

    assert not worker.is_alive(), "the indexer was not stopped"
    assert [str(failure) for failure in failures] == [indexing.STOPPED]
    assert not list(tmp_path.glob(".search-index-new-*"))  # nothing half-written is left
    # A rebuild queued before the stop starts no indexer after it.
    started.unlink()
    with pytest.raises(IndexerError):
        index_site(tmp_path, tmp_path)
    assert not started.exists()


def test_an_unexpected_error_in_the_background_does_not_stop_later_indexing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def index(site_dir: Path, records: Path, **_: bool) -> IndexReport:
        calls.append("run")
        if len(calls) == 2:
            raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "a garbled message")
        return IndexReport(1, 0.0)

    monkeypatch.setattr(indexing, "index_site", index)
    indexer = BackgroundIndexer()
    indexer.request(tmp_path, tmp_path)  # the first, before the preview is served
    for expected in (2, 3):
        indexer.request(tmp_path, tmp_path)
        deadline = time.monotonic() + 10
        while len(calls) < expected or indexer._running:
            assert time.monotonic() < deadline, f"no run after {calls}"
            time.sleep(0.02)
    assert calls == ["run", "run", "run"]


def failing_index(site_dir: Path, records: Path, **_: bool) -> IndexReport:
    raise IndexerError("搜索索引没有建成（索引程序退出码 3）：OSError: the disk is full")


def test_the_build_stops_on_it_and_the_preview_logs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(site, "index_site", failing_index)
    monkeypatch.setattr(indexing, "index_site", failing_index)
    config = SimpleNamespace(site_dir=str(tmp_path))

    with pytest.raises(Abort) as raised:
        site.SiteBuild(command="build").finish(config)  # type: ignore[arg-type]
    assert str(raised.value) == (
        "构建中止：搜索索引没有建成（索引程序退出码 3）：OSError: the disk is full"
    )

    with caplog.at_level(logging.ERROR, logger="mkdocs.plugins.huatuopin"):
        site.SiteBuild(command="serve").finish(config)  # type: ignore[arg-type]
    assert caplog.messages == [
        "搜索索引：搜索索引没有建成（索引程序退出码 3）：OSError: the disk is full"
    ]


def test_serve_indexes_first_at_once_then_in_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    second_started = threading.Event()
    release = threading.Event()
    done = threading.Semaphore(0)

    def slow_index(site_dir: Path, records: Path, **_: bool) -> IndexReport:
        calls.append(site_dir)
        if len(calls) == 2:
            second_started.set()
            assert release.wait(10)
        done.release()
        return IndexReport(1)

    monkeypatch.setattr(indexing, "index_site", slow_index)
    indexer = BackgroundIndexer()
    indexer.request(tmp_path, tmp_path)  # the first build: indexed before the preview is served
    assert calls == [tmp_path]

    indexer.request(tmp_path, tmp_path)  # a rebuild: returns while the index is made
    assert second_started.wait(10)
    indexer.request(tmp_path, tmp_path)  # two more rebuilds while it runs: one more run after it
    indexer.request(tmp_path, tmp_path)
    assert len(calls) == 2
    release.set()
    for _ in range(3):
        assert done.acquire(timeout=10)
    assert not done.acquire(timeout=0.5)
    assert len(calls) == 3


def test_records_of_pages_no_longer_searchable_are_taken_out() -> None:
    """`make serve` keeps the records between rebuilds: a deleted story's goes."""
    records = SearchRecords()
    for url in ("", "stories/a/", "stories/b/"):
        records.write(url, f"<html><body>{url}</body></html>")
    folder = records.folder
    records.keep_only(["", "stories/a/"])

    left = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert left == ["index.html", "stories/a/index.html"]  # no temporary file either
    records.remove()
    assert not folder.exists()
