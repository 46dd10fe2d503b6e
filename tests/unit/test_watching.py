"""The preview hears of a save from the system at once, not from a listing of docs/ every
half second; where the system cannot tell it, MkDocs' polling stays and nothing is lost."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from huatuopin import watching
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.polling import PollingObserver


def preview_server(docs: Path) -> LiveReloadServer:
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(docs))
    server.watch(str(docs))
    return server


def wants_rebuild(server: LiveReloadServer, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server._want_rebuild:
            return True
        time.sleep(0.01)
    return False


def test_a_save_is_heard_at_once(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    (docs / "stories" / "a").mkdir(parents=True)
    server = preview_server(docs)
    assert isinstance(server.observer, PollingObserver)  # MkDocs' own, before the swap

    assert watching.watch_with_events(server)
    server.observer.start()  # as MkDocs' serve does: a second start is harmless
    try:
        assert not isinstance(server.observer, PollingObserver)
        story = docs / "stories" / "a" / "index.md"
        story.write_text("---\ntitle: 改\n---\n", "utf-8")
        # MkDocs' polling observer is never started here: only the system can tell.
        assert wants_rebuild(server, 5)
        server._want_rebuild = False
        story.touch()  # a save without a change still rebuilds, as with MkDocs' polling
        assert wants_rebuild(server, 5)
        server._want_rebuild = False
        # A rebuild reads every story: reading is not a change.
        for _ in range(50):
            story.read_text("utf-8")
        assert not wants_rebuild(server, 1)
        server.unwatch(str(docs))  # MkDocs unwatches and watches again as themes change
    finally:
        server.observer.stop()
        server.observer.join(5)


def test_where_the_system_cannot_watch_the_polling_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    server = preview_server(docs)
    polled, refs = server.observer, dict(server._watch_refs)

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watching._EventObserver, "schedule", refuse)
    with caplog.at_level("INFO", logger="mkdocs.plugins.huatuopin"):
        assert not watching.watch_with_events(server)

    assert server.observer is polled and server._watch_refs == refs
    assert server._watched_paths == {str(docs): 1}
    assert "改为每半秒查看一次" in caplog.text


def test_a_file_beside_mkdocs_yml_is_heard_from_before_it_exists(tmp_path: Path) -> None:
    """redirects.yml is outside docs/: written, replaced, removed or first made, it rebuilds;
    another file beside it does not."""
    docs = tmp_path / "docs"
    docs.mkdir()
    server = preview_server(docs)
    assert watching.watch_with_events(server)
    redirects = tmp_path / "redirects.yml"
    watching.watch_file(server, redirects)
    server.observer.start()
    try:
        (tmp_path / "README.md").write_text("说明\n", "utf-8")
        assert not wants_rebuild(server, 1)
        redirects.write_text("redirect_maps:\n", "utf-8")  # not there when the watch began
        assert wants_rebuild(server, 5)
        server._want_rebuild = False
        replacement = tmp_path / ".redirects.yml.new"  # an editor's atomic save
        replacement.write_text("redirect_maps: {}\n", "utf-8")
        replacement.replace(redirects)
        assert wants_rebuild(server, 5)
        server._want_rebuild = False
        redirects.unlink()
        assert wants_rebuild(server, 5)
    finally:
        server.observer.stop()
        server.observer.join(5)
