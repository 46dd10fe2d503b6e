"""The preview's file watcher: told of each change by the system instead of looking for it.

MkDocs' `serve` watches docs/ with watchdog's PollingObserver, which lists the whole tree
every half second: at 10,000 stories one listing takes 0.4 s of CPU and 0.8 s in all, so a
save is seen up to 1.3 s late, and the listing keeps competing with the rebuild it started.
watchdog's platform observer (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on
Windows) hears of each change at once. Where it cannot watch (more folders than inotify's
limit allows, a file system without notifications) the polling observer stays.

MkDocs offers no setting for this; the swap goes through its LiveReloadServer's `observer`,
`_watched_paths` and `_watch_refs` (MkDocs is pinned in requirements.lock, and
tests/unit/test_watching.py fails if they change).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileAttribEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

log = logging.getLogger("mkdocs.plugins.huatuopin")


# What a save, a touch, a new file, a deletion or a rename makes. Not the opening and closing
# of a file that is only read: the rebuild reads every story, and those events would fill the
# system's queue and ask for another rebuild each time.
CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileAttribEvent,
    FileMovedEvent,
    FileClosedEvent,
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
]


class _EventObserver(Observer):  # type: ignore[misc,valid-type]
    """Started here, before MkDocs' `serve` starts it again: a second start does nothing.
    Told of changes only (MkDocs schedules its watches without a filter)."""

    def start(self) -> None:
        if not self.is_alive():
            super().start()

    def schedule(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("event_filter", CHANGES)
        return super().schedule(*args, **kwargs)


def watch_with_events(server: Any) -> bool:
    """Move `server`'s watched paths to the platform observer; False when they stay polled."""
    if isinstance(server.observer, _EventObserver) or Observer is PollingObserver:
        return False
    polled, watched, refs = server.observer, dict(server._watched_paths), dict(server._watch_refs)
    observer = _EventObserver()
    observer.start()
    server.observer = observer
    server._watched_paths, server._watch_refs = {}, {}
    try:
        for path, count in watched.items():
            for _ in range(count):
                server.watch(path)
    except OSError as error:
        observer.stop()
        server.observer, server._watched_paths, server._watch_refs = polled, watched, refs
        log.info(f"预览：系统的文件变化通知用不了（{error.strerror or error}），改为每半秒查看一次")
        return False
    return True


def watch_file(server: Any, path: Path) -> None:
    """Rebuild when the file at `path` is written, created, deleted or renamed to or from:
    its folder is watched without the folders below it, so a file that is not there yet, or
    that an editor replaces by renaming a new one over it, is heard all the same, and no other
    file of the folder starts a rebuild. MkDocs' `watch` takes a whole folder or a file that
    must exist; the rebuild is asked for as MkDocs' own handler asks (`_rebuild_cond`)."""
    name = path.name

    def heard(event: FileSystemEvent) -> None:
        touched = {os.fsdecode(event.src_path), os.fsdecode(event.dest_path or "")}
        if event.is_directory or name not in {os.path.basename(p) for p in touched}:
            return
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    handler = FileSystemEventHandler()
    handler.on_any_event = heard  # type: ignore[method-assign]
    server.observer.schedule(handler, str(path.parent.resolve()), recursive=False)


__all__ = ["watch_file", "watch_with_events"]
